"""The readiness page, the edit form (stale edits refused) and the "check now" button."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from oit.models import PublishedUrl, Readiness
from tests.oit.conftest import add_url


def _page(client, world, who="owner"):
    client.force_login(world.users[who])
    response = client.get(reverse("oit:readiness", args=["1009", 2564]))
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_counts_outlook_and_fix_first(client, oit_world):
    rows = oit_world.rows
    rows["O1"].status = Readiness.Status.READY
    rows["O1"].save()
    add_url(rows["O1"], "https://example.org/o1", "ok", title="ประกาศ 2564")
    rows["O3"].status = Readiness.Status.READY
    rows["O3"].save()
    add_url(rows["O3"], "https://example.org/o3", "wrong_year")
    html = _page(client, oit_world)
    assert "พร้อม 2/4" in html
    assert "88.74" in html  # the total with O1 at 100 (by hand in test_readiness)
    assert "78.74" in html  # the total now
    assert "ประกาศ 2564" in html and "ฝ่ายการคลัง" in html
    fix_first = html[html.index('id="fix-first"') :]
    # The wrong-year link first, then the items not ready.
    assert fix_first.index("https://example.org/o3") < fix_first.index("<strong>O2</strong>")
    assert "ตรวจลิงก์ตอนนี้" in html


def test_page_without_an_assessment_says_so(client, oit_world):
    oit_world.assessment.scores.all().delete()
    oit_world.assessment.delete()
    html = _page(client, oit_world)
    assert "ยังไม่มีผลการประเมินของชุดการประเมินนี้" in html
    assert "พร้อม 0/4" in html


def test_managers_see_no_edit_links_nor_the_button(client, oit_world):
    html = _page(client, oit_world, "manager")
    assert reverse("oit:edit", args=[oit_world.rows["O1"].pk]) not in html
    assert "ตรวจลิงก์ตอนนี้" not in html


def _post(client, row, **data):
    values = {"status": "in_progress", "note": "", "urls": "", "version": row.version}
    values.update(data)
    return client.post(reverse("oit:edit", args=[row.pk]), values)


def test_staff_save_their_item_with_urls(client, oit_world):
    row = oit_world.rows["O1"]
    client.force_login(oit_world.users["staff"])
    response = _post(
        client,
        row,
        status="ready",
        urls="https://example.org/a\n\nhttps://example.org/b\nhttps://example.org/a",
        division=oit_world.admin_division.pk,
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Readiness.Status.READY
    # Staff do not hand their item to another division.
    assert row.division == oit_world.finance
    assert list(row.urls.values_list("url", flat=True)) == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_kept_urls_keep_their_latest_check(client, oit_world):
    row = oit_world.rows["O2"]
    kept = add_url(row, "https://example.org/kept", "ok")
    add_url(row, "https://example.org/gone", "broken")
    client.force_login(oit_world.users["owner"])
    response = _post(client, row, urls="https://example.org/new\nhttps://example.org/kept")
    assert response.status_code == 302
    assert PublishedUrl.objects.get(pk=kept.pk).latest is not None
    assert list(row.urls.values_list("url", flat=True)) == [
        "https://example.org/new",
        "https://example.org/kept",
    ]


def test_bad_urls_are_refused_by_line(client, oit_world):
    row = oit_world.rows["O2"]
    client.force_login(oit_world.users["owner"])
    response = _post(client, row, urls="https://example.org/ok\nftp://example.org/x\nnot a url")
    assert response.status_code == 200
    html = response.content.decode()
    assert "บรรทัด 2" in html and "บรรทัด 3" in html
    assert not row.urls.exists()


def test_a_stale_edit_is_refused(client, oit_world):
    row = oit_world.rows["O2"]
    shown = row.version
    row.note = "แก้โดยผู้อื่น"
    row.save()
    client.force_login(oit_world.users["owner"])
    response = _post(client, row, version=shown, note="ของฉัน", status="ready")
    assert response.status_code == 409
    assert "มีผู้แก้ไขรายการนี้" in response.content.decode()
    row.refresh_from_db()
    assert (row.note, row.status) == ("แก้โดยผู้อื่น", Readiness.Status.NOT_STARTED)


@pytest.fixture
def fake_checker(monkeypatch):
    """Stand in for oit.runs (the checker), recording its calls."""
    import sys
    import types

    calls = []

    def run_checks(organization=None, fiscal_year=None, user=None):
        calls.append((organization, fiscal_year, user))
        return SimpleNamespace(urls=3, counts={"ok": 2, "broken": 1})

    module = types.ModuleType("oit.runs")
    module.run_checks = run_checks
    monkeypatch.setitem(sys.modules, "oit.runs", module)
    return calls


@pytest.mark.parametrize(
    ("who", "status", "called"),
    [
        ("owner", 302, True),
        ("root", 302, True),
        ("staff", 403, False),
        ("manager", 403, False),
        ("central", 403, False),
        ("outsider", 404, False),
    ],
)
def test_check_now_button(client, oit_world, fake_checker, who, status, called):
    user = oit_world.users[who]
    client.force_login(user)
    response = client.post(reverse("oit:check", args=["1009", 2564]), follow=status == 302)
    if called:
        assert response.redirect_chain[-1][0] == reverse("oit:readiness", args=["1009", 2564])
        assert fake_checker == [(oit_world.district, 2564, user)]
        assert "ตรวจลิงก์แล้ว 3 ที่อยู่" in response.content.decode()
    else:
        assert response.status_code == status
        assert fake_checker == []


def test_check_now_needs_post(client, oit_world, fake_checker):
    client.force_login(oit_world.users["owner"])
    assert client.get(reverse("oit:check", args=["1009", 2564])).status_code == 405


def test_bma_table_counts_each_district(client, oit_world):
    rows = oit_world.rows
    rows["O1"].status = Readiness.Status.READY
    rows["O1"].save()
    add_url(rows["O2"], "https://example.org/o2", "broken")
    add_url(rows["O3"], "https://example.org/o3", "ok")
    client.force_login(oit_world.users["central"])
    response = client.get(reverse("oit:bma", args=[2564]))
    districts = {district.code: district for district in response.context["districts"]}
    assert (districts["1009"].ready, districts["1009"].items, districts["1009"].failing) == (
        1,
        4,
        1,
    )
    assert districts["1033"].items == 0
    html = response.content.decode()
    assert reverse("oit:readiness", args=["1009", 2564]) in html


def test_english_page(client, oit_world):
    client.force_login(oit_world.users["owner"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("oit:readiness", args=["1009", 2564])).content.decode()
    assert "Ready 0/4" in html
    assert "Fix first" in html and "Check the links now" in html
