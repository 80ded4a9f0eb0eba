"""What each role's digest says, and that nobody reads another district's actions in it."""

from datetime import date, timedelta

import pytest

from plans.models import Plan
from reminders.digests import build_digests
from reminders.due import DUE_SOON_DAYS, ROUND_CLOSING_DAYS
from reminders.models import Digest, ReminderPreference
from tests.factories import make_organization, make_user
from tests.reminders.digest_world import (
    TODAY,
    Status,
    make_action,
    make_central,
    make_district,
    report,
)

pytestmark = pytest.mark.django_db
DAILY, WEEKLY = Digest.Kind.DAILY, Digest.Kind.WEEKLY


@pytest.fixture
def home(district, framework):
    return make_district(district, framework, "pk")


@pytest.fixture
def away(other_district, framework):
    return make_district(other_district, framework, "kt")


def digest(user, kind=DAILY, today=TODAY, previous=None):
    return build_digests([(user, kind)], today, previous or {})[0]


def section(content, key):
    return next((s for s in content.sections if s.key == key), None)


def texts(content, key):
    found = section(content, key)
    return [line.text for line in found.lines] if found else []


def test_staff_get_their_divisions_overdue_and_due_soon_actions(home):
    overdue = make_action(home, "เผยแพร่โครงสร้าง", TODAY - timedelta(days=12), home.admin_division)
    soon = make_action(home, "ปรับปรุงเว็บไซต์", TODAY + timedelta(days=3), home.admin_division)
    make_action(home, "ไกลเกิน", TODAY + timedelta(days=DUE_SOON_DAYS + 1), home.admin_division)
    make_action(home, "ของฝ่ายอื่น", TODAY - timedelta(days=1), home.finance)
    make_action(
        home,
        "เสร็จแล้ว",
        TODAY - timedelta(days=5),
        home.admin_division,
        status=Status.DONE,
        progress=100,
        completed_on=TODAY,
    )
    make_action(home, "ยกเลิก", TODAY - timedelta(days=5), home.admin_division, status="cancelled")

    content = digest(home.staff)

    assert texts(content, "overdue") == ["O1 เผยแพร่โครงสร้าง"]
    assert texts(content, "due_soon") == ["O1 ปรับปรุงเว็บไซต์"]
    line = section(content, "overdue").lines[0]
    assert line.note == "เกินกำหนด 12 วัน"
    assert line.url == f"/actions/{overdue.pk}/"
    assert line.due_on == overdue.due_on
    assert line.division == ""
    assert section(content, "due_soon").lines[0].note == "ครบกำหนดใน 3 วัน"
    assert section(content, "due_soon").lines[0].url == f"/actions/{soon.pk}/"
    assert content.subject == (
        "ITA Tracker: งานเกินกำหนด 1 รายการ ใกล้ครบกำหนด 1 รายการ "
        "รอบรายงานใกล้ปิด 1 รายการ — 20 มิ.ย. 2565"
    )
    assert content.language == "th"
    assert not content.is_empty


def test_an_action_due_today_is_due_not_overdue(home):
    make_action(home, "วันนี้", TODAY, home.admin_division)
    assert section(digest(home.staff), "due_soon").lines[0].note == "ครบกำหนดวันนี้"


def test_a_shared_action_is_due_for_the_sharing_division_too(home):
    action = make_action(home, "ร่วมกัน", TODAY - timedelta(days=2), home.admin_division)
    action.divisions.add(home.finance)
    assert texts(digest(home.finance_staff), "overdue") == ["O1 ร่วมกัน"]
    assert texts(digest(home.staff), "overdue") == ["O1 ร่วมกัน"]


def test_an_all_divisions_action_stays_overdue_for_a_division_until_it_reported_done(home):
    action = make_action(
        home, "ทุกฝ่ายทำ", TODAY - timedelta(days=4), home.admin_division, all_divisions=True
    )
    report(action, home, home.finance, Status.DONE)
    report(action, home, home.admin_division, Status.IN_PROGRESS)

    assert texts(digest(home.staff), "overdue") == ["O1 ทุกฝ่ายทำ"]
    assert texts(digest(home.finance_staff), "overdue") == []


def test_actions_of_a_draft_plan_are_due_for_nobody(home):
    Plan.objects.filter(pk=home.plan.pk).update(status=Plan.Status.DRAFT)
    make_action(home, "ในร่าง", TODAY - timedelta(days=2), home.admin_division)
    assert digest(home.staff).is_empty


