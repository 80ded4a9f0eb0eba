"""Read an assessment from the database and hand it to ``scoring`` (a few queries, no rules)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F

from assessments import scoring
from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Item,
    LevelBand,
    ReportedScore,
    Tool,
)


def framework_spec(framework: Framework) -> scoring.FrameworkSpec:
    """Return the framework's tools, indicators, items and bands as a scoring spec."""
    return framework_specs([framework])[framework.pk]


def framework_specs(frameworks) -> dict[int, scoring.FrameworkSpec]:
    """Return the specs of several frameworks by id, in four queries however many there are."""
    ids = [framework.pk for framework in frameworks]
    item_codes: dict[int, list[str]] = defaultdict(list)
    checklist: dict[int, set[str]] = defaultdict(set)
    for framework_id, indicator_id, code, kind in (
        Item.objects.filter(framework_id__in=ids)
        .order_by("order", "code")
        .values_list("framework_id", "indicator_id", "code", "kind")
    ):
        item_codes[indicator_id].append(code)
        if kind == Item.Kind.CHECKLIST:
            checklist[framework_id].add(code)
    # Plain rows, not model instances: every dashboard reads the specs of several years.
    tools: dict[int, list] = defaultdict(list)
    for framework_id, code, weight, name in (
        Tool.objects.filter(framework_id__in=ids)
        .order_by("order", "code")
        .values_list("framework_id", "code", "weight", "name")
    ):
        tools[framework_id].append(scoring.ToolSpec(code=code, weight=weight, name=name))
    indicators: dict[int, list] = defaultdict(list)
    for pk, framework_id, number, tool_code, weight, name in (
        Indicator.objects.filter(framework_id__in=ids)
        .order_by("number")
        .values_list("pk", "framework_id", "number", "tool__code", "weight", "name")
    ):
        indicators[framework_id].append(
            scoring.IndicatorSpec(
                number=number,
                tool_code=tool_code,
                weight=weight,
                item_codes=tuple(item_codes.get(pk, ())),
                name=name,
            )
        )
    bands: dict[int, list] = defaultdict(list)
    for framework_id, label, min_score, min_each_tool in (
        LevelBand.objects.filter(framework_id__in=ids)
        .order_by("framework_id", "-min_score", F("min_each_tool").desc(nulls_last=True))
        .values_list("framework_id", "label", "min_score", "min_each_tool")
    ):
        bands[framework_id].append(scoring.Band(label, min_score, min_each_tool))
    return {
        framework.pk: scoring.FrameworkSpec(
            tools=tuple(tools[framework.pk]),
            indicators=tuple(indicators[framework.pk]),
            bands=tuple(bands[framework.pk]),
            pass_mark=framework.pass_mark,
            checklist=frozenset(checklist[framework.pk]),
        )
        for framework in frameworks
    }


def reported_figures(assessment: Assessment) -> list[scoring.Reported]:
    """Return the assessment's officially printed figures as scoring inputs."""
    figures = []
    # In the model's order within one assessment, without joining the assessment to sort.
    for scope, item, indicator, tool, value, basis, source in (
        ReportedScore.objects.filter(assessment_id=assessment.pk).order_by("scope", "id")
    ).values_list(
        "scope", "item__code", "indicator__number", "tool__code", "value", "basis", "source"
    ):
        key = {
            ReportedScore.Scope.ITEM: item,
            ReportedScore.Scope.INDICATOR: indicator,
            ReportedScore.Scope.TOOL: tool,
        }.get(scope)
        figures.append(
            scoring.Reported(scope=scope, key=key, value=value, basis=basis, source=source)
        )
    return figures


@dataclass(frozen=True)
class ScoreReport:
    assessment: Assessment
    spec: scoring.FrameworkSpec
    summary: scoring.Summary
    reported: list[scoring.Reported]
    warnings: list[scoring.DataWarning]


def score_report(
    assessment: Assessment,
    spec: scoring.FrameworkSpec | None = None,
    item_scores: dict | None = None,
    summary: scoring.Summary | None = None,
) -> ScoreReport:
    """Compute the assessment's figures and compare them with the reported ones (``spec``,
    ``item_scores`` and their ``summary`` when the caller has already read or worked them
    out)."""
    spec = spec or framework_spec(assessment.framework)
    if item_scores is None:
        item_scores = dict(assessment.scores.values_list("item__code", "score"))
    if summary is None:
        summary = scoring.summarize(spec, item_scores)
    reported = reported_figures(assessment)
    return ScoreReport(
        assessment=assessment,
        spec=spec,
        summary=summary,
        reported=reported,
        warnings=scoring.data_quality_warnings(spec, summary, reported),
    )
