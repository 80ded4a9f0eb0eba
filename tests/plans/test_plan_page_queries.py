"""The plan page and the report read a constant number of queries whatever the plan's size, and
their big tables print what the rows hold: escaped text, one line per action, the reader's
links only."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import AssessmentSummary, ItemScore
from assessments.rollup import score_report
from plans import dashboards, figures
from plans.documents import plan_table
from plans.models import Action, Plan
from tests.factories import make_division, make_organization, make_user
from tests.plans.small_plan import grow, make_small_plan

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["plan_detail", "plan_report"])
def test_the_query_count_does_not_grow_with_the_actions(client, page):
    world = make_small_plan(status=Plan.Status.APPROVED)
    url = reverse(page, args=[world.organization.code, world.plan.fiscal_year])
    client.force_login(world.owner)
    grow(world, 2, carried=True)
    small = _queries(client, url)
    grow(world, 38, carried=True)
    large = _queries(client, url)
    assert large == small
    # Every action is printed: 1 + 40 lines (the report writes each as a "- " bullet).
    html = client.get(url).content.decode()
    marker = 'class="action"' if page == "plan_detail" else 'class="line bullet">- '
    assert html.count(marker) == 41


def test_the_plan_table_escapes_what_people_typed(client):
    world = make_small_plan()
    world.finding.analysis = "วิเคราะห์ <b>ตัวหนา</b> & ต่อ"
    world.finding.save()
    Action.objects.filter(pk=world.action.pk).update(text='ลิงก์ <a href="x">ไม่ใช่ลิงก์</a>')
    client.force_login(world.owner)
    for page in ("plan_detail", "plan_report"):
        html = client.get(reverse(page, args=[world.organization.code, 2565])).content.decode()
        assert "<b>ตัวหนา</b>" not in html and '<a href="x">' not in html
        assert "&lt;b&gt;ตัวหนา&lt;/b&gt; &amp; ต่อ" in html
        assert "ลิงก์ &lt;a href=" in html


def test_edit_and_report_links_follow_the_readers_rights(client):
    world = make_small_plan()
    grow(world, 3, carried=True)
    url = reverse("plan_detail", args=[world.organization.code, 2565])
    edit = reverse("finding_edit", args=[world.finding.pk])
    report = reverse("progress_create", args=[world.action.pk])
    client.force_login(world.owner)
    owner_page = client.get(url).content.decode()
    assert edit in owner_page and reverse("action_create", args=[world.finding.pk]) in owner_page
    client.force_login(world.staff)
    staff_page = client.get(url).content.decode()
    assert edit not in staff_page
    # The staff member reports on their division's actions (finance leads every one here).
    assert report in staff_page
    stranger = make_user("stranger", organization=world.organization, division=world.admin_division)
    client.force_login(stranger)
    assert report not in client.get(url).content.decode()


def test_a_carried_action_links_to_the_action_it_carries_over(client):
    world = make_small_plan()
    grow(world, 1, carried=True)
    client.force_login(world.owner)
    html = client.get(reverse("plan_detail", args=[world.organization.code, 2565])).content
    carried = reverse("action_detail", args=[world.action.pk])
    assert f'class="small carried" href="{carried}"'.encode() in html
    assert "ยกมาจากแผนปี 2565".encode() in html


def test_divisions_are_attached_in_their_order_with_the_lead(django_assert_num_queries):
    world = make_small_plan()
    third = make_division(world.organization, "ฝ่ายโยธา", 0)
    world.action.divisions.set([world.admin_division, third])
    Action.objects.filter(pk=world.action.pk).update(all_divisions=True)
    actions = list(Action.objects.filter(finding__plan=world.plan))
    with django_assert_num_queries(2):
        plan_table.attach_divisions(world.plan, actions)
    [action] = actions
    assert action.shared_division_names == ["ฝ่ายโยธา", "ฝ่ายปกครอง"]
    with django_assert_num_queries(0):
        assert plan_table.responsible_text(action) == "ฝ่ายการคลัง /ฝ่ายโยธา /ฝ่ายปกครอง /ทุกฝ่าย"


def test_the_districts_divisions_read_by_the_page_spare_a_query(django_assert_num_queries):
    world = make_small_plan()
    third = make_division(world.organization, "ฝ่ายโยธา", 0)
    world.action.divisions.set([world.admin_division, third])
    district = dashboards.PlanSetting(world.plan).divisions
    actions = list(Action.objects.filter(finding__plan=world.plan))
    with django_assert_num_queries(1):
        plan_table.attach_divisions(world.plan, actions, district)
    [action] = actions
    assert action.shared_division_names == ["ฝ่ายโยธา", "ฝ่ายปกครอง"]
    assert action.lead_division.name == "ฝ่ายการคลัง"
    # A division of another district named by the plan: all of them read, as without.
    elsewhere = make_division(make_organization("1010", name_th="เขตบางนา"), "ฝ่ายรายได้", 0)
    world.action.divisions.add(elsewhere)
    actions = list(Action.objects.filter(finding__plan=world.plan))
    with django_assert_num_queries(2):
        plan_table.attach_divisions(world.plan, actions, district)
    assert actions[0].shared_division_names == ["ฝ่ายโยธา", "ฝ่ายปกครอง", "ฝ่ายรายได้"]


def _scored(world) -> None:
    """Scores for some of the plan's items (their stored summary follows), none for others."""
    framework = world.plan.assessment.framework
    for code, score in (("I1", "80"), ("I2", "65.255"), ("E1", "90"), ("O1", "100"), ("O2", "0")):
        ItemScore.objects.create(
            assessment=world.plan.assessment, item=framework.items.get(code=code), score=score
        )
    assert AssessmentSummary.objects.filter(pk=world.plan.assessment_id).exists()


