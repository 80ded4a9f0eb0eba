"""Read an assessment from the database and hand it to ``scoring`` (a few queries, no rules)."""

from dataclasses import dataclass

from assessments import scoring
from assessments.models import Assessment, Framework, Item, ReportedScore


def framework_spec(framework: Framework) -> scoring.FrameworkSpec:
    """Return the framework's tools, indicators, items and bands as a scoring spec."""
    item_codes: dict[int, list[str]] = {}
    checklist = set()
    for indicator_id, code, kind in (
        Item.objects.filter(framework=framework)
        .order_by("order", "code")
        .values_list("indicator_id", "code", "kind")
    ):
        item_codes.setdefault(indicator_id, []).append(code)
        if kind == Item.Kind.CHECKLIST:
            checklist.add(code)
    return scoring.FrameworkSpec(
        tools=tuple(
            scoring.ToolSpec(code=tool.code, weight=tool.weight, name=tool.name)
            for tool in framework.tools.order_by("order", "code")
        ),
        indicators=tuple(
            scoring.IndicatorSpec(
                number=indicator.number,
                tool_code=indicator.tool.code,
                weight=indicator.weight,
                item_codes=tuple(item_codes.get(indicator.pk, ())),
                name=indicator.name,
            )
            for indicator in framework.indicators.select_related("tool").order_by("number")
        ),
        bands=tuple(framework.bands.values_list("label", "min_score")),
        pass_mark=framework.pass_mark,
        checklist=frozenset(checklist),
    )


def reported_figures(assessment: Assessment) -> list[scoring.Reported]:
    """Return the assessment's officially printed figures as scoring inputs."""
    figures = []
    for row in ReportedScore.objects.filter(assessment=assessment).select_related(
        "item", "indicator", "tool"
    ):
        key = {
            ReportedScore.Scope.ITEM: row.item.code if row.item else None,
            ReportedScore.Scope.INDICATOR: row.indicator.number if row.indicator else None,
            ReportedScore.Scope.TOOL: row.tool.code if row.tool else None,
        }.get(row.scope)
        figures.append(
            scoring.Reported(
                scope=row.scope, key=key, value=row.value, basis=row.basis, source=row.source
            )
        )
    return figures


@dataclass(frozen=True)
class ScoreReport:
    assessment: Assessment
    spec: scoring.FrameworkSpec
    summary: scoring.Summary
    reported: list[scoring.Reported]
    warnings: list[scoring.DataWarning]


def score_report(assessment: Assessment) -> ScoreReport:
    """Compute the assessment's figures and compare them with the reported ones."""
    spec = framework_spec(assessment.framework)
    item_scores = dict(assessment.scores.values_list("item__code", "score"))
    summary = scoring.summarize(spec, item_scores)
    reported = reported_figures(assessment)
    return ScoreReport(
        assessment=assessment,
        spec=spec,
        summary=summary,
        reported=reported,
        warnings=scoring.data_quality_warnings(spec, summary, reported),
    )
