"""The page "เริ่มแผนปีงบประมาณถัดไป": step 1 what to start from, step 2 a preview to tick,
then one transaction (the rules are ``plans.starting``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.models import Organization
from plans import starting
from plans.models import changes_plans_of
from plans.start_forms import ChoicesForm, StartForm


def startable_organization(user, code: str) -> Organization:
    """Another district's is not found; one the user sees but does not own is forbidden."""
    organization = get_object_or_404(Organization.objects.visible_to(user), code=code)
    if not changes_plans_of(user, organization.pk):
        raise PermissionDenied(_("เฉพาะผู้รับผิดชอบแผนและผู้ดูแลระบบเท่านั้นที่เริ่มแผนได้"))
    return organization


@login_required
def start_plan(request, organization: str):
    organization = startable_organization(request.user, organization)
    context = {"organization": organization}
    if request.method != "POST":
        form = StartForm(organization=organization)
        return render(request, "plans/start_plan.html", {**context, "form": form})
    form = StartForm(request.POST, organization=organization)
    preview = form.preview() if form.is_valid() else None
    step = request.POST.get("step")
    if preview is None or step == "back":
        return render(request, "plans/start_plan.html", {**context, "form": form})
    choices = ChoicesForm(request.POST if step == "create" else None, preview=preview)
    if step == "create" and choices.is_valid():
        try:
            started = starting.apply(
                preview, items=choices.chosen_items(), decided=choices.decided()
            )
        except starting.StartError as error:
            choices.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "สร้างแผนปีงบประมาณ %(year)s แล้ว: %(findings)s ประเด็น, "
                    "ยกมา %(carried)s การปรับปรุง, ไม่ได้ยกมา %(unlinked)s, %(rounds)s รอบการติดตาม"
                )
                % {
                    "year": started.plan.fiscal_year,
                    "findings": started.findings,
                    "carried": started.carried,
                    "unlinked": started.unlinked,
                    "rounds": started.rounds,
                },
            )
            return redirect(started.plan.get_absolute_url())
    context |= {"form": form, "choices": choices, "preview": preview}
    return render(request, "plans/start_preview.html", context)
