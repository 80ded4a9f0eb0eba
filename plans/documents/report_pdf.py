"""The six-month and annual reports as an A4 portrait PDF, drawn by WeasyPrint with Sarabun.

The content is ``progress_report.build``'s; the drawing machinery (local static files only,
no network) is the print report's (``plans.documents.report``). Headings follow the reader's
language; the plan's own text stays as stored.
"""

import functools
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from plans.charts import stacked_bar_chart
from plans.dashboard_charts import STATUS_SEGMENTS
from plans.documents import progress_report, report

TEMPLATE = "plans/progress_report.html"
CONTENT_TYPE = report.PDF_CONTENT_TYPE


@functools.cache
def _chart_style() -> str:
    # WeasyPrint does not apply the page's stylesheet to inline SVG, only an SVG's own
    # <style>: the chart colours (static/css/charts.css) go inside each drawing.
    css = report.static_file("/static/css/charts.css").read_text(encoding="utf-8")
    return re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)


def _printable(svg: str) -> str:
    return mark_safe(
        re.sub(
            r"(<svg[^>]*>)", lambda m: m.group(1) + f"<style>{_chart_style()}</style>", svg, count=1
        )
    )


def charts(content: progress_report.ProgressReport) -> list:
    """The summary's charts: the actions by status per tool and per division."""
    return [
        stacked_bar_chart(
            _("สถานะการปรับปรุงรายเครื่องมือ"),
            [(tally.label, tally.counts) for tally in content.by_tool],
            STATUS_SEGMENTS,
            label_header=_("เครื่องมือ"),
        ),
        stacked_bar_chart(
            _("สถานะการปรับปรุงรายฝ่าย"),
            [(tally.label, tally.counts) for tally in content.by_division],
            STATUS_SEGMENTS,
            label_header=_("ฝ่าย"),
        ),
    ]


def render_html(content: progress_report.ProgressReport, request=None) -> str:
    drawings = [(chart.title, _printable(chart.svg)) for chart in charts(content)]
    context = {"report": content, "cover": content.cover, "charts": drawings}
    return render_to_string(TEMPLATE, context, request=request)


def render(content: progress_report.ProgressReport, request=None) -> bytes:
    html_class, fetcher_class = report._weasyprint()
    html = render_html(content, request)
    base_url = request.build_absolute_uri("/") if request is not None else report.LOCAL_BASE_URL
    return html_class(string=html, base_url=base_url, url_fetcher=fetcher_class()).write_pdf()