def test_a_round_closing_soon_lists_the_actions_the_division_has_not_reported(home):
    reported = make_action(home, "รายงานแล้ว", TODAY + timedelta(days=60), home.admin_division)
    make_action(home, "ยังไม่รายงาน", TODAY + timedelta(days=60), home.admin_division)
    make_action(home, "ยังไม่รายงาน 2", TODAY + timedelta(days=60), home.admin_division)
    report(reported, home)
    # A report of the plan owner (no division) answers for a plain action.
    answered = make_action(home, "ผู้รับผิดชอบแผนรายงาน", TODAY + timedelta(days=60), home.finance)
    report(answered, home)

    content = digest(home.staff)

    rounds = section(content, "rounds")
    assert [line.text for line in rounds.lines] == ["ไตรมาสที่ 3: ยังไม่รายงานความก้าวหน้า 2 รายการ"]
    assert rounds.lines[0].note == "รอบ ไตรมาสที่ 3 ปิด 24 มิ.ย. 2565"
    assert rounds.lines[0].url == "/plans/1009/2565/progress/"
    assert section(digest(home.finance_staff), "rounds") is None


def test_a_round_closing_later_than_the_week_is_not_listed_yet(home):
    make_action(home, "ยังไม่รายงาน", TODAY + timedelta(days=60), home.admin_division)
    home.round.ends_on = TODAY + timedelta(days=ROUND_CLOSING_DAYS + 1)
    home.round.save()
    assert digest(home.staff).is_empty


def test_an_all_divisions_action_needs_each_divisions_own_report_in_the_round(home):
    action = make_action(
        home, "ทุกฝ่าย", TODAY + timedelta(days=60), home.admin_division, all_divisions=True
    )
    report(action, home, home.finance)
    assert texts(digest(home.staff), "rounds") == ["ไตรมาสที่ 3: ยังไม่รายงานความก้าวหน้า 1 รายการ"]
    assert texts(digest(home.finance_staff), "rounds") == []


def test_plan_owner_gets_the_whole_district_by_division_and_the_draft_plans(home, framework):
    make_action(home, "การคลัง", TODAY - timedelta(days=1), home.finance)
    make_action(home, "ปกครอง", TODAY - timedelta(days=3), home.admin_division)
    make_action(home, "ทุกฝ่าย", TODAY - timedelta(days=9), home.admin_division, all_divisions=True)
    draft = Plan.objects.create(
        organization=home.organization,
        assessment=home.plan.assessment,
        fiscal_year=2566,
        title="แผนปีหน้า",
    )

    content = digest(home.owner)

    overdue = section(content, "overdue")
    assert overdue.group_by_division
    assert [(line.division, line.text) for line in overdue.lines] == [
        ("ฝ่ายปกครอง", "O1 ปกครอง"),
        ("ฝ่ายการคลัง", "O1 การคลัง"),
        ("ทุกฝ่าย", "O1 ทุกฝ่าย"),
    ]
    assert overdue.lines[2].note == "เกินกำหนด 9 วัน (ยังไม่เสร็จ 2 ฝ่าย)"
    drafts = section(content, "drafts")
    assert [(line.text, line.url) for line in drafts.lines] == [
        ("แผนปีหน้า", draft.get_absolute_url())
    ]
    rounds = section(content, "rounds")
    assert {line.division for line in rounds.lines} == {"ฝ่ายปกครอง", "ฝ่ายการคลัง"}
    assert "แผนร่าง 1 แผน" in content.subject


@pytest.mark.parametrize("who", ["staff", "owner", "manager"])
def test_nobody_receives_another_districts_actions(home, away, who):
    make_action(home, "ของพระโขนง", TODAY - timedelta(days=2), home.admin_division)
    make_action(away, "ของคลองเตย", TODAY - timedelta(days=2), away.admin_division)
    make_action(
        away, "ทุกฝ่ายคลองเตย", TODAY + timedelta(days=2), away.admin_division, all_divisions=True
    )

    for district, mine, theirs in ((home, "พระโขนง", "คลองเตย"), (away, "คลองเตย", "พระโขนง")):
        content = digest(getattr(district, who), WEEKLY)
        lines = [line for s in content.sections for line in s.lines]
        assert lines
        everything = " ".join(f"{line.text} {line.url} {line.division}" for line in lines)
        assert theirs not in everything
        other = away if district is home else home
        assert f"/plans/{other.organization.code}/" not in everything
        if who != "manager":
            assert mine in everything


@pytest.mark.parametrize("who", ["admin_member", "superuser", "no_membership", "inactive"])
def test_users_without_a_district_role_get_an_empty_digest(home, who):
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.admin_division)
    if who == "admin_member":
        user = make_user("adm", organization=home.organization, role="admin")
    elif who == "superuser":
        user = make_user("root", is_superuser=True, is_staff=True)
    elif who == "no_membership":
        user = make_user("nobody")
    else:
        user = home.staff
        user.is_active = False
        user.save()
    for kind in (DAILY, WEEKLY):
        content = digest(user, kind)
        assert content.is_empty
        assert content.user_id == user.pk and content.kind == kind


