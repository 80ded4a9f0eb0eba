"""Who is asking: the signed-in user of a request, read with what every page asks of them.

Django's ``ModelBackend`` reads the user through the ORM; then every page asks whether they
read every organization (a permission), what their membership is (role, organization and
division: the menu and every access rule) and, for the menu of those who read everything,
the newest year with scores. Here the user's row is read with all of that (``frame``), in
the statement that reads the request's session (``ita_tracker.sessions``), and the answers
are left where the rules look for them (``user.membership``, ``sees_all_organizations``,
``navigation.latest_assessment_year``): five queries and their building become one.
Signing in, passwords and permissions are ``ModelBackend``'s."""

from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.utils.functional import SimpleLazyObject

from assessments.models import Organization, remember_sees_all, view_all_granted_sql
from ita_tracker import prepared, rows
from plans.dataversions import newest_assessment_year_part
from plans.models import Membership
from plans.navigation import remember_latest_year


def user_table() -> str:
    return get_user_model()._meta.db_table


def frame(connection) -> tuple[str, str, list]:
    """The columns that read the user ``u`` with their membership ``m`` and its organization
    ``o``, whether they read every organization and the newest year with scores; the joins
    after ``u``; the columns' parameters."""
    quote = connection.ops.quote_name
    granted, params = view_all_granted_sql("u.id")
    newest = newest_assessment_year_part()
    columns = (
        f"{rows.columns(get_user_model(), 'u', quote)}, {rows.columns(Membership, 'm', quote)}, "
        f"{rows.columns(Organization, 'o', quote)}, CASE WHEN {granted} THEN 1 ELSE 0 END, "
        f"({newest.sql})"
    )
    joins = (
        f"LEFT JOIN {quote(Membership._meta.db_table)} m ON m.user_id = u.id "
        f"LEFT JOIN {quote(Organization._meta.db_table)} o ON o.id = m.organization_id"
    )
    return columns, joins, [*params, *newest.params]


def signed_in_user(user_id):
    """The user ``user_id`` with their membership (or None), whether they read every
    organization and the newest year with scores, from one statement; None if there is no
    such user."""
    user_model = get_user_model()
    connection = connections[router.db_for_read(user_model)]
    columns, joins, params = frame(connection)
    sql = (
        f"SELECT {columns} FROM {connection.ops.quote_name(user_table())} u {joins} WHERE u.id = %s"
    )
    row = prepared.fetchone(connection, "signed_in_user", sql, [*params, user_id])
    return None if row is None else user_of_row(row, connection)


def user_of_row(row, connection):
    """The user of a row of ``frame``'s columns, with the answers kept on it."""
    user_model = get_user_model()
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


# The user's row read with the request's session, while Django's ``get_user`` asks the
# backend for the session's user.
_read_with_session: ContextVar = ContextVar("read_with_session", default=None)


class MemberBackend(ModelBackend):
    """``ModelBackend``, reading the user of each request with ``signed_in_user``, or taking
    the row read with the session when it is the session's own user."""

    def get_user(self, user_id):
        row = _read_with_session.get()
        if row is not None and row[0] == user_id:
            user = user_of_row(row, connections[router.db_for_read(get_user_model())])
        else:
            user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_of(request):
    if not hasattr(request, "_cached_user"):
        request.session.get(auth.SESSION_KEY)  # the session read first, with its user's row
        read = _read_with_session.set(getattr(request.session, "user_row", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _read_with_session.reset(read)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, letting the backend take the user read with the session."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))
