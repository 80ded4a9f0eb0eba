"""What the role and district page tests share: a small plan with scores and a round open
today, a central manager, and reading a page's menu."""

from datetime import date

from django.contrib.auth.models import Permission
from django.urls import reverse

from plans.models import ReportingRound
from tests.factories import SEED_SCORES, make_user
from tests.plans.small_plan import make_small_plan


def small_plan_with_scores():
    world = make_small_plan()
    # The assessment's scores, and a round open today, so every figure has something to show.
    world.plan.assessment.scores.all().delete()
    items = {item.code: item for item in world.plan.assessment.framework.items.all()}
    for code, score in SEED_SCORES.items():
        world.plan.assessment.scores.create(item=items[code], score=score)
    today = date.today()
    ReportingRound.objects.create(plan=world.plan, name="รอบวันนี้", starts_on=today, ends_on=today)
    return world


def central_user(organization, username="central"):
    user = make_user(username, organization=organization, role="central_manager")
    user.user_permissions.add(Permission.objects.get(codename="view_all_organizations"))
    return user


def page(client, user, url=None):
    client.force_login(user)
    response = client.get(url or reverse("home"))
    assert response.status_code == 200
    return response


def menu_keys(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-menu="')[1:]]
