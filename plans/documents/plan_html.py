"""The two big tables of a plan as HTML: the plan page's table body and the report's plan table.

A plan of a hundred actions is a table of a few thousand cells, and Django's template engine
spends most of such a request resolving their lookups and filters one by one. So the rows are
prepared here, once, from the finding blocks of ``plan_table`` (labels translated, scores and
windows formatted, URLs built from one reversed pattern, permission flags already decided for
the reader). The report's tables are printed by Jinja2 (compiled to Python, autoescaping on);
the plan page's table, the hottest loop of the most used page, is written out by
``_page_table_html`` with every text escaped, which takes half of Jinja's time (its escaping
makes a Markup object of each of the few thousand values). The Django pages insert the result
as one safe string; everything around the table stays a Django template.

No template here holds text of its own: every label is translated here through Django's
gettext, so makemessages finds it and the catalogs stay the one source.
"""

import functools
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plans.documents.plan_table import ActionLine, Row, Section, shared_division_names
from plans.figures import fixed
from plans.models import Action


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "jinja"),
        autoescape=True,
        auto_reload=settings.DEBUG,
        undefined=jinja2.StrictUndefined,
    )


def _render(template: str, **context) -> SafeString:
    # Autoescaping is on: the text is escaped by Jinja, so the result is safe for Django.
    return mark_safe(_environment().get_template(template).render(**context))


def url_pattern(name: str):
    """``pk → URL`` for a URL named with one integer argument: reversed once, not per row."""
    marker = 2147483647
    prefix, _marker, suffix = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def score_text(value) -> str | None:
    """A score as the tables print it (two decimals), None where there is none."""
    return None if value is None else fixed(value, 2)


# ----------------------------------------------------------------------------- the plan page


@dataclass(slots=True)
class PageLine:
    """One action line of the plan page; ``url`` is empty on the line of a finding without
    actions."""

    url: str = ""
    text: str = ""
    status: str = ""
    status_label: str = ""
    overdue: bool = False
    progress: int = 0
    carried_url: str = ""
    carried_text: str = ""
    report_url: str = ""
    responsible: str = ""
    window: str = ""
    method: str = ""


@dataclass(slots=True)
class PageRow:
    pk: int
    span: int
    code: str
    label: str
    score: str | None
    edit_url: str
    add_url: str
    analysis: str
    issues: str
    lines: list[PageLine]


@dataclass(slots=True)
class TableGroup:
    number: int
    name: str
    average: str | None
    rows: list


@dataclass(slots=True)
class TableSection:
    code: str
    name: str
    groups: list[TableGroup]


def page_responsible(action: Action, all_divisions: str) -> str:
    """The plan page's responsible cell: "ฝ่ายปกครอง / ฝ่ายการคลัง / ทุกฝ่าย" (translated)."""
    text = action.lead_division.name if action.lead_division else ""
    for name in shared_division_names(action):
        text += f" / {name}"
    if action.all_divisions:
        text += f" / {all_divisions}"
    return text


