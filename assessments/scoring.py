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

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


@dataclass(frozen=True)
class Band:
    """A level: reached by a total of ``min_score`` and, when ``min_each_tool`` is set, by
    every tool scoring at least that (NACC's rating since 2566: ผ่าน and ผ่านดี share the
    total 85 and differ only there)."""

    label: str
    min_score: Decimal
    min_each_tool: Decimal | None = None

    @property
    def rank(self) -> tuple[Decimal, Decimal]:
        """Higher bands sort later: by total, then by the tool minimum (none lowest)."""
        return (self.min_score, Decimal(-1) if self.min_each_tool is None else self.min_each_tool)

    def reached_by(self, total: Decimal, tool_scores: Mapping[str, Decimal | None]) -> bool:
        if total < self.min_score:
            return False
        if self.min_each_tool is None:
            return True
        scores = list(tool_scores.values())
        return bool(scores) and all(
            score is not None and score >= self.min_each_tool for score in scores
        )


def ranked(bands: Iterable[Band]) -> list[Band]:
    """Return the bands from the highest down."""
    return list(_ranked(tuple(bands)))


@functools.lru_cache(maxsize=64)
def _ranked(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    # A framework's few bands, ranked once: a lift plan asks for the level of every step.
    return tuple(sorted(bands, key=lambda band: band.rank, reverse=True))


def band_for(
    total: Decimal | None, tool_scores: Mapping[str, Decimal | None], bands: Iterable[Band]
) -> Band | None:
    """Return the highest band the total and the tool scores (rounded as reported) reach."""
    if total is None:
        return None
    return _highest_reached(total, tool_scores, _ranked(tuple(bands)))


def _highest_reached(
    total: Decimal, tool_scores: Mapping[str, Decimal | None], ranked_bands: tuple[Band, ...]
) -> Band | None:
    """``band_for`` over bands already ranked (a lift plan asks it for every step: ranking
    them each time hashed every band)."""
    return next((band for band in ranked_bands if band.reached_by(total, tool_scores)), None)


def level_for(
    total: Decimal | None, tool_scores: Mapping[str, Decimal | None], bands: Iterable[Band]
) -> str | None:
    """Return the label of the highest band whose total minimum is reached and, if it has
    one, whose minimum every tool reaches."""
    band = band_for(total, tool_scores, bands)
    return band.label if band else None


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
    bands: tuple[Band, ...]
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
    tools = {code: round_score(v) for code, v in exact_tools.items()}
    return Summary(
        items={code: round_score(score) for code, score in item_scores.items()},
        indicators={number: round_score(v) for number, v in exact_indicators.items()},
        tools=tools,
        total=total,
        level=level_for(total, tools, spec.bands),
        exact_indicators=exact_indicators,
        exact_tools=exact_tools,
        exact_total=exact_total,
    )


SCOPE_LABELS = {
    "item": _("ข้อ"),
    "indicator": _("ตัวชี้วัดที่"),
    "tool": _("เครื่องมือ"),
    "total": _("คะแนนรวม"),
}


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
    return (
        gettext("%(label)s (คะแนนถ่วงน้ำหนัก)") % {"label": label}
        if figure.basis == "points"
        else label
    )


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
            message = gettext(
                "%(label)s: ตัวเลขที่ประกาศ %(value)s%(where)s แต่ไม่มีคะแนนรายข้อให้คำนวณเทียบ"
            ) % {"label": _label(figure), "value": figure.value, "where": where}
        else:
            difference = figure.value - computed
            if abs(difference) <= TOLERANCE:
                continue
            # An item's own score is stored, not computed: say which figure it is compared with.
            against = gettext("คะแนนที่บันทึกไว้") if figure.scope == "item" else gettext("ที่คำนวณได้")
            message = gettext(
                "%(label)s: ตัวเลขที่ประกาศ %(value)s%(where)s "
                "ต่างจาก%(against)s %(computed)s (ต่าง %(difference)s)"
            ) % {
                "label": _label(figure),
                "value": figure.value,
                "where": where,
                "against": against,
                "computed": computed,
                "difference": f"{difference:+}",
            }
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


def tool_shares(spec: FrameworkSpec) -> dict[str, Decimal]:
    """Return each tool's share of the total (its weight over all tools' weights)."""
    tool_weight = sum((tool.weight for tool in spec.tools), Decimal(0))
    return {
        tool.code: tool.weight / tool_weight if tool_weight else Decimal(1) / len(spec.tools)
        for tool in spec.tools
    }


def _tool_factors(
    spec: FrameworkSpec, item_scores: Mapping[str, Decimal]
) -> dict[str, tuple[str, Decimal]]:
    """Return, per scored item, its tool and how many points of the tool's score one point
    of the item is worth."""
    factors: dict[str, tuple[str, Decimal]] = {}
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
            for code in codes:
                factors[code] = (tool.code, ind_share / len(codes))
    return factors


def _item_factor(
    spec: FrameworkSpec,
    item_scores: Mapping[str, Decimal],
    tool_factors: dict[str, tuple[str, Decimal]] | None = None,
) -> dict[str, Decimal]:
    """Return, per scored item, how many points of the total one point of its score is worth."""
    shares = tool_shares(spec)
    if tool_factors is None:
        tool_factors = _tool_factors(spec, item_scores)
    return {code: factor * shares[tool_code] for code, (tool_code, factor) in tool_factors.items()}


def item_gains(
    spec: FrameworkSpec,
    item_scores: Mapping[str, Decimal],
    target: Decimal,
    tool_factors: dict[str, tuple[str, Decimal]] | None = None,
) -> list[Gain]:
    """Rank the items below ``target`` by the points each adds to the total if raised to it.

    A checklist item below the target can only go to 100. Ties keep the framework's item
    order. Items at or above the target add nothing and are left out; so are items without a
    score (they are not in the total at all). ``tool_factors``: ``_tool_factors`` of the same
    scores, when the caller has them.
    """
    factors = _item_factor(spec, item_scores, tool_factors)
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
    spec: FrameworkSpec,
    item_scores: Mapping[str, Decimal],
    target: Decimal,
    summary: Summary | None = None,
) -> list[LiftStep]:
    """Raise the items to ``target`` one by one, most points first, with the running total and
    level: the first steps are the few items that move the district up a level. The tools'
    scores are carried along, since a level may need every tool to reach a minimum.
    ``summary``: ``summarize(spec, item_scores)``, when the caller has it."""
    summary = summary or summarize(spec, item_scores)
    exact_total = summary.exact_total
    if exact_total is None:
        return []
    exact_tools = dict(summary.exact_tools)
    factors = _tool_factors(spec, item_scores)
    ranked_bands = _ranked(tuple(spec.bands))
    steps = []
    for gain in item_gains(spec, item_scores, target, factors):
        tool_code, factor = factors[gain.code]
        exact_total += gain.points
        exact_tools[tool_code] += (gain.target - gain.score) * factor
        total = round_score(exact_total)
        tools = {code: round_score(score) for code, score in exact_tools.items()}
        band = _highest_reached(total, tools, ranked_bands)
        steps.append(LiftStep(gain=gain, total=total, level=band.label if band else None))
    return steps


