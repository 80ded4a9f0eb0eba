"""Read the catalog and score files kept under ``fixtures/`` into the database.

The files use the row formats admins import: a framework (``framework.toml`` + ``items.csv``),
long score files (organization, fiscal_year, item, score) and reported figures. Every loader
reads and checks all its rows first and writes nothing if any row is wrong; a second run
with the same file changes nothing.
"""

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext

from assessments.models import (
    Assessment,
    Framework,
    ImportRecord,
    Indicator,
    Item,
    LevelBand,
    Organization,
    ReportedScore,
    Tool,
    organization_code_problem,
)
from assessments.score_import import import_scores, score_problem
from assessments.tables import CellError, ErrorList, Table, TableError, read_table, text_of
from assessments.thaidates import ThaiNumberError, normalize_digits, parse_number, short_number


def table_rows(table: Table) -> list[tuple[int, dict[str, str]]]:
    """Return (spreadsheet row number, {header: text}) for every row of a table."""
    return [(line, {key: text_of(value) for key, value in row.items()}) for line, row in table.rows]


def read_file(path: Path, aliases: dict[str, str] | None = None, is_header=None) -> Table:
    return read_table(path.read_bytes(), path.name, aliases, is_header)


def require_columns(table: Table, columns: tuple[str, ...]) -> None:
    missing = [column for column in columns if column not in table.headers]
    if missing:
        raise TableError(
            [CellError(gettext("ไม่มีคอลัมน์ %(names)s") % {"names": ", ".join(missing)}, row=1)],
            table.name,
        )


