"""The six-month and annual reports as a Word document (.docx), for the office to finish.

Set as Thai official documents are: A4, margins 2.5 cm left and top, 2 cm right and bottom,
TH Sarabun New 16 pt (named for the complex-script runs too, or Word sets Thai in its default
font). Plain tables with a repeated header row, one row per action, the finding's cell merged
down its actions, so the office edits them as any Word table; a signature block to fill in.
"""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from plans.documents import progress_report

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "TH Sarabun New"
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(14)
# The plan table's columns, in cm, over the 16.5 cm between the margins.
WIDTHS = [3.6, 3.6, 1.9, 1.7, 1.9, 1.6, 2.2]


def _set_font(style_or_run, size=None, bold=None) -> None:
    """Name the font for every script, the complex-script size too: Thai is a complex script."""
    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    # A theme font (the default template's headings have them) would win over the name.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    if size is not None:
        for tag in ("w:szCs",):
            element = properties.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                properties.append(element)
            element.set(qn("w:val"), str(int(size.pt * 2)))
    if bold and properties.find(qn("w:bCs")) is None:
        properties.append(OxmlElement("w:bCs"))


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.top_margin = Cm(2.5)
    section.right_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        _set_font(style, Pt(20) if name == "Title" else Pt(18 if name == "Heading 1" else 16), True)
        style.font.color.rgb = None
    return document


def _paragraph(container, text: str, *, bold=False, size=None, align=None):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    _set_font(run, size, bold or None)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _cell(cell, lines: list[str], *, bold_first=False, size=TABLE_SIZE) -> None:
    """Fill a cell with one paragraph per line (the cell's own empty paragraph first)."""
    lines = [line for line in lines if line] or [""]
    for index, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        _set_font(run, size, True if (bold_first and index == 0) else None)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, headers: list[str], widths=None):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, [header], bold_first=True)
    _repeat_header(table.rows[0])
    if widths:
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    return table


def _widths(table, widths) -> None:
    # Word reads the cells' widths, not the columns'.
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _summary(document, content: progress_report.ProgressReport) -> None:
    document.add_heading(_("สรุปผลการดำเนินการ"), level=1)
    headers = [
        "",
        _("ตามแผน"),
        _("เสร็จสิ้น"),
        _("กำลังดำเนินการ"),
        _("ยังไม่เริ่ม"),
        str(progress_report.Status.CANCELLED.label),
    ]
    table = _table(document, headers)
    groups = [
        ("", [content.totals]),
        (_("รายเครื่องมือ"), content.by_tool),
        (_("รายฝ่าย (นับทุกฝ่ายที่รับผิดชอบ)"), content.by_division),
    ]
    for heading, tallies in groups:
        if heading:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            _cell(merged, [heading], bold_first=True)
        for tally in tallies:
            cells = table.add_row().cells
            figures = [tally.planned, tally.done, tally.in_progress, tally.not_started]
            figures.append(tally.cancelled)
            _cell(cells[0], [tally.label])
            for cell, figure in zip(cells[1:], figures, strict=True):
                _cell(cell, [str(figure)])
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(table, [6.0, 2.1, 2.1, 2.1, 2.1, 2.1])


def _finding_lines(block: progress_report.Block) -> list[str]:
    item = block.row.finding.item
    lines = [f"{item.code} {item.name or item.text}"]
    if block.row.score is not None:
        lines.append(_("คะแนนเฉลี่ย %(score)s") % {"score": f"{block.row.score:.2f}"})
    lines += block.row.finding.analysis.splitlines() + block.row.finding.issues.splitlines()
    return lines


def _result_lines(line: progress_report.Line) -> list[str]:
    lines = line.note.splitlines()
    if line.evidence_url or line.evidence_label:
        lines.append(line.evidence_url or line.evidence_label)
    if line.reported_on:
        lines.append(_("รายงานล่าสุด %(day)s") % {"day": line.reported_on})
    return lines


def _plan_part(document, content, part: progress_report.ToolPart) -> None:
    document.add_heading(
        _("หัวข้อ %(name)s (%(code)s)") % {"name": part.name, "code": part.code}, level=2
    )
    table = _table(document, content.headers)
    for block in part.blocks:
        first = None
        for line in block.lines:
            cells = table.add_row().cells
            if first is None:
                first = cells[0]
                _cell(first, _finding_lines(block), bold_first=True)
            else:
                # The finding's cell runs down all its actions' rows (a vertical merge).
                first = first.merge(cells[0])
            _cell(cells[1], [line.line.text])
            _cell(cells[2], [line.line.responsible])
            _cell(cells[3], [line.line.window])
            _cell(cells[4], [line.line.method])
            status = f"{line.status_label} ({line.progress}%)" if line.line.action else ""
            _cell(cells[5], [status])
            _cell(cells[6], _result_lines(line))
    _widths(table, WIDTHS)


def render(content: progress_report.ProgressReport) -> bytes:
    document = _document()
    cover = content.cover
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, cover.title, bold=True, size=Pt(20), align=centre)
    _paragraph(document, cover.office, bold=True, size=Pt(18), align=centre)
    texts = [
        _("แผนปรับปรุงการดำเนินงานตามผลการประเมิน ITA ปีงบประมาณ พ.ศ. %(year)s")
        % {"year": cover.fiscal_year},
        _("รอบการรายงาน: %(round)s (%(period)s)")
        % {"round": cover.round_name, "period": cover.period},
        _("ข้อมูล ณ วันที่ %(day)s") % {"day": cover.as_of},
        _("ตอบผลการประเมิน %(name)s ปี %(year)s: คะแนนรวม %(total)s ระดับ %(level)s")
        % {
            "name": cover.assessment_name,
            "year": cover.assessed_year,
            "total": f"{cover.total:.2f}" if cover.total is not None else "-",
            "level": cover.level or "-",
        },
    ]
    if cover.public:
        texts.append(_("ฉบับเผยแพร่ต่อสาธารณะ: แสดงรายละเอียดและหลักฐานเฉพาะรายงานที่เผยแพร่ได้"))
    for text in texts:
        _paragraph(document, text, align=centre)
    _summary(document, content)
    for part in content.parts:
        _plan_part(document, content, part)
    # The office signs below: editable lines, nothing the app can fill in for it.
    document.add_paragraph()
    for text in (
        _("ลงชื่อ ...................................................... ผู้รายงาน"),
        "(......................................................)",
        _("ตำแหน่ง ......................................................"),
        _("วันที่ ...... เดือน .................... พ.ศ. ........"),
    ):
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