def next_level(
    spec: FrameworkSpec, total: Decimal | None, tool_scores: Mapping[str, Decimal | None]
) -> Band | None:
    """Return the band just above the one reached, or None at the top (or without a total)."""
    if total is None:
        return None
    current = band_for(total, tool_scores, spec.bands)
    above = [band for band in spec.bands if current is None or band.rank > current.rank]
    return min(above, key=lambda band: band.rank) if above else None


# --- What stands between a level and the next one --------------------------------------------
#
# Within a tool the same linearity holds: raising item i of indicator k adds
# (g − s) / n_k × w_k / W_t to the tool's score, i.e. the item's gain on the total divided by
# the tool's share of the total.


@dataclass(frozen=True)
class ToolStep:
    """One item of a tool's lift: its gain and the tool's score once it and those before it
    are raised (rounded as reported)."""

    gain: Gain
    rise: Decimal  # what it adds to the tool's score, unrounded
    tool_score: Decimal


@dataclass(frozen=True)
class ToolGap:
    """A tool below the next band's minimum for every tool, and the items that close it."""

    code: str
    score: Decimal
    minimum: Decimal
    steps: list[ToolStep]

    @property
    def shortfall(self) -> Decimal:
        return self.minimum - self.score


@dataclass(frozen=True)
class LevelGap:
    """What stands between the level reached and ``band``, the next one up."""

    band: Band
    total: Decimal
    tools: list[ToolGap]

    @property
    def total_shortfall(self) -> Decimal:
        """How far the total is below the band's minimum (0 when it is reached)."""
        return max(self.band.min_score - self.total, Decimal(0))


def tool_lift(
    spec: FrameworkSpec,
    item_scores: Mapping[str, Decimal],
    tool_code: str,
    target: Decimal,
    summary: Summary | None = None,
) -> list[ToolStep]:
    """Raise one tool's items to ``target``, most points first, with the tool's running score
    (``summary``: ``summarize(spec, item_scores)``, when the caller has it)."""
    summary = summary or summarize(spec, item_scores)
    exact = summary.exact_tools.get(tool_code)
    if exact is None:
        return []
    factors = _tool_factors(spec, item_scores)
    steps = []
    for gain in item_gains(spec, item_scores, target, factors):
        code, factor = factors[gain.code]
        if code != tool_code:
            continue
        rise = (gain.target - gain.score) * factor
        exact += rise
        steps.append(ToolStep(gain=gain, rise=rise, tool_score=round_score(exact)))
    return steps


def _closing_steps(
    spec: FrameworkSpec,
    item_scores: Mapping[str, Decimal],
    tool_code: str,
    minimum: Decimal,
    summary: Summary | None = None,
) -> list[ToolStep]:
    """The fewest items, most first, that bring the tool to ``minimum``: raised to the minimum
    itself if that is enough (it is, unless checklist items must go to 100), else to 100."""
    for target in (minimum, HUNDRED):
        steps = tool_lift(spec, item_scores, tool_code, target, summary)
        for index, step in enumerate(steps):
            if step.tool_score >= minimum:
                return steps[: index + 1]
    return []


def level_gap(
    spec: FrameworkSpec, item_scores: Mapping[str, Decimal], summary: Summary | None = None
) -> LevelGap | None:
    """Return what stands between the level reached and the next one up: the total's
    shortfall and, per tool below the band's minimum for every tool, its shortfall and the
    items of that tool that close it most cheaply (fewest items). None at the top.
    ``summary``: ``summarize(spec, item_scores)``, when the caller has it."""
    summary = summary or summarize(spec, item_scores)
    band = next_level(spec, summary.total, summary.tools)
    if band is None:
        return None
    tools = []
    if band.min_each_tool is not None:
        for tool in spec.tools:
            score = summary.tools[tool.code]
            if score >= band.min_each_tool:
                continue
            steps = _closing_steps(spec, item_scores, tool.code, band.min_each_tool, summary)
            tools.append(ToolGap(tool.code, score, band.min_each_tool, steps))
    return LevelGap(band=band, total=summary.total, tools=tools)