def plan_page_table(
    sections: list[Section], *, can_edit: bool, reportable: set[int], today
) -> SafeString:
    """The tbody elements of the plan page's table, for the reader whose rights are given:
    ``can_edit`` (edit links per finding) and ``reportable`` (the actions they may report on).

    The actions need ``carried_from_year`` (the plan year of the action they carry over, or
    None) and their divisions attached (``plan_table.attach_divisions``)."""
    action_url = url_pattern("action_detail")
    report_url = url_pattern("progress_create")
    edit_url = url_pattern("finding_edit")
    add_url = url_pattern("action_create")
    status_labels = {value: str(label) for value, label in Action.Status.choices}
    all_divisions = _("ทุกฝ่าย")
    carried = _("ยกมาจากแผนปี %(year)s")

    def line(official: ActionLine) -> PageLine:
        action = official.action
        if action is None:
            return PageLine()
        carried_year = action.carried_from_year
        return PageLine(
            url=action_url(action.pk),
            text=action.text,
            status=action.status,
            status_label=status_labels.get(action.status, action.status),
            overdue=action.is_overdue(today),
            progress=action.progress,
            carried_url=action_url(action.carried_from_id) if action.carried_from_id else "",
            carried_text=carried % {"year": carried_year} if action.carried_from_id else "",
            report_url=report_url(action.pk) if action.pk in reportable else "",
            responsible=page_responsible(action, all_divisions),
            window=official.window,
            method=action.follow_up_method,
        )

    def row(block: Row) -> PageRow:
        finding, item = block.finding, block.finding.item
        return PageRow(
            pk=finding.pk,
            span=block.span,
            code=item.code,
            label=item.name or item.text,
            score=score_text(block.score),
            edit_url=edit_url(finding.pk) if can_edit else "",
            add_url=add_url(finding.pk) if can_edit else "",
            analysis=finding.analysis,
            issues=finding.issues,
            lines=[line(official) for official in block.lines],
        )

    table = _sections(sections, row)
    labels = {
        "tool": _("หัวข้อ"),
        "indicator": _("ตัวชี้วัดที่"),
        "average": _("คะแนนเฉลี่ย"),
        "edit": _("แก้ไขการวิเคราะห์"),
        "add": _("เพิ่มการปรับปรุง"),
        "overdue": _("เลยกำหนด"),
        "report": _("รายงาน"),
        "no_action": _("ยังไม่มีการปรับปรุง"),
        "nothing": _("ไม่มีรายการที่ตรงกับตัวกรอง"),
    }
    return _page_table_html(table, labels)


def _page_table_html(sections: list[TableSection], labels: dict[str, str]) -> SafeString:
    """The plan page's tbody elements, one per tool, written out here rather than by a
    template: the page's hottest loop, where a template engine's escaping and lookups of a
    few thousand values cost a tenth of the request. Every value printed is escaped
    (``html.escape``) except the integers (ids, spans, progress)."""
    label = {key: escape(value) for key, value in labels.items()}
    out = []
    for section in sections:
        out.append(
            '<tbody>\n<tr class="section"><th colspan="7" scope="rowgroup">'
            f"{label['tool']} {escape(section.name)} ({escape(section.code)})</th></tr>\n"
        )
        for group in section.groups:
            average = ""
            if group.average is not None:
                average = f" · {label['average']} {escape(group.average)}"
            out.append(
                '<tr class="subsection"><th colspan="7" scope="rowgroup">'
                f"{label['indicator']} {int(group.number)} {escape(group.name)}{average}"
                "</th></tr>\n"
            )
            for row in group.rows:
                out.extend(
                    _page_line_html(row, line, index == 0, label)
                    for index, line in enumerate(row.lines)
                )
        out.append("</tbody>\n")
    if not sections:
        out.append(f'<tbody><tr><td colspan="7" class="empty">{label["nothing"]}</td></tr></tbody>')
    return mark_safe("".join(out))


def _page_line_html(row: PageRow, line: PageLine, first: bool, label: dict[str, str]) -> str:
    """One action line of the plan page (its finding's cells on the first line)."""
    cells = [f'<tr id="finding-{int(row.pk)}" class="finding-first">\n' if first else "<tr>\n"]
    if first:
        span = int(row.span)
        cells.append(
            f'<th scope="rowgroup" rowspan="{span}" class="item">\n'
            f"<strong>{escape(row.code)}</strong> {escape(row.label)}\n"
        )
        if row.score is not None:
            cells.append(f'<br><span class="score">{label["average"]} {escape(row.score)}</span>\n')
        if row.edit_url:
            cells.append(
                f'<br><a href="{escape(row.edit_url)}">{label["edit"]}</a> · '
                f'<a href="{escape(row.add_url)}">{label["add"]}</a>\n'
            )
        cells.append(
            f'</th>\n<td class="pre" rowspan="{span}">{escape(row.analysis)}</td>\n'
            f'<td class="pre" rowspan="{span}">{escape(row.issues)}</td>\n'
        )
    if not line.url:
        cells.append(f'<td class="muted">{label["no_action"]}</td><td></td><td></td><td></td>\n')
        cells.append("</tr>\n")
        return "".join(cells)
    overdue = ""
    if line.overdue:
        overdue = f' <span class="status status-overdue">{label["overdue"]}</span>'
    cells.append(
        f'<td class="action">\n<a href="{escape(line.url)}">{escape(line.text)}</a>\n'
        f'<br><span class="status status-{escape(line.status)}">{escape(line.status_label)}'
        f"</span>{overdue} {int(line.progress)}%\n"
    )
    if line.carried_url:
        cells.append(
            f'<br><a class="small carried" href="{escape(line.carried_url)}">'
            f"{escape(line.carried_text)}</a>\n"
        )
    if line.report_url:
        cells.append(f'<a class="small" href="{escape(line.report_url)}">{label["report"]}</a>\n')
    cells.append(
        f"</td>\n<td>{escape(line.responsible)}</td>\n"
        f'<td class="window">{escape(line.window)}</td>\n<td>{escape(line.method)}</td>\n</tr>\n'
    )
    return "".join(cells)