@dataclass
class Counts:
    """What an import did (or, in a dry run, would do), and the rows it changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.changes + other.changes,
        )

    def add(self, created: bool, changed: bool, label: list[str] | None = None) -> None:
        """Count one row; ``label`` describes it in the preview of a changing import."""
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1
        if changed and label is not None:
            self.changes.append(("new" if created else "update", label))


def record_import(kind: str, table: Table, user, counts: Counts) -> ImportRecord:
    """Record one file taken in: its name and checksum, who, and what it changed."""
    return ImportRecord.record(
        kind,
        table,
        user,
        rows=len(table.rows),
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
    )


def upsert(model, lookup: dict, values: dict):
    """Create or update one row by its natural key; return (object, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, False, bool(changed)


@transaction.atomic
def load_framework(directory: Path) -> Framework:
    """Create or update a framework from ``framework.toml`` and ``items.csv`` in a folder."""
    with (directory / "framework.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    framework, _, _ = upsert(
        Framework,
        {"fiscal_year": spec["fiscal_year"], "name": spec["name"]},
        {
            "pass_mark": Decimal(spec["pass_mark"]),
            "issuer": spec.get("issuer", ""),
            "description": spec.get("description", ""),
        },
    )
    for band in spec["bands"]:
        upsert(
            LevelBand,
            {"framework": framework, "label": band["label"]},
            {"min_score": Decimal(band["min_score"])},
        )
    kinds = {}
    for order, tool in enumerate(spec["tools"]):
        upsert(
            Tool,
            {"framework": framework, "code": tool["code"]},
            {"name": tool["name"], "weight": Decimal(tool["weight"]), "order": order},
        )
        kinds[tool["code"]] = tool.get("item_kind", Item.Kind.SURVEY)
    tools = {tool.code: tool for tool in framework.tools.all()}
    for indicator in spec["indicators"]:
        upsert(
            Indicator,
            {"framework": framework, "number": indicator["number"]},
            {
                "tool": tools[indicator["tool"]],
                "name": indicator["name"],
                "weight": Decimal(indicator["weight"]),
            },
        )
    import_items(read_file(directory / "items.csv"), kinds)
    return framework


ITEM_CODE = re.compile(r"^[IEO]\d{1,3}$")


def _framework_of_year(text: str, line: int, errors: ErrorList, found: dict):
    """The one framework of a fiscal year typed in a cell, or None with an error added."""
    year = short_number(text)
    if year not in found:
        frameworks = list(Framework.objects.filter(fiscal_year=year)) if year else []
        found[year] = frameworks[0] if len(frameworks) == 1 else None
    if found[year] is None:
        errors.append(
            CellError(
                gettext("ยังไม่มีชุดการประเมินของปีงบประมาณ %(year)s") % {"year": text},
                line,
                "fiscal_year",
            )
        )
    return found[year]


@transaction.atomic
def import_items(table: Table, kinds: dict[str, str] | None = None) -> Counts:
    """Create or update the items of a catalog file: fiscal_year, indicator, item, name, text.

    An item keeps its kind; a new one takes the kind of its tool's items (or ``kinds``, by
    tool code, for a framework that has none yet). Items are ordered as in the file.
    """
    require_columns(table, ("fiscal_year", "indicator", "item", "text"))
    errors, frameworks, parsed, seen = ErrorList(), {}, [], {}
    for line, row in table_rows(table):
        framework = _framework_of_year(row["fiscal_year"], line, errors, frameworks)
        if framework is None:
            continue
        number = short_number(row["indicator"])
        indicator = framework.indicators.filter(number=number).first() if number else None
        if indicator is None:
            errors.append(
                CellError(
                    gettext("ไม่มีตัวชี้วัดที่ %(number)s") % {"number": row["indicator"]},
                    line,
                    "indicator",
                )
            )
        code = normalize_digits(row["item"]).upper().replace(" ", "")
        if not ITEM_CODE.match(code):
            errors.append(
                CellError(
                    gettext("รหัสข้อ '%(code)s' ต้องเป็นเช่น I1, E5, O43") % {"code": row["item"]},
                    line,
                    "item",
                )
            )
        elif (framework.pk, code) in seen:
            errors.append(
                CellError(
                    gettext("ข้อ %(code)s ซ้ำกับแถว %(row)s")
                    % {"code": code, "row": seen[framework.pk, code]},
                    line,
                    "item",
                )
            )
        seen.setdefault((framework.pk, code), line)
        if not row["text"]:
            errors.append(CellError(gettext("ต้องมีข้อความของข้อ"), line, "text"))
        parsed.append((framework, indicator, code, row))
    if errors:
        raise TableError(errors, table.name)
    counts, order = Counts(), {}
    for framework, indicator, code, row in parsed:
        order[framework.pk] = order.get(framework.pk, 0) + 1
        existing = Item.objects.filter(framework=framework, code=code).first()
        sibling = Item.objects.filter(framework=framework, indicator__tool=indicator.tool).first()
        kind = (existing or sibling).kind if existing or sibling else None
        _, created, changed = upsert(
            Item,
            {"framework": framework, "code": code},
            {
                "indicator": indicator,
                "name": row.get("name", ""),
                "text": row["text"],
                "order": order[framework.pk],
                "kind": kind or (kinds or {}).get(indicator.tool.code, Item.Kind.SURVEY),
            },
        )
        counts.add(created, changed, [str(framework.fiscal_year), code, row.get("name", "")])
    return counts


def load_item_scores(path: Path) -> Counts:
    """Load a score file through the score importer (long or wide, .csv or .xlsx)."""
    result = import_scores(path.read_bytes(), path.name)
    return Counts(len(result.created), len(result.updated), result.unchanged)


REPORTED_COLUMNS = ("organization", "fiscal_year", "scope", "target", "value", "basis")


def _reported_target(framework: Framework, scope: str, target: str) -> dict | None:
    """The lookup of a reported figure's target within its framework, or None if unknown."""
    target = normalize_digits(target).strip()
    if scope == ReportedScore.Scope.ITEM:
        item = framework.items.filter(code=target.upper()).first()
        return {"item": item} if item else None
    if scope == ReportedScore.Scope.INDICATOR:
        number = short_number(target)
        found = framework.indicators.filter(number=number).first() if number else None
        return {"indicator": found} if found else None
    if scope == ReportedScore.Scope.TOOL:
        tool = framework.tools.filter(code=target.upper()).first()
        return {"tool": tool} if tool else None
    return {}


@transaction.atomic
def import_reported(table: Table) -> Counts:
    """Create or update officially printed figures (scope item / indicator / tool / total)."""
    require_columns(table, REPORTED_COLUMNS)
    organizations = dict(Organization.objects.values_list("code", "pk"))
    errors, frameworks, parsed = ErrorList(), {}, []
    for line, row in table_rows(table):
        code = normalize_digits(row["organization"])
        if problem := organization_code_problem(code):
            errors.append(CellError(problem, line, "organization"))
        elif code not in organizations:
            errors.append(
                CellError(gettext("ไม่มีหน่วยงานรหัส %(code)s") % {"code": code}, line, "organization")
            )
        framework = _framework_of_year(row["fiscal_year"], line, errors, frameworks)
        scope, basis = row["scope"].lower(), row["basis"].lower()
        if scope not in ReportedScore.Scope.values:
            allowed = ", ".join(ReportedScore.Scope.values)
            errors.append(
                CellError(
                    gettext("ระดับ '%(value)s' ต้องเป็น %(allowed)s")
                    % {"value": row["scope"], "allowed": allowed},
                    line,
                    "scope",
                )
            )
            continue
        if basis not in ReportedScore.Basis.values:
            allowed = ", ".join(ReportedScore.Basis.values)
            errors.append(
                CellError(
                    gettext("ฐาน '%(value)s' ต้องเป็น %(allowed)s")
                    % {"value": row["basis"], "allowed": allowed},
                    line,
                    "basis",
                )
            )
        value = None
        try:
            value = parse_number(row["value"])
        except ThaiNumberError as error:
            errors.append(CellError(str(error), line, "value"))
        else:
            if problem := score_problem(value):
                errors.append(CellError(problem, line, "value"))
        if framework is None:
            continue
        target = _reported_target(framework, scope, row["target"])
        if target is None:
            errors.append(
                CellError(gettext("ไม่มี %(target)s") % {"target": row["target"]}, line, "target")
            )
            continue
        parsed.append((code, framework, scope, basis, target, value, row))
    if errors:
        raise TableError(errors, table.name)
    counts = Counts()
    for code, framework, scope, basis, target, value, row in parsed:
        assessment, _ = Assessment.objects.get_or_create(
            organization_id=organizations[code], framework=framework
        )
        lookup = {"assessment": assessment, "scope": scope, "item": None, "indicator": None}
        lookup |= {"tool": None, "basis": basis, "source": row.get("source", ""), **target}
        _, created, changed = upsert(
            ReportedScore, lookup, {"value": value, "note": row.get("note", "")}
        )
        label = [code, str(framework.fiscal_year), scope, row["target"], f"{value}"]
        counts.add(created, changed, label)
    return counts


def load_reported_scores(path: Path) -> Counts:
    return import_reported(read_file(path))
