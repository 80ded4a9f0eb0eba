"""The managers' dashboards: the seed's numbers, the progress rules, who may see what."""

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organization
from assessments.scoring import Band
from plans import dashboards
from plans.models import Action, Division, Finding, Plan, ProgressUpdate, ReportingRound
from tests.factories import make_assessment, make_division, make_framework, make_plan, make_user

pytestmark = pytest.mark.django_db

SCORES_URL = reverse("scores", args=["1009", 2564])
PROGRESS_URL = reverse("plan_progress", args=["1009", 2565])
OVERVIEW_URL = reverse("overview", args=[2564])


def sign_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))


@pytest.fixture
def other_district(demo):
    """Khlong Toei with an assessment and a plan of its own, and a manager of it."""
    district = Organization.objects.get(code="1033")
    framework = Plan.objects.get(organization__code="1009").assessment.framework
    assessment = make_assessment(district, framework, {"O1": "100"})
    plan = make_plan(assessment)
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"))
    Action.objects.create(finding=finding, text="งานของเขตคลองเตย", all_divisions=True)
    make_user("toei", organization=district, role="district_manager")
    return district


# --- The seed's numbers ---------------------------------------------------------------------


def test_scores_page_shows_the_seed_figures(client, demo):
    sign_in(client, "manager")
    response = client.get(SCORES_URL)
    assert response.status_code == 200
    summary = response.context["page"].report.summary
    assert summary.indicators[1] == D("91.25")
    assert summary.indicators[6] == D("71.22")
    assert (summary.total, summary.level) == (D("73.54"), "C")
    assert summary.tools == {"IIT": D("83.24"), "EIT": D("73.46"), "OIT": D("66.33")}
    html = response.content.decode()
    for shown in ("91.25", "71.22", "73.54", "83.24", "73.46", "66.33"):
        assert shown in html
    assert len(response.context["page"].report.warnings) == 9


def test_scores_page_names_the_items_that_lift_the_level(client, demo):
    sign_in(client, "manager")
    context = client.get(SCORES_URL).context
    page, steps = context["page"], context["to_next_level"]
    assert page.next_level == Band("B", D("75"))
    # The first steps are the ones that reach B, and no fewer would.
    assert steps[-1].total >= D("75") and steps[-1].level == "B"
    assert all(step.total < D("75") for step in steps[:-1])
    gains = [step.gain.points for step in page.lift_to_pass]
    assert gains == sorted(gains, reverse=True)
    # An OIT item at 0 carries the most points (OIT weighs 40 %, its items 0 or 100).
    first = page.lift_to_pass[0].gain
    assert first.code.startswith("O") and first.score == D("0")


def test_scores_page_lists_weak_items_without_an_action(client, demo):
    plan = Plan.objects.get(organization__code="1009")
    weak = plan.findings.filter(actions__isnull=False).first()
    Action.objects.filter(finding=weak).delete()
    sign_in(client, "manager")
    page = client.get(SCORES_URL).context["page"]
    unplanned = {row.item.code for row in page.unplanned}
    score = page.report.summary.items[weak.item.code]
    assert (weak.item.code in unplanned) == (score < page.pass_mark)
    assert all(row.score < page.pass_mark and not row.has_action for row in page.unplanned)
    assert len(page.weakest) == dashboards.WEAKEST_SHOWN
    assert [row.score for row in page.weakest] == sorted(row.score for row in page.items)[:10]


def test_scores_page_compares_with_the_year_before(client, demo):
    plan = Plan.objects.get(organization__code="1009")
    framework = plan.assessment.framework
    earlier = make_framework(fiscal_year=2563)
    make_assessment(plan.organization, earlier, {"I1": "80", "E1": "70", "O1": "0"})
    sign_in(client, "manager")
    page = client.get(SCORES_URL).context["page"]
    assert page.previous is not None
    assert page.previous.assessment.framework.fiscal_year == 2563
    i1 = next(row for row in page.items if row.item.code == "I1")
    assert i1.change == page.report.summary.items["I1"] - D("80")
    assert framework.fiscal_year == 2564


# --- Progress rules -------------------------------------------------------------------------


@pytest.fixture
def followed_plan(db):
    organization = Organization.objects.create(code="9001", name_th="เขตทดสอบ")
    divisions = [
        make_division(organization, name, order)
        for order, name in enumerate(["ฝ่ายปกครอง", "ฝ่ายการคลัง", "ฝ่ายโยธา"])
    ]
    framework = make_framework(name="ชุดทดสอบความก้าวหน้า")
    plan = make_plan(make_assessment(organization, framework))
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"))
    return plan, finding, divisions


