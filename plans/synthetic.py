"""A BMA-wide synthetic data set: every district, several years, plans followed up round by round.

For benchmarks and for trying the dashboards on realistic volumes. It builds on what
``load_demo`` provides (the 50 districts, the ITA 2564 framework) and writes with plain
``bulk_create``: tens of thousands of rows in seconds, without change history (nobody edited
these rows). The same seed gives the same data; each district-year draws from its own
generator, so a district's data does not depend on how many others are generated.

A district-year that already has a plan (the demo's Phra Khanong plan 2565) is left alone, an
existing assessment keeps its scores, and existing divisions are reused: a second run adds
nothing. Districts named in ``exclude`` are not touched at all.

Given a ``today``, the plans are written as they stood that day: the year's story is drawn
whole, then what happens after ``today`` is dropped (``load_demo --simulated``'s living year).
"""

import random
from collections import defaultdict
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction

from assessments import summaries
from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Item,
    ItemScore,
    LevelBand,
    Organization,
    Tool,
)
from assessments.thaidates import BANGKOK, as_date, fiscal_year_bounds, format_month
from plans import dataversions, tallies
from plans.models import (
    Action,
    Division,
    Finding,
    Plan,
    ProgressUpdate,
    ReportingRound,
    round_for,
)
from plans.progress import combined

# The framework load_demo provides; the other years are copies of it.
TEMPLATE_YEAR = 2564
BATCH_SIZE = 2000

DIVISIONS = (
    "ฝ่ายปกครอง",
    "ฝ่ายทะเบียน",
    "ฝ่ายการคลัง",
    "ฝ่ายรายได้",
    "ฝ่ายโยธา",
    "ฝ่ายรักษาความสะอาดและสวนสาธารณะ",
    "ฝ่ายเทศกิจ",
    "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล",
    "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม",
    "ฝ่ายการศึกษา",
)
# The plan owner's division leads more actions than any other, as in the seed.
PLAN_OWNER_DIVISION = "ฝ่ายปกครอง"

PLAN_TITLE = (
    "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น แนวทางปฏิบัติ มาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรม"
    "และความโปร่งใส ประจำปีงบประมาณ พ.ศ. {year}"
)
FOLLOW_UP_METHODS = (
    "ผลการดำเนินงานบนเว็บไซต์สำนักงานเขต",
    "ไม่มีเรื่องร้องเรียนเกี่ยวกับประเด็นที่เกี่ยวข้อง",
)
ISSUES = (
    "ข้อมูลที่เผยแพร่ยังไม่ครบถ้วนและไม่เป็นปัจจุบัน",
    "เจ้าหน้าที่บางส่วนยังไม่เข้าใจแนวทางปฏิบัติ",
    "ขาดการติดตามและรายงานผลอย่างต่อเนื่อง",
    "ผู้รับบริการยังไม่ทราบช่องทางการติดต่อและร้องเรียน",
    "ขั้นตอนการปฏิบัติงานยังไม่ชัดเจน",
    "การประชาสัมพันธ์ยังไม่ทั่วถึง",
)
MEASURES = (
    "จัดทำและเผยแพร่ข้อมูลเรื่อง {topic} บนเว็บไซต์สำนักงานเขต",
    "ประชุมชี้แจงเจ้าหน้าที่ทุกฝ่ายเรื่อง {topic}",
    "จัดทำคู่มือและแนวทางปฏิบัติเรื่อง {topic}",
    "ตรวจสอบและปรับปรุงข้อมูลเรื่อง {topic} ให้เป็นปัจจุบันทุกเดือน",
    "ติดตามและรายงานผลการดำเนินงานเรื่อง {topic} ทุกไตรมาส",
    "ประชาสัมพันธ์ช่องทางการติดต่อและร้องเรียนเกี่ยวกับ {topic}",
    "ทบทวนขั้นตอนการปฏิบัติงานเรื่อง {topic} และลดระยะเวลาการให้บริการ",
    "จัดอบรมเสริมสร้างความรู้ด้านคุณธรรมและความโปร่งใสเรื่อง {topic}",
)
NOTES = {
    Action.Status.NOT_STARTED: "ยังไม่ได้เริ่มดำเนินการ อยู่ระหว่างเตรียมข้อมูล",
    Action.Status.IN_PROGRESS: "อยู่ระหว่างดำเนินการ ดำเนินการแล้วร้อยละ {progress}",
    Action.Status.DONE: "ดำเนินการแล้วเสร็จ เผยแพร่ผลการดำเนินงานแล้ว",
    Action.Status.CANCELLED: "ยกเลิก เนื่องจากรวมกับมาตรการอื่นของแผน",
}
# Status mix of the latest plan year (much still open) and of the earlier ones (mostly done).
STATUS_WEIGHTS = {
    "latest": {"done": 40, "in_progress": 33, "not_started": 22, "cancelled": 5},
    "earlier": {"done": 70, "in_progress": 17, "not_started": 9, "cancelled": 4},
}
ON_TIME_SHARE = 0.75  # of the done actions; the rest finish after their due date
ALL_DIVISIONS_SHARE = 0.05
SHARED_SHARE = 0.2
LOW_SURVEY_SHARE = 0.04  # survey items far below the rest ("some low")

