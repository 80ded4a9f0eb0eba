"""Rebuild the Phra Khanong demo fixtures from the seed document (a PDF turned into text).

    python scripts/extract_seed.py ../shared/seed/000_165266067fffd104.txt fixtures/

The seed's tables are tab-separated rows; a table that runs over a page break repeats its
header and continues the cut cells in a row whose first cell is empty (or holds the rest of
the heading). This script glues those pieces back, matches every row to its item, applies the
corrections listed in ``fixtures/README.md`` and writes the CSV files the demo loader reads.
It is run by hand when the seed or the corrections change, never by the app.
"""

import csv
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plans.documents.planrows import ITEM, printed_headers

ORGANIZATION = "1009"
SCORE_YEAR = "2564"
PLAN_YEAR = "2565"
ANALYSIS_SOURCE = "ตารางวิเคราะห์ผลการประเมิน"
SCORE_SOURCE = "ตารางแสดงรายละเอียดผลการประเมิน"

# Indicator number → the item codes it holds (DESIGN.md, the 2564 district edition).
INDICATOR_ITEMS = {
    1: range(1, 7),
    2: range(7, 13),
    3: range(13, 19),
    4: range(19, 25),
    5: range(25, 31),
    6: range(1, 6),
    7: range(6, 11),
    8: range(11, 16),
}

# Text corrections, each listed with its reason in fixtures/README.md.
ITEM_TEXT_CORRECTIONS = {
    "I2": (
        "การปฏิบัติงาน/ให้บริการแก่ผู้มาติดต่อต่างๆไป กับผู้มาติดต่อที่รู้จักเป็นการส่วนตัว",
        "การปฏิบัติงาน/ให้บริการแก่ผู้มาติดต่อต่างๆ อย่างเท่าเทียม กับผู้มาติดต่อที่รู้จักเป็นการส่วนตัว",
    ),
}
PRINTED_NUMBER_CORRECTIONS = {"84..71": "84.71"}
# O33's heading is printed "(คะแนน) เฉลี่ย 100 คะแนน)": one parenthesis too many.
HEADING_CORRECTIONS = {"(คะแนน) เฉลี่ย": "(คะแนนเฉลี่ย"}
# Catalog names of OIT items, where the printed heading is misread.
OIT_NAME_CORRECTIONS = {"การปฏิบัติสัมพันธ์ข้อมูล": "การปฏิสัมพันธ์ข้อมูล"}
# "ชื่อ - สกุล" is a name field, not a bullet.
NOT_A_BULLET = ["ชื่อ - สกุล"]

TAG = re.compile(r"</?(?:p|ul|li)\b[^>]*>")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def clean(cell: str) -> str:
    """Drop the HTML left by the PDF extraction and collapse runs of spaces."""
    text = TAG.sub(" ", cell)
    return re.sub(r"\s+", " ", text).strip()


def glue(first: str, second: str) -> str:
    """Join two pieces of one cell cut by a page break."""
    if not first:
        return second
    if not second:
        return first
    if second.startswith("- "):
        return f"{first}\n{second}"
    if THAI.match(first[-1]) and THAI.match(second[0]):
        return first + second  # Thai writes words without spaces: the cut was mid-word
    return f"{first} {second}"


def bullets(text: str) -> list[str]:
    """Split a cell into its printed lines: a new line starts at every "- " bullet."""
    protected = text
    for phrase in NOT_A_BULLET:
        protected = protected.replace(phrase, phrase.replace(" - ", " \x00 "))
    lines = []
    for paragraph in protected.split("\n"):
        parts = re.split(r"(?:^|\s)-\s+", paragraph)
        head, rest = parts[0].strip(), parts[1:]
        if head:
            lines.append(head)
        lines.extend(f"- {part.strip()}" for part in rest if part.strip())
    return [line.replace("\x00", "-") for line in lines]


@dataclass
class Row:
    cells: list[str]
    section: str
    indicator: tuple[int, str, str] | None = None  # number, name, printed average
    code: str = ""
    extra: list[str] = field(default_factory=list)


