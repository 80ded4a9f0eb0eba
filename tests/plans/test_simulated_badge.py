"""Pages that name a district say so when its figures are simulated, and only then."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from assessments.models import Organization

pytestmark = pytest.mark.django_db

BADGE = 'class="badge simulated"'
PAGES = {
    "scores": reverse("scores", args=["1009", 2564]),
    "progress": reverse("plan_progress", args=["1009", 2565]),
    "oit readiness": reverse("oit:readiness", args=["1009", 2564]),
    "oit, every district": reverse("oit:bma", args=[2564]),
}


@pytest.mark.parametrize("simulated", [True, False])
@pytest.mark.parametrize("page", PAGES)
def test_the_badge_follows_the_flag(demo, client, page, simulated):
    Organization.objects.filter(code="1009").update(is_simulated=simulated)
    cache.clear()  # the scores page caches its body by data, not by this flag
    client.force_login(get_user_model().objects.get(username="central"))
    response = client.get(PAGES[page])
    assert response.status_code == 200
    assert (BADGE in response.content.decode()) == simulated
