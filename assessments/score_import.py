"""Take in a score file (long or wide, .xlsx or .csv): every row checked, then all or nothing.

long: one row per score — organization, fiscal_year, item, score
      (Thai headers หน่วยงาน, ปีงบประมาณ, ข้อ, คะแนน are accepted too);
wide: one row per organization — organization, fiscal_year, then one column per item code.

Nothing is written unless every cell is good. Scores are written in bulk with their history,
and the import is recorded (who, when, file name and checksum, counts). A file imported a
second time changes nothing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments import summaries
from assessments.models import (
    Assessment,
    Framework,
    ImportRecord,
    Item,
    ItemScore,
    Organization,
    organization_code_problem,
)
from assessments.tables import CellError, ErrorList, Table, TableError, read_table, text_of
from assessments.thaidates import ThaiNumberError, normalize_digits, parse_number, short_number

ALIASES = {
    "หน่วยงาน": "organization",
    "รหัสหน่วยงาน": "organization",
    "ปีงบประมาณ": "fiscal_year",
    "ปี": "fiscal_year",
    "ข้อ": "item",
    "รหัสข้อ": "item",
    "คะแนน": "score",
}
LONG = ("organization", "fiscal_year", "item", "score")
ITEM_COLUMN = re.compile(r"^[ieo]\d{1,3}$")
HUNDREDTH = Decimal("0.01")


def score_problem(score: Decimal) -> str | None:
    """Why a number cannot be stored as a score (0–100, two decimals), or None if it can."""
    if not 0 <= score <= 100:
        return gettext("คะแนน %(score)s ต้องอยู่ระหว่าง 0 ถึง 100") % {"score": score}
    if score != score.quantize(HUNDREDTH):
        # The database keeps two places: a third would be rounded away on every import.
        return gettext("คะแนน %(score)s มีทศนิยมเกิน 2 ตำแหน่ง — ปัดเป็น 2 ตำแหน่ง") % {"score": score}
    return None


def _key(value: object) -> str:
    """A code or a year as typed, with Thai digits read as digits."""
    return normalize_digits(text_of(value))


@dataclass(frozen=True)
class Cell:
    row: int
    column: str
    organization: str
    fiscal_year: int
    item_code: str
    value: object


@dataclass
class ScoreChange:
    organization: str
    fiscal_year: int
    item_code: str
    old: Decimal | None
    new: Decimal


@dataclass
class ScoreImport:
    table: Table
    shape: str
    created: list[ScoreChange] = field(default_factory=list)
    updated: list[ScoreChange] = field(default_factory=list)
    unchanged: int = 0
    # What the write needs, resolved once.
    _scores: list[tuple[tuple[int, int], int, Decimal]] = field(default_factory=list, repr=False)

    @property
    def rows(self) -> int:
        return len(self.table.rows)


def _cells(table: Table) -> tuple[str, list[Cell], ErrorList]:
    """Return the file's shape and one Cell per score, with errors for bad keys."""
    headers = set(table.headers)
    errors = ErrorList()
    missing = [column for column in ("organization", "fiscal_year") if column not in headers]
    item_columns = [h for h in table.headers if ITEM_COLUMN.match(h)]
    if {"item", "score"} <= headers:
        shape = "long"
    elif item_columns:
        shape = "wide"
    else:
        shape = "long"
        missing += [column for column in ("item", "score") if column not in headers]
    if missing:
        names = ", ".join(missing)
        raise TableError(
            [CellError(gettext("ไม่มีคอลัมน์ %(names)s (missing column)") % {"names": names}, row=1)],
            table.name,
        )

    cells = []
    for row, values in table.rows:
        organization = _key(values["organization"])
        year_text = _key(values["fiscal_year"])
        if not organization:
            errors.append(CellError(gettext("ไม่ได้ระบุรหัสหน่วยงาน"), row, "organization"))
            continue
        if problem := organization_code_problem(organization):
            errors.append(CellError(problem, row, "organization"))
            continue
        if short_number(year_text) is None:
            errors.append(
                CellError(
                    gettext('ปีงบประมาณ "%(year)s" ต้องเป็นปี พ.ศ. เช่น 2564') % {"year": year_text},
                    row,
                    "fiscal_year",
                )
            )
            continue
        if shape == "long":
            code = _key(values["item"]).upper()
            cells.append(Cell(row, "score", organization, int(year_text), code, values["score"]))
        else:
            for column in item_columns:
                if values.get(column, "") != "":
                    cells.append(
                        Cell(
                            row,
                            column.upper(),
                            organization,
                            int(year_text),
                            column.upper(),
                            values[column],
                        )
                    )
    return shape, cells, errors


