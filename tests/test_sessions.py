"""The session store: Django's database sessions, read with one plain query."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ita_tracker.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_settings_use_it():
    assert settings.SESSION_ENGINE == "ita_tracker.sessions"


def test_a_saved_session_reads_back_as_django_reads_it_with_one_query():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store["note"] = "ภาษาไทย"
    store.save()
    again = SessionStore(store.session_key)
    with CaptureQueriesContext(connection) as queries:
        data = again.load()
    assert data == {"_auth_user_id": "7", "note": "ภาษาไทย"}
    assert data == DjangoStore(store.session_key).load()
    assert len(queries.captured_queries) == 1


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