# Measured on the small plan grown to 41 actions: the plan page reads the findings with their
# scores and the indicators' stored figures in one query (with the roll-up's six queries it
# read 28 for its owner, 23 for a staff member), the report the framework's items with their
# scores in one (it read 18, the reported figures too, which only its notes need).
@pytest.mark.parametrize(
    ("reader", "page", "ceiling"),
    [
        ("owner", "plan_detail", 22),
        ("staff", "plan_detail", 17),
        ("owner", "plan_report", 16),
        ("staff", "plan_report", 16),
    ],
)
def test_the_plan_page_and_the_report_read_few_queries(client, reader, page, ceiling):
    world = make_small_plan(status=Plan.Status.APPROVED)
    _scored(world)
    grow(world, 40, carried=True)
    client.force_login(getattr(world, reader))
    url = reverse(page, args=[world.organization.code, world.plan.fiscal_year])
    assert _queries(client, url) <= ceiling


def test_the_report_compares_with_the_reported_figures_only_with_its_notes(client):
    world = make_small_plan()
    _scored(world)
    client.force_login(world.owner)
    url = reverse("plan_report", args=[world.organization.code, world.plan.fiscal_year])
    assert _queries(client, url + "?notes=1") == _queries(client, url) + 1


def _figures(sections) -> tuple[dict, dict]:
    averages = {
        group.indicator.number: group.average
        for section in sections
        for group in section.indicators
    }
    scores = {
        block.finding.item.code: block.score
        for section in sections
        for group in section.indicators
        for block in group.rows
    }
    return averages, scores


def test_the_table_prints_the_roll_ups_figures_from_the_stored_summary_or_without_it():
    world = make_small_plan()
    _scored(world)
    grow(world, 10)
    summary = score_report(world.plan.assessment).summary
    rows = plan_table.findings(world.plan, scores=True)
    averages, scores = _figures(
        plan_table.sections(world.plan, rows, plan_table.table_scores(world.plan, rows))
    )
    # Items I1 I2 E1 O1 O2 (those of the grown findings and O1) in the plan's order.
    assert scores == {code: summary.items.get(code) for code in scores}
    assert scores["I2"] == Decimal("65.26") and scores["I3"] is None
    assert averages == {number: summary.indicators[number] for number in averages}
    assert set(averages) == {1, 9}
    # An assessment whose summary is not stored yet: the roll-up is computed, same figures.
    AssessmentSummary.objects.filter(pk=world.plan.assessment_id).delete()
    rows = plan_table.findings(world.plan, scores=True)
    assert rows[0][0].indicator_figures is None
    table = plan_table.sections(world.plan, rows, plan_table.table_scores(world.plan, rows))
    assert _figures(table) == (averages, scores)


