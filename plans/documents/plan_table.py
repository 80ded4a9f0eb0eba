"""The official plan table as data: findings grouped by tool and indicator, with scores.

Each finding is one block: its item, analysis and issues span one line per action, and every
line carries that action's own responsible divisions, window and follow-up method. The plan
page, the print report (and its PDF) and the .xlsx export all lay out these blocks, so the
three show the same lines in the same order.
"""

from collections import OrderedDict
from dataclasses import InitVar, dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from assessments.models import AssessmentSummary, Indicator, Item, ItemScore, Tool
from assessments.rollup import score_report
from assessments.scoring import round_score
from assessments.thaidates import format_window
from ita_tracker import prepared, rows
from plans.division_names import ALL_DIVISIONS
from plans.models import Action, Division, Finding, Plan


def shared_division_ids(action: Action) -> list[int]:
    """The ids of the action's other responsible divisions (see ``shared_division_names``)."""
    ids = getattr(action, "shared_division_ids", None)
    if ids is None:
        ids = [division.pk for division in action.divisions.all()]
    return ids


def shared_division_names(action: Action) -> list[str]:
    """The names of the action's other responsible divisions, in the divisions' order: those
    ``attach_divisions`` put on it, or else read through the relation."""
    names = getattr(action, "shared_division_names", None)
    if names is None:
        names = [division.name for division in action.divisions.all()]
    return names


def _shared_division_links(plan: Plan) -> list[tuple[int, int]]:
    """(action, division) of every division sharing one of the plan's actions, in no order:
    a plain statement, prepared."""
    quote = connection.ops.quote_name
    sql = f"""
        SELECT s.action_id, s.division_id
        FROM {quote(Action.divisions.through._meta.db_table)} s
        INNER JOIN {quote(Action._meta.db_table)} a ON a.id = s.action_id
        INNER JOIN {quote(Finding._meta.db_table)} f ON f.id = a.finding_id
        WHERE f.plan_id = %s"""
    return prepared.fetchall(connection, "shared_division_links", sql, [plan.pk])


def attach_divisions(plan: Plan, actions, district_divisions=None) -> None:
    """Give the plan's actions their lead division and their ``shared_division_ids`` and
    ``shared_division_names``.

    Two small queries whatever the plan's size: the links to shared divisions, then the
    divisions (each read once); one when the page has read the district's divisions
    already (``district_divisions``, in their order) and the actions name no other. A
    ``select_related`` would build a division per action row, and a prefetch of
    ``divisions`` one queryset per action."""
    links = _shared_division_links(plan)
    named = {action.lead_division_id for action in actions} | {pk for _action, pk in links}
    named.discard(None)
    divisions = {division.pk: division for division in district_divisions or ()}
    if district_divisions is None or not named <= divisions.keys():
        # The plan's organization's divisions, and any other one named (one query), in the
        # divisions' own order (organization, order, name), as the relation lists them.
        divisions = {
            division.pk: division
            for division in Division.objects.filter(
                Q(organization_id=plan.organization_id) | Q(pk__in=named)
            )
        }
    rank = {pk: place for place, pk in enumerate(divisions)}
    shared: dict[int, list[int]] = {}
    for action_id, division_id in links:
        shared.setdefault(action_id, []).append(division_id)
    lead = Action.lead_division.field
    for action in actions:
        if action.lead_division_id is not None:
            if isinstance(action, Action):
                lead.set_cached_value(action, divisions[action.lead_division_id])
            else:
                action.lead_division = divisions[action.lead_division_id]
        action.shared_division_ids = sorted(shared.get(action.pk, ()), key=rank.__getitem__)
        action.shared_division_names = [divisions[pk].name for pk in action.shared_division_ids]


@dataclass(slots=True)
class ActionRecord:
    """What the plan page and the report print of an action, read as one row of values
    rather than a model instance each; its rules are the model's own (``is_open``,
    ``is_overdue``). ``attach_divisions`` gives it its divisions."""

    pk: int
    finding_id: int
    text: str
    lead_division_id: int | None
    all_divisions: bool
    starts_on: object
    due_on: object
    follow_up_method: str
    status: str
    progress: int
    carried_from_id: int | None
    carried_from_year: int | None = None
    lead_division: Division | None = None
    shared_division_ids: list = field(default_factory=list)
    shared_division_names: list = field(default_factory=list)

    Status = Action.Status
    is_open = Action.is_open
    is_overdue = Action.is_overdue


ACTION_RECORD_FIELDS = (
    "pk",
    "finding_id",
    "text",
    "lead_division_id",
    "all_divisions",
    "starts_on",
    "due_on",
    "follow_up_method",
    "status",
    "progress",
    "carried_from_id",
)


def action_records(queryset, *, carried_from_year: bool = False) -> list[ActionRecord]:
    """The actions of ``queryset``, in its order, as records; with ``carried_from_year``, the
    queryset's annotation of that name too."""
    fields = (
        (*ACTION_RECORD_FIELDS, "carried_from_year") if carried_from_year else ACTION_RECORD_FIELDS
    )
    return [ActionRecord(*row) for row in queryset.values_list(*fields)]


