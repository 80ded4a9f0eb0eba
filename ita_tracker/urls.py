"""Top-level URLs: the landing page, sign-in, the admin and the language switch."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ita_tracker import security
from ita_tracker.health import health
from plans.views import dashboards, plan_status, progress_reports
from plans.views import people as people_views
from plans.views import public as public_views
from plans.views import publishing as publishing_views
from plans.views import report as report_views
from plans.views import staff as plan_views
from plans.views import start as start_views
from reminders import views as reminder_views

# A form beyond Django's size limits gets a Thai page (413 or 400), not the bare default.
handler400 = "ita_tracker.security.bad_request"

admin.site.site_header = _("ITA Tracker — ระบบติดตามการประเมินคุณธรรมและความโปร่งใส")
admin.site.site_title = "ITA Tracker"
admin.site.index_title = _("การจัดการข้อมูล")


def favicon(request):
    """Send /favicon.ico, which browsers ask for whatever the page links, to the icon."""
    # Resolved per request: the hashed name is known only once the manifest is loaded.
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("", plan_views.home, name="home"),
    path("actions/", plan_views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", plan_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", plan_views.action_edit, name="action_edit"),
    path("actions/<int:pk>/report/", plan_views.progress_create, name="progress_create"),
    path("findings/<int:pk>/edit/", plan_views.finding_edit, name="finding_edit"),
    path("findings/<int:finding_pk>/actions/new/", plan_views.action_create, name="action_create"),
    path("evidence/<int:pk>/", plan_views.evidence, name="evidence"),
    path("plans/<str:organization>/<int:year>/", plan_views.plan_detail, name="plan_detail"),
    path(
        "plans/<str:organization>/<int:year>/plan.xlsx",
        plan_views.plan_xlsx,
        name="plan_xlsx",
    ),
    path(
        "plans/<str:organization>/<int:year>/progress/",
        dashboards.progress,
        name="plan_progress",
    ),
    path(
        "plans/<str:organization>/<int:year>/report/",
        report_views.plan_report,
        name="plan_report",
    ),
    path(
        "plans/<str:organization>/<int:year>/plan.pdf",
        report_views.plan_pdf,
        name="plan_pdf",
    ),
    path(
        "plans/<str:organization>/<int:year>/reports/<str:kind>.<str:format_>",
        progress_reports.progress_report_file,
        name="progress_report_file",
    ),
    path("plans/<str:organization>/<int:year>/approve/", plan_status.approve, name="plan_approve"),
    path("plans/<str:organization>/<int:year>/close/", plan_status.close, name="plan_close"),
    path(
        "plans/<str:organization>/<int:year>/publish/",
        publishing_views.publish,
        name="plan_publish",
    ),
    path(
        "plans/<str:organization>/<int:year>/withdraw/",
        publishing_views.withdraw,
        name="plan_withdraw",
    ),
    path("plans/<str:organization>/start/", start_views.start_plan, name="start_plan"),
    path("scores/<str:organization>/<int:year>/", dashboards.scores, name="scores"),
    path("overview/", dashboards.overview_latest, name="overview_latest"),
    path("overview/<int:year>/", dashboards.overview, name="overview"),
    path("districts/", dashboards.districts, name="districts"),
    path("people/", people_views.people_home, name="people_home"),
    path("organizations/<str:organization>/people/", people_views.people_list, name="people"),
    path(
        "organizations/<str:organization>/people/new/",
        people_views.person_add,
        name="person_add",
    ),
    path(
        "organizations/<str:organization>/people/<int:pk>/",
        people_views.person_edit,
        name="person_edit",
    ),
    path(
        "organizations/<str:organization>/people/<int:pk>/active/",
        people_views.person_active,
        name="person_active",
    ),
    path("account/reminders/", reminder_views.preferences, name="reminder_preferences"),
    path("reminders/stop/<str:token>/", reminder_views.stop, name="reminders_stop"),
    path("public/", public_views.home, name="public_home"),
    path(
        "public/evidence/<int:pk>/<str:token>/",
        public_views.evidence,
        name="public_evidence",
    ),
    path("public/<str:organization>/", public_views.office, name="public_office"),
    path("public/<str:organization>/<int:year>/", public_views.plan, name="public_plan"),
    path(
        "public/<str:organization>/<int:year>/reports/<str:kind>.<str:format_>",
        public_views.report_file,
        name="public_report_file",
    ),
    path("oit/", include("oit.urls")),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", security.SignOutView.as_view(), name="logout"),
    path(
        "accounts/set-password/<uidb64>/<token>/",
        people_views.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
