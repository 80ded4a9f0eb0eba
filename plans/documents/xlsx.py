"""The official plan table as an .xlsx workbook, laid out like the district's own document.

Sheet 1: the seven columns, grouped by tool and indicator with heading rows; each finding is a
block whose item, analysis and issues cells are merged down one row per action, and each
action row has its own responsible divisions, Buddhist-Era window and follow-up method;
wrapped text, frozen header, A4 landscape with the header repeated on every printed page.
Sheet 2: the score tables per tool.

The file reads back with ``import_plan`` unchanged: headings start with the item code, heading
rows are recognised as sections and a row whose finding cells are merged (empty) adds its
action to the finding above. The sheet stays in Thai whatever the interface language: it is the
district's document and the import reads its Thai column names.
"""

import io
from collections import OrderedDict

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from assessments.rollup import score_report
from plans.documents import plan_table, planrows
from plans.documents.plan_table import FindingRecord
from plans.models import Plan

FONT = "TH Sarabun New"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WIDTHS = [34, 40, 34, 44, 18, 16, 24]
# Text a spreadsheet program would otherwise take for a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def put(sheet, row: int, column: int, value, *, bold=False, fill=None):
    """Write one cell as text or number; text is never read as a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.font = Font(name=FONT, size=14, bold=bold)
    cell.alignment = WRAP
    cell.border = BOX
    if fill:
        cell.fill = fill
    return cell


# The item, analysis and issues columns: merged over the lines of a finding block.
SPANNING_COLUMNS = (1, 2, 3)


def finding_cells(finding: FindingRecord, score) -> list[str]:
    """The cells a finding block spans: its item (code, label, score), analysis, issues."""
    item = finding.item
    label = item.name or item.text
    shown = "" if score is None else f" (คะแนนเฉลี่ย {score:.2f})"
    return [f"{item.code} {label}{shown}", finding.analysis, finding.issues]


def line_cells(line: plan_table.ActionLine) -> list[str]:
    """The four cells of one action line; empty for a finding without actions."""
    if line.action is None:
        return ["", "", "", ""]
    return [f"- {line.text}", line.responsible, line.window, line.method]


def write_block(sheet, row: int, block: plan_table.Row) -> int:
    """Write a finding block from ``row``: one sheet row per action line, the finding's
    cells merged down the block. Return the next free row."""
    for offset, line in enumerate(block.lines):
        spanning = finding_cells(block.finding, block.score) if offset == 0 else ["", "", ""]
        for column, value in enumerate(spanning + line_cells(line), start=1):
            put(sheet, row + offset, column, value)
    if block.span > 1:
        for column in SPANNING_COLUMNS:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + block.span - 1, end_column=column
            )
    return row + block.span


# Windows and the like in Thai, as the import reads them, whatever the reader's language.
@translation.override("th")
def build_workbook(plan: Plan) -> Workbook:
    report = score_report(plan.assessment)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "แผนปรับปรุง"
    organization = plan.organization.name_th
    title = (
        f"{plan.title or 'แผนปรับปรุง'} — {organization} "
        f"(ผลการประเมิน ITA ปี {plan.assessment.framework.fiscal_year}, "
        f"แผนปีงบประมาณ พ.ศ. {plan.fiscal_year})"
    )
    put(sheet, 1, 1, title, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    sheet.row_dimensions[1].height = 40
    headers = planrows.printed_headers(plan.fiscal_year)
    for column, header in enumerate(headers, start=1):
        put(sheet, 2, column, header, bold=True, fill=HEADER_FILL)
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[column - 1]
    sheet.freeze_panes = "A3"

    row = 3
    for section in plan_table.sections(plan, plan_table.findings(plan), report.summary):
        tool = section.tool
        put(sheet, row, 1, f"หัวข้อ {tool.name} ({tool.code})", bold=True, fill=SECTION_FILL)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        row += 1
        for group in section.indicators:
            indicator, average = group.indicator, group.average
            shown = "" if average is None else f" คะแนนเฉลี่ย {average:.2f}"
            put(
                sheet,
                row,
                1,
                f"ตัวชี้วัดที่ {indicator.number} {indicator.name}{shown}",
                bold=True,
                fill=SECTION_FILL,
            )
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
            row += 1
            for block in group.rows:
                row = write_block(sheet, row, block)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    sheet.oddFooter.center.text = "หน้า &P / &N"
    sheet.oddHeader.center.text = f"{organization} — แผนปีงบประมาณ พ.ศ. {plan.fiscal_year}"

    add_score_sheet(workbook, plan, report)
    return workbook


def add_score_sheet(workbook: Workbook, plan: Plan, report) -> None:
    sheet = workbook.create_sheet("คะแนน")
    framework = plan.assessment.framework
    put(
        sheet,
        1,
        1,
        f"ผลการประเมิน {framework.name} ปี {framework.fiscal_year} — {plan.organization.name_th}",
        bold=True,
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 90
    sheet.column_dimensions["C"].width = 14
    row = 3
    items = framework.items.select_related("indicator__tool").order_by("order", "code")
    by_tool: OrderedDict = OrderedDict()
    for item in items:
        by_tool.setdefault(item.indicator.tool, []).append(item)
    for tool, tool_items in by_tool.items():
        put(sheet, row, 1, tool.code, bold=True, fill=HEADER_FILL)
        put(
            sheet, row, 2, f"ประเด็นการประเมิน {tool.code} ({tool.name})", bold=True, fill=HEADER_FILL
        )
        put(sheet, row, 3, "คะแนนที่ได้", bold=True, fill=HEADER_FILL)
        row += 1
        for item in tool_items:
            score = report.summary.items.get(item.code)
            put(sheet, row, 1, item.code)
            put(sheet, row, 2, item.name or item.text)
            put(sheet, row, 3, None if score is None else float(score))
            sheet.cell(row=row, column=3).number_format = "0.00"
            row += 1
        tool_score = report.summary.tools.get(tool.code)
        put(sheet, row, 2, f"คะแนนเครื่องมือ {tool.code} (น้ำหนัก {tool.weight:g}%)", bold=True)
        put(sheet, row, 3, None if tool_score is None else float(tool_score), bold=True)
        sheet.cell(row=row, column=3).number_format = "0.00"
        row += 2
    total = report.summary.total
    put(sheet, row, 2, f"คะแนนรวม (ระดับ {report.summary.level or '-'})", bold=True)
    put(sheet, row, 3, None if total is None else float(total), bold=True)
    sheet.cell(row=row, column=3).number_format = "0.00"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(plan: Plan, extension: str = "xlsx") -> str:
    return f"ita-plan-{plan.organization.code}-{plan.fiscal_year}.{extension}"


def plan_xlsx(plan: Plan) -> bytes:
    buffer = io.BytesIO()
    build_workbook(plan).save(buffer)
    return buffer.getvalue()
