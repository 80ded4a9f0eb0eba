"""One edition of the framework as one workbook: read it, compare it, write it, export it.

The workbook has a sheet per part of the edition — ``framework`` (one row), ``tools``,
``indicators``, ``items``, ``levels`` and, optionally, ``links`` (confirmed links from an
earlier edition's items to this one's). Reading is all or nothing: every bad cell is reported
as "ชีต S แถว N คอลัมน์ C: …" and nothing is written if there is one.

An edition is known by its fiscal year and name. Importing it again is a comparison: what
would be created, updated, removed or left alone, sheet by sheet. Once assessments use the
edition, only words may change (texts, names, the issuer, the description, the order of
items); anything that would change a score — an item, indicator or tool added, removed or
moved, a kind, a weight, a band, the pass mark — is refused, naming the organizations whose
scores it would change. Links are only ever added or confirmed by a workbook; a link is
removed in the admin.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.editions import EditionError, earlier_edition, find_framework
from assessments.links import suggest_links
from assessments.models import (
    Assessment,
    Framework,
    ImportRecord,
    Indicator,
    Item,
    ItemLink,
    LevelBand,
    Tool,
)
from assessments.score_import import score_problem
from assessments.tables import (
    CellError,
    ErrorList,
    TableError,
    Workbook,
    read_workbook,
    text_of,
)
from assessments.thaidates import ThaiNumberError, normalize_digits, parse_number, short_number

HUNDRED = Decimal("100")

# Sheet → (required columns, optional columns), in the order they are exported.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "framework": (("fiscal_year", "edition", "issuer", "pass_mark"), ("description",)),
    "tools": (("code", "name", "weight"), ()),
    "indicators": (("number", "name", "tool", "weight"), ()),
    "items": (("code", "indicator", "order", "text", "kind"), ("name",)),
    "levels": (("label", "min_score", "min_each_tool"), ()),
    "links": (("from_year", "from_edition", "from_code", "to_code"), ()),
}
# An edition without links to an earlier one (the first, or one not yet linked) leaves it out.
OPTIONAL_SHEETS = ("links",)
SHEETS = tuple(COLUMNS)


@dataclass
class EditionRow:
    fiscal_year: int
    edition: str
    issuer: str
    pass_mark: Decimal
    description: str
    row: int = 2


@dataclass
class ToolRow:
    code: str
    name: str
    weight: Decimal
    order: int
    row: int


@dataclass
class IndicatorRow:
    number: int
    name: str
    tool: str
    weight: Decimal
    row: int


@dataclass
class ItemRow:
    code: str
    indicator: int
    order: int
    text: str
    kind: str
    name: str
    row: int


@dataclass
class BandRow:
    label: str
    min_score: Decimal
    min_each_tool: Decimal | None
    row: int


@dataclass
class LinkRow:
    from_item: Item
    to_code: str
    row: int


@dataclass
class Book:
    """A workbook read and checked: every row valid, nothing written yet."""

    name: str
    checksum: str
    rows: int
    edition: EditionRow
    tools: list[ToolRow]
    indicators: list[IndicatorRow]
    items: list[ItemRow]
    bands: list[BandRow]
    links: list[LinkRow]


@dataclass
class Change:
    """One row of one sheet that a workbook creates, updates or removes."""

    sheet: str
    key: str
    action: str  # "new", "update" or "delete", as django-import-export names them
    fields: list[str] = field(default_factory=list)
    row: int | None = None
    alters_scores: bool = False

    def describe(self) -> str:
        if self.action == "new":
            return _("เพิ่มใหม่")
        if self.action == "delete":
            return _("ไม่มีในไฟล์ จะถูกลบ")
        return _("เปลี่ยน %(fields)s") % {"fields": ", ".join(self.fields)}


@dataclass
class SheetDiff:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@dataclass
class BookResult:
    """What a workbook did (or, in a dry run, would do) to its edition."""

    framework: Framework | None
    new_edition: bool
    changes: list[Change]
    diffs: dict[str, SheetDiff]
    rows: int
    # Links suggested from the texts to the edition this one follows, for the items neither
    # the workbook nor an earlier import linked (an admin confirms them).
    suggested: int = 0
    suggested_from: Framework | None = None

    @property
    def total_changes(self) -> int:
        return sum(diff.changed for diff in self.diffs.values())

    def totals(self) -> SheetDiff:
        total = SheetDiff()
        for diff in self.diffs.values():
            total.created += diff.created
            total.updated += diff.updated
            total.unchanged += diff.unchanged
            total.removed += diff.removed
        return total


# Reading ---------------------------------------------------------------------------------


class _Errors:
    """Errors of a workbook, each placed by sheet, row and column."""

    def __init__(self):
        self.found = ErrorList()

    def add(self, sheet: str, message: str, row: int | None = None, column: str | None = None):
        self.found.append(CellError(message, row=row, column=column, sheet=sheet))


def _number(value, sheet, line, column, errors: _Errors) -> Decimal | None:
    """A score-like number (0–100, two places) from a cell, or None with an error added."""
    try:
        number = parse_number(value if not isinstance(value, str) else value.strip())
    except ThaiNumberError as error:
        errors.add(sheet, str(error), line, column)
        return None
    if problem := score_problem(number):
        errors.add(sheet, problem, line, column)
        return None
    return number


def _whole(value, sheet, line, column, errors: _Errors) -> int | None:
    number = short_number(text_of(value))
    if number is None:
        errors.add(
            sheet,
            _("“%(value)s” ต้องเป็นจำนวนเต็ม เช่น 1") % {"value": text_of(value)},
            line,
            column,
        )
    return number


def _text(row, column, sheet, line, errors: _Errors, *, required=True, limit=200) -> str:
    value = text_of(row.get(column, ""))
    if required and not value:
        errors.add(sheet, _("ต้องกรอก %(column)s") % {"column": column}, line, column)
    elif len(value) > limit:
        errors.add(
            sheet,
            _("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": limit},
            line,
            column,
        )
    return value


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _code(value) -> str:
    return normalize_digits(text_of(value)).upper().replace(" ", "")


def _missing_columns(workbook: Workbook, errors: _Errors) -> bool:
    missing = False
    for sheet, (required, _optional) in COLUMNS.items():
        table = workbook.sheets.get(sheet)
        if table is None:
            if sheet not in OPTIONAL_SHEETS:
                errors.add(sheet, _("ไม่มีชีต %(sheet)s ในไฟล์") % {"sheet": sheet})
                missing = True
            continue
        absent = [column for column in required if column not in table.headers]
        if absent and (table.rows or sheet not in OPTIONAL_SHEETS):
            errors.add(sheet, _("ไม่มีคอลัมน์ %(columns)s") % {"columns": ", ".join(absent)}, row=1)
            missing = True
    return missing


def _rows(workbook: Workbook, sheet: str):
    table = workbook.sheets.get(sheet)
    return table.rows if table is not None else []


def _read_edition(workbook: Workbook, errors: _Errors) -> EditionRow | None:
    rows = _rows(workbook, "framework")
    if len(rows) != 1:
        errors.add(
            "framework",
            _("ชีต framework ต้องมีข้อมูลหนึ่งแถวพอดี (พบ %(count)s แถว)") % {"count": len(rows)},
        )
        return None
    line, row = rows[0]
    year = _whole(row["fiscal_year"], "framework", line, "fiscal_year", errors)
    if year is not None and not 2500 <= year <= 2700:
        errors.add(
            "framework",
            _("ปีงบประมาณ %(year)s ต้องเป็นพุทธศักราช เช่น 2566") % {"year": year},
            line,
            "fiscal_year",
        )
        year = None
    edition = _text(row, "edition", "framework", line, errors)
    issuer = _text(row, "issuer", "framework", line, errors, required=False)
    description = _text(row, "description", "framework", line, errors, required=False, limit=5000)
    pass_mark = _number(row["pass_mark"], "framework", line, "pass_mark", errors)
    if year is None or pass_mark is None or not edition:
        return None
    return EditionRow(year, edition, issuer, pass_mark, description, line)


def _duplicate(errors, sheet, line, column, key, seen: dict) -> bool:
    if key in seen:
        errors.add(
            sheet,
            _("“%(key)s” ซ้ำกับแถว %(row)s") % {"key": key, "row": seen[key]},
            line,
            column,
        )
        return True
    seen[key] = line
    return False


def _read_tools(workbook, errors) -> list[ToolRow]:
    tools, seen = [], {}
    for order, (line, row) in enumerate(_rows(workbook, "tools")):
        code = _code(row["code"])
        if not code:
            errors.add("tools", _("ต้องกรอก %(column)s") % {"column": "code"}, line, "code")
        elif len(code) > (limit := _max_length(Tool, "code")):
            errors.add("tools", _("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": limit}, line, "code")
        duplicate = bool(code) and _duplicate(errors, "tools", line, "code", code, seen)
        name = _text(row, "name", "tools", line, errors)
        weight = _number(row["weight"], "tools", line, "weight", errors)
        # A row with a bad weight still names its tool, so indicators may refer to it.
        if code and not duplicate:
            tools.append(ToolRow(code, name, weight, order, line))
    if not _rows(workbook, "tools"):
        errors.add("tools", _("ต้องมีเครื่องมืออย่างน้อยหนึ่งรายการ"))
    return tools


def _miss(total: Decimal, expected: Decimal) -> str:
    gap = expected - total
    if gap > 0:
        return _("ขาดอีก %(gap)s") % {"gap": f"{gap.normalize():f}"}
    return _("เกิน %(gap)s") % {"gap": f"{(-gap).normalize():f}"}


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _check_tool_weights(tools: list[ToolRow], errors) -> None:
    if any(tool.weight is None for tool in tools):
        return  # the bad weight is reported; a sum of the others would only add noise
    total = sum((tool.weight for tool in tools), Decimal(0))
    if tools and total != HUNDRED:
        errors.add(
            "tools",
            _("น้ำหนักของเครื่องมือรวมกันได้ %(total)s ต้องเท่ากับ 100 (%(miss)s)")
            % {"total": _plain(total), "miss": _miss(total, HUNDRED)},
            column="weight",
        )


def _read_indicators(workbook, tools: list[ToolRow], errors) -> list[IndicatorRow]:
    known = {tool.code for tool in tools}
    indicators, seen = [], {}
    for line, row in _rows(workbook, "indicators"):
        number = _whole(row["number"], "indicators", line, "number", errors)
        duplicate = number is not None and _duplicate(
            errors, "indicators", line, "number", str(number), seen
        )
        name = _text(row, "name", "indicators", line, errors)
        tool = _code(row["tool"])
        if tool not in known:
            errors.add(
                "indicators",
                _("ไม่มีเครื่องมือรหัส “%(code)s” ในชีต tools") % {"code": text_of(row["tool"])},
                line,
                "tool",
            )
        weight = _number(row["weight"], "indicators", line, "weight", errors)
        if number is not None and not duplicate:
            indicators.append(IndicatorRow(number, name, tool, weight, line))
    return indicators


def _check_indicator_weights(tools, indicators, errors) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    unknown = {tool.code for tool in tools if tool.weight is None}
    for indicator in indicators:
        if indicator.weight is None:
            unknown.add(indicator.tool)
        else:
            sums[indicator.tool] += indicator.weight
    for tool in tools:
        if tool.code in unknown:
            continue
        total = sums[tool.code]
        if total != tool.weight:
            errors.add(
                "indicators",
                _(
                    "น้ำหนักตัวชี้วัดของ %(tool)s รวมกันได้ %(total)s "
                    "ต้องเท่ากับน้ำหนักของเครื่องมือ %(weight)s (%(miss)s)"
                )
                % {
                    "tool": tool.code,
                    "total": _plain(total),
                    "weight": _plain(tool.weight),
                    "miss": _miss(total, tool.weight),
                },
                column="weight",
            )


def _read_items(workbook, indicators: list[IndicatorRow], errors) -> list[ItemRow]:
    known = {indicator.number for indicator in indicators}
    kinds = Item.Kind.values
    items, seen = [], {}
    for line, row in _rows(workbook, "items"):
        code = _code(row["code"])
        if not code:
            errors.add("items", _("ต้องกรอก %(column)s") % {"column": "code"}, line, "code")
        elif len(code) > (limit := _max_length(Item, "code")):
            errors.add("items", _("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": limit}, line, "code")
        duplicate = bool(code) and _duplicate(errors, "items", line, "code", code, seen)
        number = short_number(text_of(row["indicator"]))
        if number not in known:
            errors.add(
                "items",
                _("ไม่มีตัวชี้วัดที่ “%(number)s” ในชีต indicators") % {"number": text_of(row["indicator"])},
                line,
                "indicator",
            )
        order = _whole(row["order"], "items", line, "order", errors)
        text = _text(row, "text", "items", line, errors, limit=5000)
        name = _text(row, "name", "items", line, errors, required=False)
        kind = text_of(row["kind"]).lower()
        if kind not in kinds:
            errors.add(
                "items",
                _("วิธีให้คะแนน “%(kind)s” ต้องเป็น %(kinds)s")
                % {"kind": text_of(row["kind"]), "kinds": " หรือ ".join(kinds)},
                line,
                "kind",
            )
        if code and not duplicate and number in known and order is not None and kind in kinds:
            items.append(ItemRow(code, number, order, text, kind, name, line))
    return items


def _read_bands(workbook, errors) -> list[BandRow]:
    bands, labels, thresholds = [], {}, {}
    for line, row in _rows(workbook, "levels"):
        label = _text(row, "label", "levels", line, errors, limit=_max_length(LevelBand, "label"))
        duplicate = bool(label) and _duplicate(errors, "levels", line, "label", label, labels)
        minimum = _number(row["min_score"], "levels", line, "min_score", errors)
        each = None
        if text_of(row["min_each_tool"]):
            each = _number(row["min_each_tool"], "levels", line, "min_each_tool", errors)
            if each is None:
                continue
        if minimum is None:
            continue
        threshold = f"{_plain(minimum)} / {'' if each is None else _plain(each)}"
        if _duplicate(errors, "levels", line, "min_score", threshold, thresholds):
            continue
        if label and not duplicate:
            bands.append(BandRow(label, minimum, each, line))
    if not _rows(workbook, "levels"):
        errors.add("levels", _("ต้องมีระดับผลการประเมินอย่างน้อยหนึ่งระดับ"))
    elif bands and not any(band.min_score == 0 and band.min_each_tool is None for band in bands):
        # Otherwise a low score would have no level at all.
        errors.add(
            "levels",
            _("ระดับต่ำสุดต้องเริ่มที่ 0 และไม่มีเงื่อนไขรายเครื่องมือ เพื่อให้ทุกคะแนนมีระดับ"),
            column="min_score",
        )
    return bands


def _read_links(workbook, edition: EditionRow | None, items: list[ItemRow], errors):
    links, onward, back = [], {}, {}
    codes = {item.code for item in items}
    frameworks: dict[tuple, Framework | None] = {}
    for line, row in _rows(workbook, "links"):
        year = _whole(row["from_year"], "links", line, "from_year", errors)
        name = text_of(row["from_edition"]) or None
        source = None
        if year is not None:
            if (year, name) not in frameworks:
                try:
                    frameworks[year, name] = find_framework(year, name)
                except EditionError as error:
                    errors.add("links", str(error), line, "from_edition" if name else "from_year")
                    frameworks[year, name] = None
            source = frameworks[year, name]
        if (
            source is not None
            and edition is not None
            and (source.fiscal_year, source.name) == (edition.fiscal_year, edition.edition)
        ):
            errors.add("links", _("ข้อต้องเชื่อมกับชุดการประเมินอื่น ไม่ใช่ชุดนี้เอง"), line, "from_edition")
            source = None
        if source is not None and edition is not None and source.fiscal_year > edition.fiscal_year:
            errors.add(
                "links",
                _("เชื่อมได้เฉพาะจากชุดการประเมินของปีก่อนหน้าหรือปีเดียวกัน (ปี %(year)s อยู่หลังปีนี้)")
                % {"year": source.fiscal_year},
                line,
                "from_year",
            )
            source = None
        from_code, to_code = _code(row["from_code"]), _code(row["to_code"])
        from_item = None
        if source is not None:
            from_item = source.items.filter(code=from_code).first()
            if from_item is None:
                errors.add(
                    "links",
                    _("ชุดการประเมิน %(edition)s ไม่มีข้อ “%(code)s”")
                    % {"edition": str(source), "code": text_of(row["from_code"])},
                    line,
                    "from_code",
                )
        if to_code not in codes:
            errors.add(
                "links",
                _("ไม่มีข้อ “%(code)s” ในชีต items") % {"code": text_of(row["to_code"])},
                line,
                "to_code",
            )
            continue
        if from_item is None:
            continue
        if _duplicate(errors, "links", line, "from_code", f"{source.pk}:{from_code}", onward):
            continue
        if _duplicate(errors, "links", line, "to_code", f"{source.pk}:{to_code}", back):
            continue
        links.append(LinkRow(from_item, to_code, line))
    return links


def read_book(workbook: Workbook) -> Book:
    """Check every sheet of a workbook; raise TableError listing every bad cell."""
    errors = _Errors()
    if _missing_columns(workbook, errors):
        raise TableError(errors.found, workbook.name)
    edition = _read_edition(workbook, errors)
    tools = _read_tools(workbook, errors)
    _check_tool_weights(tools, errors)
    indicators = _read_indicators(workbook, tools, errors)
    _check_indicator_weights(tools, indicators, errors)
    items = _read_items(workbook, indicators, errors)
    bands = _read_bands(workbook, errors)
    links = _read_links(workbook, edition, items, errors)
    if errors.found:
        raise TableError(errors.found, workbook.name)
    rows = sum(len(table.rows) for table in workbook.sheets.values())
    return Book(
        workbook.name, workbook.checksum, rows, edition, tools, indicators, items, bands, links
    )


# Comparing --------------------------------------------------------------------------------


def _fields_changed(current: dict, wanted: dict) -> list[str]:
    return [name for name, value in wanted.items() if current.get(name) != value]


# Per sheet, the fields whose change alters an assessment's scores or level.
SCORING_FIELDS = {
    "framework": {"pass_mark"},
    "tools": {"weight"},
    "indicators": {"tool", "weight"},
    "items": {"indicator", "kind"},
    "levels": {"min_score", "min_each_tool"},
    "links": set(),
}


@dataclass
class _Plan:
    book: Book
    framework: Framework | None
    changes: list[Change]
    diffs: dict[str, SheetDiff]


def _compare_sheet(sheet, current: dict, wanted: dict, rows: dict, changes, diffs) -> None:
    """Compare rows by key: ``current``/``wanted`` map key → {field: value}."""
    diff = diffs[sheet]
    for key, values in wanted.items():
        if key not in current:
            diff.created += 1
            changes.append(Change(sheet, key, "new", row=rows[key], alters_scores=True))
            continue
        changed = _fields_changed(current[key], values)
        if changed:
            diff.updated += 1
            alters = bool(SCORING_FIELDS[sheet] & set(changed))
            changes.append(Change(sheet, key, "update", changed, rows[key], alters))
        else:
            diff.unchanged += 1
    for key in current.keys() - wanted.keys():
        diff.removed += 1
        changes.append(Change(sheet, key, "delete", alters_scores=True))


def _compare(book: Book) -> _Plan:
    edition = book.edition
    framework = Framework.objects.filter(
        fiscal_year=edition.fiscal_year, name=edition.edition
    ).first()
    diffs = {sheet: SheetDiff() for sheet in SHEETS}
    changes: list[Change] = []
    wanted_edition = {
        "issuer": edition.issuer,
        "pass_mark": edition.pass_mark,
        "description": edition.description,
    }
    key = f"{edition.fiscal_year} {edition.edition}"
    if framework is None:
        current_edition, tools, indicators, items, bands, links = {}, {}, {}, {}, {}, {}
    else:
        current_edition = {key: {name: getattr(framework, name) for name in wanted_edition}}
        tools = {
            tool.code: {"name": tool.name, "weight": tool.weight, "order": tool.order}
            for tool in framework.tools.all()
        }
        indicators = {
            str(indicator.number): {
                "name": indicator.name,
                "tool": indicator.tool.code,
                "weight": indicator.weight,
            }
            for indicator in framework.indicators.select_related("tool")
        }
        items = {
            item.code: {
                "indicator": item.indicator.number,
                "order": item.order,
                "text": item.text,
                "kind": item.kind,
                "name": item.name,
            }
            for item in framework.items.select_related("indicator")
        }
        bands = {
            band.label: {"min_score": band.min_score, "min_each_tool": band.min_each_tool}
            for band in framework.bands.all()
        }
        links = {
            f"{link.from_item_id}>{link.to_item.code}": {"status": link.status}
            for link in ItemLink.objects.filter(to_framework=framework).select_related("to_item")
        }
    _compare_sheet(
        "framework",
        current_edition,
        {key: wanted_edition},
        {key: edition.row},
        changes,
        diffs,
    )
    _compare_sheet(
        "tools",
        tools,
        {t.code: {"name": t.name, "weight": t.weight, "order": t.order} for t in book.tools},
        {t.code: t.row for t in book.tools},
        changes,
        diffs,
    )
    _compare_sheet(
        "indicators",
        indicators,
        {
            str(i.number): {"name": i.name, "tool": i.tool, "weight": i.weight}
            for i in book.indicators
        },
        {str(i.number): i.row for i in book.indicators},
        changes,
        diffs,
    )
    _compare_sheet(
        "items",
        items,
        {
            i.code: {
                "indicator": i.indicator,
                "order": i.order,
                "text": i.text,
                "kind": i.kind,
                "name": i.name,
            }
            for i in book.items
        },
        {i.code: i.row for i in book.items},
        changes,
        diffs,
    )
    _compare_sheet(
        "levels",
        bands,
        {b.label: {"min_score": b.min_score, "min_each_tool": b.min_each_tool} for b in book.bands},
        {b.label: b.row for b in book.bands},
        changes,
        diffs,
    )
    # A workbook adds and confirms links; links it leaves out stay (removed in the admin).
    wanted_links = {
        f"{link.from_item.pk}>{link.to_code}": {"status": ItemLink.Status.CONFIRMED}
        for link in book.links
    }
    _compare_sheet(
        "links",
        {key: value for key, value in links.items() if key in wanted_links},
        wanted_links,
        {f"{link.from_item.pk}>{link.to_code}": link.row for link in book.links},
        changes,
        diffs,
    )
    for change in changes:
        if change.sheet == "links":
            change.alters_scores = False
            change.key = _link_label(change.key, book)
    if framework is None:
        for change in changes:
            change.alters_scores = False
    return _Plan(book, framework, changes, diffs)


def _link_label(key: str, book: Book) -> str:
    from_pk, to_code = key.split(">", 1)
    for link in book.links:
        if str(link.from_item.pk) == from_pk and link.to_code == to_code:
            source = link.from_item
            return f"{source.code} ({source.framework.fiscal_year}) → {to_code}"
    return key


_SCORE_FIELD_NAMES = {
    "framework": "pass_mark",
    "tools": "weight",
    "indicators": "weight",
    "items": "indicator",
    "levels": "min_score",
}


def _refuse_score_changes(plan: _Plan) -> None:
    if plan.framework is None:
        return
    altering = [change for change in plan.changes if change.alters_scores]
    if not altering:
        return
    codes = list(
        Assessment.objects.filter(framework=plan.framework)
        .order_by("organization__code")
        .values_list("organization__code", flat=True)
    )
    if not codes:
        return
    organizations = ", ".join(codes)
    errors = _Errors()
    for change in altering:
        if change.action == "update":
            column = ", ".join(sorted(SCORING_FIELDS[change.sheet] & set(change.fields)))
        else:
            column = None
        errors.add(
            change.sheet,
            _(
                "“%(key)s” %(what)s — ชุดการประเมินนี้มีผลการประเมินของหน่วยงาน %(organizations)s "
                "แล้ว การเปลี่ยนนี้จะทำให้คะแนนเปลี่ยน จึงเปลี่ยนได้เฉพาะข้อความ"
            )
            % {"key": change.key, "what": change.describe(), "organizations": organizations},
            change.row,
            column,
        )
    raise TableError(errors.found, plan.book.name)


# Writing ----------------------------------------------------------------------------------


def _write(plan: _Plan) -> Framework:
    book, edition = plan.book, plan.book.edition
    framework, _created = Framework.objects.update_or_create(
        fiscal_year=edition.fiscal_year,
        name=edition.edition,
        defaults={
            "issuer": edition.issuer,
            "pass_mark": edition.pass_mark,
            "description": edition.description,
        },
    )
    tools = {}
    for row in book.tools:
        tools[row.code], _ = Tool.objects.update_or_create(
            framework=framework,
            code=row.code,
            defaults={"name": row.name, "weight": row.weight, "order": row.order},
        )
    indicators = {}
    for row in book.indicators:
        indicators[row.number], _ = Indicator.objects.update_or_create(
            framework=framework,
            number=row.number,
            defaults={"tool": tools[row.tool], "name": row.name, "weight": row.weight},
        )
    items = {}
    for row in book.items:
        items[row.code], _ = Item.objects.update_or_create(
            framework=framework,
            code=row.code,
            defaults={
                "indicator": indicators[row.indicator],
                "order": row.order,
                "text": row.text,
                "kind": row.kind,
                "name": row.name,
            },
        )
    framework.items.exclude(code__in=items).delete()
    framework.indicators.exclude(number__in=indicators).delete()
    framework.tools.exclude(code__in=tools).delete()
    # Two bands may trade thresholds (unique per edition): the changed ones are written anew.
    changed = {c.key for c in plan.changes if c.sheet == "levels" and c.action != "new"}
    framework.bands.filter(label__in=changed).delete()
    framework.bands.exclude(label__in=[band.label for band in book.bands]).delete()
    for row in book.bands:
        LevelBand.objects.update_or_create(
            framework=framework,
            label=row.label,
            defaults={"min_score": row.min_score, "min_each_tool": row.min_each_tool},
        )
    for row in book.links:
        _confirm_link(row.from_item, items[row.to_code])
    return framework


def _confirm_link(from_item: Item, to_item: Item) -> None:
    """Make the link confirmed, replacing any other counterpart either item had."""
    existing = ItemLink.objects.filter(from_item=from_item, to_item=to_item).first()
    if existing is not None:
        if existing.status != ItemLink.Status.CONFIRMED:
            existing.status = ItemLink.Status.CONFIRMED
            existing.save()
        return
    ItemLink.objects.filter(from_item=from_item, to_framework=to_item.framework).delete()
    ItemLink.objects.filter(to_item=to_item, from_framework=from_item.framework).delete()
    ItemLink.objects.create(from_item=from_item, to_item=to_item, status=ItemLink.Status.CONFIRMED)


def import_workbook(workbook: Workbook, *, user=None, record: bool = True) -> BookResult:
    """Check a workbook, compare it with its edition and write it (all or nothing).

    Raises TableError listing every bad cell, or every change refused because assessments
    use the edition. The caller decides whether to keep what was written (a dry run rolls
    the transaction back).
    """
    book = read_book(workbook)
    with transaction.atomic():
        plan = _compare(book)
        _refuse_score_changes(plan)
        new_edition = plan.framework is None
        framework = _write(plan)
        result = BookResult(framework, new_edition, plan.changes, plan.diffs, book.rows)
        if earlier := earlier_edition(framework):
            result.suggested = len(suggest_links(framework, earlier))
            result.suggested_from = earlier
        if record:
            totals = result.totals()
            ImportRecord.record(
                ImportRecord.Kind.CATALOG,
                workbook,
                user,
                rows=book.rows,
                created=totals.created,
                updated=totals.updated + totals.removed,
                unchanged=totals.unchanged,
            )
    return result


def import_book(data: bytes, name: str, *, user=None, dry_run: bool = False) -> BookResult:
    """Read and import one workbook; with ``dry_run`` check and compare, and write nothing."""
    workbook = read_workbook(data, name)
    with transaction.atomic():
        result = import_workbook(workbook, user=user, record=not dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return result


# Exporting --------------------------------------------------------------------------------


def book_rows(framework: Framework) -> dict[str, list[list[object]]]:
    """The edition as rows per sheet, header first, in the order the workbook shows them."""
    links = (
        ItemLink.objects.confirmed()
        .filter(to_framework=framework)
        .select_related("from_item__framework", "to_item")
        .order_by("to_item__order", "to_item__code")
    )
    return {
        "framework": [
            [*COLUMNS["framework"][0], *COLUMNS["framework"][1]],
            [
                framework.fiscal_year,
                framework.edition,
                framework.issuer,
                framework.pass_mark,
                framework.description,
            ],
        ],
        "tools": [
            list(COLUMNS["tools"][0]),
            *([t.code, t.name, t.weight] for t in framework.tools.order_by("order", "code")),
        ],
        "indicators": [
            list(COLUMNS["indicators"][0]),
            *(
                [i.number, i.name, i.tool.code, i.weight]
                for i in framework.indicators.select_related("tool").order_by("number")
            ),
        ],
        "items": [
            [*COLUMNS["items"][0], *COLUMNS["items"][1]],
            *(
                [i.code, i.indicator.number, i.order, i.text, i.kind, i.name]
                for i in framework.items.select_related("indicator").order_by("order", "code")
            ),
        ],
        "levels": [
            list(COLUMNS["levels"][0]),
            *([b.label, b.min_score, b.min_each_tool] for b in framework.bands.all()),
        ],
        "links": [
            list(COLUMNS["links"][0]),
            *(
                [
                    link.from_item.framework.fiscal_year,
                    link.from_item.framework.name,
                    link.from_item.code,
                    link.to_item.code,
                ]
                for link in links
            ),
        ],
    }


def export_book(framework: Framework) -> bytes:
    """The edition as one .xlsx workbook that ``import_book`` takes back unchanged."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    from assessments.resources import text_safe_cell

    workbook = OpenpyxlWorkbook(write_only=True)
    for title, rows in book_rows(framework).items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([text_safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def book_file_name(framework: Framework) -> str:
    return f"framework-{framework.fiscal_year}-{framework.pk}.xlsx"
