"""Django's database sessions, read with the signed-in user in one plain statement.

Every signed-in request reads its session, then its user. Through the ORM the session's read
costs several times the query itself (building a queryset, compiling it, making a model
instance), and the user is a second trip to the database. Here the session's row keeps the
id of its user (``ita_tracker.models.Session``), and one statement reads the session with
the user and what every page asks of them (``ita_tracker.auth``); the authentication
middleware hands that row to the backend, which checks it is the session's own user.
Writing, expiry and sign-out are Django's, unchanged."""

from typing import NamedTuple

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from ita_tracker import prepared


class _Stored(NamedTuple):
    session_data: str


# The session's statement and its first parameters, by database: the same text on every
# request, built once (its building was a tenth of the session's read).
_statements: dict[str, tuple[str, tuple]] = {}


def _statement(model, connection) -> tuple[str, tuple]:
    found = _statements.get(connection.alias)
    if found is None:
        from ita_tracker import auth

        quote = connection.ops.quote_name
        columns, joins, params = auth.frame(connection)
        sql = (
            f"SELECT s.session_data, {columns} FROM {quote(model._meta.db_table)} s "
            f"LEFT JOIN {quote(auth.user_table())} u ON u.id = s.user_id {joins} "
            "WHERE s.session_key = %s AND s.expire_date > %s"
        )
        found = _statements[connection.alias] = (sql, tuple(params))
    return found


class SessionStore(db.SessionStore):
    # The user's row read with the session (``auth.FRAME`` columns), None without a user.
    user_row = None

    @classmethod
    def get_model_class(cls):
        from ita_tracker.models import Session

        return Session

    def create_model_instance(self, data):
        stored = super().create_model_instance(data)
        try:
            stored.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            stored.user_id = None
        return stored

    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        sql, params = _statement(self.model, connection)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        row = prepared.fetchone(connection, "session", sql, [*params, self.session_key, now])
        if row is None:
            self._session_key = None
            return None
        self.user_row = row[1:] if row[1] is not None else None
        return _Stored(row[0])
