"""What the managers' dashboards show, read in a fixed number of queries whatever the size.

The views look the objects up (and scope them); the functions here read the rows once and
return plain data. The rules of the progress dashboard live here and nowhere else:

- **Who answers for an action**: its lead division, the divisions sharing it, and, for a
  "ทุกฝ่าย" action, every division of the district.
- **A division's status on an action**: the action's own status, except for "ทุกฝ่าย" actions
  still open, where each division has the status of its own latest report (ยังไม่เริ่ม without
  one): such an action is done for the divisions that reported it done.
- **A round**: an action is due to report in a round if it has started by the round's end and
  was not finished before the round began; a report of the round made after its last day is
  late (``plans.models.is_late``), even one that reports the action done. Reports made after
  the plan's last round belong to no round: they are tallied, all late, as "หลังสิ้นสุดแผน".
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, partial
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from assessments import scoring, summaries
from assessments.models import (
    Assessment,
    AssessmentSummary,
    Framework,
    Indicator,
    Item,
    ItemLink,
    ItemScore,
    Organization,
    visible_organization_sql,
)
from assessments.rollup import ScoreReport, framework_specs, score_report, stored_figure
from assessments.thaidates import BANGKOK, fiscal_year_bounds
from ita_tracker import prepared
from ita_tracker.rows import converter as field_converter
from ita_tracker.rows import reader as field_reader
from ita_tracker.rows import select as select_fields
from plans import tallies
from plans.models import (
    AFTER_PLAN,
    Action,
    Division,
    Finding,
    Plan,
    PlanTally,
    ProgressUpdate,
    ReportingRound,
    is_late,
    membership_of,
    overdue_condition,
)

Status = Action.Status
WEAKEST_SHOWN = 10
# The overdue and due-soon lists show this many, earliest due first; the rest are counted.
LIST_SHOWN = 20


def share_done(done: int, total: int, cancelled: int) -> Decimal | None:
    """Done as a share of what is not cancelled, in per cent (None when nothing counts)."""
    base = total - cancelled
    return scoring.round_score(Decimal(100) * done / base) if base > 0 else None


def percent_done(counts: Counter) -> Decimal | None:
    """``share_done`` of a tally by status."""
    return share_done(counts[Status.DONE], sum(counts.values()), counts[Status.CANCELLED])


# --- Scores ---------------------------------------------------------------------------------


class ItemName(NamedTuple):
    """What the scores page shows of an item (read as a plain row, not a model instance)."""

    pk: int
    code: str
    name: str
    text: str


@dataclass(frozen=True)
class ItemRow:
    item: ItemName
    score: Decimal
    previous: Decimal | None
    passes: bool
    has_action: bool

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.score - self.previous


@dataclass(frozen=True)
class FigureRow:
    """An indicator or a tool: its score, weight, points, pass and change against last year."""

    key: object
    name: str
    weight: Decimal
    score: Decimal | None
    points: Decimal | None
    previous: Decimal | None
    passes: bool

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


class PlanLink(NamedTuple):
    """A plan answering the assessment, as the scores page links it."""

    fiscal_year: int
    url: str
    progress_url: str


def _plans_and_acted_on(assessment: Assessment) -> tuple[list[PlanLink], set[int]]:
    """The plans answering the assessment, by year, and the items their actions address: one
    statement (a plan without findings still comes, with no item)."""
    quote = connection.ops.quote_name
    plan, organization, finding, action = (
        quote(model._meta.db_table) for model in (Plan, Organization, Finding, Action)
    )
    sql = f"""
        SELECT p.fiscal_year, o.code, f.item_id
        FROM {plan} p
        INNER JOIN {organization} o ON o.id = p.organization_id
        LEFT JOIN {finding} f ON f.plan_id = p.id
            AND EXISTS (SELECT 1 FROM {action} a WHERE a.finding_id = f.id)
        WHERE p.assessment_id = %s
        ORDER BY p.fiscal_year"""
    rows = prepared.fetchall(connection, "scores_plans", sql, [assessment.pk])
    plans: dict[tuple, PlanLink] = {}
    for year, code, _item in rows:
        if (year, code) not in plans:
            plans[year, code] = PlanLink(
                year,
                reverse("plan_detail", args=[code, year]),
                reverse("plan_progress", args=[code, year]),
            )
    return list(plans.values()), {item for *_, item in rows if item is not None}


@dataclass
class ScoresPage:
    report: ScoreReport
    previous: "YearFigures | None"  # the year before: its figures, not its reported ones
    plans: list[PlanLink]
    other_editions: list[Assessment]  # the organization's other editions of the same year
    tools: list[FigureRow]
    indicators: list[FigureRow]
    items: list[ItemRow]
    lift_to_pass: list[scoring.LiftStep]
    lift_to_full: list[scoring.LiftStep]
    next_level: scoring.Band | None
    gap: scoring.LevelGap | None
    trend: "Trend"

    @property
    def pass_mark(self) -> Decimal:
        return self.report.spec.pass_mark

    @property
    def weakest(self) -> list[ItemRow]:
        return sorted(self.items, key=lambda row: row.score)[:WEAKEST_SHOWN]

    @property
    def unplanned(self) -> list[ItemRow]:
        """Items below the pass mark that no plan answers with an action yet."""
        return [row for row in self.items if not row.passes and not row.has_action]

    @property
    def total_change(self) -> Decimal | None:
        if self.previous is None or self.previous.summary.total is None:
            return None
        if self.report.summary.total is None:
            return None
        return self.report.summary.total - self.previous.summary.total

    def with_items(self, steps) -> list[tuple[scoring.LiftStep, ItemName]]:
        """Pair lift steps with their items, for names."""
        items = {row.item.code: row.item for row in self.items}
        return [(step, items[step.gain.code]) for step in steps]

    def steps_to_next_level(self, steps) -> list[scoring.LiftStep]:
        """The first steps of a lift plan, up to the one that reaches the next level."""
        if self.next_level is None:
            return []
        reached = {
            band.label for band in self.report.spec.bands if band.rank >= self.next_level.rank
        }
        for index, step in enumerate(steps):
            if step.level in reached:
                return steps[: index + 1]
        return []


def _closest_edition(assessments: list[Assessment], framework) -> Assessment | None:
    """Of one year's assessments, the one of the same edition name first, then of the same
    issuer (several editions may share a year)."""
    return min(
        assessments,
        key=lambda other: (
            other.framework.name != framework.name,
            other.framework.issuer != framework.issuer,
            other.framework.name,
        ),
        default=None,
    )


@dataclass(frozen=True)
class YearFigures:
    """One assessment's specs and figures, as read for the scores page."""

    assessment: Assessment
    spec: scoring.FrameworkSpec
    item_scores: dict[str, Decimal]
    summary: scoring.Summary


