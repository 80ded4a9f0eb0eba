"""Two servers running send_reminders at once: each digest is sent by one of them, once."""

import threading
from datetime import date

import pytest
from django.db import connections

from reminders.content import Line
from reminders.models import Digest
from reminders.sending import send_digests
from tests.reminders.people import make_people

TUESDAY = date(2022, 6, 21)
LINE = Line("ทำคู่มือการจัดซื้อจัดจ้าง", "/actions/12/", date(2022, 3, 31))


def run_twice_at_once(day):
    """Two runs in two threads, each with its own database connection."""
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            outcomes.append(send_digests(day))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(smtp_server, builder):
    people = make_people()
    readers = [people.staff, people.owner, people.other_staff]
    for user in readers:
        builder.give(user, LINE)

    outcomes = run_twice_at_once(TUESDAY)

    assert sorted(m["To"] for m in smtp_server.messages) == sorted(u.email for u in readers)
    assert sum(o.sent for o in outcomes) == 3
    assert sum(o.skipped for o in outcomes) == 3
    assert Digest.objects.filter(status=Digest.Status.SENT).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_retry_a_failed_digest_once(smtp_server, builder):
    people = make_people()
    builder.give(people.staff, LINE)
    Digest.objects.create(
        user=people.staff,
        kind=Digest.Kind.DAILY,
        day=TUESDAY,
        status=Digest.Status.FAILED,
        attempts=1,
        error="SMTPRecipientsRefused",
    )

    outcomes = run_twice_at_once(TUESDAY)

    assert [m["To"] for m in smtp_server.messages] == ["staff@example.org"]
    assert sorted((o.sent, o.skipped) for o in outcomes) == [(0, 1), (1, 0)]
    retried = Digest.objects.get()
    assert (retried.status, retried.attempts) == (Digest.Status.SENT, 2)
