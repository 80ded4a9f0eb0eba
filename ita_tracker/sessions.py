"""Django's database sessions, read with one plain query.

Every signed-in request reads its session before anything else; through the ORM that read
costs several times the query itself (building a queryset, compiling it, making a model
instance). Writing, expiry, sign-out and the table are Django's, unchanged: only the read of
one row by its key is done by hand, with the same rule (the key, not yet expired)."""

from typing import NamedTuple

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class _Stored(NamedTuple):
    session_data: str


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return _Stored(row[0])
