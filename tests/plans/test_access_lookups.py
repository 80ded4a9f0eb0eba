"""The page's object and the plan editors' rule, asked without the ORM's query building:
the same answers as the querysets that state the rules."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Organization, visible_organization_sql
from ita_tracker.auth import signed_in_user
from plans.access import assessment_or_404, assessment_with, plan_or_404, plan_with
from plans.documents import plan_table
from plans.models import (
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    changes_plans_of,
    plan_organizations,
)
from tests.factories import make_division
from tests.plans.reading_world import make_reading_world

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def world():
    return make_reading_world()


def _everyone(people):
    users = [get_user_model().objects.get(pk=user.pk) for user in people.values()]
    return [*users, AnonymousUser()]


def test_changes_plans_of_agrees_with_plan_organizations(world):
    own, other, people = world
    for user in _everyone(people):
        allowed = set(plan_organizations(user).values_list("pk", flat=True))
        for organization in (own, other):
            assert changes_plans_of(user, organization.pk) == (organization.pk in allowed), user


def test_the_reading_rule_in_sql_agrees_with_the_querysets(world):
    people = world[2]
    for user in _everyone(people):
        condition, params = visible_organization_sql(user, "id")
        table = connection.ops.quote_name(Organization._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE {condition}", params)
            read = {pk for (pk,) in cursor.fetchall()}
        assert read == set(Organization.objects.visible_to(user).values_list("pk", flat=True))


def test_the_plan_and_assessment_found_are_the_querysets_with_their_relations(world):
    own, other, people = world
    for user in _everyone(people):
        for organization in (own, other):
            plans = Plan.objects.visible_to(user).filter(organization=organization)
            if plans.exists():
                plan = plan_or_404(user, organization.code, 2565)
                assert plan == plans.get()
                assert plan.status == plans.get().status
                with CaptureQueriesContext(connection) as queries:
                    assert plan.organization == organization
                    assert plan.assessment.framework.fiscal_year == 2564
                assert len(queries.captured_queries) == 0
            else:
                with pytest.raises(Http404):
                    plan_or_404(user, organization.code, 2565)
            assessments = Assessment.objects.visible_to(user).filter(organization=organization)
            if assessments.exists():
                first = assessment_or_404(user, organization.code, 2564)
                assert first == assessments.order_by("framework__name").first()
                chosen = assessment_or_404(user, organization.code, 2564, "ITA ของ ป.ป.ช.")
                assert chosen.framework.name == "ITA ของ ป.ป.ช."
                with CaptureQueriesContext(connection) as queries:
                    assert chosen.organization == organization
                    assert chosen.framework.pass_mark == first.framework.pass_mark
                assert len(queries.captured_queries) == 0
            else:
                with pytest.raises(Http404):
                    assessment_or_404(user, organization.code, 2564)


def test_unknown_years_codes_and_editions_are_not_found(world):
    people = world[2]
    boss = people["boss"]
    for code, year in (("1009", 2570), ("9999", 2565)):
        with pytest.raises(Http404):
            plan_or_404(boss, code, year)
    with pytest.raises(Http404):
        assessment_or_404(boss, "1009", 2570)
    with pytest.raises(Http404):
        assessment_or_404(boss, "1009", 2564, "ไม่มีชุดนี้")


def test_a_signed_in_staff_member_finds_their_plan_in_one_query_after_the_user(world):
    own, other, people = world
    user = signed_in_user(people[Role.STAFF].pk)
    with CaptureQueriesContext(connection) as queries:
        plan = plan_or_404(user, own.code, 2565)
        with pytest.raises(Http404):
            plan_or_404(user, other.code, 2565)
    assert plan.organization == own
    assert len(queries.captured_queries) == 2


def test_the_versions_read_with_the_row_are_those_read_by_values(world):
    from plans import dataversions

    own, _other, people = world
    boss = people["boss"]
    menu = dataversions.member_part(own.pk)
    progress = dataversions.of_row(dataversions.PROGRESS_OF_ROW)
    plan, before = plan_with(boss, own.code, 2565, also=[progress, menu])
    assert dataversions.as_text(before) == dataversions.read(dataversions.for_progress(plan), menu)
    assessment, versions = assessment_with(
        boss, own.code, 2564, also=[dataversions.of_row(dataversions.SCORES_OF_ROW)]
    )
    assert dataversions.as_text(versions) == dataversions.read(dataversions.for_scores(assessment))
    # A change of the plan's year moves both alike.
    dataversions.touch([(own.pk, 2565)])
    _plan, moved = plan_with(
        boss, own.code, 2565, also=[dataversions.of_row(dataversions.PROGRESS_OF_ROW)]
    )
    assert moved[0] != versions[0]
    assert dataversions.as_text(moved) == dataversions.read(dataversions.for_progress(plan))


def test_the_plan_page_rules_agree_with_the_querysets(world):
    """``Plan.may_write`` / ``Plan.may_report_on`` (the plan page's edit links and report
    buttons, asked of the rows in hand) against ``editable_by`` for every role, on open and
    closed plans, own and another district's, for led, shared, every-division and other
    divisions' actions."""
    own, other, people = world
    led_by, elsewhere = Division.objects.get(organization=own), make_division(own, "ฝ่ายคลัง", 2)
    for organization in (own, other):
        plan = Plan.objects.get(organization=organization)
        finding = Finding.objects.create(plan=plan, item=plan.assessment.framework.items.first())
        division = led_by if organization == own else make_division(other)
        Action.objects.create(finding=finding, text="นำ", lead_division=division)
        Action.objects.create(finding=finding, text="อื่น", lead_division=elsewhere)
        Action.objects.create(finding=finding, text="ทุกฝ่าย", all_divisions=True)
        Action.objects.create(finding=finding, text="ร่วม", lead_division=elsewhere).divisions.add(
            division
        )
    checked = 0
    for status in Plan.Status.values:
        Plan.objects.update(status=status)
        for plan in Plan.objects.all():
            actions = plan_table.action_records(
                Action.objects.filter(finding__plan=plan).order_by("pk")
            )
            plan_table.attach_divisions(plan, actions)
            for user in _everyone(people):
                assert (
                    plan.may_write(user)
                    == Plan.objects.editable_by(user).filter(pk=plan.pk).exists()
                ), (user, plan, status)
                expected = set(
                    Action.objects.editable_by(user)
                    .filter(finding__plan=plan)
                    .values_list("pk", flat=True)
                )
                with CaptureQueriesContext(connection) as queries:
                    found = {a.pk for a in actions if plan.may_report_on(user, a)}
                assert found == expected, (user, plan, status)
                assert not queries.captured_queries
                checked += len(expected)
    assert checked > 0  # some user may report on some action: the rule is not all refusals