def _report(action, division, status, when, reporting_round=None):
    update = ProgressUpdate.objects.create(
        action=action, division=division, status=status, progress=50, round=reporting_round
    )
    moment = timezone.make_aware(datetime.combine(when, datetime.min.time()))
    ProgressUpdate.objects.filter(pk=update.pk).update(reported_at=moment)


def test_an_all_divisions_action_counts_per_division_by_its_own_reports(followed_plan):
    plan, finding, (admin_, finance, works) = followed_plan
    shared = Action.objects.create(finding=finding, text="ทุกฝ่าย", all_divisions=True)
    led = Action.objects.create(
        finding=finding, text="ฝ่ายโยธานำ", lead_division=works, status="in_progress"
    )
    led.divisions.add(finance)
    _report(shared, finance, "done", date(2022, 1, 5))
    _report(shared, admin_, "in_progress", date(2022, 1, 6))
    page = dashboards.progress_page(plan, Action.objects.filter(finding=finding), date(2022, 2, 1))
    by_name = {division.name: counts for division, counts in page.divisions}
    assert by_name["ฝ่ายการคลัง"] == Counter({"done": 1, "in_progress": 1})
    assert by_name["ฝ่ายปกครอง"] == Counter({"in_progress": 1})
    assert by_name["ฝ่ายโยธา"] == Counter({"not_started": 1, "in_progress": 1})
    # Every division's tally matches the actions it answers for.
    for division, counts in page.divisions:
        answered = Action.objects.filter(finding=finding).of_division(division).count()
        assert sum(counts.values()) == answered


def test_a_cancelled_all_divisions_action_is_cancelled_for_everyone(followed_plan):
    plan, finding, divisions = followed_plan
    action = Action.objects.create(
        finding=finding, text="ยกเลิก", all_divisions=True, status="cancelled"
    )
    _report(action, divisions[0], "done", date(2022, 1, 5))
    page = dashboards.progress_page(plan, Action.objects.filter(finding=finding), date(2022, 2, 1))
    assert all(counts == Counter({"cancelled": 1}) for _, counts in page.divisions)
    assert page.percent_done is None  # nothing left to count


def test_rounds_sort_actions_into_done_reported_late_and_not_reported(followed_plan):
    plan, finding, (lead, *_) = followed_plan
    q1 = ReportingRound.objects.create(
        plan=plan, name="ไตรมาส 1", starts_on=date(2021, 10, 1), ends_on=date(2021, 12, 31)
    )

    def make(text, **extra):
        return Action.objects.create(finding=finding, text=text, lead_division=lead, **extra)

    done, reported, late, silent = make("a"), make("b"), make("c"), make("d")
    make("not started yet", starts_on=date(2022, 1, 15), due_on=date(2022, 3, 1))
    make("finished before", status="done", progress=100, completed_on=date(2021, 9, 30))
    _report(done, lead, "done", date(2021, 12, 1), q1)
    _report(reported, lead, "in_progress", date(2021, 11, 1), q1)
    _report(late, lead, "in_progress", date(2022, 1, 10), q1)
    page = dashboards.progress_page(plan, Action.objects.filter(finding=finding), date(2022, 2, 1))
    assert page.rounds[0].counts == Counter(done=1, reported=1, late=1, not_reported=1)
    assert silent.status == "not_started"


def test_completion_is_cumulative_by_month_from_the_first_done_report(followed_plan):
    plan, finding, (lead, *_) = followed_plan

    def make(text, **extra):
        return Action.objects.create(finding=finding, text=text, lead_division=lead, **extra)

    # Its first "done" report counts, not its completion date.
    first = make("a", status="done", progress=100, completed_on=date(2022, 1, 3))
    second = make("b", status="done", progress=100, completed_on=date(2021, 12, 20))
    make("c", status="in_progress")
    make("d", status="in_progress")
    make("cancelled", status="cancelled")
    _report(first, lead, "done", date(2021, 11, 3))
    _report(first, lead, "done", date(2022, 1, 3))  # a later "done" changes nothing
    page = dashboards.progress_page(plan, Action.objects.filter(finding=finding), date(2022, 1, 15))
    assert page.completion == [
        (date(2021, 10, 31), D("0.00")),
        (date(2021, 11, 30), D("25.00")),
        (date(2021, 12, 31), D("50.00")),
        (date(2022, 1, 31), D("50.00")),
    ]
    assert page.percent_done == D("50.00")
    assert second.completed_on == date(2021, 12, 20)


def test_month_ends_cross_the_new_year():
    assert dashboards.month_ends(date(2021, 11, 15), date(2022, 2, 1)) == [
        date(2021, 11, 30),
        date(2021, 12, 31),
        date(2022, 1, 31),
        date(2022, 2, 28),
    ]


