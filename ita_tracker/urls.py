"""Top-level URLs: the landing page, sign-in, the admin and the language switch."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans import views as plan_views

admin.site.site_header = "ITA Tracker — ระบบติดตามการประเมินคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Tracker"
admin.site.index_title = "การจัดการข้อมูล"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "plans/<str:organization>/<int:year>/plan.xlsx",
        plan_views.plan_xlsx,
        name="plan_xlsx",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
