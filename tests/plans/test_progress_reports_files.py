"""The six-month and annual reports as Word and PDF files: from the page and the command."""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from assessments.models import Organization
from plans.documents import docx as report_docx
from plans.documents import plan_table, progress_report
from plans.models import Action, Plan
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def the_plan() -> Plan:
    return Plan.objects.select_related("organization", "assessment__framework").get(
        organization__code="1009", fiscal_year=2565
    )


def url(kind: str, format_: str) -> str:
    return reverse("progress_report_file", args=["1009", 2565, kind, format_])


def sign_in(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def flat(text: str) -> str:
    """Text as a PDF reader gives it back (see tests/plans/test_report.py's flat)."""
    return re.sub(r"\s+", "", text).replace("\u0e33", "\u0e32").replace("\u0e4d", "")


def action_texts(plan: Plan) -> list[str]:
    return [action.text for _finding, actions in plan_table.findings(plan) for action in actions]


@pytest.fixture(scope="module")
def files(demo, django_db_blocker):
    """The demo plan's six-month .docx and annual PDF as the plan owner downloads them."""
    with django_db_blocker.unblock():
        client = Client()
        sign_in(client, "owner")
        word = client.get(url("six-month", "docx"))
        pdf = client.get(url("annual", "pdf"))
        texts = action_texts(the_plan())
        tools = {
            code: Action.objects.filter(
                finding__plan=the_plan(), finding__item__indicator__tool__code=code
            ).count()
            for code in ("OIT", "IIT", "EIT")
        }
    return SimpleNamespace(word=word, pdf=pdf, texts=texts, tools=tools)


# --- Word ------------------------------------------------------------------------------------


def test_the_docx_holds_every_action_one_row_each(files):
    assert files.word.status_code == 200
    assert files.word["Content-Type"] == report_docx.CONTENT_TYPE
    document = Document(io.BytesIO(files.word.content))
    summary, *plan_tables = document.tables
    assert len(files.texts) == 103
    # One table per tool, a header row and then one row per action.
    assert [len(table.rows) - 1 for table in plan_tables] == list(files.tools.values())
    actions_column = [row.cells[1].text for table in plan_tables for row in table.rows[1:]]
    assert actions_column == files.texts
    header = plan_tables[0].rows[0]._tr
    assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert "ตามแผน" in summary.rows[0].cells[1].text
    assert summary.rows[1].cells[1].text == "103"


def test_the_docx_is_set_in_th_sarabun_new_16_pt_on_a4(files):
    document = Document(io.BytesIO(files.word.content))
    normal = document.styles["Normal"]
    assert normal.font.name == "TH Sarabun New"
    assert normal.font.size.pt == 16
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    # Word sets Thai with the complex-script font and size.
    assert fonts.get(qn("w:cs")) == "TH Sarabun New"
    assert normal.element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.5
    assert round(section.right_margin.cm, 1) == 2.0
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "รายงานความก้าวหน้า รอบ 6 เดือน" in text
    assert "สำนักงานเขตพระโขนง" in text
    assert "ข้อมูล ณ วันที่ 31 มีนาคม 2565" in text
    assert "ผู้รายงาน" in text


def test_a_finding_cell_is_merged_down_its_actions(files):
    document = Document(io.BytesIO(files.word.content))
    oit = document.tables[1]
    # O1 has three actions: its first cell is one merged cell over three rows.
    first_cells = [row.cells[0] for row in oit.rows[1:4]]
    assert first_cells[0]._tc is first_cells[1]._tc is first_cells[2]._tc
    assert first_cells[0].text.startswith("O1 ")


def test_the_download_has_a_thai_file_name(files):
    disposition = files.word["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert ".docx" in disposition


# --- PDF --------------------------------------------------------------------------------------


def test_the_pdf_holds_every_action(files):
    assert files.pdf.status_code == 200
    assert files.pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(files.pdf.content))
    text = flat("".join(page.extract_text() for page in reader.pages))
    assert flat("รายงานผลการดำเนินการประจำปี") in text
    assert flat("ข้อมูล ณ วันที่ 30 กันยายน 2565") in text
    missing = [action for action in files.texts if flat(action)[:40] not in text]
    assert missing == []
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # portrait


# --- Who may download ------------------------------------------------------------------------


def test_sign_in_is_required(demo, client):
    response = client.get(url("annual", "docx"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_another_district_is_not_found(demo, client):
    other = Organization.objects.exclude(code="1009").first()
    client.force_login(make_user("elsewhere", organization=other, role="plan_owner"))
    assert client.get(url("six-month", "docx")).status_code == 404


@pytest.mark.parametrize("username", ["staff", "manager", "central"])
def test_those_who_see_the_plan_may_download(demo, client, username):
    sign_in(client, username)
    assert client.get(url("six-month", "docx")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/plans/1009/2565/reports/weekly.docx",
        "/plans/1009/2565/reports/annual.odt",
        "/plans/1009/2565/reports/annual.docx?round=99999",
        "/plans/1009/2565/reports/annual.docx?round=x",
        "/plans/1009/2599/reports/annual.docx",
    ],
)
def test_unknown_reports_and_rounds_are_not_found(demo, client, path):
    sign_in(client, "owner")
    assert client.get(path).status_code == 404


def test_a_round_of_the_plan_may_be_chosen(demo, client):
    sign_in(client, "owner")
    first = the_plan().rounds.order_by("starts_on").first()
    response = client.get(url("annual", "docx") + f"?round={first.pk}")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert first.name in text
    assert "31 ธันวาคม 2564" in text


@pytest.mark.parametrize("page", ["plan_detail", "plan_progress"])
def test_the_plan_and_progress_pages_offer_the_reports(demo, client, page):
    sign_in(client, "owner")
    html = client.get(reverse(page, args=["1009", 2565])).content.decode()
    for kind in progress_report.KINDS:
        for format_ in ("pdf", "docx"):
            assert f'href="{url(kind, format_)}"' in html


# --- The command ------------------------------------------------------------------------------


def test_the_command_writes_both_formats(demo, tmp_path):
    word, pdf = tmp_path / "six.docx", tmp_path / "annual.pdf"
    call_command(
        "export_report",
        "--organization=1009",
        "--year=2565",
        "--kind=six-month",
        "--format=docx",
        "--round=ไตรมาสที่ 1 (ต.ค. – ธ.ค. 64)",
        f"--output={word}",
        stdout=io.StringIO(),
    )
    call_command(
        "export_report",
        "--organization=1009",
        "--year=2565",
        "--kind=annual",
        "--format=pdf",
        f"--output={pdf}",
        stdout=io.StringIO(),
    )
    assert len(Document(str(word)).tables) == 4
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--organization=9999", "--year=2565", "--kind=annual"], "ไม่มีแผนปี 2565"),
        (["--organization=1009", "--year=2599", "--kind=annual"], "ไม่มีแผนปี 2599"),
        (["--organization=1009", "--year=2565", "--kind=weekly"], "ไม่รู้จักรายงาน"),
        (["--organization=1009", "--year=2565", "--kind=annual", "--format=odt"], "รูปแบบ"),
        (["--organization=1009", "--year=2565", "--kind=annual", "--round=ไม่มี"], "ไม่มีรอบ"),
    ],
)
def test_the_command_refuses_in_thai(demo, tmp_path, arguments, message):
    output = tmp_path / "out.docx"
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *arguments, f"--output={output}")
    assert not output.exists()


def test_the_headings_use_the_body_font_not_a_theme_font(files):
    document = Document(io.BytesIO(files.word.content))
    for name in ("Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:cs")) == "TH Sarabun New"
        assert fonts.get(qn("w:asciiTheme")) is None
        assert fonts.get(qn("w:cstheme")) is None
