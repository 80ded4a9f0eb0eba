"""The six-month and the annual report of a plan, as plain data for the PDF and the .docx.

A report is the plan as of one day: the end of the round that covers month 6 of the fiscal
year (31 March) for the six-month report, the end of the fiscal year for the annual one, or
the end of a round asked for. Every figure is what the progress reports made up to that day
say (``plans.progress.status_after``), so a report printed later tells the same story.

The finding blocks are ``plans.documents.plan_table``'s, one line per action. The public
variant shows a report's note and evidence only if the report was marked public.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rollup import score_report
from assessments.thaidates import as_date, fiscal_year_bounds, format_date
from plans import dashboards
from plans.documents import plan_table, planrows
from plans.documents.report import office_name
from plans.models import Action, Plan, ProgressUpdate, ReportingRound
from plans.progress import status_after
from plans.publishing import public_evidence_url

Status = Action.Status
SIX_MONTH, ANNUAL = "six-month", "annual"
KINDS = {
    SIX_MONTH: gettext_lazy("รายงานความก้าวหน้า รอบ 6 เดือน"),
    ANNUAL: gettext_lazy("รายงานผลการดำเนินการประจำปี"),
}
# The order the counts are printed in, and the chart's segments.
STATUSES = [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.CANCELLED]


class UnknownKind(ValueError):
    def __init__(self, kind: str):
        super().__init__(
            _("ไม่รู้จักรายงาน “%(kind)s” (ใช้ได้: %(kinds)s)")
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )


@dataclass
class Tally:
    """Actions counted by status as of the report's day, under a label (a tool, a division)."""

    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def planned(self) -> int:
        return sum(self.counts.values())

    def __getattr__(self, name):
        # tally.done, tally.in_progress, ... for the templates.
        if name in Status.values:
            return self.counts.get(name, 0)
        raise AttributeError(name)


@dataclass
class Cover:
    title: str
    office: str
    fiscal_year: int
    round_name: str
    period: str  # "1 ต.ค. 2564 – 31 มี.ค. 2565"
    as_of: str  # the report's day, Buddhist Era
    printed_on: str
    assessment_name: str
    assessed_year: int
    total: object
    level: str | None
    public: bool
    simulated: bool


@dataclass
class Line:
    """One action's line: the plan's columns and its standing as of the report's day."""

    line: plan_table.ActionLine
    status: str = ""
    status_label: str = ""
    progress: int | None = None
    note: str = ""
    evidence_url: str = ""
    evidence_label: str = ""
    reported_on: str = ""


@dataclass
class Block:
    row: plan_table.Row
    lines: list[Line]

    @property
    def span(self) -> int:
        return len(self.lines)


@dataclass
class ToolPart:
    code: str
    name: str
    blocks: list[Block]


@dataclass
class ProgressReport:
    kind: str
    plan: Plan
    day: date
    round: ReportingRound | None
    cover: Cover
    totals: Tally
    by_tool: list[Tally]
    by_division: list[Tally]
    parts: list[ToolPart]
    headers: list[str]
    public: bool

    @property
    def lines(self) -> list[Line]:
        return [line for part in self.parts for block in part.blocks for line in block.lines]


def six_month_day(plan: Plan) -> date:
    """31 March of the plan's fiscal year: the end of its sixth month."""
    start, _end = fiscal_year_bounds(plan.fiscal_year)
    return date(start.year + 1, 3, 31)


def report_round(kind: str, rounds: list, plan: Plan, chosen=None):
    """The round the report covers: the one asked for; for the six-month report, the latest
    round ending on or before 31 March; the annual one covers the whole year, no one round."""
    if chosen is not None:
        return chosen
    if kind == SIX_MONTH:
        ended = [r for r in rounds if r.ends_on <= six_month_day(plan)]
        return max(ended, key=lambda r: r.ends_on) if ended else None
    return None


def report_day(kind: str, plan: Plan, chosen_round=None, covering_round=None) -> date:
    """The day the report tells the plan as of."""
    if chosen_round is not None:
        return chosen_round.ends_on
    if kind == SIX_MONTH:
        return covering_round.ends_on if covering_round else six_month_day(plan)
    return fiscal_year_bounds(plan.fiscal_year)[1]


def _site(path: str) -> str:
    return settings.ITA_SITE_URL.rstrip("/") + path


def _evidence_link(update: ProgressUpdate, public: bool) -> tuple[str, str]:
    """(href, label) of a report's evidence: its link, else its file at the app's address
    (the public variant: the file's own public address)."""
    if update.evidence_url:
        return update.evidence_url, update.evidence_url
    if not update.evidence_file:
        return "", ""
    label = update.evidence_file.name.rsplit("/", 1)[-1]
    if public:
        return _site(public_evidence_url(update)), label
    return _site(reverse("evidence", args=[update.pk])), label


def _reports_by_action(plan: Plan) -> dict[int, list[ProgressUpdate]]:
    reports: dict[int, list[ProgressUpdate]] = {}
    updates = (
        ProgressUpdate.objects.filter(action__finding__plan=plan)
        .only(
            "action_id",
            "division_id",
            "status",
            "progress",
            "note",
            "evidence_url",
            "evidence_file",
            "is_public",
            "reported_at",
        )
        .order_by("reported_at", "pk")
    )
    for update in updates:
        reports.setdefault(update.action_id, []).append(update)
    return reports