def read_score_tables(lines: list[str]) -> tuple[list[dict], str]:
    """Return the IIT/EIT score-table rows (code, text, score) and the OIT points figure."""
    items, oit_points = [], ""
    counters = {"I": 0, "E": 0}
    tool = None
    for line in lines:
        if line.startswith("การวิเคราะห์ผลการประเมิน"):
            break
        if line.startswith("ประเด็นการประเมิน IIT"):
            tool = "I"
            continue
        if line.startswith("ประเด็นการประเมิน EIT"):
            tool = "E"
            continue
        if line.startswith("ประเด็นการประเมิน OIT"):
            tool = "O"
            continue
        if "\t" not in line or tool is None:
            continue
        label, score = line.rsplit("\t", 1)
        if tool == "O":
            if "/" in score:
                oit_points = score.strip()
            continue
        printed_code, text = label.split(" ", 1)
        counters[tool] += 1
        code = f"{tool}{counters[tool]}"
        # The damaged codes ("11" for I1, "12" for I12) still end with the item number.
        digits = re.sub(r"\D", "", printed_code)
        if not digits.endswith(str(counters[tool])[-1]):
            raise SystemExit(f"score table row {code}: printed code {printed_code!r}")
        text = text.strip()
        if code in ITEM_TEXT_CORRECTIONS:
            wrong, right = ITEM_TEXT_CORRECTIONS[code]
            if text != wrong:
                raise SystemExit(f"{code}: expected text to correct, found {text!r}")
            text = right
        items.append(
            {"code": code, "printed_code": printed_code, "text": text, "score": score.strip()}
        )
    return items, oit_points


def read_analysis_rows(lines: list[str]) -> list[Row]:
    """Return the rows of the three analysis tables, each cut row glued back together."""
    rows: list[Row] = []
    section = None
    started = False
    for line in lines:
        if line.startswith("การวิเคราะห์ผลการประเมิน"):
            started = True
        if not started:
            continue
        if line.startswith("หัวข้อ "):
            section = "OIT" if "OIT" in line else "IIT" if "IIT" in line else "EIT"
            continue
        if "\t" not in line or line.startswith("หัวข้อการประเมิน\t"):
            continue
        cells = [clean(cell) for cell in line.split("\t")]
        cells += [""] * (7 - len(cells))
        if len(cells) != 7:
            raise SystemExit(f"row with {len(cells)} cells: {line[:80]}")
        if is_new_row(cells[0]) or not rows:
            rows.append(Row(cells=cells, section=section))
        else:
            previous = rows[-1]
            previous.cells = [glue(a, b) for a, b in zip(previous.cells, cells, strict=True)]
    return rows


ITEM_MARK = re.compile(r"^(?:-\s*)?([IEO0○1]?\d{1,3})\s")
INDICATOR_MARK = re.compile(r"^ตัวชี้วัดที่\s*(\d+)\s*(.*?)\s*\S*เฉลี่ย\s*(\d+\.\d+)\s*")


def indicator_of(code: str) -> str:
    number = int(code[1:])
    if code.startswith("O"):
        return "9" if number <= 33 else "10"
    offset = 0 if code.startswith("I") else 5
    for indicator, numbers in INDICATOR_ITEMS.items():
        if indicator > offset and number in numbers:
            return str(indicator)
    raise SystemExit(f"no indicator for {code}")


def is_new_row(first_cell: str) -> bool:
    return bool(INDICATOR_MARK.match(first_cell) or ITEM_MARK.match(first_cell))


def resolve_codes(rows: list[Row]) -> list[Row]:
    """Give every row its item code: by order for OIT, by indicator and number otherwise."""
    oit_number = 0
    indicator = None
    findings = []
    for row in rows:
        heading = row.cells[0]
        match = INDICATOR_MARK.match(heading)
        if match:
            number, name, average = match.groups()
            indicator = (int(number), name.strip(), average)
            heading = heading[match.end() :].strip()
            row.indicator = indicator
            if not heading:  # an indicator line of its own (indicator 6)
                row.cells[0] = ""
                findings.append(row)
                continue
        for wrong, right in HEADING_CORRECTIONS.items():
            heading = heading.replace(wrong, right)
        row.cells[0] = heading
        mark = ITEM_MARK.match(heading)
        if not mark:
            raise SystemExit(f"no item code in {heading[:60]!r}")
        printed = mark.group(1)
        if row.section == "OIT":
            oit_number += 1
            row.code = f"O{oit_number}"
            digits = re.sub(r"\D", "", printed.replace("○", "").replace("O", ""))
            if int(digits) != oit_number:
                raise SystemExit(f"OIT row {oit_number}: printed {printed!r}")
        else:
            tool = "I" if row.section == "IIT" else "E"
            digits = re.sub(r"\D", "", printed)
            candidates = {int(digits)}
            if digits.startswith("1") and len(digits) > 1:
                candidates.add(int(digits[1:]))  # "1" read for "I"
            allowed = [n for n in candidates if n in INDICATOR_ITEMS[indicator[0]]]
            if len(allowed) != 1:
                raise SystemExit(f"{row.section} row {printed!r}: {allowed}")
            row.code = f"{tool}{allowed[0]}"
        findings.append(row)
    return findings