class History(NamedTuple):
    """What ``history`` reads: the chosen years, the organization's other editions of this
    assessment's year, and this assessment's scored items in the edition's order."""

    years: list[YearFigures]
    other_editions: list[Assessment]
    items: list[ItemName]


FRAMEWORK_READ = ["id", "fiscal_year", "name", "issuer", "pass_mark"]


def _assessments_of(assessment: Assessment) -> list[Assessment]:
    """The organization's assessments with their editions (``assessment`` itself among them):
    a plain statement, the rest of each row left deferred (read if ever asked for)."""
    quote = connection.ops.quote_name
    table, framework = quote(Assessment._meta.db_table), quote(Framework._meta.db_table)
    sql = f"""
        SELECT a.id, a.organization_id, f.id, f.fiscal_year, f.name, f.issuer, f.pass_mark
        FROM {table} a INNER JOIN {framework} f ON f.id = a.framework_id
        WHERE a.organization_id = %s"""
    rows = prepared.fetchall(connection, "assessments_of", sql, [assessment.organization_id])
    found = []
    for pk, organization_id, framework_id, year, name, issuer, pass_mark in rows:
        if pk == assessment.pk:
            found.append(assessment)
            continue
        other = Assessment.from_db(
            connection.alias,
            ["id", "organization_id", "framework_id"],
            [pk, organization_id, framework_id],
        )
        other.framework = Framework.from_db(
            connection.alias,
            FRAMEWORK_READ,
            [framework_id, year, name, issuer, stored_figure(pass_mark)],
        )
        found.append(other)
    return found


def _item_scores(assessment: Assessment, chosen: list[Assessment]) -> list[tuple]:
    """The scores of the ``chosen`` assessments as (assessment, item code, score, item id,
    name, text, order), the item's name and text only for ``assessment``'s own: a plain
    statement, the ORM's building of it cost more than reading the rows."""
    quote = connection.ops.quote_name
    score, item = quote(ItemScore._meta.db_table), quote(Item._meta.db_table)
    ids = [other.pk for other in chosen]
    sql = f"""
        SELECT s.assessment_id, i.code, s.score, i.id,
            CASE WHEN s.assessment_id = %s THEN i.name END,
            CASE WHEN s.assessment_id = %s THEN i.text END,
            i.{quote("order")}
        FROM {score} s INNER JOIN {item} i ON i.id = s.item_id
        WHERE s.assessment_id IN ({", ".join(["%s"] * len(ids))})"""
    return prepared.fetchall(connection, "item_scores", sql, [assessment.pk, assessment.pk, *ids])


def history(assessment: Assessment) -> History:
    """The organization's assessments, one a year and this one for its own year, oldest first,
    with their figures: read in three statements whatever the number of years."""
    by_year: dict[int, list[Assessment]] = defaultdict(list)
    this_year = assessment.framework.fiscal_year
    for other in _assessments_of(assessment):
        by_year[other.framework.fiscal_year].append(other)
    chosen = [
        assessment if year == this_year else _closest_edition(by_year[year], assessment.framework)
        for year in sorted(by_year)
    ]
    specs = framework_specs(list({a.framework_id: a.framework for a in chosen}.values()))
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    # The items' names come with this assessment's scores (only scored items are shown).
    items = []
    for assessment_id, code, score, pk, name, text, order in _item_scores(assessment, chosen):
        scores[assessment_id][code] = stored_figure(score)
        if assessment_id == assessment.pk:
            items.append((order, pk, ItemName(pk, code, name, text)))
    items.sort(key=lambda row: row[:2])
    years = [
        YearFigures(
            assessment=other,
            spec=specs[other.framework_id],
            item_scores=scores[other.pk],
            summary=scoring.summarize(specs[other.framework_id], scores[other.pk]),
        )
        for other in chosen
    ]
    # Several editions may assess one year: the page offers the others (same organization,
    # so readable by whoever reads this one).
    others = sorted(
        (other for other in by_year[this_year] if other.pk != assessment.pk),
        key=lambda other: other.framework.name,
    )
    return History(years, others, [item for *_, item in items])