def plan_actions(plan: Plan, *, records: bool = False, district_divisions=None) -> list:
    """The actions of a plan in table order, with their lead and shared divisions; as
    ``ActionRecord`` with ``records`` (for what only prints them). ``district_divisions``: as
    ``attach_divisions`` takes them."""
    # By the finding's id, not the finding: that would join the plan, organization and item
    # to sort by the findings' own order, which ``findings`` gives the blocks anyway.
    if records:
        actions = plan_action_records(plan)
    else:
        actions = list(
            Action.objects.filter(finding__plan=plan).order_by("finding_id", "order", "id")
        )
    attach_divisions(plan, actions, district_divisions)
    return actions


def plan_action_records(plan: Plan, *, carried_from_year: bool = False) -> list[ActionRecord]:
    """Every action of the plan as records, by finding, order and id (without divisions:
    ``attach_divisions``); with ``carried_from_year``, the year of the plan each was carried
    from. A plain statement, prepared: the report and the unfiltered plan page read it."""
    quote = connection.ops.quote_name
    action, finding, plans = (quote(m._meta.db_table) for m in (Action, Finding, Plan))
    names = ("id", *ACTION_RECORD_FIELDS[1:])
    carried, joins = "", ""
    if carried_from_year:
        carried = ", cp.fiscal_year"
        joins = f"""
        LEFT JOIN {action} ca ON ca.id = a.carried_from_id
        LEFT JOIN {finding} cf ON cf.id = ca.finding_id
        LEFT JOIN {plans} cp ON cp.id = cf.plan_id"""
    sql = f"""
        SELECT {rows.select(Action, names, "a", quote)}{carried}
        FROM {action} a
        INNER JOIN {finding} f ON f.id = a.finding_id{joins}
        WHERE f.plan_id = %s
        ORDER BY a.finding_id, a.{quote("order")}, a.id"""
    read = rows.reader(Action, names, connection)
    found = prepared.fetchall(connection, "plan_actions", sql, [plan.pk])
    return [ActionRecord(*read(row[: len(names)]), *row[len(names) :]) for row in found]


def responsible_text(action: Action) -> str:
    """The responsible cell as the document writes it: "ฝ่ายปกครอง /ทุกฝ่าย"."""
    names = []
    if action.lead_division:
        names.append(action.lead_division.name)
    names += shared_division_names(action)
    if action.all_divisions:
        names.append(ALL_DIVISIONS)
    return " /".join(names)


@dataclass(frozen=True)
class ActionLine:
    """One printed line of a finding block; ``action`` is None for a finding with none."""

    action: Action | None
    text: str = ""
    responsible: str = ""
    window: str = ""
    method: str = ""


def action_line(action: Action, windows: dict | None = None) -> ActionLine:
    """The printed line of an action; ``windows`` (dates → text, in the active language)
    keeps the windows already formatted for the table: its actions share a few."""
    dates = (action.starts_on, action.due_on)
    window = windows.get(dates) if windows is not None else None
    if window is None:
        window = format_window(*dates)
        if windows is not None:
            windows[dates] = window
    return ActionLine(
        action=action,
        text=action.text,
        responsible=responsible_text(action),
        window=window,
        method=action.follow_up_method,
    )


@dataclass
class Row:
    """A finding block: the spanning cells come from ``finding``, one line per action."""

    finding: "FindingRecord"
    score: object
    actions: list
    windows: InitVar[dict | None] = None
    lines: list[ActionLine] = field(init=False)

    def __post_init__(self, windows):
        # A finding without actions still takes one line, so its analysis is printed.
        lines = [action_line(action, windows) for action in self.actions]
        self.lines = lines or [ActionLine(None)]

    @property
    def span(self) -> int:
        return len(self.lines)


@dataclass
class IndicatorGroup:
    indicator: object
    average: object
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    tool: object
    indicators: list[IndicatorGroup] = field(default_factory=list)


@dataclass(frozen=True)
class TableScores:
    """The figures the plan table prints: each item's score and each indicator's average
    (rounded), by item code and indicator number, as in ``scoring.Summary``."""

    items: dict
    indicators: dict


def table_scores(plan: Plan, rows: list[tuple]) -> TableScores:
    """The figures of the table's finding blocks, read with them (``findings(...,
    scores=True)``, no query of its own): each item's score and the indicators' averages as
    the assessment's stored summary has them (``assessments.summaries``, the one roll-up).
    The full roll-up (the framework's rules, the reported figures and their warnings: six
    queries) is read only while the assessment has no stored summary yet."""
    if not rows:
        return TableScores({}, {})
    stored = rows[0][0].indicator_figures
    if stored is None:
        summary = score_report(plan.assessment).summary
        return TableScores(summary.items, summary.indicators)
    return TableScores(
        items={
            finding.item.code: round_score(finding.score)
            for finding, _actions in rows
            if finding.score is not None
        },
        indicators={
            int(number): None if score is None else Decimal(score)
            for number, score in stored.items()
        },
    )


