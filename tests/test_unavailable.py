"""When the database is down, or a page fails, the user gets a Thai page, not a bare error."""

import pytest
from django.db import InterfaceError, OperationalError, connection, connections
from django.test import RequestFactory
from django.urls import path

from ita_tracker.middleware import DatabaseUnavailableMiddleware, database_unreachable


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [path("gone/", database_gone), path("broken/", broken)]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_answers_503_in_thai_with_retry_after(error):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/actions/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in page
    assert "ยังไม่ได้บันทึก" in page


def test_other_errors_are_left_to_the_500_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


@pytest.mark.urls(__name__)
def test_through_the_whole_stack_both_pages_are_thai(client):
    client.raise_request_exception = False
    gone = client.get("/gone/")
    assert gone.status_code == 503
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in gone.content.decode()
    broken = client.get("/broken/")
    assert broken.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in broken.content.decode()


def too_large_query(request):
    """A query the database refuses as too big, on a connection that is fine."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT " + " + ".join(["1"] * 2000))  # expression tree too large
        else:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
    return None


urlpatterns.append(path("too-large/", too_large_query))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_query_the_database_refuses_is_a_500_not_database_unavailable(client):
    client.raise_request_exception = False
    response = client.get("/too-large/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "เกิดข้อผิดพลาดในระบบ" in page
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" not in page


class Wrapper:
    """What database_unreachable reads of a connection handler entry."""

    def __init__(self, raw):
        self.connection = raw


class Raw:
    def __init__(self, closed):
        self.closed = closed


@pytest.mark.parametrize(
    ("raw", "unreachable"),
    [(None, True), (Raw(closed=2), True), (Raw(closed=0), False)],
    ids=["could not connect", "closed under the query", "open"],
)
def test_the_connection_state_decides_for_an_error_without_a_known_message(raw, unreachable):
    error = OperationalError("some error")
    assert database_unreachable(error, [Wrapper(raw)]) is unreachable


@pytest.mark.parametrize(
    "message",
    [
        "database is locked",
        "unable to open database file",
        'connection to server on socket "/tmp/.s.PGSQL.5432" failed: Connection refused',
        "FATAL:  the database system is starting up",
    ],
)
def test_known_messages_of_an_unreachable_database(message):
    assert database_unreachable(OperationalError(message), [Wrapper(Raw(closed=0))])


@pytest.mark.parametrize(
    "message", ["too many SQL variables", "Expression tree is too large (maximum depth 1000)"]
)
def test_sqlite_limits_are_bugs_not_outages(message):
    assert not database_unreachable(OperationalError(message), [Wrapper(Raw(closed=0))])


@pytest.mark.django_db
def test_postgresql_a_terminated_session_is_unreachable_and_a_timeout_is_not():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    other = connections.create_connection("default")
    try:
        with pytest.raises(OperationalError) as timeout, other.cursor() as cursor:
            cursor.execute("SET statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        assert not database_unreachable(timeout.value, [other])
        with pytest.raises(OperationalError) as terminated, other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        assert database_unreachable(terminated.value, [other])
        # The connection's state alone is enough when the message is not one we know.
        assert database_unreachable(OperationalError("unknown"), [other])
    finally:
        other.close()


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_503_page_when_even_the_session_cannot_be_read(
    client, monkeypatch
):
    """While PostgreSQL shuts down, loading the user fails in the page and would fail again in
    any middleware that asked who is signed in: the answer must stay the 503 page."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(get_user_model().objects.create_user("somchai", password="x" * 12))
    client.raise_request_exception = False

    def shutting_down(self):
        raise OperationalError("FATAL:  the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", shutting_down)
    response = client.get("/actions/")
    assert response.status_code == 503
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