def previous_item_scores(
    assessment: Assessment, earlier: Assessment, scores: dict[str, Decimal]
) -> dict[str, Decimal]:
    """Last year's ``scores`` keyed by this year's item codes: through the confirmed links
    between the two editions; where the editions were never linked at all (data older than
    links, or an edition copied without them), the same code is the same item."""
    quote = connection.ops.quote_name
    link, item = quote(ItemLink._meta.db_table), quote(Item._meta.db_table)
    sql = f"""
        SELECT f.code, t.code, l.status FROM {link} l
        INNER JOIN {item} f ON f.id = l.from_item_id
        INNER JOIN {item} t ON t.id = l.to_item_id
        WHERE l.from_framework_id = %s AND l.to_framework_id = %s"""
    links = prepared.fetchall(
        connection, "item_links", sql, [earlier.framework_id, assessment.framework_id]
    )
    if not links:
        return dict(scores)
    return {
        to_code: scores[from_code]
        for from_code, to_code, status in links
        if status == ItemLink.Status.CONFIRMED and from_code in scores
    }


def _by_tool_and_number(spec: scoring.FrameworkSpec, indicators: dict) -> dict:
    # Indicators carry no links: across editions, an indicator is the one with the same number
    # under the same tool code (NACC renumbers items, not indicators).
    return {(ind.tool_code, ind.number): indicators.get(ind.number) for ind in spec.indicators}


@dataclass(frozen=True)
class TrendYear:
    """One year of an organization's trend: figures rounded as reported."""

    assessment: Assessment
    total: Decimal | None
    level: str | None
    tools: dict[str, Decimal | None]
    indicators: dict[tuple[str, int], Decimal | None]

    @property
    def year(self) -> int:
        return self.assessment.framework.fiscal_year


@dataclass(frozen=True)
class TrendRow:
    """One line of the trend table: a label and its value in each year (None: not assessed)."""

    label: str
    values: list[Decimal | None]
    kind: str  # total, tool or indicator


@dataclass(frozen=True)
class Trend:
    years: list[TrendYear]
    rows: list[TrendRow]


def trend(years: list[YearFigures], spec: scoring.FrameworkSpec) -> Trend:
    """The total, each tool and each indicator of this edition (``spec``) over the years."""
    shown = [
        TrendYear(
            assessment=year.assessment,
            total=year.summary.total,
            level=year.summary.level,
            tools=year.summary.tools,
            indicators=_by_tool_and_number(year.spec, year.summary.indicators),
        )
        for year in years
    ]
    rows = [TrendRow(gettext("คะแนนรวม"), [year.total for year in shown], "total")]
    rows += [
        TrendRow(tool.code, [year.tools.get(tool.code) for year in shown], "tool")
        for tool in spec.tools
    ]
    rows += [
        TrendRow(
            f"{ind.number}. {ind.name}",
            [year.indicators.get((ind.tool_code, ind.number)) for year in shown],
            "indicator",
        )
        for ind in spec.indicators
    ]
    return Trend(years=shown, rows=rows)


def scores_page(assessment: Assessment) -> ScoresPage:
    """Read one assessment's scores, the year before, and which weak items have actions."""
    years, other_editions, item_names = history(assessment)
    this_year = assessment.framework.fiscal_year
    current = next(year for year in years if year.assessment.pk == assessment.pk)
    previous = next(
        (year for year in years if year.assessment.framework.fiscal_year == this_year - 1), None
    )
    report = score_report(assessment, current.spec, current.item_scores, current.summary)
    spec, summary = report.spec, report.summary
    pass_mark = spec.pass_mark
    before = previous.summary if previous else None
    item_before = (
        previous_item_scores(assessment, previous.assessment, before.items) if previous else {}
    )
    indicators_before = _by_tool_and_number(previous.spec, before.indicators) if previous else {}

    def _figure(spec_part, key, scores, exact, earlier) -> FigureRow:
        """A tool or indicator row; ``earlier`` is last year's score of it, if any."""
        return FigureRow(
            key=key,
            name=spec_part.name,
            weight=spec_part.weight,
            score=scores[key],
            points=scoring.round_score(scoring.points(exact[key], spec_part.weight)),
            previous=earlier,
            passes=_passes(scores[key], pass_mark),
        )

    plans, acted_on = _plans_and_acted_on(assessment)
    items = [
        ItemRow(
            item=item,
            score=summary.items[item.code],
            previous=item_before.get(item.code),
            passes=summary.items[item.code] >= pass_mark,
            has_action=item.pk in acted_on,
        )
        for item in item_names
    ]
    exact_scores = current.item_scores
    lift_to_pass = scoring.lift_plan(spec, exact_scores, pass_mark, summary)
    return ScoresPage(
        report=report,
        previous=previous,
        plans=plans,
        other_editions=other_editions,
        tools=[
            _figure(
                tool,
                tool.code,
                summary.tools,
                summary.exact_tools,
                before.tools.get(tool.code) if before else None,
            )
            for tool in spec.tools
        ],
        indicators=[
            _figure(
                ind,
                ind.number,
                summary.indicators,
                summary.exact_indicators,
                indicators_before.get((ind.tool_code, ind.number)),
            )
            for ind in spec.indicators
        ],
        items=items,
        lift_to_pass=lift_to_pass,
        lift_to_full=scoring.lift_plan(spec, exact_scores, scoring.HUNDRED, summary),
        next_level=scoring.next_level(spec, summary.total, summary.tools),
        gap=scoring.level_gap(spec, exact_scores, summary),
        trend=trend(years, spec),
    )


def _passes(score: Decimal | None, pass_mark: Decimal) -> bool:
    return score is not None and score >= pass_mark


# --- Progress -------------------------------------------------------------------------------


@dataclass
class RoundRow:
    round: object
    counts: Counter = field(default_factory=Counter)  # done / reported / late / not_reported


@dataclass
class ProgressPage:
    plan: Plan
    actions: list[Action]
    divisions: list[tuple[Division, Counter]]
    totals: Counter
    rounds: list[RoundRow]
    overdue: list[Action]
    due_soon: list[Action]
    completion: list[tuple[date, Decimal]]
    today: date

    @property
    def percent_done(self) -> Decimal | None:
        return percent_done(self.totals)


