"""Reporting progress on an action: one report, and the action's status moving with it.

A "ทุกฝ่าย" action reported by a division's staff moves with all of the district's divisions:
its progress is the mean of each division's latest report (0 for a division that has not
reported), and it is done only once every division (leaving out those that cancelled their
part) has reported it done. Any other report sets the action's status and progress itself.
"""

from django.db.models import Max

from plans.models import Action, Membership, ProgressUpdate, membership_of
from plans.versions import save_if_current

Status = Action.Status


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


def report(action: Action, form, user, today) -> ProgressUpdate:
    """Store a checked ProgressForm as a report of the current round and move the action's
    status and progress; refused (StaleVersion) if the action changed since the form."""
    member = membership_of(user)
    division = member.division if member and member.role == Membership.Role.STAFF else None
    saved = {}

    def apply(current: Action) -> None:
        update = form.save(commit=False)
        update.action, update.author, update.division = current, user, division
        update.round = current.finding.plan.current_round(today)
        update.save()
        if current.all_divisions and division is not None:
            current.status, current.progress = combined(latest_by_division(current))
        else:
            current.status, current.progress = update.status, update.progress
        current.completed_on = today if current.status == Status.DONE else None
        saved["update"] = update

    save_if_current(Action, action.pk, form.cleaned_data["version"], apply)
    return saved["update"]