# ------------------------------------------------------------------------------- the report


@dataclass(slots=True)
class ReportRow:
    code: str
    label: str
    score: str | None
    span: int
    analysis: list[tuple[str, bool]]
    issues: list[tuple[str, bool]]
    lines: list[ActionLine]


def _sections(sections: list[Section], row) -> list[TableSection]:
    """The tools and indicators of a table, each finding block drawn by ``row``."""
    return [
        TableSection(
            code=section.tool.code,
            name=section.tool.name,
            groups=[
                TableGroup(
                    number=group.indicator.number,
                    name=group.indicator.name,
                    average=score_text(group.average),
                    rows=[row(block) for block in group.rows],
                )
                for group in section.indicators
            ],
        )
        for section in sections
    ]


def text_lines(text: str) -> list[tuple[str, bool]]:
    """A cell's lines, each marked whether it is a bullet ("- …")."""
    return [(line, line[:2] == "- ") for line in text.splitlines()]


def report_plan_table(sections: list[Section], headers: list[str]) -> SafeString:
    """The report's plan table: a section per tool with the official finding blocks."""

    def row(block: Row) -> ReportRow:
        return ReportRow(
            code=block.finding.item.code,
            label=block.finding.item.name or block.finding.item.text,
            score=score_text(block.score),
            span=block.span,
            analysis=text_lines(block.finding.analysis),
            issues=text_lines(block.finding.issues),
            lines=block.lines,
        )

    table = _sections(sections, row)
    labels = {
        "tool": _("หัวข้อ"),
        "indicator": _("ตัวชี้วัดที่"),
        "average": _("คะแนนเฉลี่ย"),
        "empty": _("แผนนี้ยังไม่มีประเด็นการปรับปรุง"),
    }
    return _render("report_plan_table.jinja", sections=table, headers=headers, labels=labels)


def figure(value) -> str:
    """A score cell of the report: two decimals, "-" where there is none."""
    return "-" if value is None else fixed(value, 2)


def report_score_tables(tools) -> SafeString:
    """The score table of each tool (``report.ToolScore``): indicators, items and the total."""
    heading = _("ประเด็นการประเมิน %(code)s (%(name)s)")
    total = _("คะแนน %(code)s (น้ำหนักร้อยละ %(weight)s)")
    table = [
        {
            "heading": heading % {"code": tool.code, "name": tool.name},
            "total_label": total % {"code": tool.code, "weight": floatformat(tool.weight, -2)},
            "score": figure(tool.score),
            "indicators": [
                {
                    "number": indicator.number,
                    "name": indicator.name,
                    "score": figure(indicator.score),
                    "rows": [
                        {"code": item.code, "label": item.label, "score": figure(item.score)}
                        for item in indicator.items
                    ],
                }
                for indicator in tool.indicators
            ],
        }
        for tool in tools
    ]
    labels = {"score": _("คะแนนที่ได้"), "indicator": _("ตัวชี้วัดที่")}
    return _render("report_score_tables.jinja", tools=table, labels=labels)
