"""Stored tallies of each plan's actions (``PlanTally``): the overview's counts and its sort
by progress read one row per plan instead of counting every action.

The rules live here:

- **What keeps them**: an action's save or deletion recounts its plan (signal handlers
  below, in the transaction of the change); a plan's deletion drops its row. Inside
  ``batch()`` (a workbook import, a new plan: many actions saved one by one) each plan is
  recounted once, at the block's end. Bulk loads (``bulk_create`` sends no signals) call
  ``refresh`` themselves; the migration backfills.
- **What a tally holds**: the counts by status and the open actions' due dates, so overdue
  (``overdue_condition``: open and due before today) is derived on reading, never stored.
- **Readers** fall back to counting (``refresh_missing``) for a plan with no row yet.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save, pre_delete

_CHUNK = 500  # plans per statement: well under SQLite's parameter limit

# Per thread: the plans a batch will recount at its end.
_state = threading.local()


@contextmanager
def batch():
    """Recount the plans whose actions the block saves or deletes once, at its end. Nested
    blocks join the outermost one."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    refresh(pending)


def _recount(plan_id: int) -> None:
    pending = getattr(_state, "pending", None)
    if pending is None:
        refresh([plan_id])
    else:
        pending.add(plan_id)


def refresh(plan_ids: Iterable[int]) -> None:
    """Recount the actions of these plans (those that still exist) and store the tallies:
    two reads and one upsert per chunk of plans."""
    from plans.models import Action, Plan, PlanTally, open_condition

    ids = sorted(set(plan_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = list(
            Plan.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list("pk", flat=True)
        )
        if not chunk:
            continue
        Status = Action.Status
        counts = {
            plan: (total, done, cancelled)
            for plan, total, done, cancelled in Action.objects.filter(finding__plan__in=chunk)
            .values_list("finding__plan_id")
            .annotate(
                total=Count("pk"),
                done=Count("pk", filter=Q(status=Status.DONE)),
                cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            )
            .order_by()
        }
        due = defaultdict(list)
        for plan, on in (
            Action.objects.filter(open_condition(), finding__plan__in=chunk, due_on__isnull=False)
            .values_list("finding__plan_id", "due_on")
            .order_by("due_on")
        ):
            due[plan].append(on.isoformat())
        rows = [
            PlanTally(
                plan_id=plan,
                actions=counts.get(plan, (0, 0, 0))[0],
                done=counts.get(plan, (0, 0, 0))[1],
                cancelled=counts.get(plan, (0, 0, 0))[2],
                open_due=due[plan],
            )
            for plan in chunk
        ]
        PlanTally.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["plan"],
            update_fields=["actions", "done", "cancelled", "open_due"],
        )


def refresh_all() -> None:
    """Every plan's tally (after a bulk load)."""
    from plans.models import Plan

    refresh(Plan.objects.values_list("pk", flat=True))


def refresh_missing(plan_ids: Iterable[int]) -> dict:
    """The stored tallies of these plans by plan id, counting those that have none yet."""
    from plans.models import PlanTally

    ids = set(plan_ids)
    found = {tally.plan_id: tally for tally in PlanTally.objects.filter(plan__in=ids)}
    if ids - found.keys():
        refresh(ids - found.keys())
        found.update({t.plan_id: t for t in PlanTally.objects.filter(plan__in=ids - found.keys())})
    return found


def _action_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _recount(instance.finding.plan_id)


def _action_deleting(sender, instance, **kwargs):
    from plans.models import Finding

    # Read now: after the deletion the finding may be gone too (a plan's or finding's cascade).
    instance._tally_plan = (
        Finding.objects.filter(pk=instance.finding_id).values_list("plan_id", flat=True).first()
    )


def _action_deleted(sender, instance, **kwargs):
    plan = getattr(instance, "_tally_plan", None)
    if plan is not None:
        _recount(plan)


def _plan_deleted(sender, instance, **kwargs):
    from plans.models import PlanTally

    PlanTally.objects.filter(plan=instance.pk).delete()


def connect() -> None:
    from plans.models import Action, Plan

    uid = "plans.tallies"
    post_save.connect(_action_saved, sender=Action, dispatch_uid=f"{uid}-action-save")
    pre_delete.connect(_action_deleting, sender=Action, dispatch_uid=f"{uid}-action-deleting")
    post_delete.connect(_action_deleted, sender=Action, dispatch_uid=f"{uid}-action-delete")
    post_delete.connect(_plan_deleted, sender=Plan, dispatch_uid=f"{uid}-plan-delete")
