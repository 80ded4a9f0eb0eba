"""Who may read and change OIT readiness, page by page."""

import pytest
from django.urls import reverse

from oit.models import Readiness


def _get(client, world, who, url):
    client.force_login(world.users[who])
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("staff", 200),
        ("manager", 200),
        ("central", 200),
        ("root", 200),
        ("outsider", 404),
    ],
)
def test_readiness_page(client, oit_world, who, status):
    url = reverse("oit:readiness", args=["1009", 2564])
    assert _get(client, oit_world, who, url) == status


def test_signed_out_is_sent_to_sign_in(client, oit_world):
    response = client.get(reverse("oit:readiness", args=["1009", 2564]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    ("who", "item", "status"),
    [
        ("owner", "O1", 200),
        ("owner", "O2", 200),
        ("root", "O2", 200),
        ("staff", "O1", 200),  # their division's item
        ("staff", "O2", 403),  # nobody's yet: the plan owner hands it out
        ("other_staff", "O1", 403),  # another division's
        ("manager", "O1", 403),  # reads only
        ("central", "O1", 403),
        ("outsider", "O1", 404),
    ],
)
def test_edit_page(client, oit_world, who, item, status):
    url = reverse("oit:edit", args=[oit_world.rows[item].pk])
    assert _get(client, oit_world, who, url) == status


def test_a_refused_post_changes_nothing(client, oit_world):
    row = oit_world.rows["O1"]
    client.force_login(oit_world.users["manager"])
    response = client.post(
        reverse("oit:edit", args=[row.pk]),
        {"status": "ready", "note": "x", "urls": "", "version": row.version},
    )
    assert response.status_code == 403
    assert Readiness.objects.get(pk=row.pk).status == Readiness.Status.NOT_STARTED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("central", 200),
        ("root", 200),
        ("owner", 403),
        ("manager", 403),
        ("staff", 403),
        ("outsider", 403),
    ],
)
def test_bma_table_is_for_central_managers(client, oit_world, who, status):
    assert _get(client, oit_world, who, reverse("oit:bma", args=[2564])) == status


def test_staff_edit_only_their_division_queryset(oit_world):
    staff = oit_world.users["staff"]
    assert set(Readiness.objects.editable_by(staff).values_list("item__code", flat=True)) == {"O1"}
    owner = oit_world.users["owner"]
    assert Readiness.objects.editable_by(owner).count() == 4
    assert not Readiness.objects.editable_by(oit_world.users["manager"]).exists()
    assert not Readiness.objects.visible_to(oit_world.users["outsider"]).exists()
    assert Readiness.objects.visible_to(oit_world.users["central"]).count() == 4
