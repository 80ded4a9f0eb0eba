"""Read the catalog and score files kept under ``fixtures/`` into the database.

The files use the row formats admins import: a framework (``framework.toml`` + ``items.csv``),
long score files (organization, fiscal_year, item, score) and reported figures. Every loader
reads and checks all its rows first and writes nothing if any row is wrong; a second run
with the same file changes nothing.
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Item,
    LevelBand,
    Organization,
    ReportedScore,
    Tool,
)
from assessments.score_import import import_scores
from assessments.tables import CellError, TableError, read_table, text_of
from assessments.thaidates import parse_number


def read_rows(path: Path, aliases: dict[str, str] | None = None, is_header=None):
    """Return (spreadsheet row number, {header: text}) for the rows of a .csv or .xlsx file."""
    table = read_table(path.read_bytes(), path.name, aliases, is_header)
    return [(line, {key: text_of(value) for key, value in row.items()}) for line, row in table.rows]


def require_columns(path: Path, rows, columns: tuple[str, ...]) -> None:
    present = set(rows[0][1]) if rows else set()
    missing = [column for column in columns if column not in present]
    if missing:
        raise TableError([CellError(f"ไม่มีคอลัมน์ {', '.join(missing)}", row=1)], path.name)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


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
        {"pass_mark": Decimal(spec["pass_mark"]), "description": spec.get("description", "")},
    )
    for band in spec["bands"]:
        upsert(
            LevelBand,
            {"framework": framework, "label": band["label"]},
            {"min_score": Decimal(band["min_score"])},
        )
    tools, kinds = {}, {}
    for order, tool in enumerate(spec["tools"]):
        tools[tool["code"]], _, _ = upsert(
            Tool,
            {"framework": framework, "code": tool["code"]},
            {"name": tool["name"], "weight": Decimal(tool["weight"]), "order": order},
        )
        kinds[tool["code"]] = tool.get("item_kind", Item.Kind.SURVEY)
    indicators = {}
    for indicator in spec["indicators"]:
        indicators[indicator["number"]], _, _ = upsert(
            Indicator,
            {"framework": framework, "number": indicator["number"]},
            {
                "tool": tools[indicator["tool"]],
                "name": indicator["name"],
                "weight": Decimal(indicator["weight"]),
            },
        )
    items_csv = directory / "items.csv"
    rows = read_rows(items_csv)
    require_columns(items_csv, rows, ("indicator", "item", "text"))
    errors = []
    for line, row in rows:
        if int(row.get("fiscal_year") or framework.fiscal_year) != framework.fiscal_year:
            errors.append(CellError(f"ไม่ใช่ปี {framework.fiscal_year}", line, "fiscal_year"))
        if int(row["indicator"]) not in indicators:
            errors.append(CellError(f"ไม่มีตัวชี้วัดที่ {row['indicator']}", line, "indicator"))
    if errors:
        raise TableError(errors, items_csv.name)
    for order, (_line, row) in enumerate(rows, start=1):
        indicator = indicators[int(row["indicator"])]
        upsert(
            Item,
            {"framework": framework, "code": row["item"].upper()},
            {
                "indicator": indicator,
                "name": row.get("name", ""),
                "text": row["text"],
                "order": order,
                "kind": kinds[indicator.tool.code],
            },
        )
    return framework


def _assessment_for(organization_code: str, fiscal_year: str) -> Assessment:
    """Find or start the assessment of an organization for the framework of a fiscal year."""
    organization = Organization.objects.get(code=organization_code)
    framework = Framework.objects.get(fiscal_year=int(fiscal_year))
    assessment, _ = Assessment.objects.get_or_create(organization=organization, framework=framework)
    return assessment


def load_item_scores(path: Path) -> Counts:
    """Load a score file through the score importer (long or wide, .csv or .xlsx)."""
    result = import_scores(path.read_bytes(), path.name)
    return Counts(len(result.created), len(result.updated), result.unchanged)


@transaction.atomic
def load_reported_scores(path: Path) -> Counts:
    """Load officially printed figures (scope item / indicator / tool / total)."""
    rows = read_rows(path)
    require_columns(
        path, rows, ("organization", "fiscal_year", "scope", "target", "value", "basis")
    )
    counts = Counts()
    for line, row in rows:
        assessment = _assessment_for(row["organization"], row["fiscal_year"])
        framework = assessment.framework
        scope, target = row["scope"], row["target"]
        lookup = {"assessment": assessment, "scope": scope, "item": None, "indicator": None}
        lookup |= {"tool": None, "basis": row["basis"], "source": row.get("source", "")}
        try:
            if scope == ReportedScore.Scope.ITEM:
                lookup["item"] = framework.items.get(code=target.upper())
            elif scope == ReportedScore.Scope.INDICATOR:
                lookup["indicator"] = framework.indicators.get(number=int(target))
            elif scope == ReportedScore.Scope.TOOL:
                lookup["tool"] = framework.tools.get(code=target.upper())
        except (Item.DoesNotExist, Indicator.DoesNotExist, Tool.DoesNotExist) as error:
            raise TableError([CellError(f"ไม่มี {target}", line, "target")], path.name) from error
        _, created, changed = upsert(
            ReportedScore,
            lookup,
            {"value": parse_number(row["value"]), "note": row.get("note", "")},
        )
        counts.add(created, changed)
    return counts
