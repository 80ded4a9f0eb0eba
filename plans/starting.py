"""Start next year's plan: the findings of the weak items, last year's unfinished actions
carried over, the official title and the fiscal year's reporting rounds.

The rules live here, for the page and the ``start_plan`` command alike: ``build_preview``
reads and decides (writes nothing), ``apply`` writes what a preview says in one transaction.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.models import Assessment, Item, ItemLink, Organization
from assessments.rollup import framework_spec
from assessments.thaidates import (
    THAI_MONTHS_SHORT,
    fiscal_year_bounds,
    format_month,
)
from plans import dataversions, navigation, tallies
from plans.documents.report import office_name
from plans.models import Action, Finding, Plan, ReportingRound

ITEMS_BELOW_PASS = "below-pass"
ITEMS_ALL = "all"
ITEMS_NONE = "none"
ITEMS_CHOICES = (ITEMS_BELOW_PASS, ITEMS_ALL, ITEMS_NONE)

TITLE = (
    "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น แนวทางปฏิบัติ มาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใส"
    " ประจำปีงบประมาณ พ.ศ. {year}"
)

# The quarters of a fiscal year, by their first month's offset from October. The 6- and
# 12-month rounds share the second and fourth quarters: a plan's rounds may not overlap,
# since a report's date must name one round.
ROUND_LABELS = (
    "ไตรมาสที่ 1",
    "ไตรมาสที่ 2 และรอบ 6 เดือน",
    "ไตรมาสที่ 3",
    "ไตรมาสที่ 4 และรอบ 12 เดือน",
)


class StartError(ValueError):
    """The plan cannot be started as asked; str() is a Thai message for the user."""


class YearNeedsConfirmation(StartError):
    """A plan year other than the assessment's year + 1 was asked without confirming it."""


@dataclass(frozen=True)
class RoundSpec:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CarriedAction:
    """An open action of last year's plan and the item of the new edition it goes under."""

    action: Action
    item: Item
    starts_on: date | None
    due_on: date | None


@dataclass
class Preview:
    organization: Organization
    assessment: Assessment
    fiscal_year: int
    title: str
    items_choice: str
    # The items chosen for findings, in the order they are created.
    findings: list[Item]
    carried: list[CarriedAction]
    # Open actions of last year's plan whose item has no counterpart in the new edition.
    unlinked: list[Action]
    rounds: list[RoundSpec]
    previous_plan: Plan | None = None

    @property
    def extra_findings(self) -> list[Item]:
        """Items not chosen that still need a finding, because a carried action goes there."""
        return _extra_items(self.findings, [carried.item for carried in self.carried])


@dataclass(frozen=True)
class Started:
    plan: Plan
    findings: int
    carried: int
    unlinked: int
    rounds: int


def _extra_items(chosen: list[Item], targets: list[Item]) -> list[Item]:
    seen = {item.pk for item in chosen}
    extra = []
    for item in targets:
        if item.pk not in seen:
            seen.add(item.pk)
            extra.append(item)
    return extra


def default_title(organization: Organization, fiscal_year: int) -> str:
    """The title of the official plan document, and the office it belongs to."""
    return f"{TITLE.format(year=fiscal_year)} {office_name(organization)}"


def default_rounds(fiscal_year: int) -> list[RoundSpec]:
    """The four quarters of a fiscal year, named as the office writes them:
    "ไตรมาสที่ 1 (ต.ค. – ธ.ค. 65)" for FY 2566."""
    first, _last = fiscal_year_bounds(fiscal_year)
    rounds = []
    for quarter, label in enumerate(ROUND_LABELS):
        start = _add_months(first, 3 * quarter)
        end_month = _add_months(start, 2)
        end = end_month.replace(day=calendar.monthrange(end_month.year, end_month.month)[1])
        # A round's name is stored and printed in the official report: Thai whoever starts it.
        name = f"{label} ({THAI_MONTHS_SHORT[start.month]} \u2013 {format_month(end, 'th')})"
        rounds.append(RoundSpec(name=name, starts_on=start, ends_on=end))
    return rounds


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shift_years(day: date | None, years: int) -> date | None:
    """The same day ``years`` later; 29 February becomes the 28th in a common year."""
    if day is None:
        return None
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def latest_assessment(organization: Organization) -> Assessment | None:
    return (
        Assessment.objects.filter(organization=organization)
        .select_related("framework")
        .order_by("-framework__fiscal_year", "framework__name")
        .first()
    )


