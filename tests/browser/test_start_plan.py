"""The plan owner starts next year's plan from the page and sees the carried actions."""

from playwright.sync_api import Page, expect

from assessments.models import Assessment, Framework, ItemScore
from plans.demo import load_demo
from plans.models import Action, Plan
from tests.browser.test_sign_in import PASSWORD, sign_in
from tests.plans.next_edition import copy_edition


def _assessment_2565():
    """The demo district's 2565 scores on a copy of the 2564 edition (the same figures)."""
    fw64 = Framework.objects.get(fiscal_year=2564)
    fw65 = copy_edition(fw64, 2565)
    a64 = Assessment.objects.get(organization__code="1009", framework=fw64)
    a65 = Assessment.objects.create(organization=a64.organization, framework=fw65)
    items = {item.code: item for item in fw65.items.all()}
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a65, item=items[code], score=score)
        for code, score in a64.scores.values_list("item__code", "score")
    )


def test_owner_starts_the_plan_and_sees_the_carried_actions(
    transactional_db, live_server, page: Page
):
    load_demo(with_users=True)
    _assessment_2565()
    sign_in(page, "owner", PASSWORD)

    page.get_by_role("link", name="เริ่มแผนปีงบประมาณถัดไป").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เริ่มแผนปีงบประมาณถัดไป")
    expect(page.get_by_label("ปีงบประมาณของแผน (พ.ศ.)")).to_have_value("2566")
    page.get_by_role("button", name="ดูตัวอย่างแผน").click()

    carried = page.get_by_role("region", name="การปรับปรุงที่ยกมาจากแผนปีก่อน (103)")
    expect(carried).to_be_visible()
    # A phone: the preview still fits the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("button", name="สร้างแผน").click()
    expect(page.locator(".messages")).to_contain_text("สร้างแผนปีงบประมาณ 2566 แล้ว")
    expect(page.locator(".messages")).to_contain_text("ยกมา 103 การปรับปรุง")
    origin = page.get_by_role("link", name="ยกมาจากแผนปี 2565").first
    expect(origin).to_be_visible()
    origin.click()
    expect(page.get_by_role("link", name="ยกไปแผนปี 2566")).to_be_visible()

    plan = Plan.objects.get(organization__code="1009", fiscal_year=2566)
    assert Action.objects.filter(finding__plan=plan, carried_from__isnull=False).count() == 103
