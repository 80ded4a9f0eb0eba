"""The official plan table as data: findings grouped by tool and indicator, with scores.

Used by the plan page and the .xlsx export, so both show the same rows in the same order.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from assessments.rollup import score_report
from plans.models import Finding, Plan


@dataclass
class Row:
    finding: Finding
    score: object
    actions: list


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
        queryset = queryset.prefetch_related("actions__lead_division", "actions__divisions")
        return [(finding, list(finding.actions.all())) for finding in queryset]
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
