"""A district manager reads the dashboards: scores, where the points are, plan progress."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.dashboards import LIST_SHOWN
from plans.demo import load_demo
from plans.models import Action
from tests.browser.test_sign_in import PASSWORD, sign_in


def test_the_district_manager_reads_the_scores_and_the_plan_progress(
    transactional_db, live_server, page: Page
):
    load_demo(with_users=True)
    sign_in(page, "manager", PASSWORD)

    results = page.get_by_role("region", name="ผลการประเมิน")
    results.get_by_role("link", name="เขตพระโขนง").click()
    expect(page).to_have_url(f"{live_server.url}/scores/1009/2564/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ผลการประเมิน ITA ปี 2564")
    kpis = page.get_by_role("region", name="สรุปผล")
    expect(kpis).to_contain_text("73.54")
    expect(kpis).to_contain_text("C")
    indicators = page.get_by_role("img", name="คะแนนรายตัวชี้วัดเทียบเกณฑ์ผ่าน")
    expect(indicators).to_be_visible()
    expect(page.get_by_role("row", name="1. การปฏิบัติหน้าที่")).to_contain_text("91.25")
    expect(page.get_by_role("row", name="6. คุณภาพการดำเนินงาน")).to_contain_text("71.22")
    expect(page.get_by_role("heading", name="คะแนนอยู่ตรงไหน")).to_be_visible()
    expect(page.get_by_role("region", name="สิ่งที่ยังขาดสำหรับระดับ B")).to_be_visible()
    expect(page.locator("p.callout")).to_contain_text("คะแนนรวมจะถึงระดับ B")
    # The chart's numbers are there as a table too, one click away.
    page.get_by_text("ตัวเลขของแผนภูมิ").first.click()
    expect(page.locator("figure.chart table").first).to_contain_text("91.25")

    page.get_by_role("link", name="ความก้าวหน้าของแผน").first.click()
    expect(page).to_have_url(f"{live_server.url}/plans/1009/2565/progress/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ความก้าวหน้าของแผนปี 2565")
    expect(page.get_by_role("img", name="สถานะการปรับปรุงรายฝ่าย")).to_be_visible()
    overdue = Action.objects.overdue(timezone.localdate()).count()
    expect(page.get_by_role("heading", name=f"เลยกำหนด ({overdue})")).to_be_visible()
    expect(page.locator("#overdue + div tbody tr")).to_have_count(min(overdue, LIST_SHOWN))

    page.get_by_role("combobox", name="ฝ่าย").select_option(label="ฝ่ายการคลัง")
    page.get_by_role("button", name="กรอง").click()
    expect(page).to_have_url(re.compile(r"/plans/1009/2565/progress/\?.*division=\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("ความก้าวหน้าของแผนปี 2565")
    expect(page.get_by_role("link", name="ภาพรวม กทม.")).to_have_count(0)