PRINTED_SCORE = re.compile(r"\(คะแนน\s*เฉลี่ย\s*([\d.]+)\s*(?:คะแนน)?\s*\)")


def printed_score(heading: str) -> str:
    match = PRINTED_SCORE.search(heading)
    if not match:
        return ""
    value = match.group(1)
    return PRINTED_NUMBER_CORRECTIONS.get(value, value)


def heading_text(heading: str) -> str:
    """The printed heading without its damaged code and its bullet dash."""
    return ITEM_MARK.sub("", heading, count=1).strip()


def oit_name(heading: str) -> str:
    """A short OIT title: drop the score and the spaces the narrow column put between words."""
    name = PRINTED_SCORE.sub("", heading).strip()
    name = re.sub(r"(?<=[\u0e01-\u0e45\u0e47-\u0e7f]) (?=[\u0e01-\u0e7f])", "", name)
    return OIT_NAME_CORRECTIONS.get(name, name)


def normalise_method(text: str) -> str:
    """Line-wrap spaces inside the follow-up method are dropped: it reads as one phrase."""
    return re.sub(r"\s+", "", text)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")


def main(seed: Path, out: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    items, oit_points = read_score_tables(lines)
    rows = resolve_codes(read_analysis_rows(lines))

    district = out / "phra_khanong"
    district.mkdir(parents=True, exist_ok=True)

    score_rows = [[ORGANIZATION, SCORE_YEAR, item["code"], item["score"]] for item in items]
    oit_scores = []
    for row in rows:
        if row.code.startswith("O"):
            oit_scores.append([ORGANIZATION, SCORE_YEAR, row.code, printed_score(row.cells[0])])
    write_csv(
        district / "scores_2564.csv",
        ["organization", "fiscal_year", "item", "score"],
        score_rows + oit_scores,
    )

    reported = []
    for row in rows:
        if row.indicator:
            number, _name, average = row.indicator
            reported.append(
                [
                    ORGANIZATION,
                    SCORE_YEAR,
                    "indicator",
                    str(number),
                    average,
                    "score",
                    ANALYSIS_SOURCE,
                    "",
                ]
            )
        if row.code and not row.code.startswith("O"):
            value = printed_score(row.cells[0])
            raw = PRINTED_SCORE.search(row.cells[0]).group(1)
            note = f"พิมพ์ไว้ว่า {raw}" if raw != value else ""
            reported.append(
                [ORGANIZATION, SCORE_YEAR, "item", row.code, value, "score", ANALYSIS_SOURCE, note]
            )
    points = oit_points.split("/")[0]
    reported.append(
        [
            ORGANIZATION,
            SCORE_YEAR,
            "tool",
            "OIT",
            points,
            "points",
            SCORE_SOURCE,
            f"พิมพ์ไว้ว่า {oit_points}",
        ]
    )
    write_csv(
        district / "reported_2564.csv",
        ["organization", "fiscal_year", "scope", "target", "value", "basis", "source", "note"],
        reported,
    )

    plan = []
    for row in rows:
        if not row.code:
            continue
        heading, analysis, issues, improvement, responsible, window, method = row.cells
        plan.append(
            [
                row.code,
                heading_text(heading),
                "\n".join(bullets(analysis)),
                "\n".join(bullets(issues)),
                "\n".join(bullets(improvement)),
                responsible,
                window,
                normalise_method(method),
            ]
        )
    write_csv(district / "plan_2565.csv", [ITEM, *printed_headers(int(PLAN_YEAR))], plan)

    catalog = out / "ita2564" / "items.csv"
    catalog.parent.mkdir(parents=True, exist_ok=True)
    printed = {row.code: heading_text(row.cells[0]) for row in rows if row.code.startswith("O")}
    catalog_rows = [
        [SCORE_YEAR, indicator_of(item["code"]), item["code"], "", item["text"]] for item in items
    ]
    for number in range(1, 44):
        code = f"O{number}"
        name = oit_name(printed[code])
        catalog_rows.append([SCORE_YEAR, indicator_of(code), code, name, name])
    write_csv(catalog, ["fiscal_year", "indicator", "item", "name", "text"], catalog_rows)
    total = sum(Decimal(r[3]) for r in score_rows)
    print(f"IIT+EIT items {len(score_rows)}, sum {total}; OIT points {oit_points}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
