"""The official report of a plan: the score tables and the seven-column plan table, as
print-ready HTML and as an A4 landscape PDF.

The finding blocks and their action lines are the plan page's and the .xlsx export's
(``plans.documents.plan_table``), so the three forms of the plan always agree. The PDF is drawn by
WeasyPrint from the same template as the HTML page; its stylesheet and the Sarabun font are
read from the static files on disk, never fetched over the network.
"""

import functools
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.models import Indicator, Item, ItemScore, Organization
from assessments.rollup import framework_spec, score_report
from assessments.thaidates import format_date
from ita_tracker import prepared, rows
from plans.dashboards import PlanSetting
from plans.documents import plan_html, plan_table, planrows, xlsx
from plans.models import Plan

TEMPLATE = "plans/report.html"
PDF_CONTENT_TYPE = "application/pdf"
# Base of the document's relative URLs when there is no request (the management command).
# Only its path matters: the fetcher below maps it to files and contacts no host.
LOCAL_BASE_URL = "http://report.invalid/"


@dataclass
class ItemLine:
    code: str
    label: str
    score: Decimal | None


@dataclass
class IndicatorScore:
    number: int
    name: str
    score: Decimal | None
    items: list[ItemLine] = field(default_factory=list)


@dataclass
class ToolScore:
    code: str
    name: str
    weight: Decimal
    score: Decimal | None
    points: Decimal | None
    indicators: list[IndicatorScore] = field(default_factory=list)


def office_name(organization: Organization) -> str:
    """Name the office as the document does: "สำนักงานเขตพระโขนง" for the district เขตพระโขนง
    ("Phra Khanong District Office" in English, where the office has an English name)."""
    district = organization.kind == Organization.Kind.DISTRICT
    if organization.name_en and translation.get_language() == "en":
        if not district:
            return organization.name_en
        return _("สำนักงานเขต%(name)s") % {"name": organization.name_en}
    name = organization.name_th
    if district and not name.startswith("สำนักงาน"):
        return f"สำนักงาน{name}"
    return name


def subtitle(plan: Plan) -> str:
    """The line that names the assessment year, the plan year and the office."""
    return _("ผลการประเมิน ITA ปี %(assessed)s · แผนปรับปรุงปีงบประมาณ พ.ศ. %(year)s · %(office)s") % {
        "assessed": plan.assessment.framework.fiscal_year,
        "year": plan.fiscal_year,
        "office": office_name(plan.organization),
    }


def framework_items(plan: Plan) -> tuple[dict[int, list[ItemLine]], dict[str, Decimal]]:
    """The framework's items per indicator number, as score lines still without their score,
    and the assessment's item scores by code: one plain statement for both, prepared."""
    quote = connection.ops.quote_name
    sql = f"""
        SELECT n.number, i.code, i.name, i.text,
            (SELECT s.score FROM {quote(ItemScore._meta.db_table)} s
             WHERE s.assessment_id = %s AND s.item_id = i.id LIMIT 1)
        FROM {quote(Item._meta.db_table)} i
        INNER JOIN {quote(Indicator._meta.db_table)} n ON n.id = i.indicator_id
        WHERE i.framework_id = %s
        ORDER BY i.{quote("order")}, i.code"""
    found = prepared.fetchall(
        connection, "framework_items", sql, [plan.assessment_id, plan.assessment.framework_id]
    )
    score = rows.converter(ItemScore, "score", connection)
    items = [(*row[:4], score(row[4])) for row in found]
    by_indicator: dict[int, list] = {}
    scores = {}
    for number, code, name, text, value in items:
        by_indicator.setdefault(number, []).append(ItemLine(code, name or text, None))
        if value is not None:
            scores[code] = value
    return by_indicator, scores


def score_tables(plan: Plan, report, items=None) -> list[ToolScore]:
    """Per tool: its indicators with their items and scores, its weight and its points;
    ``items`` as ``framework_items`` gives them, read here if not given."""
    spec, summary = report.spec, report.summary
    if items is None:
        items, _scores = framework_items(plan)
    tools = []
    for tool in spec.tools:
        exact = summary.exact_tools.get(tool.code)
        indicators = [
            IndicatorScore(
                number=indicator.number,
                name=indicator.name,
                score=summary.indicators.get(indicator.number),
                items=[
                    ItemLine(item.code, item.label, summary.items.get(item.code))
                    for item in items.get(indicator.number, [])
                ],
            )
            for indicator in spec.indicators
            if indicator.tool_code == tool.code
        ]
        tools.append(
            ToolScore(
                code=tool.code,
                name=tool.name,
                weight=tool.weight,
                score=summary.tools.get(tool.code),
                # Points come from the unrounded score, as every reported figure does.
                points=scoring.round_score(scoring.points(exact, tool.weight)),
                indicators=indicators,
            )
        )
    return tools


