"""Read the catalog and score files kept under ``fixtures/`` into the database.

The files use the row formats admins import: a framework (``framework.toml`` + ``items.csv``),
long score files (organization, fiscal_year, item, score) and reported figures. Every loader
reads and checks all its rows first and writes nothing if any row is wrong; a second run
with the same file changes nothing.
"""

import csv
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
    ItemScore,
    LevelBand,
    Organization,
    ReportedScore,
    Tool,
)
from assessments.thaidates import ThaiNumberError, parse_number


class LoadError(ValueError):
    """Rows that cannot be loaded; ``errors`` holds one Thai message per bad cell."""

    def __init__(self, source: str, errors: list[str]):
        self.source, self.errors = source, errors
        super().__init__(f"{source}: " + "; ".join(errors))


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Return (spreadsheet row number, row) for every non-blank row of a UTF-8 CSV file.

    Row numbers count records as a spreadsheet does (the header is row 1), not text lines:
    a cell holding several lines is still one row.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [cell.strip() for cell in next(reader, [])]
        rows = []
        for number, cells in enumerate(reader, start=2):
            cells = cells + [""] * (len(header) - len(cells))  # short rows: empty cells
            values = {key: cell.strip() for key, cell in zip(header, cells, strict=False) if key}
            if any(values.values()):
                rows.append((number, values))
    return rows


def require_columns(path: Path, rows, columns: tuple[str, ...]) -> None:
    present = set(rows[0][1]) if rows else set()
    missing = [column for column in columns if column not in present]
    if missing:
        raise LoadError(path.name, [f"ไม่มีคอลัมน์ {', '.join(missing)}"])


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

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
            errors.append(f"แถว {line} คอลัมน์ fiscal_year: ไม่ใช่ปี {framework.fiscal_year}")
        if int(row["indicator"]) not in indicators:
            errors.append(f"แถว {line} คอลัมน์ indicator: ไม่มีตัวชี้วัดที่ {row['indicator']}")
    if errors:
        raise LoadError(items_csv.name, errors)
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


@transaction.atomic
def load_item_scores(path: Path) -> Counts:
    """Load a long score file: one row per organization, fiscal year and item."""
    rows = read_rows(path)
    require_columns(path, rows, ("organization", "fiscal_year", "item", "score"))
    errors, parsed = [], []
    items: dict[tuple[str, str], Item] = {}
    known = set(Organization.objects.values_list("code", flat=True))
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        code = row["item"].upper()
        if row["organization"] not in known:
            errors.append(f"แถว {line} คอลัมน์ organization: ไม่มีหน่วยงานรหัส {row['organization']}")
            continue
        duplicate = seen.setdefault((row["organization"], row["fiscal_year"], code), line)
        if duplicate != line:
            errors.append(f"แถว {line} คอลัมน์ item: ข้อ {code} ซ้ำกับแถว {duplicate}")
            continue
        key = (row["fiscal_year"], code)
        if key not in items:
            item = Item.objects.of_year(int(row["fiscal_year"])).filter(code=code).first()
            if item is None:
                errors.append(f"แถว {line} คอลัมน์ item: ไม่มีข้อ {code} ในปี {row['fiscal_year']}")
                continue
            items[key] = item
        try:
            score = parse_number(row["score"])
        except ThaiNumberError as error:
            errors.append(f"แถว {line} คอลัมน์ score: {error}")
            continue
        item = items[key]
        if item.kind == Item.Kind.CHECKLIST and score not in (0, 100):
            errors.append(f"แถว {line} คอลัมน์ score: ข้อ {code} ได้ 0 หรือ 100 เท่านั้น")
            continue
        if not 0 <= score <= 100:
            errors.append(f"แถว {line} คอลัมน์ score: คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
            continue
        parsed.append((row["organization"], row["fiscal_year"], item, score))
    if errors:
        raise LoadError(path.name, errors)
    counts = Counts()
    assessments: dict[tuple[str, str], Assessment] = {}
    for organization, fiscal_year, item, score in parsed:
        key = (organization, fiscal_year)
        if key not in assessments:
            assessments[key] = _assessment_for(organization, fiscal_year)
        _, created, changed = upsert(
            ItemScore, {"assessment": assessments[key], "item": item}, {"score": score}
        )
        counts.add(created, changed)
    return counts


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
            raise LoadError(path.name, [f"แถว {line} คอลัมน์ target: ไม่มี {target}"]) from error
        _, created, changed = upsert(
            ReportedScore,
            lookup,
            {"value": parse_number(row["value"]), "note": row.get("note", "")},
        )
        counts.add(created, changed)
    return counts
