"""One rule for "done" and an owner for every action, held by the database.

Before the two constraints are added, every row that breaks them is reported (a logged
warning naming the row, its plan and text) and moved to the safe side, never dropped:
- "done" without 100 % or a completion date: a row at 100 % with a "done" report takes the
  date of its first such report; any other is not shown to be done and goes back to
  "กำลังดำเนินการ" (or "ยังไม่เริ่ม" at 0 %), so the division reports it done with evidence;
- neither a lead division nor "ทุกฝ่าย": marked "ทุกฝ่าย", so that it shows in every
  division's list (rather than in none) until the plan owner names its lead.
The demo data and a fresh database have no such rows; the step then reports nothing.
"""

import logging

from django.db import migrations, models
from django.db.models import Min, Q

log = logging.getLogger("plans.migrations")


def _report(message, *args):
    # A warning reaches the console of `migrate` and the server's log alike.
    log.warning(message, *args)


def _describe(action):
    plan = action.finding.plan
    return f"action {action.pk} ({plan.organization.code}/{plan.fiscal_year}: {action.text[:60]!r})"


def repair(apps, schema_editor):
    Action = apps.get_model("plans", "Action")
    ProgressUpdate = apps.get_model("plans", "ProgressUpdate")
    rows = Action.objects.select_related("finding__plan__organization")
    broken = rows.filter(status="done").filter(~Q(progress=100) | Q(completed_on__isnull=True))
    for action in broken:
        first_done = ProgressUpdate.objects.filter(action=action, status="done").aggregate(
            first=Min("reported_at")
        )["first"]
        if action.progress == 100 and first_done is not None:
            action.completed_on = first_done.date()
            _report(
                "%s: done without a completion date; set to its first done report, %s",
                _describe(action),
                action.completed_on,
            )
        else:
            previous = (action.progress, action.completed_on)
            action.status = "in_progress" if action.progress else "not_started"
            action.completed_on = None
            _report(
                "%s: done at %s%% with completion date %s, not shown to be done; reopened as %s",
                _describe(action),
                *previous,
                action.status,
            )
        action.save(update_fields=["status", "completed_on"])
    for action in rows.filter(lead_division__isnull=True, all_divisions=False):
        _report(
            "%s: no lead division and not for every division; marked for every division",
            _describe(action),
        )
        action.all_divisions = True
        action.save(update_fields=["all_divisions"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_text_limits"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "done"), _negated=True),
                    models.Q(("completed_on__isnull", False), ("progress", 100)),
                    _connector="OR",
                ),
                name="plans_action_done_complete",
            ),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("lead_division__isnull", False), ("all_divisions", True), _connector="OR"
                ),
                name="plans_action_has_responsible",
            ),
        ),
    ]