COUNT_KEYS = (
    "frameworks",
    "divisions",
    "assessments",
    "scores",
    "plans",
    "rounds",
    "findings",
    "actions",
    "shared_divisions",
    "progress_updates",
)


@dataclass
class _Rows:
    """The rows to insert, parents before children."""

    assessments: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    shared: list = field(default_factory=list)  # (action, division) before actions have ids
    updates: list = field(default_factory=list)


@transaction.atomic
def generate(
    *,
    districts: int = 50,
    years: tuple[int, ...] = (2564, 2565, 2566),
    actions_per_weak_item: int = 5,
    reports_per_action: int = 3,
    seed: int = 2564,
    exclude: Collection[str] = (),
    today: date | None = None,
) -> dict[str, int]:
    """Generate the data set for the first ``districts`` districts (by code) not in
    ``exclude`` and return how many rows of each kind were created. Scores are for the
    assessment ``years``; each district-year gets the plan of the following fiscal year,
    reported up to ``today`` if given, else to the year's end."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    template = Framework.objects.filter(fiscal_year=TEMPLATE_YEAR).order_by("pk").first()
    if template is None:
        raise ValueError(f"no framework of fiscal year {TEMPLATE_YEAR}: run load_demo first")
    organizations = list(
        Organization.objects.filter(kind=Organization.Kind.DISTRICT)
        .exclude(code__in=exclude)
        .order_by("code")[:districts]
    )
    if len(organizations) < districts:
        raise ValueError(f"only {len(organizations)} districts loaded: run load_demo first")
    frameworks = {}
    for year in sorted(set(years)):
        frameworks[year] = Framework.objects.filter(fiscal_year=year).order_by("pk").first()
        if frameworks[year] is None:
            frameworks[year] = _copy_framework(template, year)
            counts["frameworks"] += 1
    items = {
        year: list(
            Item.objects.filter(framework=framework)
            .select_related("indicator")
            .order_by("order", "code")
        )
        for year, framework in frameworks.items()
    }
    divisions = _ensure_divisions(organizations, counts)

    assessments = {
        (a.organization_id, a.framework_id): a
        for a in Assessment.objects.filter(
            organization__in=organizations, framework__in=frameworks.values()
        )
    }
    existing_scores = defaultdict(dict)
    for assessment_id, item_id, score in ItemScore.objects.filter(
        assessment__in=assessments.values()
    ).values_list("assessment_id", "item_id", "score"):
        existing_scores[assessment_id][item_id] = score
    planned = set(
        Plan.objects.filter(
            organization__in=organizations, fiscal_year__in=[year + 1 for year in frameworks]
        ).values_list("organization_id", "fiscal_year")
    )

    rows = _Rows()
    latest = max(frameworks)
    for organization in organizations:
        profile = random.Random(f"{seed}:{organization.code}")
        mean, oit_rate, gain = (
            profile.uniform(84, 92),
            profile.uniform(0.7, 0.93),
            profile.uniform(0, 2.5),
        )
        for year, framework in frameworks.items():
            rng = random.Random(f"{seed}:{organization.code}:{year}")
            step = year - TEMPLATE_YEAR
            assessment = assessments.get((organization.pk, framework.pk))
            if assessment is None:
                assessment = Assessment(
                    organization=organization,
                    framework=framework,
                    published_on=published_on(year),
                    note="ข้อมูลสังเคราะห์สำหรับทดสอบระบบ",
                )
                rows.assessments.append(assessment)
            known = existing_scores.get(assessment.pk, {}) if assessment.pk else {}
            scores = {}
            for item in items[year]:
                drawn = _score(rng, item, mean + gain * step, oit_rate + 0.03 * step, seed)
                if item.pk in known:
                    scores[item.pk] = known[item.pk]
                else:
                    scores[item.pk] = drawn
                    rows.scores.append(ItemScore(assessment=assessment, item=item, score=drawn))
            if (organization.pk, year + 1) in planned:
                continue
            weak = [item for item in items[year] if scores[item.pk] < framework.pass_mark]
            _plan(
                rng,
                rows,
                organization,
                assessment,
                year + 1,
                [(item, scores[item.pk]) for item in weak],
                framework.pass_mark,
                divisions[organization.pk],
                "latest" if year == latest else "earlier",
                actions_per_weak_item,
                reports_per_action,
                today,
            )
    _insert(rows, counts)
    dataversions.touch_all()  # bulk_create sends no signals
    return counts


def published_on(year: int) -> date:
    """The day an edition's results are taken to be published: 1 September of its fiscal
    year, a month before the plan that answers them begins."""
    _, end = fiscal_year_bounds(year)
    return date(end.year, 9, 1)


def _copy_framework(template: Framework, year: int) -> Framework:
    """Copy a framework (bands, tools, indicators, items, pass mark) to another fiscal year."""
    framework = Framework.objects.create(
        fiscal_year=year,
        name=template.name,
        pass_mark=template.pass_mark,
        description=template.description.replace(str(template.fiscal_year), str(year)),
    )
    LevelBand.objects.bulk_create(
        LevelBand(
            framework=framework,
            label=band.label,
            min_score=band.min_score,
            min_each_tool=band.min_each_tool,
        )
        for band in template.bands.all()
    )
    tools = {
        tool.pk: Tool(
            framework=framework,
            code=tool.code,
            name=tool.name,
            weight=tool.weight,
            order=tool.order,
        )
        for tool in template.tools.order_by("pk")
    }
    Tool.objects.bulk_create(tools.values())
    indicators = {
        indicator.pk: Indicator(
            framework=framework,
            tool=tools[indicator.tool_id],
            number=indicator.number,
            name=indicator.name,
            weight=indicator.weight,
        )
        for indicator in template.indicators.order_by("pk")
    }
    Indicator.objects.bulk_create(indicators.values())
    Item.objects.bulk_create(
        Item(
            framework=framework,
            indicator=indicators[item.indicator_id],
            code=item.code,
            name=item.name,
            text=item.text,
            order=item.order,
            kind=item.kind,
        )
        for item in template.items.order_by("pk")
    )
    return framework


def _ensure_divisions(organizations, counts) -> dict[int, list[Division]]:
    """The standard divisions of every district, creating those it lacks (by name)."""
    existing = defaultdict(set)
    for organization_id, name in Division.objects.filter(
        organization__in=organizations
    ).values_list("organization_id", "name"):
        existing[organization_id].add(name)
    new = [
        Division(organization=organization, name=name, order=order)
        for organization in organizations
        for order, name in enumerate(DIVISIONS, start=1)
        if name not in existing[organization.pk]
    ]
    Division.objects.bulk_create(new, batch_size=BATCH_SIZE)
    counts["divisions"] += len(new)
    found = defaultdict(list)
    for division in Division.objects.filter(organization__in=organizations).order_by(
        "organization_id", "order", "name"
    ):
        found[division.organization_id].append(division)
    return found


def _score(rng: random.Random, item: Item, mean: float, oit_rate: float, seed: int) -> Decimal:
    """One item's score: OIT 0 or 100; surveys mostly 70–100, a few far lower. Some items
    are harder everywhere, so the same weak items show up across districts."""
    difficulty = random.Random(f"{seed}:item:{item.code}")
    if item.kind == Item.Kind.CHECKLIST:
        rate = min(0.98, oit_rate + difficulty.uniform(-0.15, 0.05))
        return Decimal(100) if rng.random() < rate else Decimal(0)
    if rng.random() < LOW_SURVEY_SHARE:
        value = rng.uniform(40, 70)
    else:
        value = rng.gauss(mean + difficulty.gauss(0, 3), 5.5)
    return Decimal(f"{min(100.0, max(0.0, value)):.2f}")


def _month_offset(start: date, months: int) -> tuple[int, int]:
    index = start.month - 1 + months
    return start.year + index // 12, index % 12 + 1


def _month_end(start: date, months: int) -> date:
    year, month = _month_offset(start, months + 1)
    return date(year, month, 1) - timedelta(days=1)


def _between(rng: random.Random, low: date, high: date) -> date:
    if high <= low:
        return low
    return low + timedelta(days=rng.randint(0, (high - low).days))


def _rounds(rng: random.Random, plan: Plan, start: date) -> list[ReportingRound]:
    """Quarterly rounds as districts name them; about a quarter of the plans skip the last."""
    quarters = 4 if rng.random() < 0.75 else 3
    rounds = []
    for quarter in range(quarters):
        first = date(*_month_offset(start, 3 * quarter), 1)
        last = _month_end(start, 3 * quarter + 2)
        extra = " และรอบ 6 เดือน" if quarter == 1 else ""
        month = format_month(first).split()[0]
        name = f"ไตรมาสที่ {quarter + 1}{extra} ({month} – {format_month(last)})"
        rounds.append(ReportingRound(plan=plan, name=name, starts_on=first, ends_on=last))
    return rounds


def _round_of(rounds: list[ReportingRound], day: date) -> ReportingRound | None:
    """The round a report of that day falls in, by the rule of Plan.current_round."""
    return round_for(rounds, day)


def _plan(
    rng,
    rows,
    organization,
    assessment,
    plan_year,
    weak,
    pass_mark,
    divisions,
    age,
    actions_per_weak_item,
    reports_per_action,
    today,
) -> None:
    start, end = fiscal_year_bounds(plan_year)
    # In the year under way some actions fall due within their first month, so that by
    # ``today`` a few are already overdue.
    early = today is not None and start <= today <= end
    plan = Plan(
        organization=organization,
        assessment=assessment,
        fiscal_year=plan_year,
        title=PLAN_TITLE.format(year=plan_year),
        status=Plan.Status.APPROVED,
    )
    rows.plans.append(plan)
    rounds = _rounds(rng, plan, start)
    rows.rounds.extend(rounds)
    owner = next((d for d in divisions if d.name == PLAN_OWNER_DIVISION), divisions[0])
    weights = [3 if division is owner else 1 for division in divisions]
    statuses, status_weights = zip(*STATUS_WEIGHTS[age].items(), strict=True)
    spread = max(0, min(2, actions_per_weak_item - 1))
    for order, (item, score) in enumerate(weak, start=1):
        topic = item.name or _shorten(item.text)
        if item.kind == Item.Kind.CHECKLIST:
            analysis = (
                f"ข้อ {item.code} ไม่พบการเผยแพร่ข้อมูลบนเว็บไซต์ หรือข้อมูลไม่ครบถ้วนตามเกณฑ์ ({score} คะแนน)"
            )
        else:
            analysis = f"ข้อ {item.code} ได้คะแนนเฉลี่ย {score} ต่ำกว่าเกณฑ์ผ่าน {pass_mark} คะแนน"
        finding = Finding(
            plan=plan,
            item=item,
            analysis=analysis,
            issues="\n".join(f"- {text}" for text in rng.sample(ISSUES, 2)),
            order=order,
        )
        rows.findings.append(finding)
        count = rng.randint(actions_per_weak_item - spread, actions_per_weak_item + spread)
        for action_order in range(1, count + 1):
            lead = rng.choices(divisions, weights)[0]
            shared, all_divisions = [], False
            roll = rng.random()
            if roll < ALL_DIVISIONS_SHARE:
                lead, all_divisions = owner, True
            elif roll < ALL_DIVISIONS_SHARE + SHARED_SHARE:
                others = [d for d in divisions if d is not lead]
                shared = rng.sample(others, min(len(others), rng.randint(1, 2)))
            action = _action(
                rng, finding, action_order, topic, lead, all_divisions, start, end, early
            )
            action.status = rng.choices(statuses, status_weights)[0]
            rows.actions.append(action)
            rows.shared.extend((action, division) for division in shared)
            reporters = divisions if all_divisions else [lead, *shared]
            _follow_up(rng, rows, action, rounds, reporters, end, reports_per_action, today)


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _action(rng, finding, order, topic, lead, all_divisions, start, end, early=False) -> Action:
    """An action with its follow-up window: most start with the year, due at quarter ends."""
    start_month = 0 if rng.random() < 0.7 else rng.randint(1, 6)
    due_months = list(range(start_month + (0 if early else 1), 12))
    weights = [3 if m % 3 == 2 or m == start_month else 1 for m in due_months]
    due_month = rng.choices(due_months, weights)[0]
    return Action(
        finding=finding,
        text=rng.choice(MEASURES).format(topic=topic),
        order=order,
        lead_division=lead,
        all_divisions=all_divisions,
        starts_on=date(*_month_offset(start, start_month), 1),
        due_on=min(end, _month_end(start, due_month)),
        follow_up_method=rng.choice(FOLLOW_UP_METHODS),
    )


def _follow_up(rng, rows, action, rounds, reporters, end, reports_per_action, today) -> None:
    """The action's final state and the reports that led to it, spread over the year; with
    ``today``, only the reports made by then, and the state they leave the action in.

    A plain action's last report carries its status and progress. Under "ทุกฝ่าย" every
    division reports its own part and the action is what plans.progress.combined makes of
    each division's latest report, as when staff report through the app.
    """
    if not action.all_divisions:
        status = action.status
        action.progress, action.completed_on, limit = _settle(rng, action, status, end)
        count = _report_count(rng, status, reports_per_action)
        drawn = _reports(rng, action, status, action.progress, limit, count, rounds, reporters)
        reports = _until(drawn, today)
        if len(reports) < len(drawn):
            action.status, action.progress, action.completed_on = _left_by(reports)
        rows.updates.extend(reports)
        return
    latest, finished = [], []
    for division in reporters:
        if action.status == Action.Status.IN_PROGRESS:
            part = rng.choices(
                [Action.Status.DONE, Action.Status.IN_PROGRESS, Action.Status.NOT_STARTED],
                [4, 4, 2],
            )[0]
        else:
            part = action.status
        progress, completed_on, limit = _settle(rng, action, part, end)
        # Ten divisions each report on this one action: fewer reports each.
        count = _report_count(rng, part, max(1, reports_per_action - 1))
        drawn = _reports(rng, action, part, progress, limit, count, rounds, [division])
        reports = _until(drawn, today)
        rows.updates.extend(reports)
        latest.append((reports[-1].status, reports[-1].progress) if reports else None)
        # A part's "done" is its last report: cut off, the part is still open.
        if completed_on and len(reports) == len(drawn):
            finished.append(completed_on)
    action.status, action.progress = combined(latest)
    action.completed_on = max(finished) if action.status == Action.Status.DONE else None


def _until(reports: list, today: date | None) -> list:
    """The reports made by ``today`` (all of them without one)."""
    if today is None:
        return reports
    return [report for report in reports if as_date(report.reported_at) <= today]


def _left_by(reports: list) -> tuple[str, int, date | None]:
    """Status, progress and completion date as the last of ``reports`` left the action."""
    if not reports:
        return Action.Status.NOT_STARTED, 0, None
    last = reports[-1]
    completed_on = as_date(last.reported_at) if last.status == Action.Status.DONE else None
    return last.status, last.progress, completed_on


def _settle(rng, action, status, end) -> tuple[int, date | None, date]:
    """Progress, completion date and date of the last report for a final status: most done
    actions finish by their due date, the rest late."""
    if status == Action.Status.DONE:
        if rng.random() < ON_TIME_SHARE or action.due_on >= end:
            low = min(action.starts_on + timedelta(days=14), action.due_on)
            completed_on = _between(rng, low, action.due_on)
        else:
            completed_on = _between(rng, action.due_on + timedelta(days=1), end)
        return 100, completed_on, completed_on
    if status == Action.Status.IN_PROGRESS:
        return rng.randrange(10, 100, 10), None, end
    if status == Action.Status.CANCELLED:
        stopped = _between(rng, action.starts_on + timedelta(days=30), end)
        return rng.randrange(0, 50, 10), None, stopped
    return 0, None, end


def _report_count(rng, status, reports_per_action) -> int:
    """About ``reports_per_action``; work not started is often not reported at all."""
    if status == Action.Status.NOT_STARTED:
        return rng.randint(0, reports_per_action)
    spread = min(1, reports_per_action)
    return rng.randint(max(1, reports_per_action - spread), reports_per_action + spread)


def _reports(rng, action, status, progress, limit, count, rounds, reporters) -> list:
    """``count`` reports ending in (status, progress): one in each of ``count`` equal slices
    of the action's time, the last on ``limit`` for a done or cancelled part."""
    if count == 0:
        return []
    first = min(action.starts_on + timedelta(days=7), limit)
    width = (limit - first).days / count
    days = [first + timedelta(days=int(width * i + rng.random() * width)) for i in range(count)]
    if status in (Action.Status.DONE, Action.Status.CANCELLED):
        days[-1] = limit
    # Earlier reports never claim more than the last; those before "done" stay below 100.
    top = 90 if status == Action.Status.DONE else progress
    steps = [*sorted(rng.randrange(0, top + 1, 10) for _ in range(count - 1)), progress]
    finding = action.finding
    reports = []
    for index, (day, step) in enumerate(zip(days, steps, strict=True)):
        if index == count - 1:
            report_status = status
        elif step == 0:
            report_status = Action.Status.NOT_STARTED
        else:
            report_status = Action.Status.IN_PROGRESS
        evidence = ""
        if report_status == Action.Status.DONE and rng.random() < 0.6:
            evidence = (
                f"https://{finding.plan.organization.code}.district.example/ita/{finding.item.code}"
            )
        at = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=BANGKOK)
        if reports and at <= reports[-1].reported_at:
            # Two reports on one day: still in order, so the latest is the last one.
            at = reports[-1].reported_at + timedelta(minutes=rng.randint(1, 30))
        reports.append(
            ProgressUpdate(
                action=action,
                round=_round_of(rounds, day),
                division=rng.choice(reporters),
                reported_at=at,
                progress=step,
                status=report_status,
                note=NOTES[report_status].format(progress=step),
                evidence_url=evidence,
            )
        )
    return reports


