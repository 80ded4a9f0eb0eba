"""The local web site the link checker judges; a small district for the OIT pages: the
factories' edition (OIT items O1–O4), two divisions and one user per role, plus a member of
another district."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from oit.models import CheckRun, LinkCheck, PublishedUrl
from oit.readiness import ensure_readiness
from tests.factories import (
    SEED_SCORES,
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_user,
)
from tests.oit.web import LocalSite


@pytest.fixture
def oit_world(db):
    district = make_organization()
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    central_office = make_organization(code="10", name_th="ส่วนกลาง", kind="central")
    framework = make_framework()
    assessment = make_assessment(district, framework, SEED_SCORES)
    finance = make_division(district, "ฝ่ายการคลัง", 1)
    admin_division = make_division(district, "ฝ่ายปกครอง", 2)
    central = make_user("central", organization=central_office, role="central_manager")
    central.user_permissions.add(Permission.objects.get(codename="view_all_organizations"))
    users = {
        "owner": make_user("owner", organization=district, role="plan_owner"),
        "staff": make_user("staff", organization=district, role="staff", division=finance),
        "other_staff": make_user(
            "other_staff", organization=district, role="staff", division=admin_division
        ),
        "manager": make_user("manager", organization=district, role="district_manager"),
        "central": central,
        "outsider": make_user("outsider", organization=other, role="plan_owner"),
        "root": make_user("root", is_superuser=True, is_staff=True),
    }
    ensure_readiness(district, framework)
    rows = {row.item.code: row for row in district.oit_readiness.select_related("item")}
    # O1 is the finance division's; the other items have nobody yet.
    rows["O1"].division = finance
    rows["O1"].save()
    return SimpleNamespace(
        district=district,
        other=other,
        framework=framework,
        assessment=assessment,
        finance=finance,
        admin_division=admin_division,
        users=users,
        rows=rows,
    )


def add_url(readiness, url, result=None, **check):
    """Publish ``url`` for the item and, with ``result``, record a check of it."""
    published = PublishedUrl.objects.create(readiness=readiness, url=url)
    if result is not None:
        run = CheckRun.objects.create(
            organization=readiness.organization, fiscal_year=readiness.item.framework.fiscal_year
        )
        published.latest = LinkCheck.objects.create(
            run=run, published=published, result=result, **check
        )
        published.save()
    return published


@pytest.fixture(scope="session")
def web():
    """The local web site of every case the link checker judges (tests/oit/web.py)."""
    with LocalSite() as site:
        yield site