def answering_divisions(
    action: Action, shared: dict, district: list[Division], by_id: dict | None = None
) -> list[Division]:
    """The divisions that answer for an action (see the module's rules); ``by_id`` is
    ``district`` by id, if the caller asks for many actions."""
    if action.all_divisions:
        return list(district)
    if by_id is None:
        by_id = {division.pk: division for division in district}
    ids = [action.lead_division_id, *shared.get(action.pk, ())]
    return [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]


def division_status(action: Action, division: Division, latest: dict) -> str:
    """One division's status on an action (see the module's rules)."""
    if not action.all_divisions or action.status == Status.CANCELLED:
        return action.status
    return latest.get((action.pk, division.pk), Status.NOT_STARTED)


class PlanSetting:
    """A plan's district divisions (in the pages' order) and its rounds (by start), read in
    one query when first asked for: the progress page's filter and tally need both."""

    def __init__(self, plan: Plan):
        self.plan = plan

    @cached_property
    def _rows(self) -> list[tuple]:
        # A plain statement, prepared: every progress and plan page asks it, and building
        # the ORM's union cost more than running it. Ordered by the database (its collation
        # orders the names, as the ORM's union did).
        quote = connection.ops.quote_name
        division, reporting_round = (
            quote(model._meta.db_table) for model in (Division, ReportingRound)
        )
        sql = f"""
            SELECT 0, d.id, d.name, d.{quote("order")}, NULL, NULL
            FROM {division} d WHERE d.organization_id = %s
            UNION ALL
            SELECT 1, r.id, r.name, 0, r.starts_on, r.ends_on
            FROM {reporting_round} r WHERE r.plan_id = %s
            ORDER BY 1, 4, 5, 3"""
        found = prepared.fetchall(
            connection, "plan_setting", sql, [self.plan.organization_id, self.plan.pk]
        )
        day = field_converter(ReportingRound, "starts_on", connection)
        return [
            (kind, pk, name, order, day(starts), day(ends))
            for kind, pk, name, order, starts, ends in found
        ]

    @cached_property
    def divisions(self) -> list[Division]:
        organization = self.plan.organization_id
        return [
            Division(pk=pk, organization_id=organization, name=name, order=order)
            for kind, pk, name, order, _starts, _ends in self._rows
            if kind == 0
        ]

    @cached_property
    def rounds(self) -> list[ReportingRound]:
        return [
            ReportingRound(pk=pk, plan_id=self.plan.pk, name=name, starts_on=starts, ends_on=ends)
            for kind, pk, name, _order, starts, ends in self._rows
            if kind == 1
        ]


class ActionFacts(NamedTuple):
    """What the progress page reads of an action: a plain row, not a model instance (the
    page only reads); the rules are ``Action``'s own."""

    pk: int
    text: str
    lead_division_id: int | None
    all_divisions: bool
    starts_on: date | None
    due_on: date | None
    status: str
    progress: int
    completed_on: date | None
    item_code: str

    Status = Status
    is_open = Action.is_open
    is_overdue = Action.is_overdue
    is_due_soon = Action.is_due_soon


def progress_page(
    plan: Plan, actions, today: date, setting: PlanSetting | None = None
) -> ProgressPage:
    """Tally a plan's (already filtered) actions by division, status, round and month, or
    every action of the plan with ``actions`` None; ``setting`` holds its divisions and
    rounds if the caller has asked for them already."""
    # Read as rows with the item's code: selecting the finding, its item and the lead
    # division with every action built three model instances more per action, which cost
    # more than the rest of the page's reading (the lists name the lead division from
    # ``district``).
    if actions is None:
        actions = _every_action_facts(plan)
    else:
        actions = [
            ActionFacts._make(row)
            for row in actions.annotate(item_code=F("finding__item__code"))
            .order_by("due_on", "finding__order", "order", "pk")
            .values_list(*ActionFacts._fields)
        ]
    setting = setting or PlanSetting(plan)
    district = setting.divisions
    # The plan's reports (in the order they were made, each with its day in Bangkok: the
    # rounds and the months compare days) and its shared divisions in one query (a shared row
    # has no status), kept for the actions shown: cheaper than a list of every id as
    # parameters, twice.
    shown = {action.pk for action in actions}
    shared: dict[int, list[int]] = defaultdict(list)
    updates = []
    for row in _reports_and_shares(plan):
        if row[0] not in shown:
            continue
        if row[3]:
            updates.append(row[:5])
        else:
            shared[row[0]].append(row[1])
    latest = {(a, d): status for a, d, _, status, _ in updates if d is not None}
    by_division = {division.pk: Counter() for division in district}
    by_id = {division.pk: division for division in district}
    for action in actions:
        for division in answering_divisions(action, shared, district, by_id):
            by_division[division.pk][division_status(action, division, latest)] += 1
    rounds = setting.rounds
    by_round = defaultdict(list)  # round_row reads only its own round's reports
    for update in updates:
        by_round[update[2]].append(update)
    round_rows = [round_row(r, actions, by_round[r.pk]) for r in rounds]
    if rounds:
        after = round_row(AfterPlan(max(r.ends_on for r in rounds)), actions, by_round[None])
        if after.counts:
            round_rows.append(after)
    return ProgressPage(
        plan=plan,
        actions=actions,
        divisions=[(division, by_division[division.pk]) for division in district],
        totals=Counter(action.status for action in actions),
        rounds=round_rows,
        overdue=[action for action in actions if action.is_overdue(today)],
        due_soon=[action for action in actions if action.is_due_soon(today)],
        completion=completion(plan, actions, updates, today),
        today=today,
    )


