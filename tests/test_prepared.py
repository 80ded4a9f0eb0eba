"""The statements of every request, prepared once per PostgreSQL connection
(``ita_tracker.prepared``): the same rows as the statement itself, prepared once, counted as
one query, prepared again on a new connection."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita_tracker import prepared
from tests.factories import make_organization

SQL = "SELECT code, name_th FROM assessments_organization WHERE code = %s AND id > %s"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite runs the statement"
)


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_the_row_is_the_statements_own():
    make_organization("1009")
    with connection.cursor() as cursor:
        cursor.execute(SQL, ["1009", 0])
        expected = cursor.fetchone()
    assert prepared.fetchone(connection, "organization", SQL, ["1009", 0]) == expected
    assert prepared.fetchone(connection, "organization", SQL, ["1009", 0]) == expected
    assert prepared.fetchone(connection, "organization", SQL, ["9999", 0]) is None


@postgresql_only
@pytest.mark.django_db
def test_prepared_once_per_connection_and_one_query_each_time():
    make_organization("1009")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert prepared.fetchone(connection, "organization", SQL, ["1009", 0])[0] == "1009"
    assert len(queries.captured_queries) == 3
    assert all(q["sql"].startswith("EXECUTE organization_") for q in queries.captured_queries)
    names = [name for name in _prepared_names() if name.startswith("organization_")]
    assert len(names) == 1
    # Another statement text: another name.
    other = SQL.replace("id > %s", "id >= %s")
    prepared.fetchone(connection, "organization", other, ["1009", 0])
    assert len([n for n in _prepared_names() if n.startswith("organization_")]) == 2


@postgresql_only
@pytest.mark.django_db
def test_off_by_setting_or_when_connections_are_not_kept(settings, monkeypatch):
    make_organization("1009")
    settings.ITA_DB_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        assert prepared.fetchone(connection, "plain", SQL, ["1009", 0])[0] == "1009"
    assert queries.captured_queries[0]["sql"].startswith("SELECT code")
    settings.ITA_DB_PREPARED_STATEMENTS = True
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    with CaptureQueriesContext(connection) as queries:
        assert prepared.fetchone(connection, "plain", SQL, ["1009", 0])[0] == "1009"
    assert queries.captured_queries[0]["sql"].startswith("SELECT code")
    assert not [name for name in _prepared_names() if name.startswith("plain_")]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_and_a_changed_column_prepare_again():
    make_organization("1009")
    assert prepared.fetchone(connection, "again", SQL, ["1009", 0])[0] == "1009"
    connection.close()
    assert prepared.fetchone(connection, "again", SQL, ["1009", 0])[0] == "1009"
    assert [name for name in _prepared_names() if name.startswith("again_")]
    # A column's type changes under the prepared plan (a migration while the connection
    # lived): prepared again, the same row read.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE prepared_probe (word varchar(5))")
        cursor.execute("INSERT INTO prepared_probe VALUES ('abc')")
    try:
        probe = "SELECT word FROM prepared_probe WHERE word = %s"
        assert prepared.fetchone(connection, "probe", probe, ["abc"]) == ("abc",)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE prepared_probe ALTER COLUMN word TYPE varchar(50)")
        assert prepared.fetchone(connection, "probe", probe, ["abc"]) == ("abc",)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE prepared_probe")
