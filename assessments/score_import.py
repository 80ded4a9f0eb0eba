"""Take in a score file (long or wide, .xlsx or .csv): every row checked, then all or nothing.

long: one row per score — organization, fiscal_year, item, score
      (Thai headers หน่วยงาน, ปีงบประมาณ, ข้อ, คะแนน are accepted too);
wide: one row per organization — organization, fiscal_year, then one column per item code.

Nothing is written unless every cell is good. Scores are written in bulk with their history,
and the import is recorded (who, when, file name and checksum, counts). A file imported a
second time changes nothing.

Sized for the national file (8,250 agencies × 88 items, about 730,000 scores): the plan holds
tuples, not objects per cell; stored scores are compared and the changes written a chunk of
assessments at a time (on PostgreSQL with COPY), in one transaction. Memory and time grow
linearly with the file (``scripts/bench_national.py`` measures both).
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

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
from plans import dataversions

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
# Scores compared and written this many organizations (assessments) at a time: about 44,000
# scores of a national file, so memory stays flat whatever the file's size.
CHUNK = 500
# Rows per INSERT statement (fewer where the database takes fewer parameters).
INSERT_ROWS = 1000
# On PostgreSQL new scores and history rows go in with COPY (False: INSERT, as elsewhere).
COPY_ON_POSTGRESQL = True


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


class ScoreChange(NamedTuple):
    """One score the import creates or changes (a plain tuple: a national file has 730,000)."""

    organization: str
    fiscal_year: int
    item_code: str
    old: Decimal | None
    new: Decimal


# One organization-and-edition's scores as planned: {item id: (row, score)}.
Group = dict[int, tuple[int, Decimal]]


@dataclass
class ScoreImport:
    table: Table
    shape: str
    created: list[ScoreChange] = field(default_factory=list)
    updated: list[ScoreChange] = field(default_factory=list)
    unchanged: int = 0
    # What the write needs, resolved once: {(organization id, framework id): [(item id, score)]}.
    _writes: dict[tuple[int, int], list[tuple[int, Decimal]]] = field(
        default_factory=dict, repr=False
    )
    # Set by apply_import: the assessments whose scores it wrote, and their (organization id,
    # fiscal year) pairs — what has to be refreshed after an import.
    touched_assessments: set[int] = field(default_factory=set, repr=False)
    touched_organization_years: set[tuple[int, int]] = field(default_factory=set, repr=False)

    @property
    def rows(self) -> int:
        return len(self.table.rows)


def _shape(table: Table) -> tuple[str, list[str]]:
    """Return the file's shape and its item columns; refuse a file without the key columns."""
    headers = set(table.headers)
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
    return shape, item_columns


def _keyed_rows(table: Table, errors: ErrorList) -> list[tuple[int, str, int, dict]]:
    """(row, organization code, fiscal year, values) of every row whose keys read; an error
    for each row whose organization code or year does not."""
    rows = []
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
        rows.append((row, organization, int(year_text), values))
    return rows


def _cells(
    shape: str, item_columns: list[str], rows
) -> Iterator[tuple[int, str, int, str, str, object]]:
    """(row, organization, fiscal year, column, item code, value) of every score cell."""
    columns = [(column, column.upper()) for column in item_columns]
    for row, organization, year, values in rows:
        if shape == "long":
            yield row, organization, year, "score", _key(values["item"]).upper(), values["score"]
            continue
        for column, code in columns:
            value = values.get(column, "")
            if value != "":
                yield row, organization, year, code, code, value