@dataclass(eq=False, slots=True)
class ToolRecord:
    """What the table shows of a tool (one object per tool: grouped by identity)."""

    code: str
    name: str


@dataclass(eq=False, slots=True)
class IndicatorRecord:
    number: int
    name: str
    tool: ToolRecord


@dataclass(eq=False, slots=True)
class ItemRecord:
    code: str
    name: str
    text: str
    indicator: IndicatorRecord


@dataclass(eq=False, slots=True)
class FindingRecord:
    """What the table shows of a finding: read as one row of values, not as four model
    instances (finding, item, indicator, tool) per finding."""

    pk: int
    analysis: str
    issues: str
    item: ItemRecord
    # With ``scores``: the item's score and the indicators' stored figures (by number, as
    # strings; None while the assessment has no stored summary).
    score: Decimal | None = None
    indicator_figures: dict | None = None


def finding_records(plan: Plan, *, scores: bool = False) -> list[FindingRecord]:
    """The plan's findings in plan order with their item, indicator and tool (one plain
    statement, prepared: the plan page and the report read it on every request); with
    ``scores``, also what ``table_scores`` reads, in the same statement."""
    quote = connection.ops.quote_name
    finding, item, indicator, tool, item_score, summary = (
        quote(model._meta.db_table)
        for model in (Finding, Item, Indicator, Tool, ItemScore, AssessmentSummary)
    )
    figures, params = "", [plan.pk]
    if scores:
        figures = f""",
            (SELECT s.score FROM {item_score} s
             WHERE s.assessment_id = %s AND s.item_id = f.item_id LIMIT 1),
            (SELECT m.indicators FROM {summary} m
             WHERE m.{quote(AssessmentSummary._meta.pk.column)} = %s)"""
        params = [plan.assessment_id, plan.assessment_id, plan.pk]
    sql = f"""
        SELECT f.id, f.analysis, f.issues, i.code, i.name, i.text, i.indicator_id, n.number,
            n.name, n.tool_id, t.code, t.name{figures}
        FROM {finding} f
        INNER JOIN {item} i ON i.id = f.item_id
        INNER JOIN {indicator} n ON n.id = i.indicator_id
        INNER JOIN {tool} t ON t.id = n.tool_id
        WHERE f.plan_id = %s
        ORDER BY f.{quote("order")}, i.{quote("order")}"""
    found = prepared.fetchall(connection, "finding_records", sql, params)
    if scores:
        score = rows.converter(ItemScore, "score", connection)
        stored = rows.converter(AssessmentSummary, "indicators", connection)
        found = [(*row[:12], score(row[12]), stored(row[13])) for row in found]
    tools: dict[int, ToolRecord] = {}
    indicators: dict[int, IndicatorRecord] = {}
    lines = []
    for (
        pk,
        analysis,
        issues,
        code,
        name,
        text,
        indicator_id,
        number,
        indicator_name,
        tool_id,
        tool_code,
        tool_name,
        *read,
    ) in found:
        indicator = indicators.get(indicator_id)
        if indicator is None:
            tool = tools.get(tool_id)
            if tool is None:
                tool = tools[tool_id] = ToolRecord(tool_code, tool_name)
            indicator = indicators[indicator_id] = IndicatorRecord(number, indicator_name, tool)
        item = ItemRecord(code, name, text, indicator)
        lines.append(FindingRecord(pk, analysis, issues, item, *read))
    return lines


def findings(
    plan: Plan, actions=None, *, include_empty: bool = True, scores: bool = False
) -> list[tuple]:
    """(finding, its actions) in plan order; with ``actions`` given, only those actions, and
    only the findings that have one unless ``include_empty``. The findings are ``FindingRecord``
    records: what the plan page, the report, the .xlsx and the progress reports print; with
    ``scores``, they carry the figures ``table_scores`` gives the table."""
    if actions is None:
        actions = plan_actions(plan)
    by_finding: dict[int, list] = {}
    for action in actions:
        by_finding.setdefault(action.finding_id, []).append(action)
    return [
        (finding, by_finding.get(finding.pk, []))
        for finding in finding_records(plan, scores=scores)
        if include_empty or finding.pk in by_finding
    ]


def sections(plan: Plan, rows: list[tuple], summary=None) -> list[Section]:
    """Group (finding, actions) pairs by tool (in order of first appearance) and indicator;
    ``summary`` is the plan assessment's score summary (``scoring.Summary`` or
    ``TableScores``), computed here if not given."""
    summary = summary or score_report(plan.assessment).summary
    tools: OrderedDict = OrderedDict()
    windows: dict = {}
    for finding, actions in rows:
        indicator = finding.item.indicator
        groups = tools.setdefault(indicator.tool, OrderedDict())
        if indicator not in groups:
            groups[indicator] = IndicatorGroup(indicator, summary.indicators.get(indicator.number))
        score = summary.items.get(finding.item.code)
        groups[indicator].rows.append(Row(finding, score, actions, windows))
    return [
        Section(tool, sorted(groups.values(), key=lambda group: group.indicator.number))
        for tool, groups in tools.items()
    ]
