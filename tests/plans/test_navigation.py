"""The menu of each role and a district page's siblings (plans.navigation)."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plans import navigation, starting
from plans.district_nav_html import district_nav_html
from plans.models import Membership
from plans.navigation import DistrictYears
from tests.factories import (
    make_assessment,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)
from tests.plans.small_plan import make_small_plan

pytestmark = pytest.mark.django_db

TODAY = date(2022, 2, 1)  # FY 2565, the small plan's year


@pytest.fixture
def small():
    return make_small_plan()


def central_user(organization):
    user = make_user("central", organization=organization, role="central_manager")
    user.user_permissions.add(Permission.objects.get(codename="view_all_organizations"))
    return user


def test_staff_get_their_work_and_the_plan(small):
    menu = navigation.menu_for(small.staff, TODAY)
    assert menu.keys == ["my_actions", "plan"]
    assert menu.links[1].url == reverse("plan_detail", args=["1009", 2565])
    assert menu.role == "เจ้าหน้าที่"


def test_plan_owner_gets_plan_progress_scores_people_and_oit(small):
    menu = navigation.menu_for(small.owner, TODAY)
    # The 2564 assessment has its plan (2565): nothing is due to start.
    assert menu.keys == ["plan", "progress", "scores", "people", "oit"]
    assert menu.links[2].url == reverse("scores", args=["1009", 2564])
    assert menu.links[4].url == reverse("oit:readiness", args=["1009", 2564])
    assert menu.role == "ผู้รับผิดชอบแผน"


def test_plan_owner_is_offered_the_next_plan_when_it_is_due(small):
    make_assessment(small.organization, make_framework(2565))
    menu = navigation.menu_for(small.owner, TODAY)
    assert "start" in menu.keys
    assert menu.links[menu.keys.index("start")].url == reverse("start_plan", args=["1009"])
    # Staff never start a plan, due or not.
    assert "start" not in navigation.menu_for(small.staff, TODAY).keys


def test_the_menu_offers_the_next_plan_exactly_when_the_start_page_would(small):
    """``DistrictYears.next_plan_due`` (the menu's, from the years in hand) agrees with
    ``starting.plan_due`` (the start page's, from the rows) at each step of a district's years."""
    organization = small.organization

    def agree() -> bool:
        due = navigation.district_years(organization).next_plan_due
        assert due == (starting.plan_due(organization) is not None)
        return due

    assert not agree()  # the small plan (2565) answers the only assessment (2564)
    newer = make_assessment(organization, make_framework(2565))
    assert agree()
    make_assessment(organization, make_framework(2565, name="ฉบับที่สอง"))
    assert agree()  # two editions of the newest year: still one plan due
    make_plan(newer, 2566)
    assert not agree()
    make_assessment(organization, make_framework(2567))  # a year skipped: 2568 is due
    assert agree()
    make_plan(make_assessment(organization, make_framework(2569)), 2570)
    assert not agree()


def test_manager_gets_progress_scores_and_plan(small):
    manager = make_user("boss", organization=small.organization, role="district_manager")
    assert navigation.menu_for(manager, TODAY).keys == ["progress", "scores", "plan"]


def test_central_gets_the_bma_pages_and_no_district_ones(small):
    menu = navigation.menu_for(central_user(small.organization), TODAY)
    assert menu.keys == ["overview", "districts", "bma_oit"]
    assert menu.links[0].url == reverse("overview_latest")
    assert menu.links[2].url == reverse("oit:bma", args=[2564])
    assert menu.role == "ผู้บริหารส่วนกลาง"


def test_superuser_gets_the_bma_pages_people_and_admin(small):
    root = make_user("root", is_superuser=True, is_staff=True, first_name="สมชาย", last_name="ใจดี")
    menu = navigation.menu_for(root, TODAY)
    assert menu.keys == ["overview", "districts", "bma_oit", "people", "admin"]
    assert menu.name == "สมชาย ใจดี"
    assert menu.role == "ผู้ดูแลระบบ"


def test_a_user_with_no_role_gets_no_links_and_the_visitor_no_menu(db):
    from django.contrib.auth.models import AnonymousUser

    menu = navigation.menu_for(make_user("nobody"), TODAY)
    assert (menu.keys, menu.role, menu.name) == ([], "", "nobody")
    assert navigation.menu_for(AnonymousUser(), TODAY) is None


def _menu_queries(user_pk, django_assert_max_num_queries) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(pk=user_pk)  # nothing cached on it
    # membership with its organization, the two permission lists, the plans and assessments'
    # years (whether the next plan is due is asked of them)
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as queries:
        navigation.menu_for(user, TODAY)
    return len(queries.captured_queries)


def test_the_menu_reads_as_many_rows_for_many_years_as_for_one(
    small, django_assert_max_num_queries
):
    one = _menu_queries(small.owner.pk, django_assert_max_num_queries)
    for year in (2566, 2567, 2568):
        make_plan(make_assessment(small.organization, make_framework(year - 1)), year)
    assert _menu_queries(small.owner.pk, django_assert_max_num_queries) == one


@pytest.mark.parametrize(
    ("plans", "today", "expected"),
    [
        ([(2566, 2565), (2565, 2564)], date(2022, 2, 1), 2565),  # the current year's plan
        ([(2566, 2565), (2565, 2564)], date(2030, 2, 1), 2566),  # else the newest before
        ([(2567, 2566)], date(2022, 2, 1), 2567),  # else the first after
        ([], date(2022, 2, 1), None),
    ],
)
def test_the_plan_the_menu_means(plans, today, expected):
    assert DistrictYears(plans=plans, assessments=[]).current_plan_year(today) == expected


def test_siblings_of_a_plan_page_go_to_the_scores_it_answers(small):
    years = navigation.district_years(small.organization)
    nav = navigation.district_nav(small.organization, "progress", 2565, years)
    urls = {link.key: link.url for link in nav.siblings}
    assert urls == {
        "plan": reverse("plan_detail", args=["1009", 2565]),
        "progress": reverse("plan_progress", args=["1009", 2565]),
        "report": reverse("plan_report", args=["1009", 2565]),
        "scores": reverse("scores", args=["1009", 2564]),
        "oit": reverse("oit:readiness", args=["1009", 2564]),
    }


def test_other_years_link_to_the_same_kind_of_page(small):
    make_plan(make_assessment(small.organization, make_framework(2565)), 2566)
    years = navigation.district_years(small.organization)
    nav = navigation.district_nav(small.organization, "progress", 2565, years)
    assert [(link.label, link.url) for link in nav.plan_years] == [
        ("2566", reverse("plan_progress", args=["1009", 2566])),
        ("2565", reverse("plan_progress", args=["1009", 2565])),
    ]
    assert [link.url for link in nav.assessment_years] == [
        reverse("scores", args=["1009", 2565]),
        reverse("scores", args=["1009", 2564]),
    ]
    on_scores = navigation.district_nav(small.organization, "scores", 2565, years)
    assert on_scores.plan_year == 2566  # the plan that answers the 2565 scores
    assert on_scores.assessment_years[0].url == reverse("scores", args=["1009", 2565])


def test_the_district_years_are_one_query_newest_first(small):
    make_plan(make_assessment(small.organization, make_framework(2565)), 2566)
    make_assessment(small.organization, make_framework(2563, name="ชุดเก่า"))
    make_assessment(small.organization, make_framework(2565, name="ชุด ป.ป.ช."))  # a 2nd edition
    with CaptureQueriesContext(connection) as queries:
        years = navigation.district_years(small.organization)
    assert len(queries.captured_queries) == 1
    assert years.plans == [(2566, 2565), (2565, 2564)]
    assert years.assessments == [2565, 2564, 2563]
    assert navigation.district_years(make_organization(code="1050")) == DistrictYears([], [])


def test_a_year_without_a_plan_has_no_plan_siblings(small):
    make_assessment(small.organization, make_framework(2565))
    years = navigation.district_years(small.organization)
    nav = navigation.district_nav(small.organization, "scores", 2565, years)
    assert [link.key for link in nav.siblings] == ["scores", "oit"]


def test_an_admin_of_the_central_office_gets_no_district_links(small):
    from assessments.models import Organization

    central_office = make_organization(code="10", name_th="กรุงเทพมหานคร", kind="central")
    root = make_user("root", is_superuser=True, is_staff=True)
    Membership.objects.create(user=root, organization=central_office, role="admin")
    assert not navigation.in_district(root.membership)
    menu = navigation.menu_for(root, TODAY)
    assert menu.keys == ["overview", "districts", "bma_oit", "people", "admin"]
    assert Organization.objects.get(code="1009").kind == "district"
    assert navigation.in_district(small.owner.membership)


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize(
    "current, year", [("progress", 2565), ("report", 2565), ("scores", 2565), ("start", None)]
)
def test_the_district_bar_prints_what_its_template_printed(small, current, year, language):
    """The bar written in Python is the markup of the template it replaced
    (``district_nav_before.html`` beside this file), whitespace aside: escaped names, the
    simulated badge, the current page and years in bold."""
    make_plan(make_assessment(small.organization, make_framework(2565)), 2566)
    small.organization.name_th = 'สำนักงานเขต <ทดลอง> & "ชื่อ"'
    years = navigation.district_years(small.organization)
    before = Template((Path(__file__).parent / "district_nav_before.html").read_text())
    for simulated in (False, True):
        small.organization.is_simulated = simulated
        nav = navigation.district_nav(small.organization, current, year, years)
        with translation.override(language):
            written = district_nav_html(nav)
            printed = before.render(Context({"nav": nav}))
        assert " ".join(written.split()) == " ".join(printed.split())
        assert ("badge simulated" in written) is simulated
    assert "&lt;ทดลอง&gt; &amp; &quot;ชื่อ&quot;" in written
