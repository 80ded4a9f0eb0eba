"""A district's staff member reports progress with an evidence file and sees it in history."""

import re

from playwright.sync_api import Page, expect

from plans.demo import load_demo
from plans.models import Action, ProgressUpdate
from tests.browser.test_sign_in import PASSWORD, sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_staff_reports_done_with_a_file_and_sees_it_in_the_history(
    transactional_db, live_server, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_demo(with_users=True)
    sign_in(page, "staff", PASSWORD)

    page.get_by_role("link", name="งานของฉัน").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("งานของฝ่าย — ฝ่ายการคลัง")
    page.get_by_label("ค้นหา").fill("O18")
    page.get_by_role("button", name="กรอง").click()
    first = page.locator("table tbody tr").first.get_by_role("link")
    action_text = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action_text)

    page.get_by_role("link", name="รายงานความก้าวหน้า").click()
    page.get_by_label("ความก้าวหน้า (ร้อยละ)").fill("100")
    page.get_by_label("สถานะ").select_option(label="เสร็จสิ้น")
    page.get_by_role("textbox", name="รายละเอียด").fill("เผยแพร่แบบฟอร์มบนเว็บไซต์แล้ว")
    page.get_by_label("ไฟล์หลักฐาน").set_input_files(
        files=[{"name": "หลักฐาน.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="บันทึก").click()

    expect(page.locator(".messages")).to_contain_text("บันทึกรายงานความก้าวหน้าแล้ว")
    expect(page.locator(".status").first).to_have_text("เสร็จสิ้น")
    reports = page.get_by_role("region", name="รายงานความก้าวหน้า")
    expect(reports).to_contain_text("เผยแพร่แบบฟอร์มบนเว็บไซต์แล้ว")
    expect(reports.get_by_role("link", name="ไฟล์")).to_have_attribute(
        "href", re.compile(r"^/evidence/\d+/$")
    )
    history = page.get_by_role("region", name="ประวัติการแก้ไข")
    status_row = history.get_by_role("row").filter(has_text="สถานะ")
    expect(status_row).to_contain_text("staff")
    expect(status_row).to_contain_text("ยังไม่เริ่ม")
    expect(status_row).to_contain_text("เสร็จสิ้น")

    update = ProgressUpdate.objects.get()
    assert update.author.username == "staff"
    assert update.evidence_file.read() == PDF
    assert Action.objects.get(pk=update.action_id).status == "done"
