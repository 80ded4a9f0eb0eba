"""Each role signs in and finds its own menu, on a desktop and on a 390 px phone."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from plans.demo import load_demo
from tests.browser.test_sign_in import PASSWORD, sign_in

MENUS = {
    "staff": ["งานของฉัน", "แผน"],
    "owner": ["แผน", "ความก้าวหน้า", "ผลคะแนน", "ผู้ใช้ของหน่วยงาน", "ความพร้อม OIT"],
    "manager": ["ความก้าวหน้า", "ผลคะแนน", "แผน"],
    "central": ["ภาพรวม กทม.", "หน่วยงาน", "OIT ทุกเขต"],
}
ROLES = {
    "staff": "เจ้าหน้าที่",
    "owner": "ผู้รับผิดชอบแผน",
    "manager": "ผู้บริหารหน่วยงาน",
    "central": "ผู้บริหารส่วนกลาง",
    "admin": "ผู้ดูแลระบบ",
}


@pytest.mark.parametrize("width", [1366, 390])
def test_each_role_finds_its_menu(transactional_db, live_server, page: Page, width):
    load_demo(with_users=True)
    page.set_viewport_size({"width": width, "height": 800})
    for username, role in ROLES.items():
        page.context.clear_cookies()
        sign_in(page, username, PASSWORD)
        expect(page.get_by_role("heading", name="หน้าแรก", level=1)).to_be_visible()
        links = page.locator(".menu-links a")
        if username in MENUS:
            expect(links).to_have_text(MENUS[username])
        else:  # the superuser: the BMA pages, the people pages and the admin
            expect(links.last).to_have_text("ผู้ดูแลระบบ")
            expect(page.locator(".menu-links")).to_contain_text("ภาพรวม กทม.")
        # The person's name (the demo's invented one), not the bare username.
        name = get_user_model().objects.get(username=username).get_full_name()
        expect(page.locator(".menu-user")).to_have_text(f"{name} ({role})")
        for link in links.all():
            expect(link).to_be_visible()
        # Nothing in the header pushes the page sideways on a phone.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (username, width, overflow)
    # The menu's links answer: the overview, for one.
    page.locator('.menu-links a[data-menu="overview"]').click()
    expect(page.locator("h1")).to_contain_text("ภาพรวมทุกเขต")
