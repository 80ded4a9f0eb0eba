"""The plan page and the report read a constant number of queries whatever the plan's size, and
their big tables print what the rows hold: escaped text, one line per action, the reader's
links only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.documents import plan_table
from plans.models import Action, Plan
from tests.factories import make_division, make_user
from tests.plans.small_plan import grow, make_small_plan

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["plan_detail", "plan_report"])
def test_the_query_count_does_not_grow_with_the_actions(client, page):
    world = make_small_plan(status=Plan.Status.APPROVED)
    url = reverse(page, args=[world.organization.code, world.plan.fiscal_year])
    client.force_login(world.owner)
    grow(world, 2, carried=True)
    small = _queries(client, url)
    grow(world, 38, carried=True)
    large = _queries(client, url)
    assert large == small
    # Every action is printed: 1 + 40 lines (the report writes each as a "- " bullet).
    html = client.get(url).content.decode()
    marker = 'class="action"' if page == "plan_detail" else 'class="line bullet">- '
    assert html.count(marker) == 41


def test_the_plan_table_escapes_what_people_typed(client):
    world = make_small_plan()
    world.finding.analysis = "วิเคราะห์ <b>ตัวหนา</b> & ต่อ"
    world.finding.save()
    Action.objects.filter(pk=world.action.pk).update(text='ลิงก์ <a href="x">ไม่ใช่ลิงก์</a>')
    client.force_login(world.owner)
    for page in ("plan_detail", "plan_report"):
        html = client.get(reverse(page, args=[world.organization.code, 2565])).content.decode()
        assert "<b>ตัวหนา</b>" not in html and '<a href="x">' not in html
        assert "&lt;b&gt;ตัวหนา&lt;/b&gt; &amp; ต่อ" in html
        assert "ลิงก์ &lt;a href=" in html


def test_edit_and_report_links_follow_the_readers_rights(client):
    world = make_small_plan()
    grow(world, 3, carried=True)
    url = reverse("plan_detail", args=[world.organization.code, 2565])
    edit = reverse("finding_edit", args=[world.finding.pk])
    report = reverse("progress_create", args=[world.action.pk])
    client.force_login(world.owner)
    owner_page = client.get(url).content.decode()
    assert edit in owner_page and reverse("action_create", args=[world.finding.pk]) in owner_page
    client.force_login(world.staff)
    staff_page = client.get(url).content.decode()
    assert edit not in staff_page
    # The staff member reports on their division's actions (finance leads every one here).
    assert report in staff_page
    stranger = make_user("stranger", organization=world.organization, division=world.admin_division)
    client.force_login(stranger)
    assert report not in client.get(url).content.decode()


def test_a_carried_action_links_to_the_action_it_carries_over(client):
    world = make_small_plan()
    grow(world, 1, carried=True)
    client.force_login(world.owner)
    html = client.get(reverse("plan_detail", args=[world.organization.code, 2565])).content
    carried = reverse("action_detail", args=[world.action.pk])
    assert f'class="small carried" href="{carried}"'.encode() in html
    assert "ยกมาจากแผนปี 2565".encode() in html


def test_divisions_are_attached_in_their_order_with_the_lead(django_assert_num_queries):
    world = make_small_plan()
    third = make_division(world.organization, "ฝ่ายโยธา", 0)
    world.action.divisions.set([world.admin_division, third])
    Action.objects.filter(pk=world.action.pk).update(all_divisions=True)
    actions = list(Action.objects.filter(finding__plan=world.plan))
    with django_assert_num_queries(2):
        plan_table.attach_divisions(world.plan, actions)
    [action] = actions
    assert action.shared_division_names == ["ฝ่ายโยธา", "ฝ่ายปกครอง"]
    with django_assert_num_queries(0):
        assert plan_table.responsible_text(action) == "ฝ่ายการคลัง /ฝ่ายโยธา /ฝ่ายปกครอง /ทุกฝ่าย"
