"""The dashboards' rows kept between requests: the same answers as the page's statement, the
reading rule asked every time, and read again as soon as their version moves."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from assessments.models import Organization, reads_organization
from ita_tracker.auth import signed_in_user
from plans import dataversions, page_rows
from plans.access import assessment_with, plan_with
from plans.models import Membership, Plan
from tests.factories import make_division, make_user, view_all_permission
from tests.plans.reading_world import NACC, make_reading_world

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def world(settings):
    settings.ITA_DASHBOARD_CACHE_SECONDS = 60
    own, other, people = make_reading_world()
    by_group = make_user("by-group", organization=other, role=Role.DISTRICT_MANAGER)
    readers = Group.objects.create(name="ผู้บริหารส่วนกลาง")
    readers.permissions.add(view_all_permission())
    by_group.groups.add(readers)
    people["group+perm"] = by_group
    return own, other, people


def reads_the_plan(query) -> bool:
    """Whether a query is ``plan_with``'s statement (on PostgreSQL, its prepared name)."""
    return Plan._meta.db_table in query["sql"] or "plan_with_" in query["sql"]


def signed_in(people, name):
    """The user as a request has them: read with their session."""
    return signed_in_user(people[name].pk)


def test_the_reading_rule_in_python_agrees_with_the_querysets(world):
    people = world[2]
    organizations = list(Organization.objects.all())
    for name, person in people.items():
        # As a request reads them (membership and permission with the user), and plainly.
        for user in (signed_in_user(person.pk), get_user_model().objects.get(pk=person.pk)):
            readable = set(Organization.objects.visible_to(user).values_list("pk", flat=True))
            for organization in organizations:
                assert reads_organization(user, organization.pk) == (organization.pk in readable), (
                    name,
                    organization.code,
                )
    assert not any(reads_organization(AnonymousUser(), o.pk) for o in organizations)


def test_a_kept_row_is_the_statement_s_row_read_with_its_versions_only(world):
    own, _other, people = world
    user = signed_in(people, "central+perm")
    menu = [dataversions.member_part(own.pk)]
    first, first_versions = page_rows.progress_plan(user, own.code, 2565, menu)
    with CaptureQueriesContext(connection) as queries:
        again, versions = page_rows.progress_plan(user, own.code, 2565, menu)
    assert len(queries) == 1
    assert not reads_the_plan(queries[0])
    direct, read = plan_with(
        user, own.code, 2565, also=[dataversions.of_row(dataversions.PROGRESS_OF_ROW), *menu]
    )
    assert versions == dataversions.as_text(read) == dataversions.as_text(first_versions)
    assert again == direct and again is not first
    with CaptureQueriesContext(connection) as queries:
        assert again.organization == own and again.assessment.framework.fiscal_year == 2564
        assert again.title == direct.title and again.status == direct.status
    assert not queries.captured_queries
    # Instances made anew for every request: a page that changes its own leaves the kept row.
    again.title = "แก้ในหน้าเดียว"
    assert page_rows.progress_plan(user, own.code, 2565)[0].title == direct.title


def test_an_assessment_is_kept_by_edition(world):
    own, _other, people = world
    user = signed_in(people, "boss")
    for edition in (None, NACC, None, NACC):
        kept, versions = page_rows.scores_assessment(user, own.code, 2564, edition)
        direct, read = assessment_with(
            user, own.code, 2564, edition, also=[dataversions.of_row(dataversions.SCORES_OF_ROW)]
        )
        assert kept == direct and kept.framework == direct.framework
        assert versions == dataversions.as_text(read)
    assert page_rows.scores_assessment(user, own.code, 2564, NACC)[0].framework.name == NACC


def test_the_reading_rule_is_asked_of_every_request(world):
    own, other, people = world
    page_rows.progress_plan(signed_in(people, "boss"), other.code, 2565)
    page_rows.scores_assessment(signed_in(people, "boss"), other.code, 2564)
    for name in (Role.STAFF, Role.PLAN_OWNER, Role.DISTRICT_MANAGER, "nobody"):
        user = signed_in(people, name)
        with pytest.raises(Http404):
            page_rows.progress_plan(user, other.code, 2565)
        with pytest.raises(Http404):
            page_rows.scores_assessment(user, other.code, 2564)
    # Their own district's kept row they read.
    page_rows.progress_plan(signed_in(people, "boss"), own.code, 2565)
    staff = signed_in(people, Role.STAFF)
    assert page_rows.progress_plan(staff, own.code, 2565)[0].organization == own
    # A member moved to another district reads it, and no longer their former one.
    Membership.objects.filter(user=people[Role.STAFF]).update(
        organization=other, division=make_division(other)
    )
    moved = signed_in(people, Role.STAFF)
    assert page_rows.progress_plan(moved, other.code, 2565)[0].organization == other
    with pytest.raises(Http404):
        page_rows.progress_plan(moved, own.code, 2565)


def test_a_change_of_the_row_is_read_at_once(world):
    own, _other, people = world
    user = signed_in(people, "boss")
    plan = page_rows.progress_plan(user, own.code, 2565)[0]
    Plan.objects.filter(pk=plan.pk).update(title="แผนฉบับปรับปรุง")
    # A write without signals counts its change itself (dataversions.touch).
    assert page_rows.progress_plan(user, own.code, 2565)[0].title != "แผนฉบับปรับปรุง"
    dataversions.touch([(own.pk, 2565)])
    assert page_rows.progress_plan(user, own.code, 2565)[0].title == "แผนฉบับปรับปรุง"
    # Saved (signals count it): the organization renamed.
    own.name_th = "เขตพระโขนงใหม่"
    own.save()
    assert page_rows.progress_plan(user, own.code, 2565)[0].organization.name_th == own.name_th
    # Deleted: not found, though it was kept.
    Plan.objects.get(pk=plan.pk).delete()
    with pytest.raises(Http404):
        page_rows.progress_plan(user, own.code, 2565)


def test_kept_no_longer_than_the_dashboards_and_not_at_all_without_them(
    world, settings, monkeypatch
):
    own, _other, people = world
    user = signed_in(people, "boss")
    page_rows.progress_plan(user, own.code, 2565)

    def statements():
        with CaptureQueriesContext(connection) as queries:
            page_rows.progress_plan(user, own.code, 2565)
        return [q["sql"] for q in queries if reads_the_plan(q)]

    assert statements() == []
    now = page_rows.monotonic()
    monkeypatch.setattr(page_rows, "monotonic", lambda: now + 61)
    assert len(statements()) == 1  # expired: read again, and kept again from then
    assert statements() == []
    settings.ITA_DASHBOARD_CACHE_SECONDS = 0
    assert len(statements()) == 1
    assert len(statements()) == 1


def test_at_most_limit_rows_the_oldest_forgotten_first(world, monkeypatch):
    own, other, people = world
    user = signed_in(people, "boss")
    monkeypatch.setattr(page_rows, "LIMIT", 2)
    page_rows.progress_plan(user, own.code, 2565)
    page_rows.progress_plan(user, other.code, 2565)
    page_rows.progress_plan(user, own.code, 2565)  # used again: now the newest
    page_rows.scores_assessment(user, own.code, 2564)
    kept = [key[2:] for key in page_rows._kept]
    assert kept == [(own.code, 2565), (own.code, 2564, None)]