def wants_notes(request) -> bool:
    """The data-quality notes are internal: the report adds them only when asked (?notes=1)."""
    return request is not None and request.GET.get("notes") == "1"


@dataclass(frozen=True)
class _Scores:
    spec: scoring.FrameworkSpec
    summary: scoring.Summary
    warnings: list


def _score_report(plan: Plan, item_scores: dict, notes: bool):
    """The assessment's roll-up of ``item_scores``; its comparison with the reported figures
    (one more query, and the warnings) only where the notes are shown."""
    spec = framework_spec(plan.assessment.framework)
    if notes:
        return score_report(plan.assessment, spec, item_scores)
    return _Scores(spec, scoring.summarize(spec, item_scores), [])


def report_context(plan: Plan, *, pdf: bool = False, notes: bool = False) -> dict:
    """Everything the report template shows; a constant number of queries whatever the plan.

    The scores' data-quality notes belong on the scores page; ``notes`` adds them here."""
    items, item_scores = framework_items(plan)
    report = _score_report(plan, item_scores, notes)
    headers = planrows.column_headings(plan.fiscal_year)
    # The finding blocks of the plan page, printed by Jinja2 (plans/documents/plan_html.py).
    # The district's divisions name the lines (one prepared statement with the plan's rounds).
    divisions = PlanSetting(plan).divisions
    actions = plan_table.plan_actions(plan, records=True, district_divisions=divisions)
    sections = plan_table.sections(plan, plan_table.findings(plan, actions), report.summary)
    tools = score_tables(plan, report, items)
    return {
        "plan": plan,
        "framework": plan.assessment.framework,
        "office": office_name(plan.organization),
        "subtitle": subtitle(plan),
        "headers": headers,
        "sections": sections,
        "plan_table": plan_html.report_plan_table(sections, headers),
        "tools": tools,
        "score_tables": plan_html.report_score_tables(tools),
        "summary": report.summary,
        "notes": notes,
        "warnings": report.warnings if notes else [],
        "printed_on": format_date(timezone.localdate(), "long"),
        "pdf": pdf,
    }


def pdf_file_name(plan: Plan) -> str:
    return xlsx.file_name(plan, "pdf")


def static_file(url: str) -> Path | None:
    """The file on disk behind a static URL, or None for any other URL."""
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    name = PurePosixPath(path[len(prefix) :])
    # Only a file under the static folders: nothing above them, no absolute path.
    if not name.parts or name.is_absolute() or ".." in name.parts:
        return None
    found = finders.find(str(name))
    if found and Path(found).is_file():
        return Path(found)
    # Hashed names ("report.3f2a.css") exist only among the collected files.
    try:
        collected = Path(staticfiles_storage.path(str(name)))
    except NotImplementedError:
        return None
    return collected if collected.is_file() else None


def local_resource(url: str) -> tuple[bytes, str]:
    """The bytes and content type of a static file; ValueError for any other URL."""
    path = static_file(url)
    if path is None:
        # WeasyPrint logs the refusal and draws the document without that resource.
        raise ValueError(f"not a local static file: {url}")
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# WeasyPrint is imported on the first PDF, not with the URLs: it loads Pango and logs its
# start-up, which no HTML page and no other command needs.
@functools.cache
def _weasyprint():
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Give WeasyPrint the app's own static files; refuse every other URL."""

        def fetch(self, url, headers=None):
            body, content_type = local_resource(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return weasyprint.HTML, StaticFileFetcher


def render_pdf(plan: Plan, request=None) -> bytes:
    """Render the report of a plan as a PDF document."""
    html_class, fetcher_class = _weasyprint()
    context = report_context(plan, pdf=True, notes=wants_notes(request))
    html = render_to_string(TEMPLATE, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else LOCAL_BASE_URL
    return html_class(string=html, base_url=base_url, url_fetcher=fetcher_class()).write_pdf()
