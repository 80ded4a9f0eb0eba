"""A 2566-style edition for tests: IIT and EIT as in 2564, the OIT list renumbered.

NACC renumbered the 43 OIT items in 2566: a personal-data policy came in at O10, procurement
moved to O19–O22 and the No Gift policy took O31–O33. ``OIT_2566`` holds the items (code →
text) and ``COUNTERPART_2564`` the 2564 item each one continues (None for a new one), so
tests of links can check what is suggested and what a person would confirm.

``build_2566_workbook()`` returns the edition as the workbook ``import_framework`` reads.
"""

import csv
import io
import tomllib
from pathlib import Path

from openpyxl import Workbook

CATALOG_2564 = Path(__file__).resolve().parents[2] / "fixtures" / "ita2564"
EDITION_2566 = "ITA ของสำนักงานเขต กรุงเทพมหานคร"
ISSUER_2566 = "กรุงเทพมหานคร"

# code → (indicator, text, the 2564 item it continues)
_OIT = [
    ("O1", 9, "โครงสร้าง", "O1"),
    ("O2", 9, "ข้อมูลผู้บริหาร", "O2"),
    ("O3", 9, "อำนาจหน้าที่", "O3"),
    ("O4", 9, "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน", "O4"),
    ("O5", 9, "ข้อมูลการติดต่อหน่วยงาน", "O5"),
    ("O6", 9, "กฎหมายที่เกี่ยวข้อง", "O6"),
    ("O7", 9, "ข่าวประชาสัมพันธ์", "O7"),
    ("O8", 9, "Q&A", "O8"),
    ("O9", 9, "Social Network", "O9"),
    ("O10", 9, "นโยบายคุ้มครองข้อมูลส่วนบุคคล", None),
    ("O11", 9, "แผนดำเนินงานและการใช้งบประมาณประจำปี", "O10"),
    ("O12", 9, "รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณประจำปี รอบ 6 เดือน", "O11"),
    ("O13", 9, "รายงานผลการดำเนินงานประจำปี", "O12"),
    ("O14", 9, "คู่มือหรือมาตรฐานการปฏิบัติงาน", "O13"),
    ("O15", 9, "คู่มือหรือมาตรฐานการให้บริการ", "O14"),
    ("O16", 9, "ข้อมูลเชิงสถิติการให้บริการ", "O15"),
    ("O17", 9, "รายงานผลการสำรวจความพึงพอใจการให้บริการ", "O16"),
    ("O18", 9, "E-Service", "O17"),
    ("O19", 9, "แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ", "O21"),
    ("O20", 9, "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", "O22"),
    ("O21", 9, "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน", "O23"),
    ("O22", 9, "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี", "O24"),
    ("O23", 9, "นโยบายการบริหารทรัพยากรบุคคล", "O25"),
    ("O24", 9, "การดำเนินการตามนโยบายการบริหารทรัพยากรบุคคล", "O26"),
    ("O25", 9, "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "O27"),
    ("O26", 9, "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี", "O28"),
    ("O27", 9, "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "O29"),
    ("O28", 9, "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "O30"),
    ("O29", 9, "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี", "O31"),
    ("O30", 9, "การเปิดโอกาสให้เกิดการมีส่วนร่วม", "O33"),
    ("O31", 10, "ประกาศนโยบาย No Gift Policy จากการปฏิบัติหน้าที่", None),
    ("O32", 10, "การสร้างวัฒนธรรม No Gift Policy", None),
    ("O33", 10, "รายงานผลการดำเนินการตามนโยบาย No Gift Policy", None),
    ("O34", 10, "การประเมินความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี", "O36"),
    ("O35", 10, "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ", "O37"),
    ("O36", 10, "การเสริมสร้างวัฒนธรรมองค์กร", "O38"),
    ("O37", 10, "แผนปฏิบัติการป้องกันการทุจริตและประพฤติมิชอบ", "O39"),
    (
        "O38",
        10,
        "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตและประพฤติมิชอบ ประจำปี รอบ 6 เดือน",
        "O40",
    ),
    ("O39", 10, "รายงานผลการดำเนินการป้องกันการทุจริตและประพฤติมิชอบประจำปี", "O41"),
    ("O40", 10, "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "O42"),
    ("O41", 10, "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "O43"),
    ("O42", 10, "เจตจำนงสุจริตของผู้บริหาร", "O34"),
    ("O43", 10, "การมีส่วนร่วมของผู้บริหาร", "O35"),
]

OIT_2566: dict[str, str] = {code: text for code, _indicator, text, _old in _OIT}
COUNTERPART_2564: dict[str, str | None] = {code: old for code, _indicator, _text, old in _OIT}

# The national bands of 2564; the NACC labels of 2566 (ผ่านดีเยี่ยม …) are longer than a
# band's label may be, so tests of the tool minimum use short labels of their own.
BANDS_2566 = [
    ("AA", 95, None),
    ("A", 85, None),
    ("B", 75, None),
    ("C", 65, None),
    ("D", 55, None),
    ("E", 50, None),
    ("F", 0, None),
]


def _catalog_2564():
    with (CATALOG_2564 / "framework.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    with (CATALOG_2564 / "items.csv").open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle))
    return spec, items


def book_sheets(
    fiscal_year: int = 2566,
    edition: str = EDITION_2566,
    *,
    links_from: tuple[int, str] | None = None,
    bands=BANDS_2566,
) -> dict[str, list[list]]:
    """The 2566 edition as rows per sheet, header first; tests change a cell and build."""
    spec, items_2564 = _catalog_2564()
    sheets = {
        "framework": [
            ["fiscal_year", "edition", "issuer", "pass_mark", "description"],
            [fiscal_year, edition, ISSUER_2566, 85, f"ITA ประจำปีงบประมาณ พ.ศ. {fiscal_year}"],
        ],
        "tools": [["code", "name", "weight"]]
        + [[tool["code"], tool["name"], int(tool["weight"])] for tool in spec["tools"]],
        "indicators": [["number", "name", "tool", "weight"]]
        + [
            [indicator["number"], indicator["name"], indicator["tool"], int(indicator["weight"])]
            for indicator in spec["indicators"]
        ],
        "items": [["code", "indicator", "order", "text", "kind", "name"]],
        "levels": [["label", "min_score", "min_each_tool"]] + [list(band) for band in bands],
        "links": [["from_year", "from_edition", "from_code", "to_code"]],
    }
    order = 0
    for row in items_2564:
        if row["item"].startswith("O"):
            continue
        order += 1
        sheets["items"].append([row["item"], int(row["indicator"]), order, row["text"], "survey"])
    for code, indicator, text, old in _OIT:
        order += 1
        sheets["items"].append([code, indicator, order, text, "checklist", text])
        if links_from and old:
            sheets["links"].append([*links_from, old, code])
    if links_from:
        for row in items_2564:
            if not row["item"].startswith("O"):
                sheets["links"].append([*links_from, row["item"], row["item"]])
    return sheets


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """Save rows per sheet as an .xlsx file, as a person's spreadsheet program would."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_2566_workbook(*, links_from: tuple[int, str] | None = None) -> bytes:
    """The 2566 edition as a workbook; ``links_from=(2564, name)`` adds the confirmed links
    from that edition's items (it must be in the database when the workbook is imported)."""
    return workbook_bytes(book_sheets(links_from=links_from))
