"""Reporting progress on an action: one report, and the action's status moving with it.

A "ทุกฝ่าย" action reported by a division's staff moves with all of the district's divisions:
its progress is the mean of each division's latest report (0 for a division that has not
reported), and it is done only once every division (leaving out those that cancelled their
part) has reported it done. Any other report sets the action's status and progress itself.

What a report form is checked against (``basis``): a division's report on a "ทุกฝ่าย" action
only against that division's own latest report on it, so divisions reporting in the same week
never refuse each other; any other report against the action's version. A plan owner's (or an
admin's) report on a "ทุกฝ่าย" action has no division: it sets the action's status and progress
over the combined ones, so it is checked against the action's version, like an edit of the
action, and is refused if any division reported after the form was shown. In both cases the
action's row is locked while the report is stored and the combined status recomputed, so no
report is left out of it.

A report is stored whole or not at all: if its evidence file cannot be written to the uploads
storage, nothing is saved (``EvidenceNotStored``); if the file was written but the database
write then fails, the file is deleted again, so no file is left without its report.
"""

import logging

from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans import pending
from plans.history import FieldChange, shown
from plans.models import Action, Membership, ProgressUpdate, membership_of
from plans.versions import StaleVersion, save_if_current

Status = Action.Status

log = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[Exception], ...]:
    """What a storage backend raises when it cannot write: OSError for the local disk (full,
    read-only, missing folder), botocore's and boto3's errors for S3 (unreachable, refused)."""
    errors: list[type[Exception]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:
        pass
    try:
        from boto3.exceptions import Boto3Error

        errors.append(Boto3Error)
    except ImportError:
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


class EvidenceNotStored(Exception):
    """The evidence file could not be written to the uploads storage; nothing was saved."""

    message = _(
        "เก็บไฟล์หลักฐานไม่สำเร็จ กรุณาแนบไฟล์แล้วลองใหม่อีกครั้ง หรือแจ้งผู้ดูแลระบบ "
        "(ยังไม่ได้บันทึกรายงาน ข้อความที่ท่านพิมพ์ยังอยู่ในแบบฟอร์ม)"
    )

    def __init__(self):
        super().__init__(self.message)


def combined(latest: list[tuple[str, int] | None]) -> tuple[str, int]:
    """The status and progress of a "ทุกฝ่าย" action from each division's latest report
    (None for a division without one)."""
    counted = [report for report in latest if report is None or report[0] != Status.CANCELLED]
    if not counted:
        return Status.CANCELLED, 0
    progress = sum(report[1] for report in counted if report) // len(counted)
    statuses = [report[0] if report else Status.NOT_STARTED for report in counted]
    if all(status == Status.DONE for status in statuses):
        return Status.DONE, 100
    if any(status != Status.NOT_STARTED for status in statuses) or progress:
        return Status.IN_PROGRESS, progress
    return Status.NOT_STARTED, 0


def status_after(
    action: Action, reports: list, divisions: list[int], day, *, reported_later: bool = False
) -> tuple[str, int]:
    """The status and progress ``action`` had at the end of ``day``: the rule of ``report``
    replayed over its ``reports`` made up to then (ProgressUpdates in the order they were
    made), ``divisions`` being the ids of the district's divisions; ``reported_later`` says
    whether it has reports made after ``day``.

    Without a report by then, the action had not started, unless it was settled without any
    report at all: cancelled (a plan decision that carries no date), or done on its completion
    date (as ``plans.dashboards.completion`` counts it)."""
    if not reports:
        if reported_later:
            return Status.NOT_STARTED, 0
        if action.status == Status.CANCELLED:
            return Status.CANCELLED, 0
        if action.status == Status.DONE and action.completed_on and action.completed_on <= day:
            return Status.DONE, 100
        return Status.NOT_STARTED, 0
    last = reports[-1]
    if action.all_divisions and last.division_id is not None:
        latest = {
            report.division_id: (report.status, report.progress)
            for report in reports
            if report.division_id is not None
        }
        return combined([latest.get(division) for division in divisions])
    return last.status, last.progress


def latest_by_division(action: Action) -> list[tuple[str, int] | None]:
    """Each of the district's divisions' latest report on the action (None without one)."""
    divisions = action.finding.plan.organization.divisions.values_list("pk", flat=True)
    reports = ProgressUpdate.objects.filter(action=action, division__isnull=False)
    last = reports.values("division_id").annotate(last=Max("pk")).values("last")
    latest = {
        division: (status, progress)
        for division, status, progress in ProgressUpdate.objects.filter(pk__in=last).values_list(
            "division_id", "status", "progress"
        )
    }
    return [latest.get(division) for division in divisions]


def store_evidence(update: ProgressUpdate) -> str | None:
    """Write the report's new evidence file to the storage; return its stored name (None
    without a new file). Raises EvidenceNotStored if the storage cannot take it."""
    file = update.evidence_file
    if not file or file._committed:
        return None
    try:
        file.save(file.name, file.file, save=False)
    except STORAGE_ERRORS as error:
        log.error(
            "Evidence file %r for action %s not stored: %s",
            file.name,
            update.action_id,
            error,
            exc_info=True,
        )
        raise EvidenceNotStored from error
    return file.name


def discard_evidence(name: str) -> None:
    """Delete a stored evidence file whose report was not saved; a failure is logged only."""
    try:
        ProgressUpdate._meta.get_field("evidence_file").storage.delete(name)
    except Exception:
        log.exception("Evidence file %r of a report not saved could not be deleted", name)
    else:
        log.warning("Evidence file %r deleted: its report was not saved", name)


def reporting_division(user):
    """The division a user reports for: a staff member's own; None for anyone else."""
    member = membership_of(user)
    return member.division if member and member.role == Membership.Role.STAFF else None


def _divisions_part(action: Action, division) -> bool:
    return action.all_divisions and division is not None


def basis(action: Action, division) -> str:
    """What a report form carries and is checked against when saved: "d<division>-<latest
    report>" for a division's part of a "ทุกฝ่าย" action (0 before its first report), else the
    action's version."""
    if _divisions_part(action, division):
        reports = ProgressUpdate.objects.filter(action=action, division=division)
        latest = reports.aggregate(last=Max("pk"))["last"] or 0
        return f"d{division.pk}-{latest}"
    return str(action.version)


REPORT_FIELDS = ("status", "progress", "note", "evidence_url")


def _report_changes(update: ProgressUpdate) -> list[FieldChange]:
    """A report's values as changes, to be set beside the refused report's."""
    who = update.author.get_username() if update.author else gettext("ระบบ")
    return [
        FieldChange(
            field=str(ProgressUpdate._meta.get_field(name).verbose_name),
            old="",
            new=shown(update, name, getattr(update, name)),
            who=who,
            when=update.reported_at,
            name=name,
        )
        for name in REPORT_FIELDS
        # A blank note or link says nothing worth setting beside the user's.
        if name in ("status", "progress") or getattr(update, name)
    ]


def stale_report(current: Action, seen: str, division) -> StaleVersion:
    """The refusal of a report whose form is older than the latest report or change it is
    checked against, with what came in since."""
    now = basis(current, division)
    if _divisions_part(current, division):
        latest = (
            ProgressUpdate.objects.filter(action=current, division=division)
            .select_related("author")
            .order_by("-pk")
            .first()
        )
        changes = _report_changes(latest) if latest else []
        return StaleVersion(current, None, basis=now, changes=changes)
    version = int(seen) if seen.isdigit() else None
    latest = current.updates.select_related("author").order_by("-pk").first()
    if version is None:
        # The form was a division's part (the action or the user's role changed since).
        return StaleVersion(
            current, None, basis=now, changes=_report_changes(latest) if latest else []
        )
    stale = StaleVersion(current, version, basis=now)
    if latest is not None and _reported_after(current, latest, version):
        # The action's history has the status and progress a report left; its note is the
        # report's own.
        stale.changes += [c for c in _report_changes(latest) if c.name in ("note", "evidence_url")]
    return stale


def _reported_after(action: Action, update: ProgressUpdate, version: int) -> bool:
    """Whether the report came after the action's save number ``version`` was written."""
    record = action.history.filter(version=version).order_by("history_date").first()
    return record is None or update.reported_at >= record.history_date


def report(action: Action, form, user, today) -> ProgressUpdate:
    """Store a checked ProgressForm as a report of the current round and move the action's
    status and progress; refused (StaleVersion) if the report or change it is checked against
    (``basis``) moved on since the form, and nothing saved (EvidenceNotStored) if the evidence
    file cannot be stored."""
    division = reporting_division(user)
    saved = {}
    stored: list[str] = []

    def apply(current: Action) -> None:
        update = form.save(commit=False)
        update.action, update.author, update.division = current, user, division
        update.round = current.finding.plan.current_round(today)
        # The file first (it needs the action for its path), then the rows: a storage failure
        # raises out of the transaction, which rolls back.
        if name := store_evidence(update):
            stored.append(name)
        update.save()
        if _divisions_part(current, division):
            current.status, current.progress = combined(latest_by_division(current))
        else:
            current.status, current.progress = update.status, update.progress
        current.completed_on = today if current.status == Status.DONE else None
        saved["update"] = update

    try:
        save_if_current(
            Action,
            action.pk,
            form.cleaned_data["version"],
            apply,
            version_of=lambda current: basis(current, division),
            refuse=lambda current, seen: stale_report(current, seen, division),
        )
    except BaseException:
        # The transaction rolled back: a file already written has no report to belong to.
        for name in stored:
            discard_evidence(name)
        raise
    if form.kept:
        # Its content is now the report's own evidence file.
        pending.discard(form.kept)
    return saved["update"]
