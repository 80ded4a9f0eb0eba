"""send_reminders against a real SMTP server: who gets what, once, and what a failure does."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.content import Line
from reminders.models import Digest, Frequency
from reminders.schedule import digest_requests, frequency_of, kind_for
from reminders.sending import previous_figures
from tests.reminders.people import Role, make_people

MONDAY = date(2022, 6, 20)
TUESDAY = date(2022, 6, 21)


def run(day=TUESDAY, *args) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def people(db):
    return make_people()


OVERDUE = Line("ทำคู่มือการจัดซื้อจัดจ้าง", "/actions/12/", date(2022, 3, 31), "ฝ่ายการคลัง")
DUE_SOON = Line("เผยแพร่รายงานการเงิน", "/actions/13/", date(2022, 6, 30), "ฝ่ายการคลัง")
DISTRICT = Line("ประกาศนโยบาย No Gift", "/actions/14/", date(2022, 6, 1), "ฝ่ายปกครอง")


# --- the schedule ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "frequency", "day", "kind"),
    [
        (Role.STAFF, Frequency.DAILY, TUESDAY, Digest.Kind.DAILY),
        (Role.STAFF, Frequency.DAILY, MONDAY, Digest.Kind.DAILY),
        (Role.STAFF, Frequency.WEEKLY, TUESDAY, None),
        (Role.STAFF, Frequency.WEEKLY, MONDAY, Digest.Kind.WEEKLY),
        (Role.STAFF, Frequency.NEVER, MONDAY, None),
        (Role.PLAN_OWNER, Frequency.DAILY, TUESDAY, Digest.Kind.DAILY),
        (Role.PLAN_OWNER, Frequency.WEEKLY, MONDAY, Digest.Kind.WEEKLY),
        (Role.DISTRICT_MANAGER, Frequency.DAILY, TUESDAY, None),
        (Role.DISTRICT_MANAGER, Frequency.DAILY, MONDAY, Digest.Kind.WEEKLY),
        (Role.DISTRICT_MANAGER, Frequency.NEVER, MONDAY, None),
        (Role.CENTRAL_MANAGER, Frequency.WEEKLY, MONDAY, Digest.Kind.WEEKLY),
        (Role.CENTRAL_MANAGER, Frequency.NEVER, MONDAY, None),
        (Role.ADMIN, Frequency.DAILY, MONDAY, None),
    ],
)
def test_who_gets_which_kind(role, frequency, day, kind):
    assert kind_for(role, frequency, day) == kind


def test_the_schedule_leaves_out_who_cannot_or_will_not_read(people):
    monday = {user.username: kind for user, kind in digest_requests(MONDAY)}
    assert monday == {
        "staff": Digest.Kind.DAILY,
        "owner": Digest.Kind.DAILY,
        "manager": Digest.Kind.WEEKLY,
        "central": Digest.Kind.WEEKLY,
        "other_staff": Digest.Kind.DAILY,
        "weekly_staff": Digest.Kind.WEEKLY,
    }
    tuesday = {user.username for user, _kind in digest_requests(TUESDAY)}
    assert tuesday == {"staff", "owner", "other_staff"}


def test_the_schedule_reads_everyone_in_one_query(people):
    with CaptureQueriesContext(connection) as queries:
        requests = digest_requests(MONDAY)
        [(user.membership.role, frequency_of(user)) for user, _ in requests]
    assert len(queries) == 1


# --- sending ---------------------------------------------------------------------------------
def test_the_right_people_get_their_own_lines(people, smtp_server, builder):
    builder.give(people.staff, OVERDUE, DUE_SOON)
    builder.give(people.owner, OVERDUE, DUE_SOON, DISTRICT)
    builder.give(people.other_staff, Line("งานของเขตคลองเตย", "/actions/99/"))
    # The owner and everyone else given nothing: no e-mail.
    out = run(TUESDAY)

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "other_staff@example.org",
        "owner@example.org",
        "staff@example.org",
    ]
    staff_mail = smtp_server.to("staff@example.org")[0].get_body(("plain",)).get_content()
    assert "ทำคู่มือการจัดซื้อจัดจ้าง" in staff_mail
    assert "เผยแพร่รายงานการเงิน" in staff_mail
    assert "ประกาศนโยบาย No Gift" not in staff_mail
    assert "งานของเขตคลองเตย" not in staff_mail
    owner_mail = smtp_server.to("owner@example.org")[0].get_body(("plain",)).get_content()
    assert "ประกาศนโยบาย No Gift" in owner_mail
    assert "ส่งแล้ว 3" in out

    sent = Digest.objects.filter(status=Digest.Status.SENT, day=TUESDAY)
    assert {(d.user.username, d.kind, d.lines, d.attempts) for d in sent} == {
        ("staff", "daily", 2, 1),
        ("owner", "daily", 3, 1),
        ("other_staff", "daily", 1, 1),
    }
    assert all(d.sent_at is not None for d in sent)
    # The schedule asked for exactly the users it should, and nothing was claimed for those
    # with nothing due.
    (requests, today, _previous), *_ = builder.calls
    assert today == TUESDAY
    assert {user.username for user, _ in requests} == {"staff", "owner", "other_staff"}
    assert Digest.objects.count() == 3


def test_a_second_run_the_same_day_sends_nothing(people, smtp_server, builder):
    builder.give(people.staff, OVERDUE)
    run(TUESDAY)
    out = run(TUESDAY)
    assert len(smtp_server.messages) == 1
    assert "ส่งแล้ว 0" in out
    assert "ข้าม (ส่งหรือกำลังส่งแล้ว) 1" in out
    assert Digest.objects.get().attempts == 1


def test_the_next_day_is_a_new_digest(people, smtp_server, builder):
    builder.give(people.staff, OVERDUE)
    run(TUESDAY)
    run(date(2022, 6, 22))
    assert len(smtp_server.to("staff@example.org")) == 2


def test_a_refused_recipient_is_recorded_and_does_not_block_the_others(
    people, smtp_server, builder, caplog
):
    smtp_server.refused.add("staff@example.org")
    for user in (people.staff, people.owner, people.other_staff):
        builder.give(user, OVERDUE)
    out = run(TUESDAY)

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "other_staff@example.org",
        "owner@example.org",
    ]
    failed = Digest.objects.get(user=people.staff)
    assert failed.status == Digest.Status.FAILED
    assert failed.attempts == 1
    assert "550" in failed.error
    assert failed.sent_at is None
    assert "ส่งไม่สำเร็จ 1" in out
    assert "staff@example.org" in caplog.text

    # The server takes it again: the next run sends it, and only it.
    smtp_server.refused.clear()
    out = run(TUESDAY)
    assert len(smtp_server.to("staff@example.org")) == 1
    assert len(smtp_server.messages) == 3
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == (Digest.Status.SENT, 2, "")
    assert "ส่งแล้ว 1" in out


def test_an_unreachable_server_claims_nothing_and_the_next_run_sends_all(
    people, settings, smtp_server, builder
):
    port = settings.EMAIL_PORT
    # Nothing listens on port 9 (discard) here: the connection is refused.
    settings.EMAIL_PORT = 9
    builder.give(people.staff, OVERDUE)
    builder.give(people.owner, OVERDUE)
    out = run(TUESDAY)
    assert "ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้: ยังไม่ได้ส่ง 2 ฉบับ" in out
    assert Digest.objects.count() == 0

    settings.EMAIL_PORT = port
    run(TUESDAY)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "owner@example.org",
        "staff@example.org",
    ]


def test_nothing_configured_sends_and_claims_nothing(people, settings, builder):
    settings.ITA_EMAIL_CONFIGURED = False
    builder.give(people.staff, OVERDUE)
    out = run(TUESDAY)
    assert "ยังไม่ได้ตั้งค่าเซิร์ฟเวอร์อีเมล" in out
    assert "No mail server is configured" in out
    assert Digest.objects.count() == 0
    assert builder.calls == []


def test_a_dry_run_prints_who_would_get_what_and_writes_nothing(people, smtp_server, builder):
    builder.give(people.staff, OVERDUE, DUE_SOON)
    builder.give(people.owner, DISTRICT)
    out = run(TUESDAY, "--dry-run")
    assert "staff <staff@example.org> daily" in out
    assert "2 รายการ" in out
    assert "ทำคู่มือการจัดซื้อจัดจ้าง" in out
    assert "31 มี.ค. 2565" in out
    assert "owner <owner@example.org> daily" in out
    assert "manager" not in out
    assert "จะส่ง 2 ฉบับ" in out
    assert smtp_server.messages == []
    assert Digest.objects.count() == 0


def test_a_dry_run_needs_no_mail_server(people, settings, builder):
    settings.ITA_EMAIL_CONFIGURED = False
    builder.give(people.staff, OVERDUE)
    out = run(TUESDAY, "--dry-run")
    assert "staff <staff@example.org> daily" in out
    assert Digest.objects.count() == 0


def test_a_bad_date_is_refused_with_the_expected_form(people):
    with pytest.raises(Exception, match="2022-06-20"):
        call_command("send_reminders", "--date", "20/6/2565", stdout=StringIO())


# --- last week's figures -------------------------------------------------------------------
def test_the_weekly_digest_gets_last_weeks_figures_and_keeps_its_own(people, smtp_server, builder):
    Digest.objects.create(
        user=people.manager,
        kind=Digest.Kind.WEEKLY,
        day=date(2022, 6, 6),
        status=Digest.Status.SENT,
        figures={"overdue": 9},
    )
    Digest.objects.create(
        user=people.manager,
        kind=Digest.Kind.WEEKLY,
        day=date(2022, 6, 13),
        status=Digest.Status.SENT,
        figures={"overdue": 7},
    )
    Digest.objects.create(
        user=people.central,
        kind=Digest.Kind.WEEKLY,
        day=date(2022, 6, 13),
        status=Digest.Status.FAILED,
        figures={"overdue": 1},
    )
    builder.give(people.manager, DISTRICT, figures={"overdue": 5})
    run(MONDAY)
    (_requests, _today, previous), *_ = builder.calls
    # The last *sent* weekly digest only: the central manager's failed one does not count.
    assert previous == {people.manager.pk: {"overdue": 7}}
    assert Digest.objects.get(user=people.manager, day=MONDAY).figures == {"overdue": 5}


def test_last_weeks_figures_are_read_in_one_query(people):
    for user in (people.manager, people.central):
        for day in (date(2022, 6, 6), date(2022, 6, 13)):
            Digest.objects.create(
                user=user,
                kind=Digest.Kind.WEEKLY,
                day=day,
                status=Digest.Status.SENT,
                figures={"day": day.isoformat()},
            )
    with CaptureQueriesContext(connection) as queries:
        previous = previous_figures([people.manager.pk, people.central.pk], MONDAY)
    assert len(queries) == 1
    assert previous == {
        people.manager.pk: {"day": "2022-06-13"},
        people.central.pk: {"day": "2022-06-13"},
    }
