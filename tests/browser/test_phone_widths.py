"""The dashboards and the forms at a desktop's width and at a phone's (390 px): nothing runs
off the side of the page, chart text stays at 11 px or more, inputs take the whole width."""

import pytest
from playwright.sync_api import Page, expect

from plans.demo import load_demo
from plans.models import Action, Finding
from tests.browser.test_sign_in import PASSWORD, sign_in

PHONE, DESKTOP = 390, 1280
SMALLEST_TEXT = 11  # CSS px

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# The drawn size of each visible chart text: its font size times the svg's scale.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart-svg')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(
      (text) => [text.textContent, parseFloat(getComputedStyle(text).fontSize) * scale]);
  })"""
# Visible inputs narrower than the form's own content box.
NARROW_INPUTS = """() => [...document.querySelectorAll(
    'form.narrow-form input:not([type=checkbox]):not([type=radio]):not([type=hidden])' +
    ':not([type=file]), form.narrow-form select, form.narrow-form textarea')]
  .filter((input) => input.offsetParent !== null)
  .filter((input) => {
    const field = input.parentElement.getBoundingClientRect();
    return input.getBoundingClientRect().width < field.width - 1;
  })
  .map((input) => input.name)"""
INPUT_LOOK = """(name) => {
  const style = getComputedStyle(document.querySelector(`[name="${name}"]`));
  return [style.borderTopWidth, style.borderTopColor, style.paddingLeft, style.fontSize,
          style.borderTopLeftRadius];
}"""


@pytest.fixture
def admin_page(transactional_db, live_server, page: Page):
    load_demo(with_users=True)
    sign_in(page, "admin", PASSWORD)
    return page


def assert_fits(page: Page, url: str):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0, f"{url} overflows at {page.viewport_size['width']} px"


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_dashboards_fit_the_width_with_readable_charts(admin_page: Page, width):
    admin_page.set_viewport_size({"width": width, "height": 900})
    for url in ("/scores/1009/2564/", "/plans/1009/2565/progress/"):
        assert_fits(admin_page, url)
        sizes = admin_page.evaluate(CHART_TEXT)
        assert sizes, f"no chart drawn on {url}"
        too_small = [(text, round(size, 1)) for text, size in sizes if size < SMALLEST_TEXT]
        assert not too_small, f"{url} at {width} px: {too_small[:5]}"
    assert_fits(admin_page, "/overview/2564/")
    grid = admin_page.locator("table.heat-map")
    expect(grid.get_by_role("columnheader").nth(1)).to_contain_text("1 การปฏิบัติหน้าที่")
    expect(admin_page.get_by_role("heading", name="ตารางสีคะแนนรายตัวชี้วัดของแต่ละเขต")).to_be_visible()


def test_the_forms_fit_a_phone(admin_page: Page):
    admin_page.set_viewport_size({"width": PHONE, "height": 900})
    action = Action.objects.order_by("pk").first()
    finding = Finding.objects.order_by("pk").first()
    forms = [
        f"/actions/{action.pk}/edit/",
        f"/actions/{action.pk}/report/",
        f"/findings/{finding.pk}/edit/",
        f"/findings/{finding.pk}/actions/new/",
        "/organizations/1009/people/new/",
    ]
    for url in forms:
        assert_fits(admin_page, url)
        assert admin_page.evaluate(NARROW_INPUTS) == [], url
    for url in ("/actions/", "/plans/1009/2565/", "/plans/1009/2565/progress/"):
        assert_fits(admin_page, url)  # the filter forms
    # The OIT item form, from the readiness page of the assessment year.
    admin_page.goto("/oit/1009/2564/")
    admin_page.locator("a[href^='/oit/items/']").first.click()
    expect(admin_page.locator("form.narrow-form")).to_be_visible()
    assert admin_page.evaluate(OVERFLOW) <= 0
    assert admin_page.evaluate(NARROW_INPUTS) == []


def test_the_evidence_links_look_like_the_other_inputs(admin_page: Page):
    action = Action.objects.order_by("pk").first()
    admin_page.goto(f"/actions/{action.pk}/report/")
    assert admin_page.evaluate(INPUT_LOOK, "evidence_url") == admin_page.evaluate(
        INPUT_LOOK, "progress"
    )
    admin_page.goto(f"/actions/{action.pk}/edit/")
    assert admin_page.evaluate(INPUT_LOOK, "done_evidence_url") == admin_page.evaluate(
        INPUT_LOOK, "starts_on"
    )
