"""Reporting progress on an action: one report, and the action's status moving with it."""

from plans.models import Action, Membership, ProgressUpdate, membership_of
from plans.versions import save_if_current


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
        current.status, current.progress = update.status, update.progress
        current.completed_on = today if update.status == Action.Status.DONE else None
        saved["update"] = update

    save_if_current(Action, action.pk, form.cleaned_data["version"], apply)
    return saved["update"]
