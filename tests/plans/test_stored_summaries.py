"""On the demo and on generated data (bulk inserts, no signals), every assessment's stored
summary is there and equals what the roll-up computes."""

import pytest

from assessments.models import Assessment, AssessmentSummary
from plans.synthetic import generate
from tests.assessments.test_summaries import assert_stored_is_computed

pytestmark = pytest.mark.django_db


def test_the_demo_and_generated_data_leave_every_summary_filled_and_right(demo):
    generate(districts=5, years=(2564, 2565), actions_per_weak_item=1, reports_per_action=1)
    assert AssessmentSummary.objects.count() == Assessment.objects.count() > 5
    assert assert_stored_is_computed(Assessment.objects.all()) == Assessment.objects.count()
