"""The stored summary of an assessment is what the roll-up computes from its scores: on the
demo, on generated data, after an import, an admin edit of one score and a change of the
rules."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import scoring, summaries
from assessments.models import Assessment, AssessmentSummary, ItemScore, LevelBand, Tool
from assessments.rollup import framework_spec
from assessments.score_import import import_scores
from tests.factories import make_assessment, make_user

pytestmark = pytest.mark.django_db

PASS_SCORES = {
    **{f"I{n}": "90" for n in range(1, 7)},
    **{f"E{n}": "80" for n in range(1, 6)},
    **{f"O{n}": "100" for n in range(1, 5)},
}


def computed(assessment: Assessment) -> scoring.Summary:
    scores = dict(assessment.scores.values_list("item__code", "score"))
    return scoring.summarize(framework_spec(assessment.framework), scores)


def assert_stored_is_computed(assessments) -> int:
    checked = 0
    for assessment in assessments.select_related("framework", "summary"):
        summary, stored = computed(assessment), assessment.summary
        assert stored.total == summary.total, assessment
        assert stored.level == (summary.level or ""), assessment
        assert stored.indicator_scores == summary.indicators, assessment
        assert stored.tools == {
            code: None if v is None else str(v) for code, v in summary.tools.items()
        }
        pass_mark = assessment.framework.pass_mark
        assert stored.passed == (None if summary.total is None else summary.total >= pass_mark)
        checked += 1
    return checked


def test_an_import_refreshes_what_it_touched(assessment):
    assessment.scores.all().delete()
    table = "organization,fiscal_year,item,score\n" + "".join(
        f"1009,2564,{code},{score}\n" for code, score in PASS_SCORES.items()
    )
    import_scores(table.encode(), "scores.csv")
    stored = AssessmentSummary.objects.get(assessment=assessment)
    assert (stored.total, stored.level, stored.passed) == (D("91.00"), "A", True)
    assert_stored_is_computed(Assessment.objects.all())


def test_an_edit_of_one_score_and_its_deletion_refresh_the_summary(district, framework):
    assessment = make_assessment(district, framework, PASS_SCORES)
    assert AssessmentSummary.objects.get(assessment=assessment).total == D("91.00")
    score = assessment.scores.get(item__code="O1")
    score.score = D("0")
    score.save()
    stored = AssessmentSummary.objects.get(assessment=assessment)
    assert stored.total == D("81.00") and stored.indicator_scores[9] == D("75.00")
    score.delete()
    stored.refresh_from_db()
    assert stored.indicator_scores[9] == D("100.00")
    assert_stored_is_computed(Assessment.objects.all())


def test_an_admin_edit_refreshes_the_summary(client, district, framework):
    assessment = make_assessment(district, framework, PASS_SCORES)
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    score = assessment.scores.get(item__code="I1")
    url = reverse("admin:assessments_itemscore_change", args=[score.pk])
    response = client.post(url, {"assessment": assessment.pk, "item": score.item_id, "score": "30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ItemScore.objects.get(pk=score.pk).score == D("30")
    assert AssessmentSummary.objects.get(assessment=assessment).total == D("88.00")
    assert_stored_is_computed(Assessment.objects.all())


def test_a_change_of_weights_or_levels_refreshes_the_frameworks_assessments(district, framework):
    assessment = make_assessment(district, framework, PASS_SCORES)
    oit = Tool.objects.get(framework=framework, code="OIT")
    oit.weight = D("0")
    oit.save()
    assert AssessmentSummary.objects.get(assessment=assessment).total == D("85.00")
    LevelBand.objects.filter(framework=framework, label="AA").update(min_score=D("99"))
    LevelBand.objects.get(framework=framework, label="AA").save()  # the admin saves the row
    assert_stored_is_computed(Assessment.objects.all())
    framework.pass_mark = D("86")
    framework.save()
    assert AssessmentSummary.objects.get(assessment=assessment).passed is False


def test_the_command_fills_missing_summaries_in_chunks(district, framework, monkeypatch):
    make_assessment(district, framework, PASS_SCORES)
    AssessmentSummary.objects.all().delete()
    monkeypatch.setattr(summaries, "CHUNK", 1)
    call_command("refresh_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert assert_stored_is_computed(Assessment.objects.all()) == 1
    assert summaries.refresh_missing(Assessment.objects.all()) == 0
