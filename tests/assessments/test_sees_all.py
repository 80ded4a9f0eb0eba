"""Who reads every organization's data: one rule (``sees_all_organizations``), one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import sees_all_organizations
from tests.factories import make_user, people_granted_view_all, view_all_permission

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as the next request loads it (nothing remembered on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_permission_given_to_the_user_or_to_a_group_of_theirs_counts():
    own, grouped = people_granted_view_all()
    assert sees_all_organizations(_fresh(own))
    assert sees_all_organizations(_fresh(grouped))
    # Django's own reading of the permissions agrees.
    assert _fresh(own).has_perm("assessments.view_all_organizations")
    assert _fresh(grouped).has_perm("assessments.view_all_organizations")


def test_other_permissions_groups_and_people_do_not():
    plain = make_user("plain")
    assert not sees_all_organizations(_fresh(plain))
    # Another permission of the user, a group without it, the same codename elsewhere.
    plain.user_permissions.add(Permission.objects.get(codename="view_organization"))
    editors = Group.objects.create(name="ผู้แก้ไข")
    editors.permissions.add(Permission.objects.get(codename="change_organization"))
    plain.groups.add(editors)
    other = make_user("other")
    other.user_permissions.add(view_all_permission())  # someone else's grant
    assert not sees_all_organizations(_fresh(plain))


def test_inactive_and_anonymous_people_never_do_and_superusers_always_do():
    from django.contrib.auth.models import AnonymousUser

    gone = make_user("gone", is_active=False)
    gone.user_permissions.add(view_all_permission())
    assert not sees_all_organizations(_fresh(gone))
    assert not sees_all_organizations(AnonymousUser())
    boss = get_user_model().objects.create_superuser("boss", password="pw")
    with CaptureQueriesContext(connection) as queries:
        assert sees_all_organizations(boss)
    assert len(queries.captured_queries) == 0


def test_asked_once_per_request_with_one_query():
    user = make_user("central")
    user.user_permissions.add(view_all_permission())
    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert sees_all_organizations(user)
        assert sees_all_organizations(user)
    assert len(queries.captured_queries) == 1
