"""Read an assessment from the database and hand it to ``scoring`` (a few queries, no rules)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

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
from ita_tracker import prepared


def framework_spec(framework: Framework) -> scoring.FrameworkSpec:
    """Return the framework's tools, indicators, items and bands as a scoring spec."""
    return framework_specs([framework])[framework.pk]


def _spec_rows_sql(count: int) -> str:
    """One statement for the four parts of the specs of ``count`` frameworks: items, tools,
    indicators and bands as rows of one shape (kind, framework, a number, another number, a
    text, another text, a figure, another figure), each part in its own order."""
    quote = connection.ops.quote_name
    item, tool, indicator, band = (
        quote(model._meta.db_table) for model in (Item, Tool, Indicator, LevelBand)
    )
    order = quote("order")
    ids = ", ".join(["%s"] * count)
    no_number, no_text, no_figure = (
        "CAST(NULL AS INTEGER)",
        "CAST(NULL AS VARCHAR(200))",
        "CAST(NULL AS NUMERIC(5, 2))",
    )
    return f"""
        SELECT * FROM (
            SELECT 'i' AS part, framework_id, {order} AS n1, indicator_id AS n2, code AS t1,
                kind AS t2, {no_figure} AS d1, {no_figure} AS d2
            FROM {item} WHERE framework_id IN ({ids})
            UNION ALL
            SELECT 't', framework_id, {order}, {no_number}, code, name, weight, {no_figure}
            FROM {tool} WHERE framework_id IN ({ids})
            UNION ALL
            SELECT 'n', ind.framework_id, ind.number, ind.id, t.code, ind.name, ind.weight,
                {no_figure}
            FROM {indicator} ind INNER JOIN {tool} t ON ind.tool_id = t.id
            WHERE ind.framework_id IN ({ids})
            UNION ALL
            SELECT 'b', framework_id, {no_number}, {no_number}, label, {no_text}, min_score,
                min_each_tool
            FROM {band} WHERE framework_id IN ({ids})
        ) parts ORDER BY part, n1, t1"""


def stored_figure(value) -> Decimal | None:
    """A stored figure (two decimals: weights, scores, minimums) as the ORM reads it, from a
    plain statement's row (SQLite hands back 30 or 84.67, not Decimals)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(scoring.TWO_PLACES)


def framework_specs(frameworks) -> dict[int, scoring.FrameworkSpec]:
    """Return the specs of several frameworks by id, in one query however many there are.

    Every page that shows scores reads them: one plain statement instead of four ORM
    queries (the ORM's query building cost more than the database's work)."""
    frameworks = list(frameworks)
    ids = [framework.pk for framework in frameworks]
    rows = []
    if ids:
        rows = prepared.fetchall(connection, "framework_specs", _spec_rows_sql(len(ids)), ids * 4)
    item_codes: dict[int, list[str]] = defaultdict(list)
    checklist: dict[int, set[str]] = defaultdict(set)
    tools: dict[int, list] = defaultdict(list)
    indicator_rows = []
    bands: dict[int, list] = defaultdict(list)
    # Items by order and code, tools by order and code, indicators by number (ORDER BY).
    for part, framework_id, n1, n2, t1, t2, d1, d2 in rows:
        if part == "i":
            item_codes[n2].append(t1)
            if t2 == Item.Kind.CHECKLIST:
                checklist[framework_id].add(t1)
        elif part == "t":
            tools[framework_id].append(scoring.ToolSpec(code=t1, weight=stored_figure(d1), name=t2))
        elif part == "n":
            indicator_rows.append((framework_id, n1, n2, t1, t2, d1))
        else:
            bands[framework_id].append(scoring.Band(t1, stored_figure(d1), stored_figure(d2)))
    indicators: dict[int, list] = defaultdict(list)
    for framework_id, number, pk, tool_code, name, weight in indicator_rows:
        indicators[framework_id].append(
            scoring.IndicatorSpec(
                number=number,
                tool_code=tool_code,
                weight=stored_figure(weight),
                item_codes=tuple(item_codes.get(pk, ())),
                name=name,
            )
        )
    return {
        framework.pk: scoring.FrameworkSpec(
            tools=tuple(tools[framework.pk]),
            indicators=tuple(indicators[framework.pk]),
            # Highest first (the model's order); levels never depend on it.
            bands=tuple(
                sorted(
                    bands[framework.pk],
                    key=lambda band: (
                        -band.min_score,
                        band.min_each_tool is None,
                        -(band.min_each_tool or 0),
                    ),
                )
            ),
            pass_mark=framework.pass_mark,
            checklist=frozenset(checklist[framework.pk]),
        )
        for framework in frameworks
    }


def reported_figures(assessment: Assessment) -> list[scoring.Reported]:
    """Return the assessment's officially printed figures as scoring inputs (in the model's
    order; a plain statement: the ORM's four-table join cost more to build and plan than to
    run)."""
    quote = connection.ops.quote_name
    reported, item, indicator, tool = (
        quote(model._meta.db_table) for model in (ReportedScore, Item, Indicator, Tool)
    )
    sql = f"""
        SELECT r.scope,
            (SELECT i.code FROM {item} i WHERE i.id = r.item_id),
            (SELECT n.number FROM {indicator} n WHERE n.id = r.indicator_id),
            (SELECT t.code FROM {tool} t WHERE t.id = r.tool_id),
            r.value, r.basis, r.source
        FROM {reported} r WHERE r.assessment_id = %s ORDER BY r.scope, r.id"""
    rows = prepared.fetchall(connection, "reported_figures", sql, [assessment.pk])
    figures = []
    for scope, item_code, number, tool_code, value, basis, source in rows:
        key = {
            ReportedScore.Scope.ITEM: item_code,
            ReportedScore.Scope.INDICATOR: number,
            ReportedScore.Scope.TOOL: tool_code,
        }.get(scope)
        figures.append(
            scoring.Reported(
                scope=scope, key=key, value=stored_figure(value), basis=basis, source=source
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
