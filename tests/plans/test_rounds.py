"""Rounds and dates: a report after the plan's last round is filed "หลังสิ้นสุดแผน" and is
late; a report after its round's last day is late on the dashboards; rounds may not overlap;
action dates outside the plan year warn without refusing."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from plans import dashboards
from plans.admin import ReportingRoundInline
from plans.models import Action, Plan, ProgressUpdate, ReportingRound, is_late, round_for
from tests.plans.small_plan import Q1, action_form_data, make_small_plan

pytestmark = pytest.mark.django_db


def rounds():
    return [
        ReportingRound(name="ไตรมาสที่ 1", starts_on=Q1[0], ends_on=Q1[1]),
        ReportingRound(name="ไตรมาสที่ 3", starts_on=date(2022, 4, 1), ends_on=date(2022, 6, 30)),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 9, 30), None),  # before the first round
        (date(2021, 11, 1), "ไตรมาสที่ 1"),
        (date(2022, 2, 1), "ไตรมาสที่ 1"),  # in a gap: the round just ended, late
        (date(2022, 6, 30), "ไตรมาสที่ 3"),
        (date(2022, 7, 1), None),  # after the last round: no round, never the last one
    ],
)
def test_the_round_a_report_is_filed_in(day, expected):
    found = round_for(rounds(), day)
    assert (found.name if found else None) == expected


def test_no_rounds_no_round():
    assert round_for([], date(2022, 1, 1)) is None


@pytest.mark.parametrize(
    ("reported", "round_ends", "rounds_end", "late"),
    [
        (date(2021, 12, 31), Q1[1], None, False),
        (date(2022, 1, 1), Q1[1], None, True),
        (date(2022, 7, 1), None, date(2022, 6, 30), True),  # after the plan
        (date(2021, 9, 1), None, date(2022, 6, 30), False),  # before the first round
        (date(2022, 7, 1), None, None, False),  # a plan without rounds
    ],
)
def test_one_rule_for_late(reported, round_ends, rounds_end, late):
    assert is_late(reported, round_ends, rounds_end) is late


def test_late_reads_the_report_time_in_bangkok():
    # 31 Dec 17:30 UTC is already 1 Jan in Bangkok.
    moment = datetime(2021, 12, 31, 17, 30, tzinfo=UTC)
    assert is_late(moment, Q1[1])


@pytest.fixture
def world():
    return make_small_plan()


def test_a_report_after_the_last_round_is_filed_after_the_plan(client, world, monkeypatch):
    monkeypatch.setattr("plans.views.staff._today", lambda: date(2022, 5, 1))
    client.force_login(world.staff)
    url = reverse("progress_create", args=[world.action.pk])
    assert "หลังสิ้นสุดแผน" in client.get(url).content.decode()
    data = {"version": world.action.version, "progress": 40, "status": "in_progress", "note": "ต่อ"}
    assert client.post(url, data).status_code == 302
    report = ProgressUpdate.objects.get()
    assert report.round is None
    ProgressUpdate.objects.filter(pk=report.pk).update(
        reported_at=timezone.make_aware(datetime(2022, 5, 1, 10))
    )
    page = client.get(reverse("action_detail", args=[world.action.pk]))
    assert page.context["updates"][0][1] == "หลังสิ้นสุดแผน"


def _report(world, status, day, reporting_round):
    update = ProgressUpdate.objects.create(
        action=world.action,
        division=world.finance,
        status=status,
        progress=100 if status == "done" else 50,
        note="หลักฐาน",
        round=reporting_round,
    )
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    ProgressUpdate.objects.filter(pk=update.pk).update(reported_at=moment)


def _page(world, today=date(2022, 6, 1)):
    actions = Action.objects.filter(finding__plan=world.plan)
    return dashboards.progress_page(world.plan, actions, today)


def test_the_dashboard_counts_reports_after_the_plan_as_late(world):
    _report(world, "in_progress", date(2022, 5, 1), None)
    page = _page(world)
    assert [str(row.round.name) for row in page.rounds] == [
        "ไตรมาสที่ 1",
        "ไตรมาสที่ 2",
        "หลังสิ้นสุดแผน",
    ]
    assert page.rounds[-1].counts == Counter(late=1)
    assert page.rounds[1].counts == Counter(not_reported=1)  # never slipped into the last round


def test_a_done_report_after_its_rounds_last_day_is_late(world):
    _report(world, "done", date(2022, 1, 5), world.rounds[0])
    assert _page(world).rounds[0].counts == Counter(late=1)


def test_no_after_plan_row_without_such_reports(world):
    _report(world, "in_progress", date(2021, 11, 5), world.rounds[0])
    page = _page(world)
    assert len(page.rounds) == 2
    assert page.rounds[0].counts == Counter(reported=1)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "overlaps"),
    [
        (date(2021, 12, 31), date(2022, 1, 15), True),  # its first day is Q1's last
        (date(2021, 11, 1), date(2021, 11, 30), True),  # inside Q1
        (date(2022, 4, 1), date(2022, 6, 30), False),
    ],
)
def test_a_round_may_not_overlap_another_of_its_plan(world, starts_on, ends_on, overlaps):
    new = ReportingRound(plan=world.plan, name="รอบพิเศษ", starts_on=starts_on, ends_on=ends_on)
    if not overlaps:
        new.full_clean()
        return
    with pytest.raises(ValidationError) as excinfo:
        new.full_clean()
    assert "ทับกับรอบ “ไตรมาสที่ 1”" in excinfo.value.message_dict["starts_on"][0]


def test_editing_a_round_does_not_clash_with_itself(world):
    world.rounds[0].ends_on = date(2021, 12, 30)
    world.rounds[0].full_clean()


def test_the_admin_inline_refuses_rounds_typed_over_each_other(world):
    other = Plan.objects.create(
        organization=world.plan.organization, assessment=world.plan.assessment, fiscal_year=2566
    )
    formset_class = inlineformset_factory(
        Plan,
        ReportingRound,
        formset=ReportingRoundInline.formset,
        fields=["name", "starts_on", "ends_on"],
        extra=2,
    )
    data = {
        "rounds-TOTAL_FORMS": "2",
        "rounds-INITIAL_FORMS": "0",
        "rounds-0-name": "ไตรมาสที่ 1",
        "rounds-0-starts_on": "2022-10-01",
        "rounds-0-ends_on": "2022-12-31",
        "rounds-1-name": "รอบ 6 เดือน",
        "rounds-1-starts_on": "2022-10-01",
        "rounds-1-ends_on": "2023-03-31",
    }
    formset = formset_class(data, instance=other, prefix="rounds")
    assert not formset.is_valid()
    assert "ทับกับรอบ “ไตรมาสที่ 1”" in formset.forms[1].errors["starts_on"][0]
    assert admin.site._registry[Plan].inlines[0] is ReportingRoundInline


def test_action_dates_outside_the_plan_year_warn_but_save(client, world):
    client.force_login(world.owner)
    data = action_form_data(world.action, due_on="31/10/2565")  # FY 2566
    response = client.post(reverse("action_edit", args=[world.action.pk]), data)
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.due_on == date(2022, 10, 31)
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "กำหนดเสร็จ 31 ต.ค. 2565 อยู่นอกปีงบประมาณ 2565 ของแผน (1 ต.ค. 2564 – 30 ก.ย. 2565)"
    ]


def test_action_dates_inside_the_plan_year_give_no_warning(world):
    assert world.action.outside_plan_year() == []
