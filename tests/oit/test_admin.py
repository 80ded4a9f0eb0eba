"""The OIT admin pages open, and another district's readiness is not found there."""

from django.urls import reverse


def test_admin_pages_open_for_a_superuser(client, oit_world):
    client.force_login(oit_world.users["root"])
    for name in ("admin:oit_requirement_changelist", "admin:oit_readiness_changelist"):
        assert client.get(reverse(name)).status_code == 200
    row = oit_world.rows["O1"]
    assert client.get(reverse("admin:oit_readiness_change", args=[row.pk])).status_code == 200


def test_admin_hides_another_districts_readiness(oit_world):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from oit.models import Readiness

    request = RequestFactory().get("/")
    request.user = oit_world.users["outsider"]
    assert not site._registry[Readiness].get_queryset(request).exists()
    request.user = oit_world.users["owner"]
    assert site._registry[Readiness].get_queryset(request).count() == 4
