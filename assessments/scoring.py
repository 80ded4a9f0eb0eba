"""Roll item scores up to indicators, tools, the weighted total and the level.

This is the one place where ITA scores are computed. Everything here is a pure function
over ``Decimal``: the database is read elsewhere (``assessments.rollup``) and handed in as
plain specs, so the rules can be tested with hand-computed numbers.

Rounding rule: every figure is computed from the unrounded figures beneath it and rounded
to two decimals, half up (84.665 → 84.67), only when it is reported. The level is read from
the rounded total, so what a person sees and the level always agree.

Weights are shares of the total in per cent (IIT 30, EIT 30, OIT 40). An indicator's score
is the plain mean of its items; a tool's score is the mean of its indicators weighted by
their weights; the total is the mean of the tools weighted by theirs. A figure's *points*
are its contribution to the total: score × weight / 100 (OIT 63.10 × 40 % = 25.24 points).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal("100")
# A reported figure further than this from the computed one is a data-quality warning.
TOLERANCE = Decimal("0.01")


def round_score(value: Decimal | None) -> Decimal | None:
    """Round a figure for reporting: two decimals, half up."""
    if value is None:
        return None
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """Return the unrounded mean, or None when there is nothing to average."""
    values = list(values)
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def weighted_mean(pairs: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Return the mean of the known values weighted by their weights (plain mean if all are 0)."""
    known = [(value, weight) for value, weight in pairs if value is not None]
    if not known:
        return None
    total_weight = sum((weight for _, weight in known), Decimal(0))
    if total_weight == 0:
        return mean(value for value, _ in known)
    return sum((value * weight for value, weight in known), Decimal(0)) / total_weight


def points(score: Decimal | None, weight: Decimal) -> Decimal | None:
    """Return what a score of that weight contributes to the total, unrounded."""
    if score is None:
        return None
    return score * weight / HUNDRED


def level_for(score: Decimal | None, bands: Iterable[tuple[str, Decimal]]) -> str | None:
    """Return the label of the highest band whose minimum the score reaches."""
    if score is None:
        return None
    for label, minimum in sorted(bands, key=lambda band: band[1], reverse=True):
        if score >= minimum:
            return label
    return None


