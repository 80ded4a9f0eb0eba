"""Statements every request runs, prepared once per database connection (PostgreSQL).

Every signed-in page reads its user, and most pages then their plan or assessment, their
district's years and their data, with the same few statements. PostgreSQL plans each
statement anew every time it is sent: for these joins, planning costs more than running
them (0.3 of 0.5 ms). Prepared once on a connection (``PREPARE``), each later read only
runs the plan (``EXECUTE``): Django keeps a worker's connection (``DJANGO_CONN_MAX_AGE``),
so a worker prepares each statement about once a minute. A new connection forgets them and
prepares them again.

Off with ``ITA_DB_PREPARED_STATEMENTS=0`` (PgBouncer in transaction mode hands a connection's
statements to other clients), for connections not kept between requests, and on SQLite,
where the statement is simply run."""

import hashlib
import re

from django.conf import settings
from django.db import NotSupportedError, connections
from django.db.backends.signals import connection_created

_PLACEHOLDER = re.compile(r"%s")


def fetchone(connection, label: str, sql: str, params) -> tuple | None:
    """The first row of ``sql`` (``%s`` placeholders) with ``params``, prepared under a name
    made of ``label`` (what the statement reads, shown in the database's logs) and the
    statement's text."""
    return _run(connection, label, sql, params, lambda cursor: cursor.fetchone())


def fetchall(connection, label: str, sql: str, params) -> list[tuple]:
    """Every row of ``sql``, as ``fetchone``."""
    return _run(connection, label, sql, params, lambda cursor: cursor.fetchall())


def _run(connection, label: str, sql: str, params, fetch):
    params = list(params)
    connection = connections[connection.alias]  # the connection itself, not django.db's proxy
    with connection.cursor() as cursor:
        if not _prepares(connection):
            cursor.execute(sql, params)
            return fetch(cursor)
        name = f"{label}_{hashlib.sha1(sql.encode()).hexdigest()[:12]}"
        run = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
        known = _known(connection)
        if name not in known:
            _prepare(cursor, name, sql)
            known.add(name)
        try:
            cursor.execute(run, params)
        except NotSupportedError:
            # A column's type changed under the prepared plan (a migration while this
            # connection lived): prepare it again, unless a transaction is already lost.
            if connection.in_atomic_block:
                raise
            cursor.cursor.execute(f"DEALLOCATE {name}")
            _prepare(cursor, name, sql)
            cursor.execute(run, params)
        return fetch(cursor)


def _prepare(cursor, name: str, sql: str) -> None:
    numbered = iter(range(1, sql.count("%s") + 1))
    text = _PLACEHOLDER.sub(lambda _: f"${next(numbered)}", sql)
    # On the driver's own cursor: the preparation is not one of the page's queries (the
    # page's query counts stay the same on every request of a connection).
    cursor.cursor.execute(f"PREPARE {name} AS {text}")


def _prepares(connection) -> bool:
    return (
        connection.vendor == "postgresql"
        and settings.ITA_DB_PREPARED_STATEMENTS
        and connection.settings_dict.get("CONN_MAX_AGE") != 0
    )


def _known(connection) -> set[str]:
    return connection.__dict__.setdefault("_prepared_statements", set())


def _forget(sender, connection, **kwargs) -> None:
    connection.__dict__["_prepared_statements"] = set()


connection_created.connect(_forget, dispatch_uid="ita_tracker.prepared")
