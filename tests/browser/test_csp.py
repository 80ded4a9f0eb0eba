"""Every page works under the Content-Security-Policy: Chromium reports no violation.

The policy forbids inline scripts, inline styles and anything not served by the app itself;
a page that broke it would lose its script or its look without an error anyone sees. The
browser fires ``securitypolicyviolation`` for each refusal: the test collects them all.
"""

from playwright.sync_api import Page, expect

from plans.demo import load_demo
from plans.models import Action
from tests.browser.test_sign_in import PASSWORD, sign_in

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def visit(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, path
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations")


def test_no_page_breaks_the_content_security_policy(transactional_db, live_server, page: Page):
    load_demo(with_users=True)
    page.add_init_script(COLLECT_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    action = Action.objects.filter(finding__plan__fiscal_year=2565).order_by("pk").first()
    finding = action.finding

    violations = {"/accounts/login/": visit(page, "/accounts/login/")}
    sign_in(page, "admin", PASSWORD)
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()
    paths = [
        "/",
        "/actions/",
        f"/actions/{action.pk}/",
        f"/actions/{action.pk}/edit/",
        f"/actions/{action.pk}/report/",
        f"/findings/{finding.pk}/edit/",
        f"/findings/{finding.pk}/actions/new/",
        "/plans/1009/2565/",
        "/plans/1009/2565/progress/",
        "/plans/1009/2565/report/",
        "/scores/1009/2564/",
        "/overview/2564/",
        "/admin/",
        "/admin/plans/action/",
        f"/admin/plans/action/{action.pk}/change/",
        "/admin/assessments/itemscore/",
        "/admin/assessments/itemscore/import/",
        "/admin/plans/plan/",
        "/admin/assessments/itemscore/export/",
    ]
    for path in paths:
        violations[path] = visit(page, path)
    assert {path: found for path, found in violations.items() if found} == {}

    # Scripts still run under the policy: the export page's "select all" box clears every
    # field (wired by static/js/export-select-all.js, not an inline attribute) ...
    page.goto("/admin/assessments/itemscore/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()
    page.locator("#select-all-toggle").uncheck()
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()
    # ... and choosing English in the language switcher submits its form
    # (static/js/language.js), with no button to press.
    page.goto("/actions/")
    page.get_by_label("ภาษา").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
