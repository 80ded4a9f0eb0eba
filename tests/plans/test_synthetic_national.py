"""The national synthetic data set at 1/100 scale: hierarchy, kinds, determinism, plans."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count

from assessments.models import Framework, ItemScore, Organization, organization_code_validator
from assessments.score_import import import_scores
from plans import synthetic_national as national
from plans.models import Action, Finding, Plan, ProgressUpdate

pytestmark = pytest.mark.django_db

SCALE = 0.01
KIND = Organization.Kind


@pytest.fixture(scope="module")
def world(demo, django_db_blocker, tmp_path_factory):
    """The hierarchy, its scores imported and its plans added, once for the module (on top
    of the demo), then rolled back."""
    directory = tmp_path_factory.mktemp("national")
    with django_db_blocker.unblock(), transaction.atomic():
        created = national.generate_organizations(scale=SCALE)
        national.edition()
        codes = national.national_codes()
        path = directory / "national.csv"
        scores = national.write_score_file(path, codes)
        imported = import_scores(path.read_bytes(), path.name)
        plans = national.add_plans()
        yield {
            "created": created,
            "codes": codes,
            "path": path,
            "scores": scores,
            "imported": imported,
            "plans": plans,
        }
        transaction.set_rollback(True)


def test_the_hierarchy_has_every_kind_at_the_scale_asked(world):
    shape = national.Shape.of(SCALE)
    assert world["created"] == {
        KIND.MINISTRY: shape.ministries,
        KIND.DEPARTMENT: shape.departments,
        KIND.PROVINCE: shape.provinces,
        KIND.LOCAL: shape.local_bodies,
    }
    counts = Counter(Organization.objects.filter(is_simulated=True).values_list("kind", flat=True))
    for kind, count in world["created"].items():
        assert counts[kind] == count
    full = national.Shape.of(1)
    assert full.total + 51 == 8_300  # with the BMA office and its 50 districts


def test_every_organization_has_the_parent_of_its_kind(world):
    parents = {
        KIND.MINISTRY: None,
        KIND.PROVINCE: None,
        KIND.DEPARTMENT: KIND.MINISTRY,
        KIND.LOCAL: KIND.PROVINCE,
        KIND.DISTRICT: KIND.CENTRAL,
    }
    found = set(Organization.objects.exclude(kind=KIND.CENTRAL).values_list("kind", "parent__kind"))
    assert found == set(parents.items())
    assert set(
        Organization.objects.filter(kind=KIND.DISTRICT).values_list("parent__code", flat=True)
    ) == {"10"}
    # Local bodies spread unevenly over the provinces, as in the real country.
    per_province = Organization.objects.filter(kind=KIND.PROVINCE).annotate(n=Count("children"))
    assert len({province.n for province in per_province}) > 1 or per_province.count() == 1


def test_generated_organizations_are_valid_marked_and_named_in_both_languages(world):
    generated = Organization.objects.exclude(kind__in=[KIND.DISTRICT, KIND.CENTRAL])
    assert generated.filter(is_simulated=False).count() == 0
    for organization in generated:
        organization_code_validator(organization.code)
        assert "ตัวอย่าง" in organization.name_th
        assert organization.name_en.startswith("Sample ")


def test_the_same_seed_gives_the_same_data_and_a_second_run_adds_nothing(world, tmp_path):
    shape = national.Shape.of(SCALE)
    assert national._national_rows(shape, 1) == national._national_rows(shape, 1)
    assert national._national_rows(shape, 1) != national._national_rows(shape, 2)
    again = tmp_path / "again.csv"
    national.write_score_file(again, world["codes"])
    assert again.read_bytes() == world["path"].read_bytes()
    # An organization's scores depend on its code only, not on the others in the file.
    alone = tmp_path / "alone.csv"
    national.write_score_file(alone, world["codes"][3:4])
    assert alone.read_text().splitlines()[1] == world["path"].read_text().splitlines()[4]
    assert set(national.generate_organizations(scale=SCALE).values()) == {0}
    assert national.add_plans()["plans"] == 0
    assert Framework.objects.filter(fiscal_year=national.NATIONAL_YEAR).count() == 1


def test_one_wide_file_holds_every_score_of_the_edition(world):
    items = national.edition().items.count()
    assert items == 88  # the demo's 2564 framework, copied
    assert world["scores"] == len(world["codes"]) * items
    assert len(world["imported"].created) == world["scores"]
    assert (
        ItemScore.objects.filter(assessment__framework__fiscal_year=national.NATIONAL_YEAR).count()
        == world["scores"]
    )
    assert "10" in world["codes"]
    assert not Organization.objects.filter(code__in=world["codes"], kind=KIND.DISTRICT).exists()


def test_one_agency_in_ten_has_a_plan_of_about_thirty_actions(world):
    plans = Plan.objects.filter(fiscal_year=national.NATIONAL_YEAR + 1)
    planned = set(national.planned_codes(world["codes"]))
    assert set(plans.values_list("organization__code", flat=True)) == planned
    assert 0.04 < len(planned) / len(world["codes"]) < 0.2
    assert world["plans"]["plans"] == len(planned)
    actions = Counter(
        Action.objects.filter(finding__plan__in=plans).values_list("finding__plan_id", flat=True)
    )
    findings = Counter(Finding.objects.filter(plan__in=plans).values_list("plan_id", flat=True))
    assert set(findings.values()) == {national.FINDINGS_PER_PLAN}
    assert all(15 <= count <= 45 for count in actions.values())
    assert 24 <= sum(actions.values()) / len(actions) <= 36
    assert ProgressUpdate.objects.filter(action__finding__plan__in=plans).exists()
    # The findings are each plan's weakest items.
    plan = plans.first()
    weakest = sorted(
        ItemScore.objects.filter(assessment=plan.assessment).values_list("score", flat=True)
    )[: national.FINDINGS_PER_PLAN]
    found = sorted(
        ItemScore.objects.filter(
            assessment=plan.assessment, item__in=plan.findings.values("item")
        ).values_list("score", flat=True)
    )
    assert found == weakest
