"""Who may change what: the ``editable_by`` rules the admin follows, and who may give which
membership (``Membership.refusals``)."""

import pytest

from assessments.models import Assessment, ItemScore, Organization
from plans.models import Action, Division, Finding, Membership, ProgressUpdate, ReportingRound
from tests.factories import (
    SEED_SCORES,
    make_assessment,
    make_division,
    make_plan,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(district, other_district, framework):
    """A plan with one action and one report in each of two districts, and the people."""
    made = {}
    for organization in (district, other_district):
        plan = make_plan(make_assessment(organization, framework, SEED_SCORES))
        division = make_division(organization)
        finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"))
        action = Action.objects.create(finding=finding, text="ทำ", lead_division=division)
        ProgressUpdate.objects.create(action=action, progress=5, status="in_progress")
        ReportingRound.objects.create(
            plan=plan, name="ไตรมาสที่ 1", starts_on="2021-10-01", ends_on="2021-12-31"
        )
        made[organization.code] = division
    own = made[district.code]
    return {
        "root": make_user("root", is_superuser=True),
        "admin": make_user("admin", organization=district, role="admin"),
        "owner": make_user("owner", organization=district, role="plan_owner"),
        "staff": make_user("staff", organization=district, role="staff", division=own),
        "manager": make_user("manager", organization=district, role="district_manager"),
        "central": make_user("central", organization=other_district, role="central_manager"),
    }


def codes(queryset, path):
    return set(queryset.values_list(path, flat=True))


def test_roles_rank_lowest_first():
    assert Membership.Role.up_to("staff") == ["staff"]
    assert Membership.Role.up_to("plan_owner") == ["staff", "plan_owner"]
    assert Membership.Role.up_to("central_manager")[-2:] == ["district_manager", "central_manager"]
    assert Membership.Role.up_to("admin") == list(Membership.Role.values)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("root", {"1009", "1033"}),
        ("admin", {"1009"}),
        ("owner", set()),
        ("staff", set()),
        ("manager", set()),
        ("central", set()),
    ],
)
def test_scores_and_organizations_are_changed_by_admins_only(rows, who, expected):
    user = rows[who]
    assert codes(Organization.objects.editable_by(user), "code") == expected
    assert codes(Assessment.objects.editable_by(user), "organization__code") == expected
    scores = ItemScore.objects.editable_by(user)
    assert codes(scores, "assessment__organization__code") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("root", {"1009", "1033"}),
        ("admin", {"1009"}),
        ("owner", {"1009"}),
        ("staff", set()),
        ("manager", set()),
        ("central", set()),
    ],
)
def test_plan_parts_are_changed_by_plan_editors_of_the_district(rows, who, expected):
    user = rows[who]
    assert codes(Division.objects.editable_by(user), "organization__code") == expected
    assert codes(ReportingRound.objects.editable_by(user), "plan__organization__code") == expected
    actions = Action.objects.of_plans_editable_by(user)
    assert codes(actions, "finding__plan__organization__code") == expected
    updates = ProgressUpdate.objects.editable_by(user)
    assert codes(updates, "action__finding__plan__organization__code") == expected


def test_staff_report_on_their_actions_but_do_not_change_them(rows):
    staff = rows["staff"]
    assert Action.objects.editable_by(staff).count() == 1
    assert not Action.objects.of_plans_editable_by(staff).exists()
    assert not ProgressUpdate.objects.editable_by(staff).exists()


def test_members_are_seen_in_ones_own_district_and_changed_up_to_ones_own_role(rows):
    owner = rows["owner"]
    seen = Membership.objects.visible_to(owner)
    assert codes(seen, "user__username") == {"admin", "owner", "staff", "manager"}
    changed = Membership.objects.editable_by(owner)
    assert codes(changed, "user__username") == {"owner", "staff"}
    assert codes(Membership.objects.editable_by(rows["admin"]), "user__username") == {
        "admin",
        "owner",
        "staff",
        "manager",
    }
    for who in ("staff", "manager", "central"):
        assert not Membership.objects.editable_by(rows[who]).exists()
    assert Membership.objects.editable_by(rows["root"]).count() == Membership.objects.count() == 5


def test_a_plan_owner_gives_roles_up_to_their_own_in_their_own_district(
    rows, district, other_district
):
    owner = rows["owner"]
    assert Membership.refusals(owner, district, "staff") == {}
    assert Membership.refusals(owner, district, "plan_owner") == {}
    refused = Membership.refusals(owner, other_district, "district_manager")
    assert refused.keys() == {"organization", "role"}
    assert "เขตพระโขนง" in refused["organization"]
    assert "ผู้รับผิดชอบแผน" in refused["role"]


def test_only_a_superuser_gives_any_role_anywhere(rows, other_district):
    assert Membership.refusals(rows["root"], other_district, "admin") == {}
    assert Membership.refusals(rows["admin"], other_district, "staff").keys() == {"organization"}
    for who in ("staff", "manager", "central"):
        assert Membership.refusals(rows[who], other_district, "staff").keys() == {None}
