"""The scores page across years and editions: the change on the year before through item
links, the trend over every year, and the NACC rating with its tool minimums (also on the
overview)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import ItemLink, LevelBand
from plans import dashboards
from tests.factories import make_assessment, make_framework, make_organization, make_user

pytestmark = pytest.mark.django_db

NACC_BANDS = [
    ("ผ่านดีเยี่ยม", "95", "95"),
    ("ผ่านดี", "85", "85"),
    ("ผ่าน", "85", None),
    ("ต้องปรับปรุง", "70", None),
    ("ต้องปรับปรุงโดยด่วน", "0", None),
]

# IIT 98.80; EIT (80 + 82 + 84 + 86 + 88) / 5 = 84.00; OIT 100:
# total 29.64 + 25.20 + 40.00 = 94.84 — ผ่าน, not ผ่านดี (EIT is short of 85).
PASS_SCORES = {
    **{f"I{n}": "98.80" for n in range(1, 7)},
    **{f"E{n}": v for n, v in enumerate(["80", "82", "84", "86", "88"], 1)},
    **{f"O{n}": "100" for n in range(1, 5)},
}


def nacc_framework(fiscal_year, name="ITA ระดับประเทศ"):
    framework = make_framework(fiscal_year=fiscal_year, name=name)
    framework.bands.all().delete()
    for label, minimum, each in NACC_BANDS:
        LevelBand.objects.create(
            framework=framework,
            label=label,
            min_score=D(minimum),
            min_each_tool=D(each) if each else None,
        )
    return framework


@pytest.fixture
def district(db):
    return make_organization()


@pytest.fixture
def manager(district):
    return make_user("manager", organization=district, role="district_manager")


def page_of(client, user, year):
    client.force_login(user)
    response = client.get(reverse("scores", args=["1009", year]))
    assert response.status_code == 200
    return response


# --- The change on the year before goes through the links -----------------------------------


@pytest.fixture
def renumbered(district):
    """2564's O1 is 2565's O4 and the other way round; the rest keep their codes."""
    old = make_framework(fiscal_year=2564)
    new = make_framework(fiscal_year=2565, name="ITA 2565")
    old_items = {item.code: item for item in old.items.all()}
    new_items = {item.code: item for item in new.items.all()}
    pairs = {code: code for code in old_items} | {"O1": "O4", "O4": "O1"}
    for old_code, new_code in pairs.items():
        ItemLink.objects.create(
            from_item=old_items[old_code],
            to_item=new_items[new_code],
            status=ItemLink.Status.CONFIRMED,
        )
    make_assessment(district, old, {"I1": "80", "E1": "70", "O1": "0", "O4": "100"})
    make_assessment(district, new, {"I1": "90", "E1": "70", "O1": "100", "O4": "100"})
    return old, new


def item_changes(page):
    return {row.item.code: row.change for row in page.items}


def test_an_items_change_is_on_its_linked_item(client, manager, renumbered):
    page = page_of(client, manager, 2565).context["page"]
    changes = item_changes(page)
    assert changes["O4"] == D("100")  # was 2564's O1: 0 → 100
    assert changes["O1"] == D("0")  # was 2564's O4: 100 → 100
    assert changes["I1"] == D("10")


def test_an_unconfirmed_link_gives_no_change(client, manager, renumbered):
    _, new = renumbered
    ItemLink.objects.filter(to_item__code="O4", to_framework=new).update(
        status=ItemLink.Status.SUGGESTED
    )
    changes = item_changes(page_of(client, manager, 2565).context["page"])
    # The editions are linked, so the old code O4 is no longer taken for the same item.
    assert changes["O4"] is None
    assert changes["O1"] == D("0")


def test_editions_never_linked_compare_by_code(client, manager, renumbered):
    ItemLink.objects.all().delete()
    changes = item_changes(page_of(client, manager, 2565).context["page"])
    assert changes["O1"] == D("100") and changes["O4"] == D("0")


def test_indicators_compare_by_number_within_the_tool(client, manager, renumbered):
    page = page_of(client, manager, 2565).context["page"]
    by_number = {row.key: row for row in page.indicators}
    # Indicator 9 (OIT): 2564 (0 + 100) / 2 = 50, 2565 (100 + 100) / 2 = 100.
    assert (by_number[9].previous, by_number[9].change) == (D("50.00"), D("50.00"))
    assert by_number[1].change == D("10.00")


def test_the_year_before_prefers_the_same_edition(client, manager, district, renumbered):
    other = make_framework(fiscal_year=2564, name="ITA 2565")  # this year's edition name
    make_assessment(district, other, {"I1": "50", "E1": "50", "O1": "0"})
    page = page_of(client, manager, 2565).context["page"]
    assert page.previous.assessment.framework == other


# --- The trend ------------------------------------------------------------------------------


def test_the_trend_shows_every_year_the_district_has(client, manager, district, renumbered):
    make_assessment(district, make_framework(fiscal_year=2563, name="ITA 2563"), PASS_SCORES)
    response = page_of(client, manager, 2565)
    trend = response.context["page"].trend
    assert [year.year for year in trend.years] == [2563, 2564, 2565]
    total = next(row for row in trend.rows if row.kind == "total")
    # 2563: 94.84; 2564: I 80 / 70 / (0 + 100) / 2 → 24 + 21 + 20 = 65; 2565: 27 + 21 + 40 = 88.
    assert total.values == [D("94.84"), D("65.00"), D("88.00")]
    eit = next(row for row in trend.rows if row.label == "EIT")
    assert eit.values == [D("84.00"), D("70.00"), D("70.00")]
    oit_indicator = next(row for row in trend.rows if row.label.startswith("9."))
    assert oit_indicator.values == [D("100.00"), D("50.00"), D("100.00")]
    html = response.content.decode()
    assert "แนวโน้มรายปี" in html and "94.84" in html and "65.00" in html
    assert response.context["charts"]["trend"].svg.startswith("<svg")


def test_one_year_has_no_trend_section(client, manager, district):
    make_assessment(district, make_framework(fiscal_year=2564), PASS_SCORES)
    response = page_of(client, manager, 2564)
    assert "แนวโน้มรายปี" not in response.content.decode()


# --- The NACC rating ------------------------------------------------------------------------


def test_the_scores_page_rates_with_tool_minimums_and_names_the_gap(client, manager, district):
    make_assessment(district, nacc_framework(2566), PASS_SCORES)
    response = page_of(client, manager, 2566)
    page = response.context["page"]
    assert (page.report.summary.total, page.report.summary.level) == (D("94.84"), "ผ่าน")
    assert page.next_level.label == "ผ่านดี"
    (eit,) = page.gap.tools
    assert (eit.code, eit.shortfall, [s.gain.code for s in eit.steps]) == ("EIT", D("1.00"), ["E1"])
    html = response.content.decode()
    assert "สิ่งที่ยังขาดสำหรับระดับ ผ่านดี" in html
    assert "EIT +1.00" in html
    assert "<strong>E1</strong> 80.00 → 85" in html


def test_the_overview_rates_with_tool_minimums(client, district):
    make_assessment(district, nacc_framework(2566), PASS_SCORES)
    data = dashboards.overview(
        dashboards.Assessment.objects.all(), 2566, date(2023, 1, 1), sort="-total"
    )
    assert [(row.summary.total, row.summary.level) for row in data.rows] == [(D("94.84"), "ผ่าน")]
    client.force_login(make_user("boss", is_superuser=True))
    html = client.get(reverse("overview", args=[2566])).content.decode()
    assert "ผ่าน<" in html and "ผ่านดี<" not in html


def test_another_district_cannot_see_the_page(client, district, renumbered):
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    outsider = make_user("toei", organization=other, role="district_manager")
    client.force_login(outsider)
    assert client.get(reverse("scores", args=["1009", 2565])).status_code == 404


def test_the_page_reads_as_many_queries_for_four_years_as_for_two(client, manager, district):
    make_assessment(district, make_framework(fiscal_year=2565, name="ITA 2565"), PASS_SCORES)
    make_assessment(district, make_framework(fiscal_year=2564), PASS_SCORES)

    url = reverse("scores", args=["1009", 2565])
    client.force_login(manager)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    count()  # the first request of a session reads a few things once
    two = count()
    make_assessment(district, make_framework(fiscal_year=2563, name="ITA 2563"), PASS_SCORES)
    make_assessment(district, make_framework(fiscal_year=2562, name="ITA 2562"), PASS_SCORES)
    assert count() == two