def _every_action_facts(plan: Plan) -> list[ActionFacts]:
    """Every action of the plan as ``progress_page`` orders them: a plain statement,
    prepared (the page without filters)."""
    quote = connection.ops.quote_name
    names = ("id", *ActionFacts._fields[1:-1])
    sql = f"""
        SELECT {select_fields(Action, names, "a", quote)}, i.code
        FROM {quote(Action._meta.db_table)} a
        INNER JOIN {quote(Finding._meta.db_table)} f ON f.id = a.finding_id
        INNER JOIN {quote(Item._meta.db_table)} i ON i.id = f.item_id
        WHERE f.plan_id = %s
        ORDER BY a.due_on, f.{quote("order")}, a.{quote("order")}, a.id"""
    read = field_reader(Action, names, connection)
    found = prepared.fetchall(connection, "action_facts", sql, [plan.pk])
    return [ActionFacts(*read(row[:-1]), row[-1]) for row in found]


def _reports_and_shares(plan: Plan) -> list[tuple]:
    """(action, division, round, status, day reported in Bangkok, id) of every report on the
    plan, in the order they were made, and (action, division, None, "", None, 0) of every
    division sharing one of its actions: one plain statement, prepared (the progress page's
    biggest read). The database takes each report's day: converting 500 moments one by one
    cost more than the rest of the page's tallies."""
    quote = connection.ops.quote_name
    update, share, action, finding = (
        quote(model._meta.db_table)
        for model in (ProgressUpdate, Action.divisions.through, Action, Finding)
    )
    day, day_params = connection.ops.datetime_cast_date_sql(
        "x.reported_at", (), BANGKOK.tzname(None)
    )
    sql = f"""
        SELECT x.action_id, x.division_id, x.round_id, x.status, {day}, x.id FROM (
            SELECT u.action_id, u.division_id, u.round_id, u.status, u.reported_at, u.id
            FROM {update} u
            INNER JOIN {action} a ON a.id = u.action_id
            INNER JOIN {finding} f ON f.id = a.finding_id
            WHERE f.plan_id = %s
            UNION ALL
            SELECT s.action_id, s.division_id, NULL, '', NULL, 0
            FROM {share} s
            INNER JOIN {action} a ON a.id = s.action_id
            INNER JOIN {finding} f ON f.id = a.finding_id
            WHERE f.plan_id = %s
        ) x
        ORDER BY x.reported_at, x.id"""
    found = prepared.fetchall(
        connection, "reports_and_shares", sql, [*day_params, plan.pk, plan.pk]
    )
    read_day = field_converter(ReportingRound, "starts_on", connection)  # any date column's
    return [(*row[:4], read_day(row[4]), row[5]) for row in found]


@dataclass(frozen=True)
class AfterPlan:
    """The reports filed in no round after the plan's last round ended (``ends_on``)."""

    ends_on: date
    pk = None
    name = AFTER_PLAN


def due_in(action: Action, reporting_round) -> bool:
    """Started by the round's end and not finished before it began."""
    if action.starts_on and action.starts_on > reporting_round.ends_on:
        return False
    return not (action.completed_on and action.completed_on < reporting_round.starts_on)


def round_row(reporting_round, actions: list[Action], updates: list) -> RoundRow:
    """Sort the actions due in a round into done / reported / late / not reported; for
    ``AfterPlan``, the actions reported after the plan's end, every one late."""
    row = RoundRow(reporting_round)
    after_plan = isinstance(reporting_round, AfterPlan)
    ends_on, own_round = reporting_round.ends_on, reporting_round.pk
    deadline = None if after_plan else ends_on
    # By action: [every report late, one of them "done"].
    reports: dict[int, list[bool]] = {}
    for action_id, _, round_id, status, reported_at in updates:
        if round_id != own_round:
            continue
        late = is_late(reported_at, deadline, ends_on)
        if after_plan and not late:
            continue  # no round yet: reported before the first round began
        found = reports.get(action_id)
        if found is None:
            found = reports[action_id] = [True, False]
        found[0] = found[0] and late
        found[1] = found[1] or status == Status.DONE
    # Counted in plain numbers (a Counter's increments, a thousand a page, cost more).
    done = reported = late = not_reported = 0
    if after_plan:
        counted = [reports[action.pk] for action in actions if action.pk in reports]
    else:
        counted = [reports.get(action.pk) for action in actions if due_in(action, reporting_round)]
    for own in counted:
        if not own:
            not_reported += 1
        elif own[0]:
            late += 1
        elif own[1]:
            done += 1
        else:
            reported += 1
    counts = row.counts
    for key, count in (
        ("done", done),
        ("reported", reported),
        ("late", late),
        ("not_reported", not_reported),
    ):
        if count:
            counts[key] = count
    return row


