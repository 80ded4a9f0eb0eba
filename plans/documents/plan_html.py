"""The two big tables of a plan as HTML: the plan page's table body and the report's plan table.

A plan of a hundred actions is a table of a few thousand cells, and Django's template engine
spends most of such a request resolving their lookups and filters one by one. So the rows are
prepared here, once, from the finding blocks of ``plan_table`` (labels translated, scores and
windows formatted, URLs built from one reversed pattern, permission flags already decided for
the reader), and Jinja2 (compiled to Python, autoescaping on) only prints them. The Django pages
insert the result as one safe string; everything around the table stays a Django template.

The Jinja templates (``jinja/*.jinja``) hold no text of their own: every label is translated
here through Django's gettext, so makemessages finds it and the catalogs stay the one source.
"""

import functools
from dataclasses import dataclass
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
    return _render("plan_page_table.jinja", sections=table, labels=labels)


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
