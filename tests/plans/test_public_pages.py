"""The public pages of a published plan: what they show, what never reaches them, the one 404,
the cache validators, the evidence URL, and a query count that does not grow with the plan."""

import io
import re
from datetime import datetime

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.rollup import score_report
from assessments.thaidates import BANGKOK
from plans import publishing
from plans.models import Action, Plan, ProgressUpdate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PRIVATE_NOTE = "บันทึกภายใน: งบประมาณยังไม่ผ่านผู้อำนวยการเขต"
PRIVATE_URL = "https://intranet.example.org/private-evidence-42"
PUBLIC_NOTE = "ประกาศแผนการจัดซื้อจัดจ้างบนเว็บไซต์สำนักงานเขตแล้ว"
PUBLIC_URL = "https://www.example.org/phrakhanong/procurement-2565"


def page_url(code="1009", year=2565):
    return reverse("public_plan", args=[code, year])


def demo_plan() -> Plan:
    return Plan.objects.select_related("organization", "assessment__framework").get(
        organization__code="1009", fiscal_year=2565
    )


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def without_csrf(html: str) -> str:
    """The page less its (per-response, random) CSRF token of the language switch."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def reports(demo, settings, tmp_path):
    """The demo plan, published, with a private and a public report on its first action."""
    settings.MEDIA_ROOT = tmp_path
    plan = demo_plan()
    action = Action.objects.filter(finding__plan=plan).order_by("finding__order", "order").first()
    staff = get_user_model().objects.get(username="staff")
    private = ProgressUpdate(
        action=action, author=staff, progress=30, status="in_progress", note=PRIVATE_NOTE
    )
    private.evidence_url = PRIVATE_URL
    private.evidence_file.save("private-minutes.pdf", ContentFile(PDF), save=False)
    private.save()
    public = ProgressUpdate(
        action=action,
        author=staff,
        progress=60,
        status="in_progress",
        note=PUBLIC_NOTE,
        evidence_url=PUBLIC_URL,
        is_public=True,
    )
    public.evidence_file.save("announcement.pdf", ContentFile(PDF), save=False)
    public.save()
    publishing.publish(plan, get_user_model().objects.get(username="owner"), timezone.now())
    return {"plan": demo_plan(), "action": action, "private": private, "public": public}


# --- What the page shows ---------------------------------------------------------------------


def test_the_published_demo_plan_reads_without_sign_in(client, reports):
    plan = reports["plan"]
    response = client.get(page_url())
    assert response.status_code == 200
    html = response.content.decode()
    summary = score_report(plan.assessment).summary
    assert "สำนักงานเขตพระโขนง" in html
    assert f"<dd>{summary.total:.2f}</dd>" in html and f"<dd>{summary.level}</dd>" in html
    actions = list(Action.objects.filter(finding__plan=plan))
    assert len(actions) == 103
    for action in actions:
        assert escape(action.text) in html
    # One line per action: each action's status line appears once per action.
    assert html.count('class="progress-line"') == 103
    for name in ("ไตรมาสที่ 1 (ต.ค. – ธ.ค. 64)", "ไตรมาสที่ 3 (เม.ย. – มิ.ย. 65)"):
        assert escape(name) in html
    # No staff menu and no edit links.
    assert "ออกจากระบบ" not in html and "/edit/" not in html and "/report/" not in html


def test_a_public_report_shows_its_note_links_and_latest_date(client, reports):
    html = client.get(page_url()).content.decode()
    assert PUBLIC_NOTE in html
    assert f'href="{PUBLIC_URL}"' in html
    assert publishing.public_evidence_url(reports["public"]) in html
    assert "รายงานล่าสุด" in html


def test_nothing_private_reaches_the_public_pages(client, reports):
    pages = [
        client.get(reverse("public_home")).content.decode(),
        client.get(reverse("public_office", args=["1009"])).content.decode(),
        client.get(page_url()).content.decode(),
    ]
    people = get_user_model().objects.all()
    assert people.count() >= 5
    private = reports["private"]
    warnings = score_report(reports["plan"].assessment).warnings
    for html in pages:
        text = text_of(html)
        for person in people:
            assert not re.search(rf"\b{re.escape(person.username)}\b", text), person.username
            assert person.email not in html
            assert person.get_full_name() not in html
            assert person.first_name not in html
        assert PRIVATE_NOTE not in html and PRIVATE_URL not in html
        assert private.evidence_file.name.rsplit("/", 1)[-1] not in html
        assert f"/evidence/{private.pk}/" not in html
        for warning in warnings:
            assert warning.message not in html
        assert "ข้อสังเกตด้านข้อมูล" not in html


def test_the_lists_name_the_publishing_office_and_its_plan(client, reports):
    home = client.get(reverse("public_home")).content.decode()
    assert "สำนักงานเขตพระโขนง" in home and page_url() in home
    office = client.get(reverse("public_office", args=["1009"])).content.decode()
    assert page_url() in office and "2565" in office


# --- One 404 for everything not published ----------------------------------------------------


def test_unpublished_another_year_and_a_made_up_code_give_the_same_404(client, reports):
    publishing.withdraw(reports["plan"])
    answers = [
        client.get(page_url()),  # exists, not published
        client.get(page_url(year=2564)),  # no plan that year
        client.get(page_url(code="9999")),  # no such office
        client.get(reverse("public_office", args=["1009"])),
        client.get(reverse("public_office", args=["9999"])),
    ]
    assert {answer.status_code for answer in answers} == {404}
    bodies = {without_csrf(answer.content.decode()) for answer in answers}
    assert len(bodies) == 1
    body = bodies.pop()
    assert "ไม่มีแผนที่เผยแพร่ต่อสาธารณะที่ที่อยู่นี้" in body
    assert "พระโขนง" not in body and "2565" not in body
    home = client.get(reverse("public_home")).content.decode()
    assert "พระโขนง" not in home


def test_a_plan_sent_back_to_draft_is_not_public(client, reports):
    Plan.objects.filter(pk=reports["plan"].pk).update(status=Plan.Status.DRAFT)
    assert client.get(page_url()).status_code == 404


# --- Evidence --------------------------------------------------------------------------------


def test_a_public_reports_file_has_a_public_url(client, reports):
    response = client.get(publishing.public_evidence_url(reports["public"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_private_reports_file_is_not_served_whatever_the_token(client, reports):
    private = reports["private"]
    token = publishing.evidence_token(private)
    assert client.get(reverse("public_evidence", args=[private.pk, token])).status_code == 404
    public = reports["public"]
    wrong = reverse("public_evidence", args=[public.pk, "0" * 32])
    assert client.get(wrong).status_code == 404


def test_a_withdrawn_plans_evidence_is_not_served(client, reports):
    url = publishing.public_evidence_url(reports["public"])
    publishing.withdraw(reports["plan"])
    assert client.get(url).status_code == 404


# --- Caching ---------------------------------------------------------------------------------


def test_the_page_is_cacheable_and_a_conditional_request_gets_304(client, reports):
    response = client.get(page_url())
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(page_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(page_url(), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    for url in (reverse("public_home"), reverse("public_office", args=["1009"])):
        listing = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_a_new_report_changes_the_validators(client, reports):
    etag = client.get(page_url())["ETag"]
    ProgressUpdate.objects.create(
        action=reports["action"], progress=100, status="done", note="เสร็จแล้ว"
    )
    response = client.get(page_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_each_language_has_its_own_validator(client, reports):
    thai = client.get(page_url())["ETag"]
    client.cookies["django_language"] = "en"
    english = client.get(page_url())
    assert english["ETag"] != thai and english["Content-Language"] == "en"
    assert "Cookie" in english["Vary"]


def test_a_signed_in_visitor_gets_a_private_copy(client, reports):
    client.force_login(get_user_model().objects.get(username="owner"))
    response = client.get(page_url())
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_pages_pass_the_csp_with_no_inline_script_or_style(client, reports):
    for url in (reverse("public_home"), reverse("public_office", args=["1009"]), page_url()):
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert "<style" not in html and " style=" not in html


# --- The reports, public variant ---------------------------------------------------------------


def report_url(kind="annual", format_="docx", code="1009", year=2565):
    return reverse("public_report_file", args=[code, year, kind, format_])


def test_the_public_page_offers_the_reports_in_their_public_variant(client, reports):
    html = client.get(page_url()).content.decode()
    for kind in ("six-month", "annual"):
        for format_ in ("pdf", "docx"):
            assert report_url(kind, format_) in html
    assert reverse("progress_report_file", args=["1009", 2565, "annual", "pdf"]) not in html


def test_the_public_word_report_holds_only_the_public_report_s_words(client, reports):
    # The annual report reads the reports made within the plan's year (FY 2565).
    within_the_year = datetime(2022, 3, 1, 10, tzinfo=BANGKOK)
    ProgressUpdate.objects.filter(pk__in=[reports["private"].pk, reports["public"].pk]).update(
        reported_at=within_the_year
    )
    response = client.get(report_url("annual", "docx"))
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert PUBLIC_NOTE in text
    assert PRIVATE_NOTE not in text and PRIVATE_URL not in text
    assert "staff" not in text and "owner" not in text


def test_reports_of_an_unpublished_plan_or_an_unknown_kind_are_the_public_404(client, reports):
    missing = without_csrf(client.get(reverse("public_plan", args=["9999", 2565])).content.decode())
    for url in (report_url("weekly"), report_url(format_="odt"), report_url(year=2564)):
        response = client.get(url)
        assert response.status_code == 404
        assert without_csrf(response.content.decode()) == missing
    publishing.withdraw(reports["plan"])
    assert client.get(report_url()).status_code == 404