def completion(plan: Plan, actions: list[Action], updates: list, today: date):
    """Per cent of the (not cancelled) actions done by the end of each month of the plan
    year, up to this month; an action is done from its first "done" report, or from its
    completion date if it was closed without one."""
    counted = [action for action in actions if action.status != Status.CANCELLED]
    if not counted:
        return []
    first_done: dict[int, date] = {}
    for action_id, _, _, status, day in updates:  # each report's day, in the order made
        if status == Status.DONE and action_id not in first_done:
            first_done[action_id] = day
    done_on = []
    for action in counted:
        if action.status != Status.DONE:
            continue
        day = first_done.get(action.pk) or action.completed_on
        if day:
            done_on.append(day)
    start, end = fiscal_year_bounds(plan.fiscal_year)
    points = []
    for month_end in month_ends(start, min(end, today)):
        done = sum(1 for day in done_on if day <= month_end)
        points.append((month_end, scoring.round_score(Decimal(100) * done / len(counted))))
    return points


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month from ``start``'s to ``end``'s."""
    ends = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
        year, month = following.year, following.month
    return ends


# --- The overview of every agency ------------------------------------------------------------
#
# Thousands of agencies (about 8,300 nationally): the overview reads each assessment's stored
# summary (``assessments.summaries``), counts, sorts and pages in SQL, and reads the plan
# tallies only for the page's rows. A page costs the same for 50 agencies as for 8,300.

OVERVIEW_PAGE_SIZE = 50


@dataclass
class DistrictRow:
    assessment: Assessment
    summary: AssessmentSummary
    plan: Plan | None = None
    actions: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0

    @property
    def percent_done(self) -> Decimal | None:
        return share_done(self.done, self.actions, self.cancelled)


@dataclass(frozen=True)
class OverviewScope:
    """Which agencies the overview lists: the children of ``parent`` (its direct ones: the
    departments of a ministry, the local bodies of a province, the BMA's districts), of one
    ``kind``, whose name or code contains ``query``; all of them when nothing is set."""

    parent: Organization | None = None
    kind: str = ""
    query: str = ""

    def condition(self, prefix: str = "") -> Q:
        """The scope as a filter on organizations, or on rows ``prefix`` leads to them
        ("organization__"): joined, so the database starts from the parent or kind index."""
        found = Q()
        if self.parent is not None:
            found &= Q(**{f"{prefix}parent": self.parent})
        if self.kind:
            found &= Q(**{f"{prefix}kind": self.kind})
        if self.query:
            found &= (
                Q(**{f"{prefix}name_th__icontains": self.query})
                | Q(**{f"{prefix}name_en__icontains": self.query})
                | Q(**{f"{prefix}code__icontains": self.query})
            )
        return found

    def organizations(self, visible):
        return visible.filter(self.condition())

    def expected(self, visible):
        """The agencies counted as "no data" when they have no assessment that year: those of
        the scope, without the central offices that run the tracker (unless asked for)."""
        found = self.organizations(visible)
        return found if self.kind else found.exclude(kind=Organization.Kind.CENTRAL)


def overview_scope(user, visible, params) -> OverviewScope:
    """The overview's scope from a query string (``parent``, ``kind``, ``q``). Without
    ``parent``, a user whose own organization has children (the BMA central office) sees
    those: its 50 districts; ``?parent=`` (empty) asks for every agency."""
    kind = params.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    query = params.get("q", "").strip()
    if "parent" in params:
        code = params["parent"].strip()
        parent = get_object_or_404(visible, code=code) if code else None
    else:
        member = membership_of(user)
        parent = None
        if member is not None and _has_children(user, member.organization_id):
            parent = member.organization
    return OverviewScope(parent=parent, kind=kind, query=query)


def _has_children(user, organization_id: int) -> bool:
    """Whether ``user`` may read an organization under this one (a plain prepared statement:
    the overview asks on every request without ``parent``)."""
    visible, params = visible_organization_sql(user, "o.id")
    table = connection.ops.quote_name(Organization._meta.db_table)
    sql = f"SELECT 1 FROM {table} o WHERE o.parent_id = %s AND {visible} LIMIT 1"
    found = prepared.fetchone(connection, "has_children", sql, [organization_id, *params])
    return found is not None


@dataclass
class OverviewHeadline:
    """The figures of the whole filtered set (not only the page), counted in SQL."""

    assessed: int = 0
    unassessed: int = 0
    scored: int = 0
    passing: int = 0
    average: Decimal | None = None
    levels: list = field(default_factory=list)  # (label, count), highest level first
    with_plan: int = 0
    overdue: int = 0
    unsummarized: int = 0  # assessed agencies whose summary is not stored yet

    @property
    def agencies(self) -> int:
        return self.assessed + self.unassessed

    @property
    def pass_share(self) -> Decimal | None:
        return share_done(self.passing, self.scored, 0)


@dataclass
class Overview:
    year: int
    rows: list[DistrictRow]  # the page's assessed agencies, in the chosen order
    indicators: list  # (number, name) of the page's framework, for the heat map columns
    pass_mark: Decimal | None
    headline: OverviewHeadline
    page: object  # a Paginator page over the assessed agencies, then those without data
    # The page's agencies with no score that year: after the others, as "ไม่มีข้อมูล".
    unassessed: list = field(default_factory=list)


def _tallies():
    return (
        PlanTally.objects.filter(plan__assessment=OuterRef("pk"))
        .order_by()
        .values("plan__assessment")
    )


def _sort_total(today):
    return Coalesce("summary__total", Value(Decimal(-1)), output_field=DecimalField())


def _sort_progress(today):
    """The share done of the assessment's plans, from their stored tallies: one index read
    per agency instead of counting its actions (8,300 agencies in the national overview)."""
    done = Cast(Sum("done"), FloatField())
    base = Sum("actions") - Sum("cancelled")
    share = done * Value(100.0) / NullIf(base, Value(0))
    return Coalesce(
        Subquery(_tallies().annotate(share=share).values("share"), output_field=FloatField()),
        Value(-1.0),
    )


def _sort_actions(today):
    counted = Subquery(_tallies().annotate(n=Sum("actions")).values("n"))
    return Coalesce(counted, Value(0))


def _sort_overdue(today):
    # Overdue depends on today: counted from the actions, on asking for this order only.
    counted = Subquery(
        Action.objects.filter(finding__plan__assessment=OuterRef("pk"))
        .order_by()
        .values("finding__plan__assessment")
        .annotate(n=Count("pk", filter=overdue_condition(today)))
        .values("n")
    )
    return Coalesce(counted, Value(0))


# Each sortable column and how SQL orders by it; ties in code order.
OVERVIEW_SORTS = {
    "code": lambda today: F("organization__code"),
    "name": lambda today: F("organization__name_th"),
    "total": _sort_total,
    "progress": _sort_progress,
    "overdue": _sort_overdue,
    "actions": _sort_actions,
}


def overview_rows(assessments, today: date) -> list[DistrictRow]:
    """The rows of these assessments (a queryset, in its order): summary, latest plan and
    its actions' tallies (stored per plan: ``plans.tallies``), in two queries."""
    return _rows_of(list(assessments.select_related(*_ROW_RELATED)), today)


_ROW_RELATED = ("organization", "framework", "summary")


def _rows_of(found: list[Assessment], today: date) -> list[DistrictRow]:
    """``overview_rows`` of assessments already read (with ``_ROW_RELATED``): one query."""
    rows = {a.pk: DistrictRow(a, summary_of(a)) for a in found}
    plans = Plan.objects.filter(assessment__in=rows).select_related("tally").order_by("fiscal_year")
    add_plans(rows, [(plan, getattr(plan, "tally", None)) for plan in plans], today)
    return list(rows.values())


def add_plans(rows: dict[int, DistrictRow], plans: list[tuple], today: date) -> None:
    """Add (plan, its stored tally or None) pairs, oldest plan first, to the rows of their
    assessments (by assessment id): an assessment's plans add up; the latest is the row's."""
    # A plan loaded without signals has no tally yet: counted once now.
    missing = [plan.pk for plan, tally in plans if tally is None]
    counted = tallies.refresh_missing(missing) if missing else {}
    for plan, tally in plans:
        row, tally = rows[plan.assessment_id], tally or counted[plan.pk]
        row.plan = plan
        row.actions, row.done = row.actions + tally.actions, row.done + tally.done
        row.cancelled = row.cancelled + tally.cancelled
        row.overdue = row.overdue + tally.overdue(today)


def rows_in_order(ids: list[int], today: date) -> list[DistrictRow]:
    """``overview_rows`` of these assessment ids, in this order."""
    by_id = {
        row.assessment.pk: row
        for row in overview_rows(Assessment.objects.filter(pk__in=ids), today)
    }
    return [by_id[pk] for pk in ids]


def summary_of(assessment: Assessment) -> AssessmentSummary:
    try:
        return assessment.summary
    except AssessmentSummary.DoesNotExist:  # refreshed by the caller; an empty one meanwhile
        return AssessmentSummary(assessment=assessment)


def overview_headline(
    assessed, expected, year: int, today: date, with_plans: bool = False
) -> OverviewHeadline:
    """Counts, pass share, average and levels of ``assessed`` (a queryset of assessments) and
    the agencies of ``expected`` with no assessment in ``year`` (one aggregate query, and one
    more when nothing is assessed; two more for the plans and their overdue actions
    ``with_plans``)."""
    # One pass over the set: each level's count, scored, passing, sum and best total.
    groups = list(
        assessed.values_list("summary__level")
        .annotate(
            count=Count("pk"),
            scored=Count("summary__total"),
            passing=Count("pk", filter=Q(summary__passed=True)),
            sum=Sum("summary__total"),
            top=Max("summary__total"),
            unsummarized=Count("pk", filter=Q(summary__isnull=True)),
            # The same on every group: the agencies without data, in this query, not another.
            unassessed=Subquery(
                unassessed(expected, year)
                .order_by()
                .annotate(n=Func(F("pk"), function="COUNT"))
                .values("n")
            ),
        )
        .order_by()
    )
    headline = headline_of(groups, lambda: unassessed(expected, year).count())
    if with_plans:  # the central home shows them; the overview's rows have their own
        plans = Plan.objects.filter(assessment__in=assessed)
        headline.with_plan = plans.values("assessment_id").distinct().count()
        headline.overdue = (
            Action.objects.filter(finding__plan__in=plans).filter(overdue_condition(today)).count()
        )
    return headline


def headline_of(groups: list, count_unassessed) -> OverviewHeadline:
    """The headline of the aggregate's rows, one per level: (level, count, scored, passing,
    sum of totals, best total, unsummarized, agencies without data); ``count_unassessed()``
    counts the last when there is no row."""
    figures = {
        key: sum((group[index] or 0) for group in groups)
        for index, key in enumerate(["assessed", "scored", "passing", "sum"], start=1)
    }
    ranked = sorted((g for g in groups if g[0]), key=lambda g: (-(g[5] or -1), g[0]))
    average = None
    if figures["scored"]:
        average = (figures["sum"] / figures["scored"]).quantize(Decimal("0.01"))
    return OverviewHeadline(
        assessed=figures["assessed"],
        unassessed=(groups[0][7] or 0) if groups else count_unassessed(),
        scored=figures["scored"],
        passing=figures["passing"],
        average=average,
        levels=[(label, count) for label, count, *_rest in ranked],
        unsummarized=sum(group[6] for group in groups),
    )


def unassessed(expected, year: int):
    """The agencies of ``expected`` (a queryset) with no assessment in ``year``."""
    # NOT EXISTS (an anti-join) rather than NOT IN: over 8,300 agencies, a third the time.
    return expected.exclude(
        Exists(Assessment.objects.filter(organization=OuterRef("pk"), framework__fiscal_year=year))
    )


def overview(
    assessments,
    year: int,
    today: date,
    sort: str = "-total",
    scope: OverviewScope | None = None,
    expected=None,
    page=1,
    size: int = OVERVIEW_PAGE_SIZE,
) -> Overview:
    """One page of the overview of ``year``: the assessments (visible to the user) of the
    agencies in ``scope`` sorted by ``sort`` (a key of ``OVERVIEW_SORTS``, "-" for
    descending), then those of ``expected`` with no assessment that year, by code."""
    assessed = assessments.filter(framework__fiscal_year=year)
    if scope is not None:
        assessed = assessed.filter(scope.condition("organization__"))
    expected = expected if expected is not None else Organization.objects.none()
    headline = overview_headline(assessed, expected, year, today)
    if headline.unsummarized:  # data written without signals: summarized once, then counted
        summaries.refresh_missing(assessed)
        headline = overview_headline(assessed, expected, year, today)
    key = sort.lstrip("-") if sort.lstrip("-") in OVERVIEW_SORTS else "total"
    order = OVERVIEW_SORTS[key](today)
    ordered = assessed.annotate(sort_key=order).order_by(
        F("sort_key").desc() if sort.startswith("-") else F("sort_key").asc(),
        "organization__code",
        "pk",
    )
    keyed = OVERVIEW_KEYED.get(key) if sort.startswith("-") else None
    if keyed is not None:
        # Those with a key first (a few hundred of 8,300: sorted alone), then the rest by code.
        rest = assessed.exclude(keyed()).order_by("organization__code", "pk")
        ordered = _Parts(ordered.filter(keyed()), rest)
    read = ordered.read if isinstance(ordered, _Parts) else partial(_read, ordered)
    listing = Listing(
        lambda start, stop: _rows_of(read(start, stop), today),
        lambda: unassessed(expected, year).order_by("code"),
        headline,
    )
    return overview_page(year, listing, page, size)


def overview_page(year: int, listing: "Listing", page, size: int) -> Overview:
    """The overview's page ``page`` of ``listing``, with its framework's indicators."""
    current = Paginator(listing, size).get_page(page)
    rows = [found for kind, found in current.object_list if kind == "row"]
    missing = [org for kind, org in current.object_list if kind == "org"]
    # The heat map's columns: the framework of the page's first agency by code (a page of
    # agencies without data only has none).
    first = min(rows, key=lambda row: row.assessment.organization.code, default=None)
    framework = first.assessment.framework if first else None
    return Overview(
        year=year,
        rows=rows,
        indicators=_indicators(framework.pk) if framework else [],
        pass_mark=framework.pass_mark if framework else None,
        headline=listing.headline,
        page=current,
        unassessed=missing,
    )


def _indicators(framework_id: int) -> list[tuple]:
    """(number, name) of the framework's indicators, by number (a plain prepared statement)."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('number')}, {quote('name')} FROM {quote(Indicator._meta.db_table)} "
        f"WHERE {quote('framework_id')} = %s ORDER BY {quote('number')}"
    )
    return [tuple(row) for row in prepared.fetchall(connection, "indicators", sql, [framework_id])]


class Listing:
    """The assessed agencies (in order, as ``DistrictRow``s: ``rows(start, stop)``) followed
    by those without data (``unassessed()``: a queryset by code), sliced by the paginator with
    one read for each part the page shows."""

    ordered = True  # for the paginator: both parts are sorted

    def __init__(self, rows, unassessed, headline: OverviewHeadline):
        self.rows, self.unassessed, self.headline = rows, unassessed, headline

    def count(self) -> int:
        return self.headline.agencies

    def __getitem__(self, part: slice) -> list:
        start, stop, assessed = part.start or 0, part.stop, self.headline.assessed
        found = []
        if start < assessed:
            found += [("row", row) for row in self.rows(start, min(stop, assessed))]
        if stop > assessed:
            orgs = self.unassessed()[max(start - assessed, 0) : stop - assessed]
            found += [("org", org) for org in orgs]
        return found


def _read(ordered, start: int, stop: int) -> list[Assessment]:
    """Assessments ``start:stop`` of a sorted queryset, with what their rows show: the page's
    ids sorted in a subquery, the rows read around it (selecting the rows' columns in the
    sort itself would carry them through a sort of 8,300)."""
    ids = ordered.values("pk")[start:stop]
    return list(ordered.filter(pk__in=ids).select_related(*_ROW_RELATED))


@dataclass(frozen=True)
class _Parts:
    """A descending order whose agencies without a key (no plan, say) all tie and come last
    by code: the ones with a key sorted alone, then the others."""

    keyed: object  # queryset, sorted
    rest: object  # queryset, by code

    def read(self, start: int, stop: int) -> list[Assessment]:
        found = _read(self.keyed, start, stop)
        if len(found) == stop - start:
            return found
        # Past the keyed ones: how many there are, then the rest from there.
        keyed = start + len(found) if found or not start else self.keyed.count()
        return found + _read(self.rest, max(start - keyed, 0), stop - keyed)


# The descending sorts whose lowest key is shared by every agency lacking what it counts:
# the condition that an agency has a higher one. Among 8,300 agencies a tenth have plans.
def _with_share():
    return Exists(
        PlanTally.objects.filter(plan__assessment=OuterRef("pk"), actions__gt=F("cancelled"))
    )


def _with_actions():
    return Exists(PlanTally.objects.filter(plan__assessment=OuterRef("pk"), actions__gt=0))


OVERVIEW_KEYED = {"progress": _with_share, "actions": _with_actions}


def overview_year(year: int) -> int | None:
    """The assessment year whose overview answers ``year``: itself if it has scores, else the
    year a plan of ``year`` answers (the most districts' choice); None if neither."""
    if Assessment.objects.filter(framework__fiscal_year=year).exists():
        return year
    answered = (
        Plan.objects.filter(fiscal_year=year)
        .values("assessment__framework__fiscal_year")
        .annotate(plans=Count("pk"))
        .order_by("-plans", "-assessment__framework__fiscal_year")
        .first()
    )
    return answered["assessment__framework__fiscal_year"] if answered else None