@contextmanager
def _reported_at_as_given():
    """bulk_create stamps auto_now_add fields with the current time (the field's pre_save
    runs for every row); synthetic reports keep the dates they were given."""
    field_ = ProgressUpdate._meta.get_field("reported_at")
    field_.auto_now_add = False
    try:
        yield
    finally:
        field_.auto_now_add = True


def _insert(rows: _Rows, counts: dict[str, int]) -> None:
    """Insert parents first: bulk_create sets their ids, which the children then pick up."""
    for key, model, objects in (
        ("assessments", Assessment, rows.assessments),
        ("scores", ItemScore, rows.scores),
        ("plans", Plan, rows.plans),
        ("rounds", ReportingRound, rows.rounds),
        ("findings", Finding, rows.findings),
        ("actions", Action, rows.actions),
    ):
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        counts[key] += len(objects)
    through = Action.divisions.through
    shared = [through(action_id=a.pk, division_id=d.pk) for a, d in rows.shared]
    through.objects.bulk_create(shared, batch_size=BATCH_SIZE)
    counts["shared_divisions"] += len(shared)
    with _reported_at_as_given():
        ProgressUpdate.objects.bulk_create(rows.updates, batch_size=BATCH_SIZE)
    counts["progress_updates"] += len(rows.updates)
    summaries.refresh(assessment.pk for assessment in rows.assessments)
    tallies.refresh(plan.pk for plan in rows.plans)  # bulk_create sends no signals
    _analyze()


def _analyze() -> None:
    """Planner statistics after a bulk load of tens of thousands of rows.

    Until autovacuum gets to them, PostgreSQL plans the tables as they were before, nearly
    empty, and a join over the progress reports can take minutes instead of milliseconds;
    inside a transaction (a test's, a rolled-back demo), autovacuum never sees them at all."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