@dataclass(frozen=True)
class ToolSpec:
    code: str
    weight: Decimal
    name: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    tool_code: str
    weight: Decimal
    item_codes: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class FrameworkSpec:
    tools: tuple[ToolSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    bands: tuple[tuple[str, Decimal], ...]
    pass_mark: Decimal
    # Checklist items (OIT) score 0 or 100 only: raising one means raising it to 100.
    checklist: frozenset[str] = frozenset()

    def tool(self, code: str) -> ToolSpec:
        return next(tool for tool in self.tools if tool.code == code)

    def indicator(self, number: int) -> IndicatorSpec:
        return next(ind for ind in self.indicators if ind.number == number)


@dataclass(frozen=True)
class Summary:
    """Reported (rounded) figures of one assessment."""

    items: dict[str, Decimal]
    indicators: dict[int, Decimal | None]
    tools: dict[str, Decimal | None]
    total: Decimal | None
    level: str | None
    # Unrounded figures, for further computation (never shown as such).
    exact_indicators: dict[int, Decimal | None] = field(repr=False, default_factory=dict)
    exact_tools: dict[str, Decimal | None] = field(repr=False, default_factory=dict)
    exact_total: Decimal | None = field(repr=False, default=None)


def summarize(spec: FrameworkSpec, item_scores: Mapping[str, Decimal]) -> Summary:
    """Roll the item scores up. A tool without any scored item leaves the total unknown."""
    exact_indicators = {
        ind.number: mean(item_scores[code] for code in ind.item_codes if code in item_scores)
        for ind in spec.indicators
    }
    exact_tools = {
        tool.code: weighted_mean(
            (exact_indicators[ind.number], ind.weight)
            for ind in spec.indicators
            if ind.tool_code == tool.code
        )
        for tool in spec.tools
    }
    if spec.tools and all(score is not None for score in exact_tools.values()):
        exact_total = weighted_mean((exact_tools[tool.code], tool.weight) for tool in spec.tools)
    else:
        exact_total = None
    total = round_score(exact_total)
    return Summary(
        items={code: round_score(score) for code, score in item_scores.items()},
        indicators={number: round_score(v) for number, v in exact_indicators.items()},
        tools={code: round_score(v) for code, v in exact_tools.items()},
        total=total,
        level=level_for(total, spec.bands),
        exact_indicators=exact_indicators,
        exact_tools=exact_tools,
        exact_total=exact_total,
    )


SCOPE_LABELS = {"item": "ข้อ", "indicator": "ตัวชี้วัดที่", "tool": "เครื่องมือ", "total": "คะแนนรวม"}


@dataclass(frozen=True)
class Reported:
    """A figure printed in an official document.

    ``scope`` is item, indicator, tool or total; ``key`` the item code, indicator number or
    tool code (None for the total); ``basis`` "score" (out of 100) or "points" (out of the
    weight, as in "25.24/40").
    """

    scope: str
    key: str | int | None
    value: Decimal
    basis: str = "score"
    source: str = ""


@dataclass(frozen=True)
class DataWarning:
    scope: str
    key: str | int | None
    source: str
    basis: str
    reported: Decimal
    computed: Decimal | None
    difference: Decimal | None
    message: str


def _computed_for(spec: FrameworkSpec, summary: Summary, figure: Reported) -> Decimal | None:
    if figure.scope == "item":
        exact, weight = summary.items.get(str(figure.key)), None
    elif figure.scope == "indicator":
        exact = summary.exact_indicators.get(int(figure.key))
        weight = spec.indicator(int(figure.key)).weight
    elif figure.scope == "tool":
        exact, weight = summary.exact_tools.get(str(figure.key)), spec.tool(str(figure.key)).weight
    elif figure.scope == "total":
        exact, weight = summary.exact_total, HUNDRED
    else:
        raise ValueError(f"unknown scope {figure.scope!r}")
    if figure.basis == "points":
        if weight is None:
            raise ValueError("an item score has no points basis")
        exact = points(exact, weight)
    return round_score(exact)


def _label(figure: Reported) -> str:
    label = SCOPE_LABELS.get(figure.scope, figure.scope)
    label = label if figure.key is None else f"{label} {figure.key}"
    return f"{label} (คะแนนถ่วงน้ำหนัก)" if figure.basis == "points" else label


def data_quality_warnings(
    spec: FrameworkSpec, summary: Summary, reported: Sequence[Reported]
) -> list[DataWarning]:
    """List the reported figures that differ from the computed ones by more than TOLERANCE."""
    warnings = []
    for figure in reported:
        computed = _computed_for(spec, summary, figure)
        where = f" ({figure.source})" if figure.source else ""
        if computed is None:
            difference = None
            message = (
                f"{_label(figure)}: ตัวเลขที่ประกาศ {figure.value}{where} แต่ไม่มีคะแนนรายข้อให้คำนวณเทียบ"
            )
        else:
            difference = figure.value - computed
            if abs(difference) <= TOLERANCE:
                continue
            # An item's own score is stored, not computed: say which figure it is compared with.
            against = "คะแนนที่บันทึกไว้" if figure.scope == "item" else "ที่คำนวณได้"
            message = (
                f"{_label(figure)}: ตัวเลขที่ประกาศ {figure.value}{where} "
                f"ต่างจาก{against} {computed} (ต่าง {difference:+})"
            )
        warnings.append(
            DataWarning(
                scope=figure.scope,
                key=figure.key,
                source=figure.source,
                basis=figure.basis,
                reported=figure.value,
                computed=computed,
                difference=difference,
                message=message,
            )
        )
    return warnings


# --- Where the points are -------------------------------------------------------------------
#
# The total is linear in every item score: raising item i of indicator k (n_k scored items)
# in tool t from s to g adds (g − s) / n_k × w_k / W_t × w_t / W to the total, where W_t is the
# weight of t's scored indicators and W the weight of the tools. So each item's gain can be
# read on its own, and the gains of several items add up.


@dataclass(frozen=True)
class Gain:
    """What raising one item to ``target`` adds to the weighted total (unrounded points)."""

    code: str
    indicator: int
    score: Decimal
    target: Decimal
    points: Decimal


@dataclass(frozen=True)
class LiftStep:
    """One item of a lift plan: its gain and the total and level once it and those before it
    are raised."""

    gain: Gain
    total: Decimal
    level: str | None


def _item_factor(spec: FrameworkSpec, item_scores: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Return, per scored item, how many points of the total one point of its score is worth."""
    tool_weight = sum((tool.weight for tool in spec.tools), Decimal(0))
    factors: dict[str, Decimal] = {}
    for tool in spec.tools:
        indicators = [
            (ind, [code for code in ind.item_codes if code in item_scores])
            for ind in spec.indicators
            if ind.tool_code == tool.code
        ]
        scored = [(ind, codes) for ind, codes in indicators if codes]
        indicator_weight = sum((ind.weight for ind, _ in scored), Decimal(0))
        for ind, codes in scored:
            # The same zero-weight fallbacks as weighted_mean: plain means.
            ind_share = (
                ind.weight / indicator_weight if indicator_weight else Decimal(1) / len(scored)
            )
            tool_share = tool.weight / tool_weight if tool_weight else Decimal(1) / len(spec.tools)
            for code in codes:
                factors[code] = ind_share * tool_share / len(codes)
    return factors


def item_gains(
    spec: FrameworkSpec, item_scores: Mapping[str, Decimal], target: Decimal
) -> list[Gain]:
    """Rank the items below ``target`` by the points each adds to the total if raised to it.

    A checklist item below the target can only go to 100. Ties keep the framework's item
    order. Items at or above the target add nothing and are left out; so are items without a
    score (they are not in the total at all).
    """
    factors = _item_factor(spec, item_scores)
    indicator_of = {code: ind.number for ind in spec.indicators for code in ind.item_codes}
    order = [code for ind in spec.indicators for code in ind.item_codes]
    gains = []
    for code in order:
        if code not in factors or item_scores[code] >= target:
            continue
        goal = HUNDRED if code in spec.checklist else target
        points = (goal - item_scores[code]) * factors[code]
        gains.append(Gain(code, indicator_of[code], item_scores[code], goal, points))
    return sorted(gains, key=lambda gain: gain.points, reverse=True)


def lift_plan(
    spec: FrameworkSpec, item_scores: Mapping[str, Decimal], target: Decimal
) -> list[LiftStep]:
    """Raise the items to ``target`` one by one, most points first, with the running total and
    level: the first steps are the few items that move the district up a level."""
    exact_total = summarize(spec, item_scores).exact_total
    if exact_total is None:
        return []
    steps = []
    for gain in item_gains(spec, item_scores, target):
        exact_total += gain.points
        total = round_score(exact_total)
        steps.append(LiftStep(gain=gain, total=total, level=level_for(total, spec.bands)))
    return steps


def next_level(spec: FrameworkSpec, total: Decimal | None) -> tuple[str, Decimal] | None:
    """Return the band just above ``total`` (label, minimum), or None at the top."""
    if total is None:
        return None
    above = [(label, minimum) for label, minimum in spec.bands if minimum > total]
    return min(above, key=lambda band: band[1]) if above else None