def test_overdue_and_due_soon_lists(followed_plan):
    plan, finding, (lead, *_) = followed_plan
    today = date(2022, 3, 1)

    def make(text, due_on, **extra):
        return Action.objects.create(
            finding=finding, text=text, due_on=due_on, lead_division=lead, **extra
        )

    late = make("late", today - timedelta(days=1))
    soon = make("soon", today + timedelta(days=30))
    make("later", today + timedelta(days=31))
    make("done late", today - timedelta(days=9), status="done", progress=100, completed_on=today)
    page = dashboards.progress_page(plan, Action.objects.filter(finding=finding), today)
    assert [a.pk for a in page.overdue] == [late.pk]
    assert [a.pk for a in page.due_soon] == [soon.pk]


def test_progress_page_of_the_demo_plan(client, demo):
    sign_in(client, "manager")
    response = client.get(PROGRESS_URL)
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.actions) == Action.objects.filter(finding__plan__fiscal_year=2565).count()
    finance = Division.objects.get(organization__code="1009", name="ฝ่ายการคลัง")
    counts = dict(page.divisions)[finance]
    assert sum(counts.values()) == Action.objects.of_division(finance).count()
    filtered = client.get(PROGRESS_URL, {"division": finance.pk}).context["page"]
    assert len(filtered.actions) == Action.objects.of_division(finance).count()
    oit = client.get(PROGRESS_URL, {"tool": "OIT"}).context["page"]
    assert {a.item_code[0] for a in oit.actions} == {"O"}


# --- Overview -------------------------------------------------------------------------------


def test_overview_lists_every_district_sorted(client, demo, other_district):
    sign_in(client, "central")
    response = client.get(OVERVIEW_URL)
    assert response.status_code == 200
    rows = response.context["overview"].rows
    assert [row.assessment.organization.code for row in rows] == ["1009", "1033"]  # by total
    khlong_toei = rows[1]
    assert (khlong_toei.actions, khlong_toei.done) == (1, 0)
    phra_khanong = rows[0]
    assert (phra_khanong.summary.total, phra_khanong.summary.level) == (D("73.54"), "C")
    assert (
        phra_khanong.actions
        == Action.objects.filter(finding__plan__fiscal_year=2565)
        .exclude(finding__plan__organization=other_district)
        .count()
    )
    by_code = client.get(OVERVIEW_URL, {"sort": "-code"}).context["overview"].rows
    assert [row.assessment.organization.code for row in by_code] == ["1033", "1009"]
    heat = response.context["heat"]
    assert len(heat) == 2 and len(heat[0].cells) == 10
    html = response.content.decode()
    assert "91.25" in html and 'aria-sort="descending"' in html


def test_overview_latest_goes_to_the_latest_year(client, demo):
    sign_in(client, "central")
    response = client.get(reverse("overview_latest"))
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL


# --- Who may see what -----------------------------------------------------------------------

PAGES = {
    "scores": SCORES_URL,
    "progress": PROGRESS_URL,
    "overview": OVERVIEW_URL,
    "overview_latest": reverse("overview_latest"),
}
EXPECTED = {
    # user: scores, progress, overview (1009's pages; overview is BMA-wide)
    "anonymous": (302, 302, 302),
    "staff": (200, 200, 403),
    "owner": (200, 200, 403),
    "manager": (200, 200, 403),
    "toei": (404, 404, 403),  # a manager of another district
    "central": (200, 200, 200),
    "admin": (200, 200, 200),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("user", list(EXPECTED))
def test_who_may_open_each_dashboard(client, other_district, user, page):
    if user != "anonymous":
        sign_in(client, user)
    expected = dict(zip(["scores", "progress", "overview"], EXPECTED[user], strict=True))
    expected["overview_latest"] = 302 if expected["overview"] == 200 else expected["overview"]
    response = client.get(PAGES[page])
    assert response.status_code == expected[page]
    if user == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_overview_link_shows_only_for_bma_wide_users(client, demo):
    sign_in(client, "manager")
    assert reverse("overview_latest") not in client.get(reverse("home")).content.decode()
    sign_in(client, "central")
    assert reverse("overview_latest") in client.get(reverse("home")).content.decode()


def test_a_progress_report_shows_at_once_on_the_cached_dashboard(client, demo):
    def kpis():
        return client.get(PROGRESS_URL).content.decode().split('class="kpis"')[1][:900]

    sign_in(client, "manager")
    assert "0.0%" in kpis()
    assert "0.0%" in kpis()  # now from the cache
    action = Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()
    sign_in(client, "staff")
    report = {"version": action.version, "progress": 100, "status": "done", "note": "เสร็จแล้ว"}
    assert client.post(reverse("progress_create", args=[action.pk]), report).status_code == 302
    sign_in(client, "manager")
    assert "1.0%" in kpis()  # 1 of 103
