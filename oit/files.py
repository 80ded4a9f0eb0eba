"""OIT readiness in and out as spreadsheets.

In: the addresses where an office publishes its OIT items (columns ``item``, ``url``,
``division``; one row per address, so an item with several addresses takes several rows).
Every row is checked first; one bad cell and nothing is written. Addresses already there are
left as they are (and keep their check results); none are removed.

Out: the edition's OIT items in order with their addresses, status and the checker's verdict,
the list to paste into the national system.
"""

from dataclasses import dataclass, field

import tablib
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.resources import EscapedCSV, EscapedXLSX
from assessments.tables import CellError, ErrorList, Table, TableError, text_of
from assessments.thaidates import format_datetime
from oit.models import PublishedUrl, Readiness
from oit.readiness import ensure_readiness, oit_items, url_problem
from plans.division_names import normalise_division_name

# Header aliases, keyed as ``header_key`` normalises them (lower case, single spaces).
ALIASES = {
    "ข้อ": "item",
    "รหัสข้อ": "item",
    "ลิงก์": "url",
    "ที่อยู่": "url",
    "division": "division",
    "ฝ่าย": "division",
    "ฝ่ายที่รับผิดชอบ": "division",
}
REQUIRED = ("item", "url")
EXPORT_HEADERS = ["item", "text", "url", "division", "status", "result", "checked_at"]


@dataclass(frozen=True)
class LinkRow:
    row: int
    item: object
    url: str
    division: object = None


@dataclass
class LinkCounts:
    new: int = 0
    unchanged: int = 0
    divisions: int = 0
    items: set = field(default_factory=set)


def read_links(table: Table, organization, framework) -> list[LinkRow]:
    """Check every row of ``table``; raise ``TableError`` listing each bad cell."""
    missing = [name for name in REQUIRED if name not in table.headers]
    if missing:
        raise TableError(
            [CellError(_("ไม่มีคอลัมน์ %(names)s") % {"names": ", ".join(missing)}, row=1)],
            table.name,
        )
    every_item = {item.code.upper(): item for item in framework.items.all()}
    oit = {item.pk for item in oit_items(framework)}
    divisions = {division.name: division for division in organization.divisions.all()}
    errors, rows = ErrorList(), []
    division_of: dict[int, tuple[object, int]] = {}
    for number, cells in table.rows:
        code = text_of(cells.get("item")).upper()
        url = text_of(cells.get("url"))
        division_text = text_of(cells.get("division"))
        item = every_item.get(code)
        if not code:
            errors.append(CellError(_("ไม่ได้ระบุข้อ"), number, "item"))
        elif item is None:
            errors.append(
                CellError(
                    _("ไม่มีข้อ %(code)s ใน%(edition)s") % {"code": code, "edition": framework.name},
                    number,
                    "item",
                )
            )
        elif item.pk not in oit:
            errors.append(CellError(_("ข้อ %(code)s ไม่ใช่ข้อ OIT") % {"code": code}, number, "item"))
            item = None
        if not url:
            errors.append(CellError(_("ไม่ได้ระบุที่อยู่ (URL)"), number, "url"))
        elif problem := url_problem(url):
            errors.append(CellError(problem, number, "url"))
        division = None
        if division_text:
            division = divisions.get(normalise_division_name(division_text))
            if division is None:
                errors.append(
                    CellError(
                        _("ไม่มี “%(name)s” ในฝ่ายของหน่วยงาน (มี %(names)s)")
                        % {"name": division_text, "names": ", ".join(divisions) or "—"},
                        number,
                        "division",
                    )
                )
            elif item is not None:
                earlier = division_of.setdefault(item.pk, (division, number))
                if earlier[0] != division:
                    errors.append(
                        CellError(
                            _("ข้อ %(code)s มีฝ่าย “%(other)s” อยู่แล้วในแถว %(row)s")
                            % {"code": item.code, "other": earlier[0].name, "row": earlier[1]},
                            number,
                            "division",
                        )
                    )
        if item is not None:
            rows.append(LinkRow(number, item, url, division))
    if errors:
        raise TableError(errors, table.name)
    return rows


def import_links(organization, framework, rows: list[LinkRow], *, dry_run=False) -> LinkCounts:
    """Add the addresses and set the divisions of ``rows``; ``dry_run`` writes nothing."""
    counts = LinkCounts()
    with transaction.atomic():
        ensure_readiness(organization, framework)
        readiness = {
            row.item_id: row
            for row in Readiness.objects.of(organization, framework).select_for_update()
        }
        for line in rows:
            target = readiness[line.item.pk]
            counts.items.add(line.item.pk)
            if line.division is not None and target.division_id != line.division.pk:
                target.division = line.division
                target.save()
                counts.divisions += 1
            if target.urls.filter(url=line.url).exists():
                counts.unchanged += 1
                continue
            last = target.urls.aggregate(last=Max("order"))["last"]
            PublishedUrl.objects.create(
                readiness=target, url=line.url, order=0 if last is None else last + 1
            )
            counts.new += 1
        if dry_run:
            transaction.set_rollback(True)
    return counts


def export_dataset(organization, framework) -> tablib.Dataset:
    """One row per address of each OIT item in the edition's order; an item without an
    address still has its row."""
    ensure_readiness(organization, framework)
    dataset = tablib.Dataset(headers=EXPORT_HEADERS, title="OIT")
    rows = (
        Readiness.objects.of(organization, framework)
        .select_related("item", "division")
        .prefetch_related("urls__latest")
        .order_by("item__order", "item__code")
    )
    for row in rows:
        common = [row.item.code, row.item.text]
        after = [row.division.name if row.division else "", row.get_status_display()]
        urls = list(row.urls.all())
        if not urls:
            dataset.append([*common, "", *after, "", ""])
        for url in urls:
            check = url.latest
            dataset.append(
                [
                    *common,
                    url.url,
                    *after,
                    check.get_result_display() if check else "",
                    format_datetime(check.checked_at) if check else "",
                ]
            )
    return dataset


def export_bytes(dataset: tablib.Dataset, name: str) -> bytes:
    """The dataset as .xlsx or .csv (by ``name``'s extension), no text runs as a formula."""
    if name.lower().endswith(".xlsx"):
        return EscapedXLSX().export_data(dataset)
    if name.lower().endswith(".csv"):
        # A byte-order mark, so that spreadsheet programs read the Thai as UTF-8.
        return EscapedCSV().export_data(dataset).encode("utf-8-sig")
    raise ValueError(_("ชื่อไฟล์ต้องลงท้ายด้วย .xlsx หรือ .csv"))


def office_and_edition(code: str, year: int, edition: str | None = None):
    """The organization of ``code`` and the edition it prepares for in ``year`` (a command's
    arguments); ``LookupError`` with a Thai message when either is not there."""
    from assessments.editions import EditionError
    from assessments.models import Organization
    from oit.readiness import edition_for

    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise LookupError(_("ไม่มีหน่วยงานรหัส %(code)s") % {"code": code})
    try:
        return organization, edition_for(organization, year, edition)
    except EditionError as error:
        raise LookupError(str(error)) from error