def _assessment_ids(keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Return {(organization id, framework id): assessment id} for the pairs that exist."""
    found = Assessment.objects.filter(
        organization_id__in={organization for organization, _ in keys},
        framework_id__in={framework for _, framework in keys},
    ).values_list("organization_id", "framework_id", "id")
    return {(o, f): pk for o, f, pk in found if (o, f) in keys}


def plan_import(table: Table) -> ScoreImport:
    """Check every cell against the database; return the changes, or raise TableError."""
    shape, cells, errors = _cells(table)
    organizations = dict(
        Organization.objects.filter(code__in={c.organization for c in cells}).values_list(
            "code", "id"
        )
    )
    frameworks: dict[int, list[int]] = {}
    for year, pk in Framework.objects.filter(
        fiscal_year__in={c.fiscal_year for c in cells}
    ).values_list("fiscal_year", "id"):
        frameworks.setdefault(year, []).append(pk)
    items = {
        (framework_id, code): (pk, kind)
        for pk, framework_id, code, kind in Item.objects.filter(
            framework_id__in=[pk for pks in frameworks.values() for pk in pks]
        ).values_list("id", "framework_id", "code", "kind")
    }

    good: dict[tuple[int, int], tuple[Cell, int, Decimal]] = {}
    for cell in cells:
        column = cell.column if shape == "wide" else "item"
        if cell.organization not in organizations:
            errors.append(
                CellError(
                    gettext("ไม่มีหน่วยงานรหัส %(code)s") % {"code": cell.organization},
                    cell.row,
                    "organization",
                )
            )
            continue
        year_frameworks = frameworks.get(cell.fiscal_year, [])
        if len(year_frameworks) != 1:
            message = (
                gettext("ยังไม่มีชุดการประเมินของปีงบประมาณ %(year)s") % {"year": cell.fiscal_year}
                if not year_frameworks
                else gettext("ปีงบประมาณ %(year)s มีชุดการประเมินมากกว่าหนึ่งชุด")
                % {"year": cell.fiscal_year}
            )
            errors.append(CellError(message, cell.row, "fiscal_year"))
            continue
        framework_id = year_frameworks[0]
        found = items.get((framework_id, cell.item_code))
        if found is None:
            errors.append(
                CellError(
                    gettext("ไม่มีข้อ %(code)s ในชุดการประเมินปี %(year)s")
                    % {"code": cell.item_code, "year": cell.fiscal_year},
                    cell.row,
                    column,
                )
            )
            continue
        item_id, kind = found
        column = cell.column if shape == "wide" else "score"
        value = cell.value
        if not isinstance(value, str | int | float | Decimal):
            # A workbook cell formatted as a date or time is not a score.
            value = text_of(value)
        try:
            score = parse_number(value)
        except ThaiNumberError as error:
            errors.append(CellError(str(error), cell.row, column))
            continue
        if problem := score_problem(score):
            errors.append(CellError(problem, cell.row, column))
            continue
        if kind == Item.Kind.CHECKLIST and score not in (0, 100):
            errors.append(
                CellError(
                    gettext("ข้อ %(code)s เป็นข้อ OIT ได้ 0 หรือ 100 เท่านั้น (ได้ %(score)s)")
                    % {"code": cell.item_code, "score": score},
                    cell.row,
                    column,
                )
            )
            continue
        key = (organizations[cell.organization], item_id)
        if key in good:
            first, _, first_score = good[key]
            if first_score != score:
                errors.append(
                    CellError(
                        gettext(
                            "หน่วยงาน %(organization)s ข้อ %(code)s มีสองคะแนน: "
                            "%(first)s ในแถว %(row)s และ %(score)s ในแถวนี้"
                        )
                        % {
                            "organization": cell.organization,
                            "code": cell.item_code,
                            "first": first_score,
                            "row": first.row,
                            "score": score,
                        },
                        cell.row,
                        column,
                    )
                )
            continue
        good[key] = (cell, framework_id, score)
    if errors:
        raise TableError(errors, table.name)

    existing_assessments = _assessment_ids(
        {
            (organization_id, framework_id)
            for (organization_id, _), (_, framework_id, _) in good.items()
        }
    )
    existing_scores = {
        (assessment_id, item_id): score
        for assessment_id, item_id, score in ItemScore.objects.filter(
            assessment_id__in=existing_assessments.values()
        ).values_list("assessment_id", "item_id", "score")
    }
    result = ScoreImport(table=table, shape=shape)
    for (organization_id, item_id), (cell, framework_id, score) in good.items():
        assessment_id = existing_assessments.get((organization_id, framework_id))
        old = existing_scores.get((assessment_id, item_id)) if assessment_id else None
        change = ScoreChange(cell.organization, cell.fiscal_year, cell.item_code, old, score)
        if old is None:
            result.created.append(change)
        elif old != score:
            result.updated.append(change)
        else:
            result.unchanged += 1
            continue
        result._scores.append(((organization_id, framework_id), item_id, score))
    return result


@transaction.atomic
def apply_import(plan: ScoreImport, user=None) -> tuple[int, int]:
    """Write the planned changes in bulk, with history; return (created, updated)."""
    keys = {key for key, _, _ in plan._scores}
    assessments = _assessment_ids(keys)
    missing = [key for key in keys if key not in assessments]
    if missing:
        Assessment.objects.bulk_create(
            [Assessment(organization_id=o, framework_id=f) for o, f in missing]
        )
        assessments.update(_assessment_ids(set(missing)))
    existing = {
        (score.assessment_id, score.item_id): score
        for score in ItemScore.objects.select_for_update().filter(
            assessment_id__in=assessments.values()
        )
    }
    new, changed = [], []
    for key, item_id, value in plan._scores:
        assessment_id = assessments[key]
        score = existing.get((assessment_id, item_id))
        if score is None:
            new.append(ItemScore(assessment_id=assessment_id, item_id=item_id, score=value))
        elif score.score != value:
            score.score = value
            changed.append(score)
    if new:
        bulk_create_with_history(new, ItemScore, batch_size=1000, default_user=user)
    if changed:
        bulk_update_with_history(changed, ItemScore, ["score"], batch_size=1000, default_user=user)
    summaries.refresh(assessments.values())  # the overview's stored totals and levels
    return len(new), len(changed)


def import_scores(data: bytes, name: str, *, user=None, dry_run: bool = False) -> ScoreImport:
    """Read, check and (unless dry_run) write a score file; raise TableError on any bad cell."""
    plan = plan_import(read_table(data, name, ALIASES))
    if not dry_run:
        with transaction.atomic():
            created, updated = apply_import(plan, user)
            ImportRecord.record(
                ImportRecord.Kind.SCORES,
                plan.table,
                user,
                rows=plan.rows,
                created=created,
                updated=updated,
                unchanged=plan.unchanged,
            )
    return plan
