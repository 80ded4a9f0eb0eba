"""The digests of 50 users cost the same number of queries as those of 5 (no per-user N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Membership
from reminders.digests import build_digests
from reminders.models import Digest, ReminderPreference
from tests.factories import make_framework, make_organization, make_user
from tests.reminders.digest_world import TODAY, make_action, make_central, make_district

pytestmark = pytest.mark.django_db

ROLES = [Membership.Role.STAFF, Membership.Role.PLAN_OWNER, Membership.Role.DISTRICT_MANAGER]


@pytest.fixture
def districts(db):
    framework = make_framework()
    made = []
    for n in range(5):
        organization = make_organization(code=f"10{n:02d}", name_th=f"เขต {n}")
        district = make_district(organization, framework, f"d{n}")
        make_action(district, "เกิน", TODAY - timedelta(days=3), district.admin_division)
        make_action(district, "ใกล้", TODAY + timedelta(days=3), district.finance)
        make_action(
            district, "ทุกฝ่าย", TODAY + timedelta(days=5), district.finance, all_divisions=True
        )
        made.append(district)
    return made


def users(districts, per_district: int):
    """``per_district`` users of each district, in every role, some preferring English."""
    made = []
    for district in districts:
        for n in range(per_district):
            role = ROLES[n % len(ROLES)]
            division = (district.admin_division, district.finance)[n % 2]
            user = make_user(
                f"{district.organization.code}-{per_district}-{n}",
                organization=district.organization,
                role=role,
                division=division if role == Membership.Role.STAFF else None,
            )
            if n % 4 == 0:
                ReminderPreference.objects.create(user=user, language="en")
            made.append(user)
    return made


def queries(requests) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        contents = build_digests(requests, TODAY, {})
    return len(captured.captured_queries), contents


def test_five_and_fifty_users_of_several_districts_cost_the_same_queries(
    districts, django_assert_max_num_queries
):
    central = make_central(make_organization(code="10", name_th="ส่วนกลาง", kind="central"))
    few = [(user, Digest.Kind.WEEKLY) for user in users(districts, 1)] + [
        (central, Digest.Kind.WEEKLY)
    ]
    many = [(user, Digest.Kind.WEEKLY) for user in users(districts, 10)] + [
        (central, Digest.Kind.WEEKLY)
    ]
    assert len(few) == 6 and len(many) == 51

    few_queries, few_contents = queries(few)
    with django_assert_max_num_queries(few_queries):
        many_contents = build_digests(many, TODAY, {})

    assert sum(not c.is_empty for c in few_contents) == 6
    assert sum(not c.is_empty for c in many_contents) == 51
    # Memberships, preferences, the districts' facts (7) and the BMA's (5 and the permission).
    assert few_queries <= 15


def test_no_request_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert build_digests([], TODAY, {}) == []
