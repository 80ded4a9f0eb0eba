"""Read a district's plan, in the official seven-column layout, into findings and actions.

All rows are read and checked first; nothing is written unless every row is good. Findings
are keyed by item and actions by their place under the finding, so loading the same file
again changes nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.loaders import Counts, table_rows, upsert
from assessments.models import Assessment, Item, Organization
from assessments.tables import CellError, ErrorList, Table, TableError, read_table
from plans import dataversions, tallies
from plans.division_names import normalise_division_name
from plans.documents import planrows
from plans.models import Action, Division, Finding, Plan


@transaction.atomic
def load_divisions(organization: Organization, names: list[str]) -> int:
    """Create or reorder an organization's divisions; return how many there are."""
    for order, name in enumerate(names, start=1):
        upsert(
            Division,
            {"organization": organization, "name": normalise_division_name(name)},
            {"order": order},
        )
    return organization.divisions.count()


def read_plan_table(data: bytes, name: str) -> Table:
    """Read a plan file; a title above the table is skipped."""
    return read_table(data, name, is_header=planrows.is_header_row)


def plan_rows(table: Table) -> list[planrows.PlanRow]:
    """Return the table's rows as PlanRows, or raise TableError listing every bad cell."""
    errors, parsed = ErrorList(), []
    # The row a continuation row adds its action to; None after a section heading. After a
    # bad first row its continuation rows are skipped: the first row's error says it all.
    previous, broken = None, False
    for line, values in table_rows(table):
        standard = {}
        for header, value in values.items():
            column = planrows.column_for(header)
            if column:
                standard[column] = value
        if planrows.is_section_row(standard):
            previous, broken = None, False
            continue
        if broken and planrows.is_continuation_row(standard):
            continue
        try:
            row = planrows.parse_plan_row(standard, line, continues=previous)
        except planrows.RowError as error:
            errors.append(error)
            previous, broken = None, True
            continue
        parsed.append(row)
        previous, broken = row, False
    if errors:
        raise TableError(errors, table.name)
    return parsed


def _check_item(plan: Plan, row: planrows.PlanRow, items: dict, seen: dict, errors) -> None:
    if row.item_code not in items:
        errors.append(
            CellError(
                _("ไม่มีข้อ %(item)s ในชุดการประเมินปี %(year)s")
                % {"item": row.item_code, "year": plan.assessment.framework.fiscal_year},
                row.row,
                planrows.ITEM,
            )
        )
    elif row.item_code in seen:
        errors.append(
            CellError(
                _("ข้อ %(item)s ซ้ำกับแถว %(row)s")
                % {"item": row.item_code, "row": seen[row.item_code]},
                row.row,
                planrows.ITEM,
            )
        )
    seen.setdefault(row.item_code, row.row)


def _resolve(plan: Plan, rows: list[planrows.PlanRow]):
    """Match item codes and division names to the database, or raise TableError."""
    items = {item.code: item for item in Item.objects.filter(framework=plan.assessment.framework)}
    divisions = {division.name: division for division in plan.organization.divisions.all()}
    errors, seen = ErrorList(), {}
    for row in rows:
        # A continuation row repeats the item of the row above it: not a second finding.
        if not row.continued:
            _check_item(plan, row, items, seen, errors)
        for name in row.responsible.names:
            if name not in divisions:
                errors.append(
                    CellError(
                        _("ไม่มี%(division)sใน%(organization)s")
                        % {"division": name, "organization": plan.organization.name_th},
                        row.row,
                        planrows.RESPONSIBLE,
                    )
                )
    if errors:
        raise TableError(errors, "plan")
    return items, divisions


@transaction.atomic
@dataversions.batch()  # one count for the whole workbook
@tallies.batch()
def load_plan(plan: Plan, table: Table) -> dict[str, Counts]:
    """Load the plan rows of a table into ``plan``; return counts per kind of row."""
    rows = plan_rows(table)
    items, divisions = _resolve(plan, rows)
    counts = {"findings": Counts(), "actions": Counts()}
    order = 0
    for row in rows:
        # A continuation row adds its actions to the finding of the rows above it.
        if not row.continued:
            order += 1
            action_order = 0
            finding, created, changed = upsert(
                Finding,
                {"plan": plan, "item": items[row.item_code]},
                {"analysis": row.analysis, "issues": row.issues, "order": order},
            )
            counts["findings"].add(created, changed, [row.item_code, "ประเด็น", row.issues[:80]])
        responsible = row.responsible
        starts_on, due_on = row.window or (None, None)
        for text in row.actions:
            action_order += 1
            action, created, changed = upsert(
                Action,
                {"finding": finding, "order": action_order},
                {
                    "text": text,
                    "lead_division": divisions.get(responsible.lead),
                    "all_divisions": responsible.all_divisions,
                    "starts_on": starts_on,
                    "due_on": due_on,
                    "follow_up_method": row.follow_up_method,
                },
            )
            others = {divisions[name].pk for name in responsible.others}
            if set(action.divisions.values_list("pk", flat=True)) != others:
                action.divisions.set(others)
                changed = True
            counts["actions"].add(created, changed, [row.item_code, "การปรับปรุง", text[:80]])
    return counts


def ensure_plan(
    organization: Organization, fiscal_year: int, assessment: Assessment, title: str, status: str
) -> Plan:
    plan, _, _ = upsert(
        Plan,
        {"organization": organization, "fiscal_year": fiscal_year},
        {"assessment": assessment, "title": title, "status": status},
    )
    return plan
