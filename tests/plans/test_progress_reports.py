"""The six-month and annual reports' content: every count as of the report's day, by hand."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.thaidates import BANGKOK
from plans.documents import progress_report
from plans.models import Action, Finding, ProgressUpdate
from plans.progress import status_after
from plans.publishing import public_evidence_url
from tests.plans.small_plan import make_small_plan

pytestmark = pytest.mark.django_db

Status = Action.Status
TODAY = date(2022, 10, 15)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)


def reported(action, day, status, progress, *, division=None, public=False, **fields):
    update = ProgressUpdate.objects.create(
        action=action,
        division=division,
        status=status,
        progress=progress,
        is_public=public,
        **fields,
    )
    # reported_at is set on creation; the report is dated as it would have been made.
    ProgressUpdate.objects.filter(pk=update.pk).update(reported_at=at(day))
    return update


@pytest.fixture
def world():
    """Four actions of one finding, their reports spread over the year:

    A (ฝ่ายการคลัง): in progress 40 % on 15 Nov 64 (public), done on 20 Mar 65 (private).
    B (ฝ่ายปกครอง): done on 10 Apr 65, after the six-month report's day.
    C (ทุกฝ่าย): the finance division in progress 50 % on 1 Feb 65, the administration
      division done on 1 Mar 65: in progress, (50 + 100) // 2 = 75 %.
    D (ฝ่ายปกครอง): cancelled in the plan, never reported.
    """
    world = make_small_plan()
    a = world.action
    b = Action.objects.create(
        finding=world.finding, text="จัดทำคู่มือ", lead_division=world.admin_division, order=1
    )
    c = Action.objects.create(finding=world.finding, text="ประชุมทุกฝ่าย", all_divisions=True, order=2)
    d = Action.objects.create(
        finding=world.finding,
        text="งานที่ยกเลิก",
        lead_division=world.admin_division,
        status=Status.CANCELLED,
        order=3,
    )
    reported(a, date(2021, 11, 15), Status.IN_PROGRESS, 40, public=True, note="ทำแล้วครึ่งหนึ่ง")
    reported(
        a,
        date(2022, 3, 20),
        Status.DONE,
        100,
        note="เสร็จแล้ว ภายใน",
        evidence_url="https://example.org/a",
    )
    reported(b, date(2022, 4, 10), Status.DONE, 100, note="เสร็จ")
    reported(c, date(2022, 2, 1), Status.IN_PROGRESS, 50, division=world.finance)
    reported(c, date(2022, 3, 1), Status.DONE, 100, division=world.admin_division, note="ครบ")
    world.lines = {"A": a, "B": b, "C": c, "D": d}
    return world


def lines_of(report) -> dict:
    return {line.line.action.text: line for line in report.lines}


def counts(tally) -> tuple:
    return (tally.planned, tally.done, tally.in_progress, tally.not_started, tally.cancelled)


def test_the_six_month_report_counts_as_of_31_march(world):
    report = progress_report.build(world.plan, "six-month", today=TODAY)
    assert report.day == date(2022, 3, 31)
    assert report.round == world.rounds[1]
    assert report.cover.round_name == "ไตรมาสที่ 2"
    assert report.cover.as_of == "31 มีนาคม 2565"
    assert report.cover.fiscal_year == 2565
    assert report.cover.assessed_year == 2564
    # planned, done, in progress, not started, cancelled
    assert counts(report.totals) == (4, 1, 1, 1, 1)
    divisions = {tally.label: counts(tally) for tally in report.by_division}
    # Finance: A done, its own part of C in progress; administration: B not started yet,
    # its part of C done, D cancelled.
    assert divisions == {"ฝ่ายการคลัง": (2, 1, 1, 0, 0), "ฝ่ายปกครอง": (3, 1, 0, 1, 1)}
    assert [counts(tally) for tally in report.by_tool] == [(4, 1, 1, 1, 1)]
    lines = lines_of(report)
    assert (lines["ประชุมทุกฝ่าย"].status, lines["ประชุมทุกฝ่าย"].progress) == (Status.IN_PROGRESS, 75)
    assert (lines["จัดทำคู่มือ"].status, lines["จัดทำคู่มือ"].progress) == (Status.NOT_STARTED, 0)
    assert lines["จัดทำคู่มือ"].note == ""


def test_the_annual_report_counts_the_whole_year(world):
    report = progress_report.build(world.plan, "annual", today=TODAY)
    assert report.day == date(2022, 9, 30)
    assert report.round is None
    assert report.cover.round_name == "ตลอดปีงบประมาณ"
    assert report.cover.period == "1 ตุลาคม 2564 – 30 กันยายน 2565"
    assert counts(report.totals) == (4, 2, 1, 0, 1)
    assert lines_of(report)["จัดทำคู่มือ"].note == "เสร็จ"


def test_a_chosen_round_reports_as_of_its_end(world):
    report = progress_report.build(world.plan, "six-month", round=world.rounds[0], today=TODAY)
    assert report.day == date(2021, 12, 31)
    line = lines_of(report)[world.action.text]
    assert (line.status, line.progress, line.note) == (Status.IN_PROGRESS, 40, "ทำแล้วครึ่งหนึ่ง")
    assert line.reported_on == "15 พ.ย. 2564"
    assert counts(report.totals) == (4, 0, 1, 2, 1)


def test_the_latest_note_and_evidence_up_to_the_day(world):
    line = lines_of(progress_report.build(world.plan, "six-month", today=TODAY))[world.action.text]
    assert (line.status, line.progress) == (Status.DONE, 100)
    assert line.note == "เสร็จแล้ว ภายใน"
    assert line.evidence_url == "https://example.org/a"


def test_the_public_variant_shows_only_public_notes_and_evidence(world):
    report = progress_report.build(world.plan, "six-month", public=True, today=TODAY)
    lines = lines_of(report)
    line = lines[world.action.text]
    # The status is the record's; the words and the link are only the public report's.
    assert (line.status, line.progress) == (Status.DONE, 100)
    assert line.note == "ทำแล้วครึ่งหนึ่ง"
    assert line.evidence_url == ""
    assert lines["ประชุมทุกฝ่าย"].note == ""
    texts = " ".join(line.note + line.evidence_url for line in report.lines)
    assert "ภายใน" not in texts and "example.org" not in texts
    assert report.cover.public


def test_the_finding_is_one_block_with_a_line_per_action(world):
    report = progress_report.build(world.plan, "six-month", today=TODAY)
    [part] = report.parts
    [block] = part.blocks
    assert block.span == 4
    assert [line.line.text for line in block.lines] == [
        world.action.text,
        "จัดทำคู่มือ",
        "ประชุมทุกฝ่าย",
        "งานที่ยกเลิก",
    ]


def test_an_unknown_kind_is_refused_in_thai(world):
    with pytest.raises(progress_report.UnknownKind, match="ไม่รู้จักรายงาน “weekly”"):
        progress_report.build(world.plan, "weekly")


def test_without_rounds_the_six_month_report_ends_on_31_march(world):
    for reporting_round in world.rounds:
        reporting_round.updates.update(round=None)
        reporting_round.delete()
    report = progress_report.build(world.plan, "six-month", today=TODAY)
    assert report.day == date(2022, 3, 31)
    assert report.round is None


def test_queries_do_not_grow_with_the_plan(world):
    with CaptureQueriesContext(connection) as small:
        progress_report.build(world.plan, "annual", today=TODAY)
    for code in ("O2", "O3"):
        finding = Finding.objects.create(
            plan=world.plan, item=world.plan.assessment.framework.items.get(code=code)
        )
        for number in range(3):
            action = Action.objects.create(
                finding=finding, text=f"{code} งาน {number}", lead_division=world.finance
            )
            action.divisions.add(world.admin_division)
            reported(action, date(2022, 1, 5), Status.IN_PROGRESS, 10, note="เริ่มแล้ว")
    with CaptureQueriesContext(connection) as large:
        report = progress_report.build(world.plan, "annual", today=TODAY)
    assert report.totals.planned == 10
    assert len(large.captured_queries) == len(small.captured_queries)


# --- The rule itself --------------------------------------------------------------------------


def test_an_owners_report_after_the_divisions_sets_the_status(world):
    c = world.lines["C"]
    divisions = [world.admin_division.pk, world.finance.pk]
    finance = reported(c, date(2022, 2, 1), Status.IN_PROGRESS, 50, division=world.finance)
    owner = reported(c, date(2022, 2, 2), Status.DONE, 100, note="ปิดงานโดยผู้รับผิดชอบแผน")
    assert status_after(c, [finance], divisions, date(2022, 2, 1)) == (Status.IN_PROGRESS, 25)
    assert status_after(c, [finance, owner], divisions, date(2022, 2, 2)) == (Status.DONE, 100)


def test_before_its_first_report_an_action_had_not_started(world):
    d = world.lines["D"]
    # Cancelled without a report: the decision carries no date, so it counts all year.
    assert status_after(d, [], [], date(2021, 10, 1)) == (Status.CANCELLED, 0)
    # With reports only later, it had not started yet, whatever it is now.
    assert status_after(d, [], [], date(2021, 10, 1), reported_later=True) == (
        Status.NOT_STARTED,
        0,
    )


def test_the_pdf_follows_the_readers_language_and_keeps_the_data_as_stored(world):
    from django.utils import translation

    from plans.documents import report_pdf

    with translation.override("en"):
        html = report_pdf.render_html(progress_report.build(world.plan, "six-month", today=TODAY))
    assert "Six-month progress report" in html
    assert "Summary of results" in html
    assert "Data as of 31 March 2565" in html
    assert "รายงานความก้าวหน้า" not in html
    assert "ประชุมทุกฝ่าย" in html  # the plan's own text, as stored


def test_a_public_report_s_file_links_to_its_own_public_address():
    """The public variant never points to the signed-in evidence page, only to the file's
    public address, which the public pages serve."""
    update = ProgressUpdate(pk=7, evidence_file="evidence/2565/minutes.pdf")
    href, label = progress_report._evidence_link(update, public=True)
    assert label == "minutes.pdf"
    assert href.endswith(public_evidence_url(update))
    assert "/public/evidence/7/" in href
    private_href, _ = progress_report._evidence_link(update, public=False)
    assert private_href.endswith("/evidence/7/") and "/public/" not in private_href