def chosen_items(assessment: Assessment, choice: str) -> list[Item]:
    """The items a new plan gets findings for: below the pass mark most points first, every
    item in the framework's order, or none."""
    if choice not in ITEMS_CHOICES:
        raise StartError(
            _("ตัวเลือกข้อการประเมิน “%(choice)s” ไม่ถูกต้อง (ใช้ %(choices)s)")
            % {"choice": choice, "choices": ", ".join(ITEMS_CHOICES)}
        )
    items = {
        item.code: item
        for item in assessment.framework.items.select_related("indicator__tool").order_by(
            "order", "code"
        )
    }
    if choice == ITEMS_NONE:
        return []
    if choice == ITEMS_ALL:
        return list(items.values())
    spec = framework_spec(assessment.framework)
    scores = dict(assessment.scores.values_list("item__code", "score"))
    return [items[gain.code] for gain in scoring.item_gains(spec, scores, spec.pass_mark)]


def previous_plan(organization: Organization, fiscal_year: int) -> Plan | None:
    return (
        Plan.objects.filter(organization=organization, fiscal_year=fiscal_year - 1)
        .select_related("assessment__framework")
        .first()
    )


def counterparts(old_framework, new_framework) -> dict[int, Item]:
    """Old item id → its counterpart in the new edition: itself within one edition, else the
    confirmed link (a suggestion is not relied on until a person confirms it)."""
    if old_framework.pk == new_framework.pk:
        return {item.pk: item for item in new_framework.items.select_related("indicator__tool")}
    links = (
        ItemLink.objects.confirmed()
        .between(old_framework, new_framework)
        .select_related("to_item__indicator__tool")
    )
    return {link.from_item_id: link.to_item for link in links}


def _check(organization, assessment, fiscal_year, confirm_year) -> None:
    if assessment.organization_id != organization.pk:
        raise StartError(
            _("ผลการประเมินนี้เป็นของ %(other)s ไม่ใช่ของ %(organization)s")
            % {"other": assessment.organization.name_th, "organization": organization.name_th}
        )
    if Plan.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        raise StartError(
            _("%(organization)s มีแผนปีงบประมาณ %(year)s อยู่แล้ว")
            % {"organization": organization.name_th, "year": fiscal_year}
        )
    expected = assessment.framework.fiscal_year + 1
    if fiscal_year != expected and not confirm_year:
        raise YearNeedsConfirmation(
            _(
                "ผลการประเมินปี %(assessed)s ตามปกติใช้กับแผนปีงบประมาณ %(expected)s"
                " — ถ้าต้องการแผนปี %(year)s จริง โปรดยืนยันปีของแผน"
            )
            % {
                "assessed": assessment.framework.fiscal_year,
                "expected": expected,
                "year": fiscal_year,
            }
        )
    try:
        fiscal_year_bounds(fiscal_year)
    except ValueError as error:
        raise StartError(str(error)) from error


def build_preview(
    organization: Organization,
    assessment: Assessment | None = None,
    fiscal_year: int | None = None,
    items: str = ITEMS_BELOW_PASS,
    carry_over: bool = True,
    confirm_year: bool = False,
) -> Preview:
    """Decide what the new plan holds, writing nothing; raise StartError if it may not start."""
    if assessment is None:
        assessment = latest_assessment(organization)
        if assessment is None:
            raise StartError(
                _("%(organization)s ยังไม่มีผลการประเมิน จึงเริ่มแผนไม่ได้")
                % {"organization": organization.name_th}
            )
    if fiscal_year is None:
        fiscal_year = assessment.framework.fiscal_year + 1
    _check(organization, assessment, fiscal_year, confirm_year)
    findings = chosen_items(assessment, items)
    carried, unlinked = [], []
    before = previous_plan(organization, fiscal_year) if carry_over else None
    if before is not None:
        targets = counterparts(before.assessment.framework, assessment.framework)
        years = fiscal_year - before.fiscal_year
        open_actions = (
            Action.objects.filter(finding__plan=before)
            .open()
            .select_related("finding__item", "lead_division")
            .prefetch_related("divisions")
            .order_by("finding__order", "finding__id", "order", "id")
        )
        for action in open_actions:
            target = targets.get(action.finding.item_id)
            if target is None:
                unlinked.append(action)
            else:
                carried.append(
                    CarriedAction(
                        action=action,
                        item=target,
                        starts_on=shift_years(action.starts_on, years),
                        due_on=shift_years(action.due_on, years),
                    )
                )
    return Preview(
        organization=organization,
        assessment=assessment,
        fiscal_year=fiscal_year,
        title=default_title(organization, fiscal_year),
        items_choice=items,
        findings=findings,
        carried=carried,
        unlinked=unlinked,
        rounds=default_rounds(fiscal_year),
        previous_plan=before,
    )


