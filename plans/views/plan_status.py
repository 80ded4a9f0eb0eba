"""Approve a plan, and close it at the year's end: who may is ``Plan.may_approve`` and
``Plan.may_close``; when it may, ``approve_refusal`` and ``close_refusal``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.access import plan_or_404
from plans.models import Plan


def _move(request, organization, year, may, refusal, status, done_message):
    with transaction.atomic():
        plan = plan_or_404(request.user, organization, year)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not may(plan, request.user):
            raise PermissionDenied(_("ท่านไม่มีสิทธิ์เปลี่ยนสถานะของแผนนี้"))
        if reason := refusal(plan):
            messages.error(request, reason)
        else:
            plan.status = status
            plan.record_status(request.user, timezone.now())
            plan.save()
            messages.success(request, done_message)
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def approve(request, organization: str, year: int):
    return _move(
        request,
        organization,
        year,
        Plan.may_approve,
        Plan.approve_refusal,
        Plan.Status.APPROVED,
        _("อนุมัติแผนแล้ว"),
    )


@login_required
@require_POST
def close(request, organization: str, year: int):
    today = timezone.localdate()
    return _move(
        request,
        organization,
        year,
        Plan.may_close,
        lambda plan: plan.close_refusal(today),
        Plan.Status.CLOSED,
        _("ปิดแผนแล้ว แผนนี้จะดูได้อย่างเดียว"),
    )