def test_findings_are_records_grouped_by_their_tool_and_indicator(django_assert_num_queries):
    world = make_small_plan()
    grow(world, 6)
    actions = plan_table.plan_actions(world.plan)
    with django_assert_num_queries(1):
        rows = plan_table.findings(world.plan, actions)
    findings = [finding for finding, _actions in rows]
    assert [finding.item.code for finding in findings] == ["I1", "I2", "I3", "I4", "I5", "O1"]
    # One record per indicator and per tool, shared by their findings.
    first, second = findings[0].item.indicator, findings[1].item.indicator
    assert first is second and first.number == 1 and first.tool.code == "IIT"
    assert [len(found) for _finding, found in rows] == [2, 1, 1, 1, 1, 1]


@pytest.mark.parametrize("places", [0, 1, 2])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_tables_figures_print_as_floatformat_does(language, places):
    values = [Decimal(text) for text in ("0", "0.005", "7.5", "65.255", "84.50", "99.994", "100")]
    values += [Decimal(n) / 100 for n in range(-1000, 10001, 37)]
    values += [Decimal("-0.004"), Decimal("1E+2"), Decimal("999.995"), Decimal("1234.5")]
    values += [Decimal("NaN"), None, "", 84.5, 7]
    with translation.override(language):
        for value in values:
            assert figures.fixed(value, places) == floatformat(value, places), value


def test_action_records_hold_what_the_models_do():
    world = make_small_plan()
    grow(world, 6, carried=True)
    Action.objects.filter(pk=world.action.pk).update(status=Action.Status.CANCELLED)
    today = date(2022, 6, 1)
    models = plan_table.plan_actions(world.plan)
    records = plan_table.plan_actions(world.plan, records=True)
    assert [record.pk for record in records] == [action.pk for action in models]
    for record, action in zip(records, models, strict=True):
        assert record.is_overdue(today) == action.is_overdue(today)
        assert plan_table.responsible_text(record) == plan_table.responsible_text(action)
        assert plan_table.action_line(record).window == plan_table.action_line(action).window
    assert [record.is_overdue(today) for record in records] == [False] + [True] * 6


def test_the_plain_reads_give_what_the_orm_gives():
    """The findings (with their scores), the actions as records and the shared divisions are
    read by plain statements: the same values, of the same types, as the ORM's."""
    world = make_small_plan()
    grow(world, 3, carried=True)
    Action.objects.filter(pk=world.action.pk).update(all_divisions=True, due_on=None)
    world.action.divisions.add(world.admin_division)
    plan = world.plan
    ItemScore.objects.update_or_create(
        assessment=plan.assessment, item=world.finding.item, defaults={"score": Decimal("71.25")}
    )
    score_report(plan.assessment)  # stores the summary the table's figures come from
    stored = AssessmentSummary.objects.get(pk=plan.assessment_id).indicators

    records = plan_table.finding_records(plan, scores=True)
    findings = list(
        plan.findings.select_related("item__indicator__tool").order_by("order", "item__order")
    )
    assert [r.pk for r in records] == [f.pk for f in findings]
    for record, finding in zip(records, findings, strict=True):
        assert (
            record.item.code,
            record.item.indicator.number,
            record.item.indicator.tool.code,
        ) == (
            finding.item.code,
            finding.item.indicator.number,
            finding.item.indicator.tool.code,
        )
        assert record.indicator_figures == stored and isinstance(stored, dict)
    scored = next(r for r in records if r.pk == world.finding.pk)
    assert scored.score == Decimal("71.25") and isinstance(scored.score, Decimal)

    queryset = Action.objects.filter(finding__plan=plan).order_by("finding_id", "order", "id")
    expected = plan_table.action_records(queryset)
    found = plan_table.plan_actions(plan, records=True)
    fields = plan_table.ACTION_RECORD_FIELDS[1:]
    assert [(a.pk, *(getattr(a, f) for f in fields)) for a in found] == [
        (a.pk, *(getattr(a, f) for f in fields)) for a in expected
    ]
    first = next(a for a in found if a.pk == world.action.pk)
    assert first.all_divisions is True and first.due_on is None
    assert isinstance(first.starts_on, date)
    assert first.shared_division_ids == [world.admin_division.pk]
    # The plan page without filters reads the same records with the year each was carried from.
    annotated = plan_table.action_records(
        queryset.annotate(carried_from_year=F("carried_from__finding__plan__fiscal_year")),
        carried_from_year=True,
    )
    years = [
        a.carried_from_year for a in plan_table.plan_action_records(plan, carried_from_year=True)
    ]
    assert years == [a.carried_from_year for a in annotated]
    assert any(year is not None for year in years)
