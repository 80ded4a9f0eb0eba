"""Constraints and validation of the catalog and the scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Indicator, Item, ItemScore, ReportedScore, Tool
from tests.factories import make_framework, make_organization

pytestmark = pytest.mark.django_db


def test_items_and_indicators_take_the_framework_of_their_parent(framework):
    item = Item.objects.get(framework=framework, code="I1")
    assert item.indicator.framework == framework
    assert Item.objects.of_year(2564).count() == 15
    assert Item.objects.of_year(2565).count() == 0


def test_item_code_is_unique_within_a_framework(framework):
    indicator = Indicator.objects.get(framework=framework, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(indicator=indicator, code="I1", text="ซ้ำ")


def test_same_item_code_is_allowed_in_another_year(framework):
    other = make_framework(fiscal_year=2565)
    assert other.items.filter(code="I1").exists()


def test_indicator_number_is_unique_within_a_framework(framework):
    tool = Tool.objects.get(framework=framework, code="EIT")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(tool=tool, number=1, name="ซ้ำ", weight=Decimal("1"))


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_database_refuses_a_score_outside_0_to_100(assessment, score):
    ItemScore.objects.filter(assessment=assessment, item__code="I1").delete()
    i1 = assessment.framework.items.get(code="I1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemScore.objects.create(assessment=assessment, item=i1, score=Decimal(score))


def test_one_score_per_item_and_assessment(assessment):
    i1 = assessment.framework.items.get(code="I1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemScore.objects.create(assessment=assessment, item=i1, score=Decimal("50"))


def test_checklist_item_accepts_only_0_or_100(assessment):
    score = ItemScore.objects.get(assessment=assessment, item__code="O2")
    score.score = Decimal("50")
    with pytest.raises(ValidationError) as excinfo:
        score.full_clean()
    assert "0 หรือ 100" in str(excinfo.value.message_dict["score"])
    score.score = Decimal("0")
    score.full_clean()


def test_score_of_an_item_from_another_framework_is_refused(assessment):
    other_item = make_framework(fiscal_year=2565).items.get(code="I1")
    score = ItemScore(assessment=assessment, item=other_item, score=Decimal("80"))
    with pytest.raises(ValidationError) as excinfo:
        score.full_clean()
    assert "item" in excinfo.value.message_dict


def test_item_score_changes_keep_history(assessment):
    score = ItemScore.objects.get(assessment=assessment, item__code="I1")
    score.score = Decimal("85.00")
    score.save()
    assert [h.score for h in score.history.order_by("history_date")] == [
        Decimal("84.67"),
        Decimal("85.00"),
    ]


def test_reported_score_target_must_match_scope(assessment):
    tool = assessment.framework.tools.get(code="OIT")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedScore.objects.create(
            assessment=assessment, scope=ReportedScore.Scope.INDICATOR, tool=tool, value=1
        )
    figure = ReportedScore(assessment=assessment, scope=ReportedScore.Scope.TOOL, value=1)
    with pytest.raises(ValidationError) as excinfo:
        figure.full_clean()
    assert "tool" in excinfo.value.message_dict


def test_reported_total_is_unique_per_source(assessment):
    ReportedScore.objects.create(assessment=assessment, scope="total", value=80, source="ก")
    ReportedScore.objects.create(assessment=assessment, scope="total", value=81, source="ข")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedScore.objects.create(assessment=assessment, scope="total", value=82, source="ก")


def test_framework_year_must_be_buddhist_era(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_framework(fiscal_year=2021)


def test_organization_natural_key(db):
    organization = make_organization()
    assert organization.natural_key() == ("1009",)
    assert type(organization).objects.get_by_natural_key("1009") == organization
