"""The reminders benchmark's parts on a small synthetic data set (figures, never timed here)."""

import pytest

from plans.demo import load_demo
from plans.models import Membership
from plans.synthetic import generate
from scripts import bench_reminders as bench

pytestmark = pytest.mark.django_db
SMALL = {"years": (2565, 2566), "actions_per_weak_item": 2, "reports_per_action": 2}


def test_bench_users_digests_and_report():
    load_demo(with_users=False)
    generate(districts=4, **SMALL)
    assert bench.make_users(4, per_district=6) == 24
    assert bench.make_users(4, per_district=6) == 0  # a second run adds nobody
    roles = Membership.objects.filter(user__username__startswith=bench.PREFIX)
    assert roles.filter(role="plan_owner").count() == 4
    assert roles.filter(role="district_manager").count() == 4
    assert not roles.filter(role="staff", division__isnull=True).exists()

    small, large = bench.measure(2), bench.measure(4)

    assert (small.users, large.users) == (12, 24)
    assert small.queries == large.queries > 0
    assert large.digests > small.digests > 0
    printed = bench.report(small, large)
    assert "PASS  queries do not grow with users" in printed
    assert "seconds grow at most linearly" in printed
