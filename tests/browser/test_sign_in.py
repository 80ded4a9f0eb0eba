"""Signing in and out through the Thai sign-in page, as a district's staff member."""

import re

from playwright.sync_api import Page, expect

from plans.demo import load_demo

PASSWORD = "ita-demo"
WRONG_CREDENTIALS = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองอีกครั้ง (ตัวพิมพ์เล็ก-ใหญ่มีผล)"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    expect(page).to_have_title(re.compile(r"^เข้าสู่ระบบ"))
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_signs_in_sees_the_plans_and_signs_out(transactional_db, live_server, page: Page):
    load_demo(with_users=True)

    sign_in(page, "staff", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="หน้าแรก", level=1)).to_be_visible()
    expect(page.locator(".site-nav")).to_contain_text("สมศักดิ์ ใจการคลัง")
    plans = page.get_by_role("region", name="แผนปรับปรุง")
    expect(plans.get_by_role("heading", name="แผนปรับปรุง")).to_be_visible()
    row = plans.get_by_role("row").filter(has=page.get_by_role("cell", name="เขตพระโขนง"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell", name="2565", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name="ดาวน์โหลด .xlsx")).to_have_attribute(
        "href", "/plans/1009/2565/plan.xlsx"
    )

    page.get_by_role("button", name="ออกจากระบบ").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("ชื่อผู้ใช้")).to_be_visible()
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_have_count(0)
    # Signed out for real: the home page sends the browser back to sign in.
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_wrong_password_is_refused_in_thai(transactional_db, live_server, page: Page):
    load_demo(with_users=True)

    sign_in(page, "staff", "not-the-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".errorlist")).to_have_text(WRONG_CREDENTIALS)
    expect(page.get_by_label("ชื่อผู้ใช้")).to_have_value("staff")
    expect(page.get_by_label("รหัสผ่าน")).to_have_value("")
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_have_count(0)
