"""The session store: Django's database sessions, read with their signed-in user in one plain
statement (``ita_tracker.sessions`` and ``ita_tracker.auth``)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ita_tracker.models import Session
from ita_tracker.sessions import SessionStore
from plans.models import Membership
from tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def test_the_settings_use_it():
    assert settings.SESSION_ENGINE == "ita_tracker.sessions"
    assert SessionStore.get_model_class() is Session


def test_a_saved_session_reads_back_with_one_query_and_keeps_its_users_id():
    user = make_user("somchai")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["note"] = "ภาษาไทย"
    store.save()
    assert Session.objects.get(session_key=store.session_key).user_id == user.pk
    again = SessionStore(store.session_key)
    with CaptureQueriesContext(connection) as queries:
        data = again.load()
    assert data == {"_auth_user_id": str(user.pk), "note": "ภาษาไทย"}
    assert data == again.decode(Session.objects.get(session_key=store.session_key).session_data)
    assert len(queries.captured_queries) == 1
    assert again.user_row[0] == user.pk  # the user's row came with it


@pytest.mark.parametrize("user_id", [None, "", "not a number"])
def test_a_session_without_a_user_keeps_none(user_id):
    store = SessionStore()
    if user_id is not None:
        store["_auth_user_id"] = user_id
    store["language"] = "en"
    store.save()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    again = SessionStore(store.session_key)
    assert again.load()["language"] == "en"
    assert again.user_row is None


def test_an_expired_or_unknown_session_reads_as_empty_and_forgets_its_key():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None


def test_signing_out_ends_the_session_in_the_database(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("somchai", password="x" * 12))
    key = client.session.session_key
    assert SessionStore(key).load()["_auth_user_id"]
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}


def _signed_in(client, username="owner"):
    user = make_user(username, organization=make_organization(), role=Membership.Role.PLAN_OWNER)
    response = client.post("/accounts/login/", {"username": username, "password": "pw"})
    assert response.status_code == 302
    return user


def test_a_request_reads_its_session_and_user_in_one_statement(client):
    user = _signed_in(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.wsgi_request.user == user
    statements = [q["sql"] for q in queries.captured_queries]
    session_table = connection.ops.quote_name(Session._meta.db_table)
    assert f"FROM {session_table} s" in statements[0] or "EXECUTE session_" in statements[0]
    # The user is not read again, nor their membership or permission.
    assert not [sql for sql in statements if "signed_in_user" in sql or " u LEFT JOIN" in sql]
    assert not [sql for sql in statements if "view_all_organizations" in sql][1:]


def test_a_session_naming_another_user_row_is_not_trusted(client):
    user = _signed_in(client)
    other = make_user("other")
    Session.objects.filter(user_id=user.pk).update(user_id=other.pk)
    assert client.get("/").wsgi_request.user == user
    Session.objects.filter(user_id=other.pk).update(user_id=None)
    assert client.get("/").wsgi_request.user == user
