"""A district assessed by two editions in one year: the scores page shows one and offers the
other, instead of failing."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Organization
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

URL = reverse("scores", args=["1009", 2564])


@pytest.fixture
def national(demo):
    organization = Organization.objects.get(code="1009")
    return make_assessment(
        organization,
        make_framework(2564, name="ITA ระดับประเทศ"),
        {code: "90" for code in ("I1", "E1")} | {"O1": "100"},
    )


def test_the_page_offers_the_other_edition_of_the_year(client, national):
    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(URL)
    assert response.status_code == 200
    first = response.context["assessment"]
    assert first.framework.name == "ITA ของสำนักงานเขต กรุงเทพมหานคร"  # first by name
    html = response.content.decode()
    assert "ชุดการประเมินอื่นของปีนี้" in html
    assert f'href="?edition={quote("ITA ระดับประเทศ")}"' in html

    response = client.get(URL, {"edition": "ITA ระดับประเทศ"})
    assert response.status_code == 200
    assert response.context["assessment"].framework.name == "ITA ระดับประเทศ"
    assert response.context["page"].report.summary.items["I1"] == 90


def test_an_unknown_edition_is_not_found(client, national):
    client.force_login(get_user_model().objects.get(username="manager"))
    assert client.get(URL, {"edition": "ไม่มีชุดนี้"}).status_code == 404


def test_another_district_still_cannot_see_it(client, national):
    from tests.factories import make_user

    make_user("toei", organization=Organization.objects.get(code="1033"), role="district_manager")
    client.force_login(get_user_model().objects.get(username="toei"))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"edition": "ITA ระดับประเทศ"}).status_code == 404
