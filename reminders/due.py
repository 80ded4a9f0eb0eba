"""What is due, read for many districts at once: the facts the digests are written from.

Every function here reads a fixed number of queries whatever the number of districts or
users, so the digests of a thousand users cost what the digests of ten do. The rules:

- **Followed plans**: a district's approved plans (a draft is still being written, a closed
  plan is finished); only their actions and rounds are due.
- **Who answers for an action** and **a division's status on it**: the progress dashboard's
  rules (``plans.dashboards.answering_divisions``), so a "ทุกฝ่าย" action is due for every
  division of the district, and is overdue for a division until that division reported it
  done, even after other divisions did.
- **Overdue**: open, past its due date. **Due soon**: open, due today or within
  ``DUE_SOON_DAYS``.
- **A round lacking a division's report**: a round open today that closes within
  ``ROUND_CLOSING_DAYS``, and an action the division answers for that is due to report in it
  (``plans.dashboards.due_in``, cancelled ones left out) with no report in the round yet: for
  a "ทุกฝ่าย" action no report of that division; for any other action no report at all (one
  report answers for the lead and the sharing divisions, as on the dashboard).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q

from assessments.models import Organization
from assessments.thaidates import fiscal_year_of
from plans.dashboards import answering_divisions, division_status, due_in
from plans.models import (
    Action,
    Division,
    Plan,
    ProgressUpdate,
    ReportingRound,
    overdue_condition,
)

Status = Action.Status

# A digest lists the actions due within this many days.
DUE_SOON_DAYS = 14
# ... and the open rounds that close within this many days.
ROUND_CLOSING_DAYS = 7
# A central manager's summary names this many of the most overdue districts.
TOP_DISTRICTS = 10

CLOSED = (Status.DONE, Status.CANCELLED)


@dataclass(frozen=True)
class DueAction:
    """An action due for one division (a "ทุกฝ่าย" action once per division)."""

    action: Action
    division: Division
    overdue: bool


@dataclass(frozen=True)
class RoundGap:
    """An open round closing soon, and how many actions still lack a division's report."""

    round: ReportingRound
    plan: Plan
    division: Division
    missing: int


@dataclass
class DistrictFacts:
    organization: Organization
    divisions: list[Division] = field(default_factory=list)
    due: list[DueAction] = field(default_factory=list)
    rounds: list[RoundGap] = field(default_factory=list)
    drafts: list[Plan] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)  # followed, newest first
    # The followed plans' actions by status, counted once each (as on the dashboard).
    totals: Counter = field(default_factory=Counter)

    def due_for(self, division_id: int | None) -> list[DueAction]:
        """The whole district's (``None``) or one division's due actions."""
        return [d for d in self.due if division_id is None or d.division.pk == division_id]

    def rounds_for(self, division_id: int | None) -> list[RoundGap]:
        return [r for r in self.rounds if division_id is None or r.division.pk == division_id]

    def overdue_by_division(self) -> list[tuple[Division, int]]:
        counts = Counter(d.division.pk for d in self.due if d.overdue)
        return [
            (division, counts[division.pk]) for division in self.divisions if counts[division.pk]
        ]

    @property
    def overdue(self) -> int:
        """Overdue actions, each counted once."""
        return len({d.action.pk for d in self.due if d.overdue})


def is_due(action: Action, status: str, today: date) -> tuple[bool, bool]:
    """(overdue, due soon) of an action whose status (for the division) is ``status``."""
    if not action.is_open or status in CLOSED or action.due_on is None:
        return False, False
    if action.due_on < today:
        return True, False
    return False, action.due_on <= today + timedelta(days=DUE_SOON_DAYS)


