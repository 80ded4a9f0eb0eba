"""Publish a plan to its public page and withdraw it: who may is
``plans.publishing.may_publish``; when it may, ``publish_refusal`` and ``withdraw_refusal``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import publishing
from plans.access import plan_or_404


def _change(request, organization, year, change, done_message):
    plan = plan_or_404(request.user, organization, year)
    if not publishing.may_publish(plan, request.user):
        raise PermissionDenied(_("เฉพาะผู้รับผิดชอบแผนและผู้ดูแลระบบเผยแพร่หรือถอนการเผยแพร่แผนได้"))
    try:
        change(plan)
    except publishing.PublishRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done_message)
    return redirect(plan.get_absolute_url() + "#publishing")


@login_required
@require_POST
def publish(request, organization: str, year: int):
    return _change(
        request,
        organization,
        year,
        lambda plan: publishing.publish(plan, request.user, timezone.now()),
        _("เผยแพร่แผนต่อสาธารณะแล้ว ทุกคนเปิดดูได้ที่ลิงก์ด้านล่างโดยไม่ต้องเข้าสู่ระบบ"),
    )


@login_required
@require_POST
def withdraw(request, organization: str, year: int):
    return _change(
        request,
        organization,
        year,
        publishing.withdraw,
        _("ถอนการเผยแพร่แล้ว หน้าสาธารณะของแผนนี้จะไม่พบอีก"),
    )
