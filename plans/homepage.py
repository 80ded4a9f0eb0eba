"""What the home page shows each role first, read in a fixed number of queries.

- staff: their overdue and due-soon actions (``reminders.digests.due_list``) and the round
  open today;
- plan owner: the plan's state, its overdue actions counted by the divisions that answer for
  them (``plans.dashboards.answering_divisions``), and whether next year's plan is due;
- district manager: the district's headline figures (latest total and level, % done and
  overdue of the current plan), as the BMA overview computes them;
- central: the overview of the latest year in its default scope (the BMA's districts), summed
  up in SQL.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F

from assessments import summaries
from assessments.models import Assessment, Organization
from plans import dashboards, navigation
from plans.models import Action, Plan, ReportingRound, overdue_condition

# The central home lists this many districts of each kind (lowest score, most overdue).
SHOWN = 5


def current_plan(organization: Organization, years: navigation.DistrictYears, today: date):
    year = years.current_plan_year(today)
    if year is None:
        return None
    return (
        Plan.objects.select_related("organization", "assessment__framework")
        .filter(organization=organization, fiscal_year=year)
        .first()
    )


def open_round(plan: Plan | None, today: date) -> ReportingRound | None:
    """The plan's reporting round that includes today, if any."""
    if plan is None:
        return None
    return (
        ReportingRound.objects.filter(plan=plan, starts_on__lte=today, ends_on__gte=today)
        .order_by("starts_on")
        .first()
    )


def overdue_by_division(plan: Plan, today: date) -> list[tuple[object, int]]:
    """Each division answering for an overdue action of the plan, and how many, most first."""
    overdue = list(Action.objects.filter(finding__plan=plan).filter(overdue_condition(today)))
    ids = [action.pk for action in overdue]
    shared: dict[int, list[int]] = {}
    for action_id, division_id in Action.divisions.through.objects.filter(
        action_id__in=ids
    ).values_list("action_id", "division_id"):
        shared.setdefault(action_id, []).append(division_id)
    district = list(plan.organization.divisions.order_by("order", "name"))
    counts: Counter = Counter()
    for action in overdue:
        for division in dashboards.answering_divisions(action, shared, district):
            counts[division] += 1
    order = {division.pk: index for index, division in enumerate(district)}
    return sorted(counts.items(), key=lambda pair: (-pair[1], order[pair[0].pk]))


@dataclass
class Headline:
    """A district's figures on the manager's home."""

    assessment: Assessment | None = None
    total: Decimal | None = None
    level: str | None = None
    plan: Plan | None = None
    percent_done: Decimal | None = None
    overdue: int | None = None


def _district_row(organization: Organization, year: int, today: date):
    """The district's overview row of ``year`` (its highest total if it has two editions)."""
    assessments = Assessment.objects.filter(organization=organization, framework__fiscal_year=year)
    summaries.refresh_missing(assessments)
    best = assessments.order_by(F("summary__total").desc(nulls_last=True), "pk")
    ids = list(best.values_list("pk", flat=True)[:1])
    return dashboards.rows_in_order(ids, today)[0] if ids else None


def headline(organization: Organization, years: navigation.DistrictYears, today: date):
    """Latest total and level; % done and overdue of the current plan."""
    figures = Headline()
    if years.assessments:
        row = _district_row(organization, years.assessments[0], today)
        if row is not None:
            figures.assessment, figures.total = row.assessment, row.summary.total
            figures.level = row.summary.level
    plan_year = years.current_plan_year(today)
    if plan_year is not None:
        answers = years.answered_by(plan_year)
        row = _district_row(organization, answers, today)
        if row is not None and row.plan is not None and row.plan.fiscal_year == plan_year:
            figures.plan, figures.percent_done = row.plan, row.percent_done
            figures.overdue = row.overdue
        else:
            figures.plan = current_plan(organization, years, today)
    return figures


@dataclass
class BmaSummary:
    year: int
    districts: int
    assessed: int
    passing: int
    average: Decimal | None
    with_plan: int
    overdue: int
    lowest: list = field(default_factory=list)  # DistrictRow, lowest total first
    most_overdue: list = field(default_factory=list)  # DistrictRow, most overdue first


def bma_summary(user, year: int, today: date) -> BmaSummary:
    """The overview of ``year`` summed up for a central manager, in the overview's default
    scope (the BMA's districts for its central office): its headline, the lowest totals and
    the most overdue, each read in SQL."""
    visible = Organization.objects.visible_to(user)
    scope = dashboards.overview_scope(user, visible, {})
    assessed = Assessment.objects.visible_to(user).filter(
        scope.condition("organization__"), framework__fiscal_year=year
    )
    summaries.refresh_missing(assessed)
    figures = dashboards.overview_headline(
        assessed, scope.expected(visible), year, today, with_plans=True
    )
    lowest = assessed.filter(summary__total__isnull=False).order_by(
        "summary__total", "organization__code"
    )
    overdue = dashboards.OVERVIEW_SORTS["overdue"](today)
    most_overdue = (
        assessed.annotate(overdue=overdue)
        .filter(overdue__gt=0)
        .order_by("-overdue", F("summary__total").desc(nulls_last=True), "organization__code")
    )
    return BmaSummary(
        year=year,
        districts=figures.agencies,
        assessed=figures.assessed,
        passing=figures.passing,
        average=figures.average,
        with_plan=figures.with_plan,
        overdue=figures.overdue,
        lowest=dashboards.rows_in_order(list(lowest.values_list("pk", flat=True)[:SHOWN]), today),
        most_overdue=dashboards.rows_in_order(
            list(most_overdue.values_list("pk", flat=True)[:SHOWN]), today
        ),
    )
