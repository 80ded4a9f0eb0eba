"""The overview's two big table bodies (a page of agencies, and their heat map) as HTML.

Fifty rows of eight cells through Django's template engine cost most of the page: a lookup
per dotted name, a ``{% url %}`` and an ``{% include %}`` per row, a filter per cell. Here
the links are reversed once and filled in, the "simulated" badge rendered once, and each
cell formatted in Python. The output is the markup ``plans/overview.html`` had inline.
"""

from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

TENTH = Decimal("0.1")
CODE, YEAR = "CODE", 1  # placeholders of the reversed links


def _figure(value: Decimal | None) -> str:
    """As ``|floatformat:2|default:"—"``."""
    return "—" if value is None else f"{value:.2f}"


def _badges() -> dict[bool, str]:
    """The include's output for a simulated organization and for a real one (a newline)."""
    return {
        flag: render_to_string(
            "includes/simulated.html", {"organization": SimpleNamespace(is_simulated=flag)}
        )
        for flag in (True, False)
    }


def table_rows(rows, year: int) -> SafeString:
    """The overview table's rows of assessed agencies."""
    scores = reverse("scores", args=[CODE, year])
    progress = reverse("plan_progress", args=[CODE, YEAR])
    labels = {
        key: escape(text)
        for key, text in (
            ("code", gettext("รหัส")),
            ("name", gettext("หน่วยงาน")),
            ("total", gettext("คะแนนรวม")),
            ("level", gettext("ระดับ")),
            ("plan", gettext("แผน")),
            ("actions", gettext("การปรับปรุง")),
            ("done", gettext("เสร็จสิ้น")),
            ("overdue", gettext("เลยกำหนด")),
        )
    }
    year_word, no_data, badges = escape(gettext("ปี")), escape(gettext("ไม่มีข้อมูล")), _badges()
    parts = []
    for row in rows:
        org = row.assessment.organization
        code = escape(org.code)
        if row.plan is not None:
            plan_year = row.plan.fiscal_year
            link = progress.replace(f"/{CODE}/{YEAR}/", f"/{code}/{plan_year}/")
            plan = f'<a href="{link}">{year_word} {plan_year}</a>'
        else:
            plan = f'<span class="muted">{no_data}</span>'
        name = f'<a href="{scores.replace(f"/{CODE}/", f"/{code}/")}">{escape(org.name_th)}</a>'
        percent = row.percent_done
        if percent is not None:
            shown = percent.quantize(TENTH, ROUND_HALF_UP)
            done = f'<progress max="100" value="{percent}"></progress> {shown}%'
        else:
            done = "—"
        parts.append(
            f"""
    <tr>
      <td data-label="{labels["code"]}">{code}</td>
      <td data-label="{labels["name"]}">{name} {badges[org.is_simulated]}</td>
      <td data-label="{labels["total"]}">{_figure(row.summary.total)}</td>
      <td data-label="{labels["level"]}">{escape(row.summary.level) or "—"}</td>
      <td data-label="{labels["plan"]}">{plan}</td>
      <td data-label="{labels["actions"]}">{row.actions}</td>
      <td data-label="{labels["done"]}">{done}</td>
      <td data-label="{labels["overdue"]}">{row.overdue}</td>
    </tr>
  """
        )
    return mark_safe("".join(parts))  # every value above is escaped


def heat_rows(heat) -> SafeString:
    """The heat map's rows: agency, a coloured cell per indicator, the total."""
    badges = _badges()
    parts = []
    for line in heat:
        org = line.row.assessment.organization
        # A cell's text and class come from heat_map: a number with two decimals or "—", and
        # a class name; nothing in them to escape.
        cells = "".join(f'<td class="{css}">{score}</td>' for score, css in line.cells)
        parts.append(
            f'\n    <tr><th scope="row">{escape(org.name_th)}{badges[org.is_simulated]}'
            f"</th>{cells}<td>{_figure(line.row.summary.total)}</td></tr>\n  "
        )
    return mark_safe("".join(parts))  # every value above is escaped
