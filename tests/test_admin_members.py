"""The admin's member pages refuse a role above one's own or another district, with a Thai
reason; score files are imported only by those who may change every district's scores."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import ItemScore
from plans.models import Membership
from tests.factories import make_division, make_user

pytestmark = pytest.mark.django_db


def admin_user(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def owner(client, district):
    user = admin_user(
        make_user("owner", organization=district, role="plan_owner"),
        "view_membership",
        "change_membership",
        "add_membership",
    )
    client.force_login(user)
    return user


def membership_form(membership, **changes):
    return {
        "user": membership.user_id,
        "organization": membership.organization_id,
        "division": membership.division_id or "",
        "role": membership.role,
        **changes,
    }


def test_a_plan_owner_cannot_raise_their_own_role(client, owner):
    own = owner.membership
    url = reverse("admin:plans_membership_change", args=[own.pk])
    response = client.post(url, membership_form(own, role="admin"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["role"] == ["ท่านให้บทบาทได้ไม่สูงกว่าบทบาทของท่านเอง (ผู้รับผิดชอบแผน)"]
    own.refresh_from_db()
    assert own.role == "plan_owner"


def test_a_plan_owner_cannot_move_themselves_to_another_district(client, owner, other_district):
    own = owner.membership
    url = reverse("admin:plans_membership_change", args=[own.pk])
    response = client.post(url, membership_form(own, organization=other_district.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["organization"] == ["ท่านกำหนดสมาชิกได้เฉพาะของหน่วยงานของท่านเอง (เขตพระโขนง)"]
    own.refresh_from_db()
    assert own.organization_id == owner.membership.organization_id


def test_a_plan_owner_adds_staff_to_their_own_district(client, owner, district):
    division = make_division(district)
    newcomer = make_user("newcomer")
    response = client.post(
        reverse("admin:plans_membership_add"),
        {
            "user": newcomer.pk,
            "organization": district.pk,
            "division": division.pk,
            "role": "staff",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "staff"


def test_a_member_above_the_plan_owner_is_read_only_to_them(client, owner, district):
    manager = make_user("manager", organization=district, role="district_manager").membership
    url = reverse("admin:plans_membership_change", args=[manager.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, membership_form(manager, role="staff"))
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.role == "district_manager"


def test_restoring_an_old_version_cannot_give_back_a_role_above_ones_own(client, owner):
    own = owner.membership
    own.role = "admin"
    own.save()  # the version to restore: once an admin,
    own.role = "plan_owner"
    own.save()  # now a plan owner.
    version = own.history.get(role="admin").history_id
    url = reverse("admin:plans_membership_simple_history", args=[own.pk, version])
    response = client.post(url, membership_form(own, role="admin"))
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.role == "plan_owner"


def test_score_files_are_for_those_who_change_every_districts_scores(client, district):
    admin = admin_user(
        make_user("office_admin", organization=district, role="admin"),
        "view_itemscore",
        "change_itemscore",
    )
    client.force_login(admin)
    url = reverse("admin:assessments_itemscore_import")
    assert client.get(url).status_code == 403
    changelist = client.get(reverse("admin:assessments_itemscore_changelist")).content.decode()
    assert url not in changelist
    assert not ItemScore.objects.exists()
