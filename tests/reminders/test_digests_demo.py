"""The demo accounts have addresses, and the seed's plan gives them real digests."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from reminders.digests import build_digests
from reminders.models import Digest

pytestmark = pytest.mark.django_db
# The seed's actions are all due 30 มิ.ย. 2565, when its third round closes.
DAY = date(2022, 6, 25)


@pytest.fixture
def demo_users(db):
    from plans.demo import load_demo

    load_demo(with_users=True)
    return {user.username: user for user in get_user_model().objects.all()}


def test_demo_accounts_have_example_org_addresses(demo_users):
    assert {name: user.email for name, user in demo_users.items()} == {
        name: f"{name}@example.org" for name in ("admin", "owner", "staff", "manager", "central")
    }


def test_the_seeds_plan_gives_each_demo_role_its_digest(demo_users):
    kinds = {"owner": "daily", "staff": "daily", "manager": "weekly", "central": "weekly"}
    requests = [(demo_users[name], kind) for name, kind in kinds.items()]
    requests.append((demo_users["admin"], Digest.Kind.DAILY))
    owner, staff, manager, central, admin = build_digests(requests, DAY, {})

    assert {s.key for s in owner.sections} == {"due_soon", "rounds"}
    assert all(line.division for s in owner.sections for line in s.lines)
    assert {s.key for s in staff.sections} == {"due_soon", "rounds"}
    assert {line.note for line in staff.sections[0].lines} == {"ครบกำหนดใน 5 วัน"}
    assert staff.subject.endswith("— 25 มิ.ย. 2565")
    assert manager.figures["actions"] > 0
    assert "rounds" in {s.key for s in central.sections}
    assert admin.is_empty