def _assessment_ids(keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Return {(organization id, framework id): assessment id} for the pairs that exist."""
    found = (
        Assessment.objects.filter(
            organization_id__in={organization for organization, _ in keys},
            framework_id__in={framework for _, framework in keys},
        )
        .order_by()
        .values_list("organization_id", "framework_id", "id")
    )
    return {(o, f): pk for o, f, pk in found if (o, f) in keys}


class _Numbers:
    """Every distinct value of a file read once: a national file holds 730,000 scores but
    only some ten thousand different ones. The same text gives the same Decimal object, so
    the plan holds one Decimal per distinct score, not one per cell."""

    def __init__(self):
        self._known: dict[object, tuple[Decimal | None, str | None]] = {}

    def read(self, value: object) -> tuple[Decimal | None, str | None]:
        """(score, None) for a good score, (None, why not) for any other value."""
        # Only text, whole numbers and decimals are remembered: True == 1 and 90.0 == 90 as
        # keys, but not as what was typed.
        cached = type(value) in (str, int, Decimal)
        if cached and (found := self._known.get(value)) is not None:
            return found
        if not isinstance(value, str | int | float | Decimal):
            # A workbook cell formatted as a date or time is not a score.
            value = text_of(value)
        try:
            score = parse_number(value)
        except ThaiNumberError as error:
            found = (None, str(error))
        else:
            problem = score_problem(score)
            found = (None, problem) if problem else (score, None)
        if cached:
            self._known[value] = found
        return found


def plan_import(table: Table) -> ScoreImport:
    """Check every cell against the database; return the changes, or raise TableError."""
    shape, item_columns = _shape(table)
    errors = ErrorList()
    rows = _keyed_rows(table, errors)
    organizations = dict(
        Organization.objects.filter(code__in={code for _, code, _, _ in rows}).values_list(
            "code", "id"
        )
    )
    frameworks: dict[int, list[int]] = {}
    for year, pk in Framework.objects.filter(
        fiscal_year__in={year for _, _, year, _ in rows}
    ).values_list("fiscal_year", "id"):
        frameworks.setdefault(year, []).append(pk)
    items = {
        (framework_id, code): (pk, kind == Item.Kind.CHECKLIST)
        for pk, framework_id, code, kind in Item.objects.filter(
            framework_id__in=[pk for pks in frameworks.values() for pk in pks]
        ).values_list("id", "framework_id", "code", "kind")
    }

    numbers = _Numbers()
    # {(organization id, framework id): {item id: (row, score)}}; an item id belongs to one
    # framework, so an (organization, item) pair is found under one key only.
    groups: dict[tuple[int, int], Group] = {}
    for row, organization, year, column, item_code, value in _cells(shape, item_columns, rows):
        organization_id = organizations.get(organization)
        if organization_id is None:
            errors.append(
                CellError(
                    gettext("ไม่มีหน่วยงานรหัส %(code)s") % {"code": organization},
                    row,
                    "organization",
                )
            )
            continue
        year_frameworks = frameworks.get(year, [])
        if len(year_frameworks) != 1:
            message = (
                gettext("ยังไม่มีชุดการประเมินของปีงบประมาณ %(year)s") % {"year": year}
                if not year_frameworks
                else gettext("ปีงบประมาณ %(year)s มีชุดการประเมินมากกว่าหนึ่งชุด") % {"year": year}
            )
            errors.append(CellError(message, row, "fiscal_year"))
            continue
        framework_id = year_frameworks[0]
        found = items.get((framework_id, item_code))
        if found is None:
            errors.append(
                CellError(
                    gettext("ไม่มีข้อ %(code)s ในชุดการประเมินปี %(year)s")
                    % {"code": item_code, "year": year},
                    row,
                    column if shape == "wide" else "item",
                )
            )
            continue
        item_id, checklist = found
        score, problem = numbers.read(value)
        if problem:
            errors.append(CellError(problem, row, column))
            continue
        if checklist and score not in (0, 100):
            errors.append(
                CellError(
                    gettext("ข้อ %(code)s เป็นข้อ OIT ได้ 0 หรือ 100 เท่านั้น (ได้ %(score)s)")
                    % {"code": item_code, "score": score},
                    row,
                    column,
                )
            )
            continue
        group = groups.setdefault((organization_id, framework_id), {})
        first = group.get(item_id)
        if first is None:
            group[item_id] = (row, score)
        elif first[1] != score:
            errors.append(
                CellError(
                    gettext(
                        "หน่วยงาน %(organization)s ข้อ %(code)s มีสองคะแนน: "
                        "%(first)s ในแถว %(row)s และ %(score)s ในแถวนี้"
                    )
                    % {
                        "organization": organization,
                        "code": item_code,
                        "first": first[1],
                        "row": first[0],
                        "score": score,
                    },
                    row,
                    column,
                )
            )
    if errors:
        raise TableError(errors, table.name)
    return _compare(table, shape, groups, organizations, frameworks, items)


def _compare(table, shape, groups, organizations, frameworks, items) -> ScoreImport:
    """Sort the good scores into created, updated and unchanged against what is stored,
    reading the stored scores a chunk of assessments at a time."""
    codes = {pk: code for code, pk in organizations.items()}
    years = {pk: year for year, pks in frameworks.items() for pk in pks}
    item_codes = {pk: code for (_, code), (pk, _) in items.items()}
    result = ScoreImport(table=table, shape=shape)
    existing = _assessment_ids(set(groups))
    keys = list(groups)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        stored: dict[int, dict[int, Decimal]] = {}
        for assessment_id, item_id, score in (
            ItemScore.objects.filter(
                assessment_id__in=[existing[key] for key in chunk if key in existing]
            )
            .order_by()
            .values_list("assessment_id", "item_id", "score")
        ):
            stored.setdefault(assessment_id, {})[item_id] = score
        for key in chunk:
            old_scores = stored.get(existing.get(key), {})
            organization, year = codes[key[0]], years[key[1]]
            writes = []
            for item_id, (_, score) in groups.pop(key).items():
                old = old_scores.get(item_id)
                if old == score:
                    result.unchanged += 1
                    continue
                change = ScoreChange(organization, year, item_codes[item_id], old, score)
                (result.created if old is None else result.updated).append(change)
                writes.append((item_id, score))
            if writes:
                result._writes[key] = writes
    return result


def _insert(cursor, table: str, columns: list[str], rows: list[tuple], returning: str = ""):
    """INSERT ``rows`` in statements of many rows each; with ``returning``, the new ids in
    the rows' order (as Django's bulk_create relies on)."""
    limit = connection.features.max_query_params or 65_535
    size = max(1, min(INSERT_ROWS, limit // len(columns)))
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    tail = f" RETURNING {returning}" if returning else ""
    ids = []
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        cursor.execute(
            head + ", ".join([one] * len(batch)) + tail,
            [value for row in batch for value in row],
        )
        if returning:
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _copy(cursor, table: str, columns: list[str], text: str) -> None:
    """PostgreSQL: COPY rows in (text format: tab-separated, one per line, \\N for null),
    several times faster than INSERT for many rows."""
    sql, driver = f"COPY {table} ({', '.join(columns)}) FROM STDIN", cursor.cursor
    if hasattr(driver, "copy_expert"):  # psycopg2
        driver.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with driver.copy(sql) as copy:
            copy.write(text)


def _new_ids(cursor, table: str, count: int) -> list[int]:
    """PostgreSQL: ``count`` ids drawn from the table's id sequence, for rows to COPY in."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _write_new(
    cursor, table: str, columns: list[str], rows: list[tuple], copies: bool
) -> list[int]:
    """Insert new scores (assessment id, item id, score); return their ids in order."""
    if not rows:
        return []
    if not copies:
        return _insert(cursor, table, columns, rows, returning=connection.ops.quote_name("id"))
    ids = _new_ids(cursor, ItemScore._meta.db_table, len(rows))
    text = "".join(f"{pk}\t{a}\t{i}\t{s}\n" for pk, (a, i, s) in zip(ids, rows, strict=True))
    _copy(cursor, table, [connection.ops.quote_name("id"), *columns], text)
    return ids


