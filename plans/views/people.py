"""The people page of a district, for its plan owner (and admins): list, add, change,
deactivate; and the page where a new user sets their password from their one-time link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import people
from plans.access import member_for_change, people_organization_or_404
from plans.models import Membership, membership_of, plan_organizations
from plans.people_forms import MemberForm

PAGE_SIZE = 25


def _people_url(organization) -> str:
    return reverse("people", args=[organization.code])


@login_required
def people_home(request):
    """The people page of the user's own district; a superuser without one picks a district."""
    member = membership_of(request.user)
    if member is not None:
        return redirect("people", organization=member.organization.code)
    if not request.user.is_superuser:
        raise Http404
    organizations = plan_organizations(request.user).order_by("code")
    return render(request, "plans/people_choose.html", {"organizations": organizations})


@login_required
def people_list(request, organization: str):
    organization = people_organization_or_404(request.user, organization)
    query = request.GET.get("q", "").strip()
    members = people.members_of(organization, query)
    editable = set(
        Membership.objects.editable_by(request.user)
        .filter(organization=organization)
        .values_list("pk", flat=True)
    )
    context = {
        "organization": organization,
        "query": query,
        "page": Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")),
        "editable": editable,
    }
    return render(request, "plans/people.html", context)


@login_required
def person_add(request, organization: str):
    organization = people_organization_or_404(request.user, organization)
    form = MemberForm(request.POST or None, assigner=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        membership = people.add_member(organization, **form.cleaned_data)
        messages.success(
            request,
            _("เพิ่ม %(name)s แล้ว ส่งลิงก์ตั้งรหัสผ่านด้านล่างให้ผู้ใช้") % {"name": membership.user.username},
        )
        return redirect("person_edit", organization=organization.code, pk=membership.pk)
    return render(request, "plans/person_form.html", {"organization": organization, "form": form})


@login_required
def person_edit(request, organization: str, pk: int):
    organization = people_organization_or_404(request.user, organization)
    membership = member_for_change(request.user, organization, pk)
    form = MemberForm(
        request.POST or None,
        assigner=request.user,
        organization=organization,
        membership=membership,
    )
    if request.method == "POST" and form.is_valid():
        people.change_member(membership, **form.cleaned_data)
        messages.success(request, _("บันทึกแล้ว"))
        return redirect(_people_url(organization))
    link = people.set_password_path(membership.user)
    context = {
        "organization": organization,
        "form": form,
        "membership": membership,
        "set_password_url": request.build_absolute_uri(link) if link else "",
        "link_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "is_self": membership.user_id == request.user.pk,
    }
    return render(request, "plans/person_form.html", context)


@login_required
@require_POST
def person_active(request, organization: str, pk: int):
    """Deactivate or reactivate a member (never delete: their reports keep their author)."""
    organization = people_organization_or_404(request.user, organization)
    membership = member_for_change(request.user, organization, pk)
    active = request.POST.get("active") == "1"
    refusals = people.own_account_refusals(request.user, membership, active=active)
    if refusals:
        for message in refusals.values():
            messages.error(request, message)
    else:
        people.set_active(membership, active)
        done = _("เปิดใช้งานบัญชี %(name)s แล้ว") if active else _("ปิดการใช้งานบัญชี %(name)s แล้ว")
        messages.success(request, done % {"name": membership.user.username})
    return redirect("person_edit", organization=organization.code, pk=membership.pk)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's password-reset page, used once by a new user to set their password; it signs
    them in. A deactivated account's link does not work."""

    post_reset_login = True
    # Signing in here is not a password check, so sign-in throttling (axes) is not involved.
    post_reset_login_backend = "ita_tracker.auth.MemberBackend"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
