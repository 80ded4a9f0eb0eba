"""A digest as an e-mail: Buddhist-Era dates, absolute links, the stop and preferences links."""

from datetime import date

import pytest

from reminders.content import DigestContent, Line, Section
from reminders.links import stop_path
from reminders.mail import absolute_url, build_message
from tests.factories import make_user
from tests.reminders.conftest import SITE


@pytest.fixture
def reader(db, settings):
    settings.ITA_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "ITA Tracker <ita@example.go.th>"
    return make_user("somchai", email="somchai@example.org")


def digest(user, language="th", group=False):
    lines = (
        Line("ทำคู่มือ", "/actions/12/", date(2022, 3, 31), "ฝ่ายการคลัง", "เกินกำหนด 81 วัน"),
        Line("ประกาศนโยบาย <No Gift>", "/actions/14/", date(2022, 6, 30), "ฝ่ายปกครอง"),
        Line("รายงานรอบ 2", "/actions/15/", None, "ฝ่ายการคลัง"),
    )
    title = "Overdue" if language == "en" else "งานที่เกินกำหนด"
    return DigestContent(
        user_id=user.pk,
        kind="daily",
        language=language,
        subject="ITA Tracker: 3 งาน\nที่ต้องติดตาม",
        sections=(Section("overdue", title, lines, group_by_division=group),),
    )


def bodies(message):
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def test_both_bodies_have_buddhist_era_dates_and_absolute_links(reader):
    text, html = bodies(build_message(digest(reader), reader))
    for body in (text, html):
        assert "31 มี.ค. 2565" in body
        assert "30 มิ.ย. 2565" in body
        assert "2022" not in body
        assert f"{SITE}/actions/12/" in body
        assert "เกินกำหนด 81 วัน" in body
    assert f'<a href="{SITE}/actions/14/">ประกาศนโยบาย &lt;No Gift&gt;</a>' in html
    assert "ประกาศนโยบาย <No Gift>" in text
    assert "กำหนดเสร็จ" in text


def test_the_footer_and_headers_carry_the_signed_stop_link(reader):
    message = build_message(digest(reader), reader)
    text, html = bodies(message)
    stop_url = f"{SITE}{stop_path(reader)}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    for body in (text, html):
        assert stop_url in body
        assert f"{SITE}/account/reminders/" in body
        assert "somchai@example.org" in body
    assert message.to == ["somchai@example.org"]
    assert message.from_email == "ITA Tracker <ita@example.go.th>"


def test_the_subject_is_one_line(reader):
    assert build_message(digest(reader), reader).subject == "ITA Tracker: 3 งาน ที่ต้องติดตาม"


def test_english_for_a_reader_who_chose_english(reader):
    text, html = bodies(build_message(digest(reader, "en"), reader))
    for body in (text, html):
        assert "Overdue" in body
        assert "You receive this e-mail from ITA Tracker" in body
        assert "ท่านได้รับอีเมลนี้" not in body
        # Dates stay Buddhist Era, as everywhere in the app.
        assert "31 มี.ค. 2565" in body
    assert "Stop these reminders:" in text
    assert "(due 30 มิ.ย. 2565)" in html
    assert '<html lang="en">' in html


def test_a_plan_owners_lines_are_grouped_by_division(reader):
    text, html = bodies(build_message(digest(reader, group=True), reader))
    assert text.index("[ฝ่ายการคลัง]") < text.index("ทำคู่มือ") < text.index("รายงานรอบ 2")
    assert text.index("รายงานรอบ 2") < text.index("[ฝ่ายปกครอง]")
    assert html.count("<h3>") == 2


def test_absolute_url(settings):
    settings.ITA_SITE_URL = SITE
    assert absolute_url("/actions/1/") == f"{SITE}/actions/1/"
    assert absolute_url("actions/1/") == f"{SITE}/actions/1/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_the_message_goes_through_the_mail_library(reader, mailoutbox):
    build_message(digest(reader), reader).send()
    (sent,) = mailoutbox
    raw = sent.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
