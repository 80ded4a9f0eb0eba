"""Publishing a plan to the public page, and what that page may read.

The OIT scores whether an office publishes its improvement measures and what came of them,
so a plan owner may make the plan's table and its progress readable without sign-in. The rules
live here only; the views, the command and the plan page's button ask.

- **Who publishes or withdraws**: the district's plan owner (or admin member) and superusers,
  the same people who own the plan's record (``Plan.objects.owned_by``).
- **What may be published**: an approved or closed plan; a draft is not the office's plan yet.
- **What is public**: published plans that are not (or no longer) drafts. Of the progress
  reports, the status, per cent and date are public; the note and the evidence only of reports
  marked ``is_public``. Nothing names a person.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from assessments.models import ItemScore
from plans.models import (
    Action,
    Finding,
    Plan,
    ProgressUpdate,
    ReportingRound,
    changes_plans_of,
)


class PublishRefused(Exception):
    """The plan cannot be published or withdrawn now; ``message`` says why, in Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_publish(plan: Plan, user) -> bool:
    """Whether ``user`` may publish or withdraw ``plan`` (see the module's rules): whether
    ``Plan.objects.owned_by(user)`` holds it, asked without a query (the plan page asks it
    of every reader)."""
    return changes_plans_of(user, plan.organization_id)


def publish_refusal(plan: Plan) -> str | None:
    """Why the plan cannot be published now, or None."""
    if plan.status == Plan.Status.DRAFT:
        return _("แผนที่เป็นร่างเผยแพร่ต่อสาธารณะไม่ได้ โปรดอนุมัติแผนก่อน")
    if plan.published_at is not None:
        return _("แผนนี้เผยแพร่ต่อสาธารณะอยู่แล้ว")
    return None


def withdraw_refusal(plan: Plan) -> str | None:
    if plan.published_at is None:
        return _("แผนนี้ไม่ได้เผยแพร่ต่อสาธารณะ")
    return None


def publish(plan: Plan, user, now) -> Plan:
    """Make the plan public, noting who (None from the command) and when."""
    with transaction.atomic():
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        if reason := publish_refusal(current):
            raise PublishRefused(reason)
        current.published_by, current.published_at = user, now
        current.save(update_fields=["published_by", "published_at"])
    return current


def withdraw(plan: Plan) -> Plan:
    """Take the plan off the public pages; its history keeps who had published it."""
    with transaction.atomic():
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        if reason := withdraw_refusal(current):
            raise PublishRefused(reason)
        current.published_by = current.published_at = None
        current.save(update_fields=["published_by", "published_at"])
    return current


def public_plans():
    """The plans anyone may read: published, and not a draft (a plan sent back to draft after
    publishing leaves the public pages until it is approved again)."""
    return Plan.objects.filter(published_at__isnull=False).exclude(status=Plan.Status.DRAFT)


def is_public(plan: Plan) -> bool:
    """Whether anyone may read ``plan``: the rule of ``public_plans``, on the plan in hand."""
    return plan.published_at is not None and plan.status != Plan.Status.DRAFT


def public_url_path(plan: Plan) -> str:
    return reverse("public_plan", args=[plan.organization.code, plan.fiscal_year])


def public_url(plan: Plan, request=None) -> str:
    """The plan's public address, absolute, for the office to paste into the OIT submission:
    as the user reached the site, or the site's configured address without a request."""
    path = public_url_path(plan)
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.ITA_SITE_URL}{path}"


def attach_public_reports(actions: list[Action]) -> None:
    """Give each action the date of its latest report (``latest_report_at``) and its latest
    report marked public (``public_report``, or None), in one query whatever the number of
    actions; a public report with a file gets its public download address (``public_file_url``).

    Only the columns the public page shows are read: never the author or the division."""
    rows = (
        ProgressUpdate.objects.filter(action_id__in=[action.pk for action in actions])
        .order_by("reported_at", "pk")
        .only(
            "pk", "action_id", "reported_at", "is_public", "note", "evidence_url", "evidence_file"
        )
    )
    latest: dict[int, ProgressUpdate] = {}
    public: dict[int, ProgressUpdate] = {}
    for update in rows:
        latest[update.action_id] = update
        if update.is_public:
            public[update.action_id] = update
    for action in actions:
        action.latest_report_at = latest[action.pk].reported_at if action.pk in latest else None
        action.public_report = report = public.get(action.pk)
        if report is not None and report.evidence_file:
            report.public_file_url = public_evidence_url(report)


def evidence_token(update: ProgressUpdate) -> str:
    """The part of a public evidence URL that only the public page hands out. It is tied to
    the stored file's name, so a link to a replaced file stops working."""
    value = f"{update.pk}:{update.evidence_file.name}"
    return salted_hmac("plans.publishing.evidence", value).hexdigest()[:32]


def public_evidence_url(update: ProgressUpdate) -> str:
    return reverse("public_evidence", args=[update.pk, evidence_token(update)])


def public_evidence(pk: int, token: str) -> ProgressUpdate | None:
    """The report whose evidence file the public may download with ``token``, or None: the
    report must be marked public, carry a file, and belong to a public plan."""
    update = (
        ProgressUpdate.objects.filter(
            pk=pk, is_public=True, action__finding__plan__in=public_plans()
        )
        .exclude(evidence_file="")
        .first()
    )
    if update is None or not constant_time_compare(evidence_token(update), token):
        return None
    return update


def _newest(queryset) -> Subquery:
    return Subquery(queryset.order_by("-history_date").values("history_date")[:1])


def last_changed(plan: Plan):
    """When anything the public page of ``plan`` shows last changed, in one query: the plan
    itself, its findings, actions, rounds and progress reports (history rows keep deletions
    too), and the scores of the assessment it answers; never earlier than its publishing."""
    finding_ids = Finding.history.filter(plan_id=plan.pk).values("id")
    action_ids = Action.history.filter(finding_id__in=finding_ids).values("id")
    newest = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            plan_at=_newest(Plan.history.filter(id=plan.pk)),
            findings_at=_newest(Finding.history.filter(plan_id=plan.pk)),
            actions_at=_newest(Action.history.filter(finding_id__in=finding_ids)),
            rounds_at=_newest(ReportingRound.history.filter(plan_id=plan.pk)),
            reports_at=_newest(ProgressUpdate.history.filter(action_id__in=action_ids)),
            scores_at=_newest(ItemScore.history.filter(assessment_id=plan.assessment_id)),
        )
        .values("plan_at", "findings_at", "actions_at", "rounds_at", "reports_at", "scores_at")
        .first()
        or {}
    )
    stamps = [stamp for stamp in newest.values() if stamp is not None]
    if plan.published_at is not None:
        stamps.append(plan.published_at)
    return max(stamps) if stamps else None


def listing_version(plans) -> str:
    """A fingerprint of a list of public plans: it changes when one is published, withdrawn
    or changes status."""
    rows = plans.order_by("pk").values_list("pk", "published_at", "status")
    return ";".join(
        f"{pk}:{when.timestamp() if when else ''}:{status}" for pk, when, status in rows
    )
