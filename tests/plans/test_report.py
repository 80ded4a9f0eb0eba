"""The official report: who may open it, what it shows, and the PDF drawn from it."""

import io
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from assessments.models import Organization
from assessments.rollup import score_report
from plans.documents import plan_table, planrows, xlsx
from plans.documents.report import local_resource, render_pdf, report_context, static_file
from plans.models import Action, Division, Finding, Membership, Plan
from tests.factories import make_assessment, make_plan, make_user

pytestmark = pytest.mark.django_db

OFFICE = "สำนักงานเขตพระโขนง"


def the_plan() -> Plan:
    return Plan.objects.select_related("organization", "assessment__framework").get(
        organization__code="1009", fiscal_year=2565
    )


def urls() -> dict[str, str]:
    return {
        "report": reverse("plan_report", args=["1009", 2565]),
        "pdf": reverse("plan_pdf", args=["1009", 2565]),
    }


def first_cells(plan: Plan) -> dict[str, str]:
    """Each finding's first printed cell: its code, its label and its score."""
    summary = score_report(plan.assessment).summary
    return {
        finding.item.code: xlsx.finding_cells(finding, summary.items.get(finding.item.code))[0]
        for finding, _actions in plan_table.findings(plan)
    }


def flat(text: str) -> str:
    """Text as a PDF reader gives it back, for comparison: no whitespace (line breaks differ),
    and SARA AM as the SARA AA that the font draws it with (its ring is a separate glyph
    that the PDF's character map leaves out)."""
    return re.sub(r"\s+", "", text).replace("\u0e33", "\u0e32").replace("\u0e4d", "")


def sign_in(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


@pytest.fixture
def plan(demo):
    return the_plan()


@pytest.fixture(scope="module")
def pdf(demo, django_db_blocker):
    """The demo plan's PDF as the district manager downloads it, rendered once per module."""
    with django_db_blocker.unblock():
        client = Client()
        sign_in(client, "manager")
        response = client.get(urls()["pdf"])
        cells = first_cells(the_plan())
        actions = [
            action.text
            for _finding, actions in plan_table.findings(the_plan())
            for action in actions
        ]
    reader = PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in reader.pages]
    return SimpleNamespace(
        response=response, reader=reader, texts=texts, cells=cells, actions=actions
    )


# --- The HTML page ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["manager", "central"])
def test_the_report_page_shows_the_whole_plan_table(client, plan, username):
    sign_in(client, username)
    response = client.get(urls()["report"])
    assert response.status_code == 200
    html = response.content.decode()
    assert OFFICE in html
    assert "ผลการประเมิน ITA ปี 2564" in html
    assert "แผนปรับปรุงปีงบประมาณ พ.ศ. 2565" in html
    assert "<thead>" in html
    for header in planrows.printed_headers(2565):
        assert f'<th scope="col">{header}</th>' in html
    codes = list(plan.findings.values_list("item__code", flat=True))
    assert len(codes) == 83
    for code in codes:
        assert f'id="item-{code}"' in html