def _write_history(
    cursor, table: str, columns: list[str], rows: list[tuple], stamp: tuple, copies: bool
) -> None:
    """Insert history rows: ``rows`` of (id, assessment id, item id, score, history type),
    each with the same ``stamp`` (history date, change reason, user id)."""
    if not rows:
        return
    if not copies:
        _insert(cursor, table, columns, [(*row, *stamp) for row in rows])
        return
    date, reason, user = ("\\N" if value is None else value for value in stamp)
    text = "".join(
        f"{pk}\t{a}\t{i}\t{s}\t{kind}\t{date}\t{reason}\t{user}\n" for pk, a, i, s, kind in rows
    )
    _copy(cursor, table, columns, text)


def _history_user_id(user) -> int | None:
    """The user the history rows name, as simple-history would pick them."""
    if user is None:
        user = ItemScore.history.model.get_default_history_user(None)
    return getattr(user, "pk", None)


@transaction.atomic
def apply_import(plan: ScoreImport, user=None) -> tuple[int, int]:
    """Write the planned changes, with history; return (created, updated).

    The scores are written a chunk of assessments at a time (stored rows locked, new rows
    inserted many to a statement, their history rows likewise), all in one transaction: a
    national file of 730,000 scores never holds more than a chunk's rows at once.
    """
    keys = set(plan._writes)
    assessments = _assessment_ids(keys)
    missing = [key for key in keys if key not in assessments]
    if missing:
        Assessment.objects.bulk_create(
            [Assessment(organization_id=o, framework_id=f) for o, f in missing],
            batch_size=INSERT_ROWS,
        )
        assessments.update(_assessment_ids(set(missing)))
    history = ItemScore.history.model
    quote = connection.ops.quote_name
    score_table, history_table = quote(ItemScore._meta.db_table), quote(history._meta.db_table)
    history_columns = [
        quote(column)
        for column in (
            "id",
            "assessment_id",
            "item_id",
            "score",
            "history_type",
            "history_date",
            "history_change_reason",
            "history_user_id",
        )
    ]
    # One moment and one user for the whole file, as one import is one change.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    copies = COPY_ON_POSTGRESQL and connection.vendor == "postgresql"
    user_id = _history_user_id(user)
    ordered = sorted(keys, key=assessments.__getitem__)
    created = updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            stored = {
                (assessment_id, item_id): (pk, score)
                for pk, assessment_id, item_id, score in ItemScore.objects.select_for_update()
                .filter(assessment_id__in=[assessments[key] for key in chunk])
                .order_by()
                .values_list("id", "assessment_id", "item_id", "score")
            }
            new, changed = [], []
            for key in chunk:
                assessment_id = assessments[key]
                for item_id, score in plan._writes[key]:
                    found = stored.get((assessment_id, item_id))
                    if found is None:
                        new.append((assessment_id, item_id, score))
                    elif found[1] != score:
                        changed.append((found[0], assessment_id, item_id, score))
                    else:
                        continue
                    plan.touched_assessments.add(assessment_id)
            ids = _write_new(
                cursor,
                score_table,
                [quote("assessment_id"), quote("item_id"), quote("score")],
                new,
                copies,
            )
            if changed:
                cursor.executemany(
                    f"UPDATE {score_table} SET {quote('score')} = %s WHERE {quote('id')} = %s",
                    [(score, pk) for pk, _, _, score in changed],
                )
            _write_history(
                cursor,
                history_table,
                history_columns,
                [(pk, a, i, s, "+") for pk, (a, i, s) in zip(ids, new, strict=True)]
                + [(pk, a, i, s, "~") for pk, a, i, s in changed],
                (now, None, user_id),
                copies,
            )
            created += len(new)
            updated += len(changed)
    years = dict(
        Framework.objects.filter(pk__in={f for _, f in keys}).values_list("id", "fiscal_year")
    )
    plan.touched_organization_years = {
        (organization_id, years[framework_id])
        for organization_id, framework_id in keys
        if assessments[(organization_id, framework_id)] in plan.touched_assessments
    }
    # The bulk writes above send no signals: the dashboards' data versions are counted here.
    dataversions.touch(plan.touched_organization_years)
    summaries.refresh(plan.touched_assessments)  # the overview's stored totals and levels
    return created, updated


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
