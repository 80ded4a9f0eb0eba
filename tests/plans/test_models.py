"""Constraints, validation and history of the plan models."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import Action, Finding, Membership, ProgressUpdate, ReportingRound
from tests.factories import (
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(assessment):
    return make_plan(assessment)


@pytest.fixture
def finding(plan):
    return Finding.objects.create(plan=plan, item=plan.assessment.framework.items.get(code="O1"))


def test_one_finding_per_item_in_a_plan(finding):
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(plan=finding.plan, item=finding.item)


def test_one_plan_per_organization_and_year(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_plan(plan.assessment)


@pytest.mark.parametrize("progress", [101, 250])
def test_database_refuses_progress_over_100(finding, progress):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(finding=finding, text="x", progress=progress, all_divisions=True)


def test_due_date_may_not_precede_start(finding):
    action = Action(
        finding=finding,
        text="x",
        starts_on=date(2022, 6, 30),
        due_on=date(2021, 10, 1),
        all_divisions=True,
    )
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    assert "due_on" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_lead_division_must_belong_to_the_plans_organization(finding, other_district):
    action = Action(finding=finding, text="x", lead_division=make_division(other_district))
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    assert "lead_division" in excinfo.value.message_dict


def test_plan_must_answer_its_own_organizations_assessment(plan, other_district):
    plan.organization = other_district
    with pytest.raises(ValidationError) as excinfo:
        plan.full_clean()
    assert "assessment" in excinfo.value.message_dict


def test_finding_item_must_come_from_the_assessed_framework(plan):
    foreign_item = make_framework(fiscal_year=2565).items.get(code="O1")
    with pytest.raises(ValidationError) as excinfo:
        Finding(plan=plan, item=foreign_item).full_clean()
    assert "item" in excinfo.value.message_dict


def test_reporting_round_ends_after_it_starts(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingRound.objects.create(
            plan=plan, name="ไตรมาส 1", starts_on=date(2022, 1, 1), ends_on=date(2021, 12, 31)
        )


def test_staff_membership_needs_a_division(district):
    user = make_user("somchai")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organization=district, role="staff")


def test_membership_division_must_be_of_the_same_organization(district):
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    membership = Membership(
        user=make_user("somsri"), organization=district, division=make_division(other)
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "division" in excinfo.value.message_dict


def test_history_records_who_changed_an_action(finding, district):

    author = make_user("editor", organization=district, role="plan_owner")
    action = Action.objects.create(finding=finding, text="เดิม", all_divisions=True)
    action._history_user = author
    action.text = "ใหม่"
    action.status = Action.Status.IN_PROGRESS
    action.save()
    latest = action.history.latest()
    assert latest.history_user == author
    assert latest.text == "ใหม่"
    delta = latest.diff_against(latest.prev_record)
    assert {change.field for change in delta.changes} == {"text", "status"}


def test_progress_update_history_and_defaults(finding, district):
    division = make_division(district)
    author = make_user("staff1", organization=district, division=division)
    action = Action.objects.create(finding=finding, text="x", lead_division=division)
    update = ProgressUpdate.objects.create(
        action=action, author=author, progress=50, status=Action.Status.IN_PROGRESS
    )
    assert update.reported_at is not None
    assert update.history.count() == 1