def carry(preview: Preview, action: Action, item: Item) -> CarriedAction:
    """An unlinked action the user decided to carry, under ``item`` of the new edition."""
    if item.framework_id != preview.assessment.framework_id:
        raise StartError(
            _("ข้อ %(code)s ไม่อยู่ในชุดการประเมินของผลการประเมินที่แผนนี้ตอบ") % {"code": item.code}
        )
    years = preview.fiscal_year - preview.previous_plan.fiscal_year
    return CarriedAction(
        action=action,
        item=item,
        starts_on=shift_years(action.starts_on, years),
        due_on=shift_years(action.due_on, years),
    )


@transaction.atomic
@dataversions.batch()  # one count for the whole new plan
@tallies.batch()
def apply(
    preview: Preview,
    items: list[Item] | None = None,
    decided: dict[int, Item] | None = None,
) -> Started:
    """Create the plan the preview describes, all or nothing.

    ``items`` replaces the chosen findings (the boxes the user ticked); ``decided`` maps an
    unlinked action's id to the item it is carried under (the rest are left behind).
    """
    # Checked again inside the transaction: another user may have started it meanwhile.
    _check(preview.organization, preview.assessment, preview.fiscal_year, confirm_year=True)
    chosen = list(preview.findings if items is None else items)
    carried = list(preview.carried)
    decided = decided or {}
    for action in preview.unlinked:
        if action.pk in decided:
            carried.append(carry(preview, action, decided[action.pk]))
    plan = Plan.objects.create(
        organization=preview.organization,
        assessment=preview.assessment,
        fiscal_year=preview.fiscal_year,
        title=preview.title,
    )
    findings = {}
    all_items = chosen + _extra_items(chosen, [c.item for c in carried])
    for order, item in enumerate(all_items, start=1):
        findings[item.pk] = Finding.objects.create(plan=plan, item=item, order=order)
    counts: dict[int, int] = {}
    for entry in carried:
        old = entry.action
        finding = findings[entry.item.pk]
        counts[finding.pk] = counts.get(finding.pk, 0) + 1
        new = Action.objects.create(
            finding=finding,
            text=old.text,
            order=counts[finding.pk],
            lead_division=old.lead_division,
            all_divisions=old.all_divisions,
            starts_on=entry.starts_on,
            due_on=entry.due_on,
            follow_up_method=old.follow_up_method,
            carried_from=old,
        )
        new.divisions.set(old.divisions.all())
    for spec in preview.rounds:
        ReportingRound.objects.create(
            plan=plan, name=spec.name, starts_on=spec.starts_on, ends_on=spec.ends_on
        )
    return Started(
        plan=plan,
        findings=len(all_items),
        carried=len(carried),
        unlinked=sum(1 for action in preview.unlinked if action.pk not in decided),
        rounds=len(preview.rounds),
    )


def plan_due(organization: Organization) -> Assessment | None:
    """The organization's latest assessment if the plan that answers it (its year + 1) has not
    been started yet: where the page offers "เริ่มแผนปีงบประมาณถัดไป"."""
    # The rule itself is the district's years' (the menu asks it of the years it has read).
    if not navigation.district_years(organization).next_plan_due:
        return None
    return latest_assessment(organization)


def plans_due(organizations) -> list[tuple[Organization, Assessment]]:
    """Of ``organizations``, those with assessments whose next plan is due, and the assessment."""
    due = []
    for organization in organizations.filter(assessments__isnull=False).distinct():
        if (latest := plan_due(organization)) is not None:
            due.append((organization, latest))
    return due