def test_the_report_page_has_the_score_tables(client, plan):
    sign_in(client, "manager")
    html = client.get(urls()["report"]).content.decode()
    summary = score_report(plan.assessment).summary
    assert "คะแนนถ่วงน้ำหนัก" in html
    assert f"{summary.total:.2f}" in html
    assert f'<td class="figure">{summary.level}</td>' in html
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (คะแนนเฉลี่ย" in html


def test_every_action_is_one_dash_line(client, plan):
    sign_in(client, "manager")
    html = client.get(urls()["report"]).content.decode()
    for action in Action.objects.filter(finding__plan=plan).only("text")[:10]:
        first_line = action.text.splitlines()[0]
        assert f'<span class="line bullet">- {escape(first_line)}' in html


def test_a_finding_is_one_block_with_a_row_per_action(client, plan):
    sign_in(client, "manager")
    html = client.get(urls()["report"]).content.decode()
    block = html.split('id="item-O1"', 1)[1].split("</tbody>", 1)[0]
    texts = list(
        Action.objects.filter(finding__plan=plan, finding__item__code="O1")
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert len(texts) == 3
    assert block.count("<tr") == 3
    assert block.count('rowspan="3"') == 3
    rows = block.split("<tr")[1:]
    for row, text in zip(rows, texts, strict=True):
        assert f'<span class="line bullet">- {escape(text)}</span>' in row


def test_the_data_quality_notes_are_left_out_unless_asked_for(client, plan):
    assert score_report(plan.assessment).warnings
    sign_in(client, "manager")
    plain = client.get(urls()["report"]).content.decode()
    assert "ข้อสังเกตด้านข้อมูล:" not in plain
    assert 'href="?notes=1"' in plain
    asked = client.get(urls()["report"], {"notes": "1"}).content.decode()
    assert "ข้อสังเกตด้านข้อมูล:" in asked
    assert f"{urls()['pdf']}?notes=1" in asked


def test_the_report_in_english_has_english_headings(client, plan):
    sign_in(client, "manager")
    client.cookies["django_language"] = "en"
    html = client.get(urls()["report"]).content.decode()
    assert '<html lang="en">' in html
    assert '<th scope="col">Responsible</th>' in html
    assert "Improvements in fiscal year 2565" in html
    assert "Printed on" in html
    assert '<p class="office">Phra Khanong District Office' in html


def test_a_simulated_districts_report_says_so_in_its_heading(client, plan):
    sign_in(client, "manager")
    assert "ข้อมูลจำลอง" not in client.get(urls()["report"]).content.decode()
    Organization.objects.filter(pk=plan.organization_id).update(is_simulated=True)
    html = client.get(urls()["report"]).content.decode()
    heading = html.split('<header class="title-block">', 1)[1].split("</header>", 1)[0]
    assert '<span class="badge simulated"' in heading


def test_the_report_page_has_no_inline_script(client, plan):
    sign_in(client, "manager")
    html = client.get(urls()["report"]).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert 'href="/static/css/report.css"' in html
    assert urls()["pdf"] in html


def test_the_plan_page_links_to_the_report_and_the_pdf(client, plan):
    sign_in(client, "owner")
    html = client.get(reverse("plan_detail", args=["1009", 2565])).content.decode()
    assert urls()["report"] in html
    assert urls()["pdf"] in html


def test_a_plan_without_findings_still_has_its_report(client, plan):
    framework = plan.assessment.framework
    empty = make_plan(make_assessment(Organization.objects.get(code="1033"), framework))
    sign_in(client, "central")
    response = client.get(reverse("plan_report", args=["1033", empty.fiscal_year]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "สำนักงานเขตคลองเตย" in html
    assert "แผนนี้ยังไม่มีประเด็นการปรับปรุง" in html
    assert "ระดับผลการประเมิน" in html


@pytest.mark.parametrize("view", ["report", "pdf"])
def test_anonymous_is_sent_to_sign_in(client, plan, view):
    response = client.get(urls()[view])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("view", ["report", "pdf"])
def test_another_districts_user_does_not_find_the_plan(client, plan, view):
    klongtoey = Organization.objects.get(code="1033")
    client.force_login(
        make_user("klongtoey", organization=klongtoey, role=Membership.Role.DISTRICT_MANAGER)
    )
    assert client.get(urls()[view]).status_code == 404


@pytest.mark.parametrize("view", ["report", "pdf"])
def test_the_report_only_answers_get(client, plan, view):
    sign_in(client, "manager")
    assert client.post(urls()[view]).status_code == 405


def test_the_report_reads_a_constant_number_of_queries(plan):
    with CaptureQueriesContext(connection) as before:
        report_context(plan)
    finding = Finding.objects.filter(plan=plan).first()
    divisions = Division.objects.filter(organization=plan.organization)
    extra = Action.objects.create(finding=finding, text="งานเพิ่ม", lead_division=divisions[0])
    extra.divisions.set(divisions[1:4])
    with CaptureQueriesContext(connection) as after:
        report_context(plan)
    assert len(after) == len(before) <= 15


# --- Where the PDF's files come from ---------------------------------------------------------


def test_static_urls_map_to_the_local_files():
    body, _ = local_resource("http://report.invalid/static/fonts/sarabun/Sarabun-Regular.ttf")
    assert body.startswith(b"\x00\x01\x00\x00")  # a TrueType font
    # WeasyPrint drops a linked stylesheet that is not served as text/css.
    assert local_resource("http://report.invalid/static/css/report.css")[1] == "text/css"
    assert static_file("https://cdn.example/static/css/report.css").name == "report.css"


@pytest.mark.parametrize(
    "url",
    [
        "https://fonts.googleapis.com/css2?family=Sarabun",
        "http://report.invalid/media/evidence/1.pdf",
        "http://report.invalid/static/../ita_tracker/settings.py",
        "http://report.invalid/static//etc/passwd",
        "http://report.invalid/static/css",
        "file:///etc/passwd",
    ],
)
def test_nothing_else_is_fetched(url):
    assert static_file(url) is None
    with pytest.raises(ValueError):
        local_resource(url)


# --- The PDF ---------------------------------------------------------------------------------


def test_the_pdf_is_an_attachment(pdf):
    response = pdf.response
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ita-plan-1009-2565.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_a4_landscape_with_page_numbers(pdf):
    reader = pdf.reader
    pages = len(reader.pages)
    assert pages > 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert f"หน้า 1 / {pages}" in pdf.texts[0]
    assert f"หน้า {pages} / {pages}" in pdf.texts[-1]


def test_the_pdf_shows_every_finding_in_thai(pdf):
    assert "เขตพระโขนง" in "".join(pdf.texts)  # Thai as Thai, not boxes nor escapes
    text = flat("".join(pdf.texts))
    assert flat(OFFICE) in text
    for code, cell in pdf.cells.items():
        assert flat(cell) in text, code


def test_the_pdf_holds_every_action_in_plan_order(pdf):
    text = flat("".join(pdf.texts))
    assert len(pdf.actions) == 103
    position = 0
    for action in pdf.actions:
        found = text.find(flat(action), position)
        assert found >= 0, action
        position = found + 1


def test_the_pdf_leaves_out_the_data_quality_notes(pdf):
    assert flat("ข้อสังเกตด้านข้อมูล") not in flat("".join(pdf.texts))


def test_the_pdf_in_english_has_english_headings_and_page_numbers(plan):
    with translation.override("en"):
        data = render_pdf(plan)
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert texts[0].count("Page 1 / ") == 1
    assert not any(re.search(r"หน้า \d+ / \d+", text) for text in texts)
    assert "Follow-up method" in "".join(texts)


def test_the_pdf_embeds_sarabun_only(pdf):
    reader = pdf.reader
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Sarabun", "Sarabun-Bold"}


def test_the_table_header_is_repeated_on_every_page_of_the_plan(pdf):
    texts = [flat(text) for text in pdf.texts]
    headers = [flat(header) for header in planrows.printed_headers(2565)]
    with_header = [n for n, text in enumerate(texts) if all(h in text for h in headers)]
    assert with_header == list(range(with_header[0], len(texts)))
    assert len(with_header) > 1
    # The running title names the office and both years on every page.
    assert all(flat(f"ITA ปี 2564 · แผนปรับปรุงปีงบประมาณ พ.ศ. 2565 · {OFFICE}") in t for t in texts)


def test_export_plan_writes_the_pdf(demo, tmp_path):
    path = tmp_path / "plan.pdf"
    out = StringIO()
    call_command(
        "export_plan",
        "--organization",
        "1009",
        "--year",
        "2565",
        "--format",
        "pdf",
        "--output",
        str(path),
        stdout=out,
    )
    assert path.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(path).pages) > 1
    assert "83 ประเด็น" in out.getvalue()
