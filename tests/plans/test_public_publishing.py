"""Publishing a plan to its public page: who may, when, the plan page's block, the command,
and the "public" checkbox of a progress report."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans import publishing
from plans.models import Plan, ProgressUpdate
from tests.factories import make_organization, make_user
from tests.plans.small_plan import make_small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_small_plan(status=Plan.Status.APPROVED)
    world.manager = make_user("manager", organization=world.organization, role="district_manager")
    world.other_owner = make_user(
        "other",
        organization=make_organization(code="1033", name_th="เขตคลองเตย"),
        role="plan_owner",
    )
    world.admin = make_user("admin", is_superuser=True, is_staff=True)
    return world


def url(world, step):
    return reverse(f"plan_{step}", args=[world.organization.code, world.plan.fiscal_year])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The rules -------------------------------------------------------------------------------


def test_who_may_publish(world):
    plan = world.plan
    assert publishing.may_publish(plan, world.owner)
    assert publishing.may_publish(plan, world.admin)
    assert not publishing.may_publish(plan, world.staff)
    assert not publishing.may_publish(plan, world.manager)
    assert not publishing.may_publish(plan, world.other_owner)
    signed_out = AnonymousUser()
    assert not publishing.may_publish(plan, signed_out)
    for user in (world.owner, world.admin, world.staff, world.manager, world.other_owner):
        owned = Plan.objects.owned_by(user).filter(pk=plan.pk).exists()
        assert publishing.may_publish(plan, user) == owned, user


def test_a_draft_is_not_published_an_approved_or_closed_plan_is(world):
    plan = world.plan
    plan.status = Plan.Status.DRAFT
    assert "ร่าง" in publishing.publish_refusal(plan)
    for status in (Plan.Status.APPROVED, Plan.Status.CLOSED):
        plan.status = status
        assert publishing.publish_refusal(plan) is None


def test_publish_records_who_and_when_and_withdraw_clears_both(world):
    now = timezone.now()
    published = publishing.publish(world.plan, world.owner, now)
    assert (published.published_by, published.published_at) == (world.owner, now)
    assert list(publishing.public_plans()) == [published]
    withdrawn = publishing.withdraw(published)
    assert withdrawn.published_by is None and withdrawn.published_at is None
    assert not publishing.public_plans().exists()
    # The history keeps who had published it.
    assert withdrawn.history.filter(published_by=world.owner).exists()


def test_publishing_twice_or_withdrawing_an_unpublished_plan_is_refused(world):
    with pytest.raises(publishing.PublishRefused, match="ไม่ได้เผยแพร่"):
        publishing.withdraw(world.plan)
    publishing.publish(world.plan, world.owner, timezone.now())
    with pytest.raises(publishing.PublishRefused, match="อยู่แล้ว"):
        publishing.publish(world.plan, world.owner, timezone.now())


def test_a_published_plan_sent_back_to_draft_leaves_the_public_pages(world):
    publishing.publish(world.plan, world.owner, timezone.now())
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    assert not publishing.public_plans().exists()


@pytest.mark.parametrize("status", list(Plan.Status))
@pytest.mark.parametrize("published", [False, True])
def test_is_public_says_what_public_plans_selects(world, status, published):
    Plan.objects.filter(pk=world.plan.pk).update(
        status=status, published_at=timezone.now() if published else None
    )
    plan = Plan.objects.get(pk=world.plan.pk)
    assert publishing.is_public(plan) == publishing.public_plans().filter(pk=plan.pk).exists()
    assert publishing.is_public(plan) == (published and status != Plan.Status.DRAFT)


def test_the_public_url_is_absolute(world, settings, rf):
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    assert publishing.public_url(world.plan) == "https://ita.example.go.th/public/1009/2565/"
    settings.ALLOWED_HOSTS = ["ita.bangkok.example"]
    request = rf.get("/", HTTP_HOST="ita.bangkok.example")
    assert (
        publishing.public_url(world.plan, request) == "http://ita.bangkok.example/public/1009/2565/"
    )


# --- The views -------------------------------------------------------------------------------


def test_the_owner_publishes_and_withdraws_from_the_plan_page(client, world):
    client.force_login(world.owner)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "ยังไม่เผยแพร่" in page and "ยืนยันเผยแพร่" in page

    response = client.post(url(world, "publish"))
    assert response.status_code == 302
    assert "เผยแพร่แผนต่อสาธารณะแล้ว" in messages_of(response)[0]
    world.plan.refresh_from_db()
    assert world.plan.published_by == world.owner and world.plan.published_at is not None

    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert 'value="http://testserver/public/1009/2565/"' in page
    assert 'data-copy="public-url"' in page and "js/copy-link" in page
    assert "ยืนยันถอนการเผยแพร่" in page

    response = client.post(url(world, "withdraw"))
    assert "ถอนการเผยแพร่แล้ว" in messages_of(response)[0]
    world.plan.refresh_from_db()
    assert world.plan.published_at is None and world.plan.published_by is None


def test_a_draft_plan_is_refused_with_the_reason(client, world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    client.force_login(world.owner)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "ยืนยันเผยแพร่" not in page and "อนุมัติแผนก่อนจึงเผยแพร่ได้" in page
    response = client.post(url(world, "publish"))
    assert messages_of(response) == ["แผนที่เป็นร่างเผยแพร่ต่อสาธารณะไม่ได้ โปรดอนุมัติแผนก่อน"]
    world.plan.refresh_from_db()
    assert world.plan.published_at is None


def test_the_admin_publishes_any_district(client, world):
    client.force_login(world.admin)
    client.post(url(world, "publish"))
    world.plan.refresh_from_db()
    assert world.plan.published_by == world.admin


@pytest.mark.parametrize("who, status", [("staff", 403), ("manager", 403), ("other_owner", 404)])
@pytest.mark.parametrize("step", ["publish", "withdraw"])
def test_others_may_not_publish_or_withdraw(client, world, who, status, step):
    if step == "withdraw":
        publishing.publish(world.plan, world.owner, timezone.now())
    before = Plan.objects.values_list("published_at", "published_by").get(pk=world.plan.pk)
    client.force_login(getattr(world, who))
    assert client.post(url(world, step)).status_code == status
    after = Plan.objects.values_list("published_at", "published_by").get(pk=world.plan.pk)
    assert after == before


def test_staff_and_managers_see_no_publish_button(client, world):
    for user in (world.staff, world.manager):
        client.force_login(user)
        page = client.get(world.plan.get_absolute_url()).content.decode()
        assert "ยืนยันเผยแพร่" not in page and "ยืนยันถอนการเผยแพร่" not in page


def test_publishing_is_post_only(client, world):
    client.force_login(world.owner)
    assert client.get(url(world, "publish")).status_code == 405
    assert client.get(url(world, "withdraw")).status_code == 405


def test_signed_out_publishing_goes_to_sign_in(client, world):
    response = client.post(url(world, "publish"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    world.plan.refresh_from_db()
    assert world.plan.published_at is None


# --- The command -----------------------------------------------------------------------------


def test_the_command_publishes_without_a_user_and_withdraws(world, settings):
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    out = StringIO()
    call_command("publish_plan", organization="1009", year=2565, stdout=out)
    world.plan.refresh_from_db()
    assert world.plan.published_at is not None and world.plan.published_by is None
    assert "https://ita.example.go.th/public/1009/2565/" in out.getvalue()
    call_command("publish_plan", organization="1009", year=2565, withdraw=True, stdout=StringIO())
    world.plan.refresh_from_db()
    assert world.plan.published_at is None


def test_the_command_refuses_a_draft_and_an_unknown_plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    with pytest.raises(CommandError, match="ร่าง"):
        call_command("publish_plan", organization="1009", year=2565)
    with pytest.raises(CommandError, match="ไม่พบแผนปี 2570"):
        call_command("publish_plan", organization="1009", year=2570)
    world.plan.refresh_from_db()
    assert world.plan.published_at is None


# --- The progress report's checkbox ----------------------------------------------------------


def test_the_report_form_offers_public_off_by_default_and_saves_it(client, world):
    client.force_login(world.staff)
    report_url = reverse("progress_create", args=[world.action.pk])
    page = client.get(report_url).content.decode()
    assert "เผยแพร่รายละเอียดและหลักฐานนี้ต่อสาธารณะ" in page
    assert 'name="is_public"' in page and "checked" not in page.split('name="is_public"')[1][:40]
    form = client.get(report_url).context["form"]
    data = {
        "version": form.initial["version"],
        "progress": 50,
        "status": "in_progress",
        "note": "ประกาศบนเว็บไซต์แล้ว",
    }
    client.post(report_url, data)
    client.post(
        report_url,
        {
            **data,
            "version": client.get(report_url).context["form"].initial["version"],
            "is_public": "on",
        },
    )
    assert list(ProgressUpdate.objects.order_by("pk").values_list("is_public", flat=True)) == [
        False,
        True,
    ]


# --- What "changed" means for the cache validators -------------------------------------------


def test_last_changed_follows_the_plans_rows_and_reports(world):
    publishing.publish(world.plan, world.owner, timezone.now())
    first = publishing.last_changed(world.plan)
    assert first is not None and first >= world.plan.history.earliest().history_date

    world.action.text = "เผยแพร่แผนการจัดซื้อจัดจ้างและผลการจัดซื้อบนเว็บไซต์"
    world.action.save()
    after_edit = publishing.last_changed(world.plan)
    assert after_edit > first

    ProgressUpdate.objects.create(action=world.action, progress=20, status="in_progress")
    after_report = publishing.last_changed(world.plan)
    assert after_report > after_edit

    world.action.delete()
    assert publishing.last_changed(world.plan) > after_report
