"""The signed-in user of a request: read with their membership and the permission that shows
every organization in one statement (``ita_tracker.auth``), and the same user as Django's."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import sees_all_organizations
from ita_tracker.auth import MemberBackend, signed_in_user
from plans.models import Membership, membership_of
from tests.factories import (
    make_division,
    make_organization,
    make_user,
    people_granted_view_all,
)

pytestmark = pytest.mark.django_db


def _fields(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields}


def test_the_user_is_the_one_django_reads_field_for_field():
    district = make_organization()
    user = make_user(
        "somchai",
        organization=district,
        role=Membership.Role.PLAN_OWNER,
        first_name="สมชาย",
        email="s@example.org",
    )
    user.last_login = timezone.now()
    user.save()
    expected = get_user_model().objects.get(pk=user.pk)
    read = signed_in_user(user.pk)
    assert _fields(read) == _fields(expected)
    # The backend's conversions, as the ORM's: true booleans and an aware datetime.
    assert read.is_active is True and read.is_superuser is False
    assert timezone.is_aware(read.last_login)
    assert read._state.adding is False and read._state.db == "default"
    assert read.get_session_auth_hash() == expected.get_session_auth_hash()


def test_the_membership_and_its_organization_come_with_it_in_one_query():
    district = make_organization()
    division = make_division(district)
    make_user("staff", organization=district, role=Membership.Role.STAFF, division=division)
    user_id = get_user_model().objects.get(username="staff").pk
    with CaptureQueriesContext(connection) as queries:
        user = signed_in_user(user_id)
        member = membership_of(user)
        assert member.role == Membership.Role.STAFF
        assert member.division_id == division.pk
        assert member.organization.code == district.code
        assert member.organization.name_th == district.name_th
        assert member.user is user
        assert not sees_all_organizations(user)
    assert len(queries.captured_queries) == 1
    assert member == Membership.objects.get(user_id=user_id)


def test_someone_who_is_no_member_is_known_to_be_none_without_asking_again():
    user_id = make_user("loner").pk
    with CaptureQueriesContext(connection) as queries:
        user = signed_in_user(user_id)
        assert membership_of(user) is None
        with pytest.raises(Membership.DoesNotExist):
            _ = user.membership
    assert len(queries.captured_queries) == 1


def test_the_permission_agrees_with_djangos_own_reading():
    own, grouped = people_granted_view_all()
    other = make_user("other")
    other.user_permissions.add(Permission.objects.get(codename="view_organization"))
    for user in (own, grouped, other):
        read = signed_in_user(user.pk)
        fresh = get_user_model().objects.get(pk=user.pk)
        assert sees_all_organizations(read) == fresh.has_perm("assessments.view_all_organizations")
    assert sees_all_organizations(signed_in_user(own.pk))
    assert not sees_all_organizations(signed_in_user(other.pk))


def test_unknown_and_inactive_users_are_not_signed_in():
    gone = make_user("gone", is_active=False)
    backend = MemberBackend()
    assert signed_in_user(999_999) is None
    assert backend.get_user(999_999) is None
    assert backend.get_user(gone.pk) is None
    assert backend.get_user(make_user("here").pk).username == "here"


def test_a_signed_in_request_reads_the_user_membership_and_permission_once(client):
    district = make_organization()
    user = make_user("owner", organization=district, role=Membership.Role.PLAN_OWNER)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    members = connection.ops.quote_name(Membership._meta.db_table)
    statements = [q["sql"] for q in queries.captured_queries]
    # The user, their membership and the permission: one statement, nothing read again.
    frame = (f"{users} u ON u.id = s.user_id LEFT JOIN {members} m", "EXECUTE session_")
    assert sum(any(part in sql for part in frame) for sql in statements) == 1
    by_id = (
        f'FROM {users} WHERE {users}."id" =',
        f'FROM {members} WHERE {members}."user_id" =',
    )
    assert not [sql for sql in statements if any(where in sql for where in by_id)]
    alone = [sql for sql in statements if "view_all_organizations" in sql]
    assert not [sql for sql in alone if not any(part in sql for part in frame)]


def test_signing_in_through_the_form_still_works(client):
    make_user("somsri")
    response = client.post("/accounts/login/", {"username": "somsri", "password": "pw"})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "somsri"


def test_the_newest_year_with_scores_comes_with_the_user():
    from plans import navigation
    from tests.factories import make_assessment, make_framework

    user_id = make_user("reader").pk
    assert signed_in_user(user_id)._latest_assessment_year is None
    make_assessment(make_organization(), make_framework(2566))
    make_framework(2570)  # an edition nobody was assessed with yet
    user = signed_in_user(user_id)
    with CaptureQueriesContext(connection) as queries:
        assert navigation.latest_assessment_year(user) == 2566
    assert len(queries.captured_queries) == 0
    assert navigation.latest_assessment_year() == 2566  # asked without a user: read