def test_one_digest_per_request_in_order(home):
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.admin_division)
    requests = [(home.staff, DAILY), (make_user("nobody"), DAILY), (home.owner, WEEKLY)]
    contents = build_digests(requests, TODAY, {})
    assert [(c.user_id, c.kind) for c in contents] == [(u.pk, k) for u, k in requests]
    assert [c.is_empty for c in contents] == [False, True, False]


def test_district_manager_gets_a_weekly_summary_compared_with_last_week(home):
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.admin_division)
    make_action(home, "เกิน 2", TODAY - timedelta(days=2), home.finance)
    make_action(
        home, "เสร็จ", TODAY, home.finance, status=Status.DONE, progress=100, completed_on=TODAY
    )
    make_action(home, "ยังไม่ถึง", TODAY + timedelta(days=90), home.finance)
    last_week = {
        "actions": 4,
        "percent_done": "20.00",
        "overdue": 1,
        "overdue_by_division": {"ฝ่ายการคลัง": 1},
    }

    content = digest(home.manager, WEEKLY, previous={home.manager.pk: last_week})

    assert content.figures == {
        "actions": 4,
        "percent_done": "25.00",
        "overdue": 2,
        "overdue_by_division": {"ฝ่ายปกครอง": 1, "ฝ่ายการคลัง": 1},
    }
    assert texts(content, "summary") == [
        "การปรับปรุงทั้งหมด 4 รายการ (+0 จากสัปดาห์ก่อน)",
        "% เสร็จ 25.00 (+5.00 จากสัปดาห์ก่อน)",
        "เกินกำหนด 2 รายการ (+1 จากสัปดาห์ก่อน)",
    ]
    assert texts(content, "divisions") == [
        "ฝ่ายปกครอง: เกินกำหนด 1 รายการ (+1 จากสัปดาห์ก่อน)",
        "ฝ่ายการคลัง: เกินกำหนด 1 รายการ (+0 จากสัปดาห์ก่อน)",
    ]
    assert content.subject == "ITA Tracker: สรุปประจำสัปดาห์ — 20 มิ.ย. 2565"
    # The first week has nothing to compare with; a daily request gets no summary.
    assert texts(digest(home.manager, WEEKLY), "summary")[1] == "% เสร็จ 25.00"
    assert digest(home.manager, DAILY).is_empty


def test_central_manager_gets_the_districts_most_overdue_and_rounds_not_reported(home, away):
    central_office = make_organization(code="10", name_th="ส่วนกลาง", kind="central")
    central = make_central(central_office)
    for n in range(3):
        make_action(away, f"เกิน {n}", TODAY - timedelta(days=2), away.finance)
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.finance)
    # A round closed last week, with one of Phra Khanong's two due actions unreported.
    closed = home.round
    closed.starts_on, closed.ends_on = date(2022, 4, 1), TODAY - timedelta(days=3)
    closed.save()
    report(make_action(home, "รายงานแล้ว", TODAY + timedelta(days=60), home.finance), home)

    content = digest(central, WEEKLY, previous={central.pk: {"overdue": 6}})

    assert texts(content, "districts") == [
        "เขตคลองเตย: เกินกำหนด 3 รายการ",
        "เขตพระโขนง: เกินกำหนด 1 รายการ",
    ]
    assert texts(content, "rounds") == ["เขตพระโขนง: 1 รอบที่ปิดแล้วยังไม่รายงาน (1 รายการ)"]
    assert texts(content, "summary") == ["งานเกินกำหนดทั้ง กทม. 4 รายการ (-2 จากสัปดาห์ก่อน)"]
    assert content.figures == {
        "overdue": 4,
        "districts_overdue": {"1033": 3, "1009": 1},
        "rounds_unreported": {"1009": 1},
    }
    assert section(content, "districts").lines[0].url == "/plans/1033/2565/progress/"


def test_a_central_manager_who_does_not_see_every_district_gets_nothing(home):
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.finance)
    central = make_central(make_organization(code="10", name_th="ส่วนกลาง"), sees_all=False)
    assert digest(central, WEEKLY).is_empty


def test_a_digest_is_written_in_the_language_the_user_chose(home):
    make_action(home, "เกิน", TODAY - timedelta(days=12), home.admin_division)
    make_action(home, "ใกล้", TODAY + timedelta(days=1), home.admin_division)
    ReminderPreference.objects.create(user=home.staff, language="en")

    content = digest(home.staff)

    assert content.language == "en"
    assert section(content, "overdue").title == "Overdue"
    assert section(content, "overdue").lines[0].note == "12 days overdue"
    assert section(content, "due_soon").lines[0].note == "Due in 1 day"
    assert content.subject.startswith("ITA Tracker: 1 overdue, 1 due soon")
    # Dates stay in the Buddhist Era (months in English), and the user's choice does not
    # leak into the next one.
    assert content.subject.endswith("20 Jun 2565")
    assert section(digest(home.owner), "overdue").title == "งานเกินกำหนด"