def _line(line, reports, divisions, day, public) -> Line:
    action = line.action
    if action is None:
        return Line(line)
    made = reports.get(action.pk, [])
    until = [update for update in made if as_date(update.reported_at) <= day]
    status, progress = status_after(
        action, until, divisions, day, reported_later=len(until) < len(made)
    )
    shown = [update for update in until if update.is_public or not public]
    told = [update for update in shown if update.has_evidence()]
    latest = told[-1] if told else None
    href, label = _evidence_link(latest, public) if latest else ("", "")
    return Line(
        line,
        status=status,
        status_label=str(Status(status).label),
        progress=progress,
        note=latest.note.strip() if latest else "",
        evidence_url=href,
        evidence_label=label,
        reported_on=format_date(until[-1].reported_at) if until else "",
    )


def build(plan: Plan, kind: str, round=None, public: bool = False, today=None) -> ProgressReport:
    """The report ``kind`` (six-month or annual) of ``plan``, as of the end of ``round`` if
    given; a constant number of queries whatever the plan's size."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    today = today or timezone.localdate()
    rounds = list(plan.rounds.order_by("starts_on"))
    covering = report_round(kind, rounds, plan, round)
    day = report_day(kind, plan, round, covering)
    start, _end = fiscal_year_bounds(plan.fiscal_year)
    scores = score_report(plan.assessment).summary
    district = list(plan.organization.divisions.order_by("order", "name"))
    division_ids = [division.pk for division in district]
    reports = _reports_by_action(plan)

    parts, totals = [], Tally(_("ทั้งแผน"))
    by_division = {division.pk: Tally(division.name) for division in district}
    by_tool = []
    latest_by_division: dict[tuple[int, int], str] = {}
    for made in reports.values():
        for update in made:
            if update.division_id is not None and as_date(update.reported_at) <= day:
                latest_by_division[(update.action_id, update.division_id)] = update.status
    for section in plan_table.sections(plan, plan_table.findings(plan), scores):
        tool = Tally(f"{section.tool.code} {section.tool.name}")
        blocks = []
        for group in section.indicators:
            for row in group.rows:
                lines = [_line(line, reports, division_ids, day, public) for line in row.lines]
                blocks.append(Block(row, lines))
                for line in lines:
                    if line.line.action is None:
                        continue
                    tool.counts[line.status] += 1
                    totals.counts[line.status] += 1
                    _count_divisions(line, district, by_division, latest_by_division)
        parts.append(ToolPart(section.tool.code, section.tool.name, blocks))
        by_tool.append(tool)

    framework = plan.assessment.framework
    cover = Cover(
        title=str(KINDS[kind]),
        office=office_name(plan.organization),
        fiscal_year=plan.fiscal_year,
        round_name=covering.name if covering else _("ตลอดปีงบประมาณ"),
        period=f"{format_date(start, 'long')} – {format_date(day, 'long')}",
        as_of=format_date(day, "long"),
        printed_on=format_date(today, "long"),
        assessment_name=framework.name,
        assessed_year=framework.fiscal_year,
        total=scores.total,
        level=scores.level,
        public=public,
        simulated=plan.organization.is_simulated,
    )
    return ProgressReport(
        kind=kind,
        plan=plan,
        day=day,
        round=covering,
        cover=cover,
        totals=totals,
        by_tool=by_tool,
        by_division=list(by_division.values()),
        parts=parts,
        headers=headers(plan),
        public=public,
    )


def _count_divisions(line: Line, district, by_division, latest) -> None:
    """Count the action once for every division that answers for it, with that division's
    status (the progress dashboard's rule, as of the report's day)."""
    action = line.line.action
    as_of = _StatusOf(action, line.status)
    shared = {action.pk: plan_table.shared_division_ids(action)}
    for division in dashboards.answering_divisions(action, shared, district):
        by_division[division.pk].counts[dashboards.division_status(as_of, division, latest)] += 1


@dataclass(frozen=True)
class _StatusOf:
    """An action with its status as of the report's day, for ``dashboards.division_status``."""

    action: Action
    status: str

    @property
    def pk(self):
        return self.action.pk

    @property
    def all_divisions(self):
        return self.action.all_divisions


def headers(plan: Plan) -> list[str]:
    """The report table's columns: the finding, then the plan's action columns and the
    action's standing."""
    plan_headers = planrows.column_headings(plan.fiscal_year)
    return [
        _("ข้อการประเมินและประเด็นที่ต้องปรับปรุง"),
        plan_headers[3],
        plan_headers[4],
        plan_headers[5],
        plan_headers[6],
        _("สถานะ (ร้อยละ)"),
        _("ผลการดำเนินงานและหลักฐาน"),
    ]


def file_name(plan: Plan, kind: str, extension: str, public: bool = False) -> str:
    """ "รายงานความก้าวหน้า-รอบ-6-เดือน-1009-2565.pdf": Thai, so sent as RFC 5987 filename*."""
    title = str(KINDS[kind]).replace(" ", "-")
    suffix = "-public" if public else ""
    return f"{title}-{plan.organization.code}-{plan.fiscal_year}{suffix}.{extension}"