def district_facts(organization_ids, today: date) -> dict[int, DistrictFacts]:
    """What is due in each of the districts, in seven queries whatever their number."""
    organization_ids = set(organization_ids)
    if not organization_ids:
        return {}
    facts = {
        organization.pk: DistrictFacts(organization)
        for organization in Organization.objects.filter(pk__in=organization_ids)
    }
    for division in Division.objects.filter(organization_id__in=organization_ids).order_by(
        "organization_id", "order", "name"
    ):
        facts[division.organization_id].divisions.append(division)
    plans = {}
    for plan in (
        Plan.objects.filter(
            organization_id__in=organization_ids,
            status__in=[Plan.Status.DRAFT, Plan.Status.APPROVED],
        )
        .select_related("organization")
        .order_by("-fiscal_year")
    ):
        if plan.status == Plan.Status.DRAFT:
            facts[plan.organization_id].drafts.append(plan)
        else:
            plans[plan.pk] = plan
            facts[plan.organization_id].plans.append(plan)
    actions = list(
        Action.objects.filter(finding__plan_id__in=plans)
        .select_related("finding__item")
        .order_by(F("due_on").asc(nulls_last=True), "finding__order", "order", "pk")
    )
    ids = [action.pk for action in actions]
    shared: dict[int, list[int]] = defaultdict(list)
    for action_id, division_id in Action.divisions.through.objects.filter(
        action_id__in=ids
    ).values_list("action_id", "division_id"):
        shared[action_id].append(division_id)
    closing = list(
        ReportingRound.objects.filter(
            plan_id__in=plans,
            starts_on__lte=today,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=ROUND_CLOSING_DAYS),
        ).order_by("ends_on", "pk")
    )
    # Only the reports the rules read: each division's own on "ทุกฝ่าย" actions (its status),
    # and any made in a round closing soon (whether it was reported).
    updates = (
        ProgressUpdate.objects.filter(action_id__in=ids)
        .filter(
            Q(action__all_divisions=True, division__isnull=False)
            | Q(round_id__in=[r.pk for r in closing])
        )
        .order_by("reported_at", "pk")
        .values_list("action_id", "division_id", "round_id", "status")
    )
    latest: dict[tuple[int, int], str] = {}
    reported: set[tuple[int, int | None, int]] = set()  # (action, division, round)
    for action_id, division_id, round_id, status in updates:
        if division_id is not None:
            latest[(action_id, division_id)] = status
        if round_id is not None:
            reported.add((action_id, division_id, round_id))
            reported.add((action_id, None, round_id))

    answering: dict[int, list[Division]] = {}
    for action in actions:
        plan = plans[action.finding.plan_id]
        district = facts[plan.organization_id]
        district.totals[action.status] += 1
        answering[action.pk] = answering_divisions(action, shared, district.divisions)
        for division in answering[action.pk]:
            # is_due reads an action done or cancelled as a whole as due for nobody.
            status = division_status(action, division, latest)
            overdue, soon = is_due(action, status, today)
            if overdue or soon:
                district.due.append(DueAction(action, division, overdue))

    by_plan: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        if action.status != Status.CANCELLED:
            by_plan[action.finding.plan_id].append(action)
    for reporting_round in closing:
        plan = plans[reporting_round.plan_id]
        district = facts[plan.organization_id]
        missing = Counter()
        for action in by_plan[plan.pk]:
            if not due_in(action, reporting_round):
                continue
            for division in answering[action.pk]:
                who = division.pk if action.all_divisions else None
                if (action.pk, who, reporting_round.pk) not in reported:
                    missing[division.pk] += 1
        district.rounds += [
            RoundGap(reporting_round, plan, division, missing[division.pk])
            for division in district.divisions
            if missing[division.pk]
        ]
    return facts


@dataclass(frozen=True)
class DistrictTally:
    organization: Organization
    plan: Plan | None  # the newest followed plan, for the link
    overdue: int = 0
    rounds_unreported: int = 0  # rounds closed this plan year with an action never reported
    actions_unreported: int = 0


@dataclass
class BmaFacts:
    overdue: int
    districts: list[DistrictTally]

    @property
    def most_overdue(self) -> list[DistrictTally]:
        ranked = sorted(
            (d for d in self.districts if d.overdue),
            key=lambda d: (-d.overdue, d.organization.code),
        )
        return ranked[:TOP_DISTRICTS]

    @property
    def unreported(self) -> list[DistrictTally]:
        return sorted(
            (d for d in self.districts if d.rounds_unreported),
            key=lambda d: (-d.rounds_unreported, -d.actions_unreported, d.organization.code),
        )


def bma_facts(today: date) -> BmaFacts:
    """Every district's overdue actions and this plan year's rounds closed with actions never
    reported in them (``plans.dashboards.due_in``), in five queries."""
    plans = {
        plan.pk: plan
        for plan in Plan.objects.filter(
            status=Plan.Status.APPROVED, organization__kind=Organization.Kind.DISTRICT
        )
        .select_related("organization")
        .order_by("fiscal_year")
    }
    newest = {plan.organization_id: plan for plan in plans.values()}
    overdue = dict(
        Action.objects.filter(finding__plan_id__in=plans)
        .filter(overdue_condition(today))
        .values("finding__plan__organization_id")
        .annotate(n=Count("pk"))
        .values_list("finding__plan__organization_id", "n")
    )
    year = fiscal_year_of(today)
    this_year = [pk for pk, plan in plans.items() if plan.fiscal_year == year]
    closed = list(
        ReportingRound.objects.filter(plan_id__in=this_year, ends_on__lt=today).order_by(
            "starts_on"
        )
    )
    rounds_of: dict[int, list[ReportingRound]] = defaultdict(list)
    for reporting_round in closed:
        rounds_of[reporting_round.plan_id].append(reporting_round)
    actions = (
        Action.objects.filter(finding__plan_id__in=[r.plan_id for r in closed])
        .exclude(status=Status.CANCELLED)
        .values_list("pk", "finding__plan_id", "starts_on", "completed_on")
    )
    reported = set(
        ProgressUpdate.objects.filter(round__in=closed).values_list("action_id", "round_id")
    )
    unreported: dict[int, set[int]] = defaultdict(set)  # district → rounds
    missing: Counter = Counter()
    for pk, plan_id, starts_on, completed_on in actions:
        stub = Action(pk=pk, starts_on=starts_on, completed_on=completed_on)
        for reporting_round in rounds_of[plan_id]:
            if due_in(stub, reporting_round) and (pk, reporting_round.pk) not in reported:
                organization_id = plans[plan_id].organization_id
                unreported[organization_id].add(reporting_round.pk)
                missing[organization_id] += 1
    districts = [
        DistrictTally(
            organization=plan.organization,
            plan=plan,
            overdue=overdue.get(organization_id, 0),
            rounds_unreported=len(unreported[organization_id]),
            actions_unreported=missing[organization_id],
        )
        for organization_id, plan in newest.items()
    ]
    return BmaFacts(overdue=sum(overdue.values()), districts=districts)
