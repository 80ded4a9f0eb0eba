"""The official plan table as data: findings grouped by tool and indicator, with scores.

Each finding is one block: its item, analysis and issues span one line per action, and every
line carries that action's own responsible divisions, window and follow-up method. The plan
page, the print report (and its PDF) and the .xlsx export all lay out these blocks, so the
three show the same lines in the same order.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from assessments.rollup import score_report
from assessments.thaidates import format_window
from plans.division_names import ALL_DIVISIONS
from plans.models import Action, Finding, Plan


def shared_division_names(action: Action) -> list[str]:
    """The names of the action's other responsible divisions, in the divisions' order: those
    ``attach_shared_divisions`` put on it, or else read through the relation."""
    names = getattr(action, "shared_division_names", None)
    if names is None:
        names = [division.name for division in action.divisions.all()]
    return names


def attach_shared_divisions(plan: Plan, actions) -> None:
    """Give every action of the plan its ``shared_division_names`` with one query on the link
    table: a prefetch of ``divisions`` would build one queryset per action."""
    names: dict[int, list[str]] = {}
    links = (
        Action.divisions.through.objects.filter(action__finding__plan=plan)
        .order_by("division__organization", "division__order", "division__name")
        .values_list("action_id", "division__name")
    )
    for action_id, name in links:
        names.setdefault(action_id, []).append(name)
    for action in actions:
        action.shared_division_names = names.get(action.pk, [])


def plan_actions(plan: Plan) -> list[Action]:
    """The actions of a plan in table order, with their lead and shared divisions; two queries."""
    actions = list(
        Action.objects.filter(finding__plan=plan)
        .select_related("lead_division")
        .order_by("finding", "order", "id")
    )
    attach_shared_divisions(plan, actions)
    return actions


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


def action_line(action: Action) -> ActionLine:
    return ActionLine(
        action=action,
        text=action.text,
        responsible=responsible_text(action),
        window=format_window(action.starts_on, action.due_on),
        method=action.follow_up_method,
    )


@dataclass
class Row:
    """A finding block: the spanning cells come from ``finding``, one line per action."""

    finding: Finding
    score: object
    actions: list
    lines: list[ActionLine] = field(init=False)

    def __post_init__(self):
        # A finding without actions still takes one line, so its analysis is printed.
        self.lines = [action_line(action) for action in self.actions] or [ActionLine(None)]

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


def findings(plan: Plan, actions=None, *, include_empty: bool = True) -> list[tuple]:
    """(finding, its actions) in plan order; with ``actions`` given, only those actions, and
    only the findings that have one unless ``include_empty``."""
    queryset = plan.findings.select_related("item__indicator__tool").order_by(
        "order", "item__order"
    )
    if actions is None:
        actions = plan_actions(plan)
    by_finding: dict[int, list] = {}
    for action in actions:
        by_finding.setdefault(action.finding_id, []).append(action)
    return [
        (finding, by_finding.get(finding.pk, []))
        for finding in queryset
        if include_empty or finding.pk in by_finding
    ]


def sections(plan: Plan, rows: list[tuple], summary=None) -> list[Section]:
    """Group (finding, actions) pairs by tool (in order of first appearance) and indicator;
    ``summary`` is the plan assessment's score summary, computed here if not given."""
    summary = summary or score_report(plan.assessment).summary
    tools: OrderedDict = OrderedDict()
    for finding, actions in rows:
        indicator = finding.item.indicator
        groups = tools.setdefault(indicator.tool, OrderedDict())
        if indicator not in groups:
            groups[indicator] = IndicatorGroup(indicator, summary.indicators.get(indicator.number))
        groups[indicator].rows.append(Row(finding, summary.items.get(finding.item.code), actions))
    return [
        Section(tool, sorted(groups.values(), key=lambda group: group.indicator.number))
        for tool, groups in tools.items()
    ]
