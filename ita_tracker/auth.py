"""Who is asking: the signed-in user of a request, read with what every page asks of them.

Django's ``ModelBackend`` reads the user through the ORM; then every page asks whether they
read every organization (a permission), what their membership is (role, organization and
division: the menu and every access rule) and, for the menu of those who read everything,
the newest year with scores. Here one plain statement reads the user's row with all of that,
and leaves the answers where the rules look for them (``user.membership``,
``sees_all_organizations``, ``navigation.latest_assessment_year``): four queries and their
building become one. Signing in, passwords and permissions are ``ModelBackend``'s."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from assessments.models import Organization, remember_sees_all, view_all_granted_sql
from ita_tracker import prepared, rows
from plans.dataversions import newest_assessment_year_part
from plans.models import Membership
from plans.navigation import remember_latest_year


def signed_in_user(user_id):
    """The user ``user_id`` with their membership (or None), whether they read every
    organization and the newest year with scores, from one statement; None if there is no
    such user."""
    user_model = get_user_model()
    connection = connections[router.db_for_read(user_model)]
    quote = connection.ops.quote_name
    granted, params = view_all_granted_sql("u.id")
    newest = newest_assessment_year_part()
    sql = (
        f"SELECT {rows.columns(user_model, 'u', quote)}, {rows.columns(Membership, 'm', quote)}, "
        f"{rows.columns(Organization, 'o', quote)}, CASE WHEN {granted} THEN 1 ELSE 0 END, "
        f"({newest.sql}) "
        f"FROM {quote(user_model._meta.db_table)} u "
        f"LEFT JOIN {quote(Membership._meta.db_table)} m ON m.user_id = u.id "
        f"LEFT JOIN {quote(Organization._meta.db_table)} o ON o.id = m.organization_id "
        "WHERE u.id = %s"
    )
    row = prepared.fetchone(connection, "signed_in_user", sql, [*params, *newest.params, user_id])
    if row is None:
        return None
    users_end = rows.width(user_model)
    members_end = users_end + rows.width(Membership)
    user = rows.instance(user_model, row[:users_end], connection)
    member = None
    if row[users_end] is not None:
        member = rows.instance(Membership, row[users_end:members_end], connection)
        organization = rows.instance(Organization, row[members_end:-2], connection)
        Membership._meta.get_field("organization").set_cached_value(member, organization)
        Membership._meta.get_field("user").set_cached_value(member, user)
    # What ``user.membership`` reads (None: the user is not a member anywhere).
    Membership._meta.get_field("user").remote_field.set_cached_value(user, member)
    remember_sees_all(user, bool(row[-2]))
    remember_latest_year(user, row[-1])
    return user


class MemberBackend(ModelBackend):
    """``ModelBackend``, reading the user of each request with ``signed_in_user``."""

    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
