"""Data versions per organization and year: a change in one district changes its versions
and no other district's; the catalog changes every district's pages of its year; the
writes that send no signals count their changes themselves."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ItemScore
from assessments.score_import import import_scores
from plans import dataversions
from plans.loaders import load_divisions, load_plan, read_plan_table
from plans.models import Action, DataVersion, Finding, ProgressUpdate
from tests.factories import SEED_SCORES, make_assessment, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(assessment, other_district, framework):
    """A plan of 2565 answering the 2564 assessment in district A, and the same in B."""
    other = make_assessment(other_district, framework, SEED_SCORES)
    return make_plan(assessment), make_plan(other)


def scores_version(assessment):
    return dataversions.read(dataversions.for_scores(assessment))


def progress_version(plan):
    return dataversions.read(dataversions.for_progress(plan))


def versions(a, b):
    return (progress_version(a), scores_version(a.assessment)), (
        progress_version(b),
        scores_version(b.assessment),
    )


def an_action(plan):
    finding = Finding.objects.create(plan=plan, item=plan.assessment.framework.items.first())
    return Action.objects.create(finding=finding, text="ปรับปรุงเว็บไซต์", all_divisions=True)


@pytest.mark.parametrize(
    "change",
    [
        "progress report",
        "action edit",
        "finding edit",
        "action divisions",
        "score edit",
        "round",
    ],
)
def test_a_change_in_district_a_changes_its_versions_and_not_b_s(two, change):
    a, b = two
    action = an_action(a)
    before_a, before_b = versions(a, b)
    if change == "progress report":
        ProgressUpdate.objects.create(action=action, progress=40, note="ทำแล้วครึ่งหนึ่ง")
    elif change == "action edit":
        action.text = "ปรับปรุงเว็บไซต์ทุกเดือน"
        action.save()
    elif change == "finding edit":
        action.finding.analysis = "ยังไม่ครบ"
        action.finding.save()
    elif change == "action divisions":
        load_divisions(a.organization, ["ฝ่ายปกครอง"])
        before_a, before_b = versions(a, b)
        action.divisions.set(a.organization.divisions.all())
    elif change == "score edit":
        score = ItemScore.objects.filter(assessment=a.assessment).first()
        score.score = Decimal("12.50")
        score.save()
    elif change == "round":
        a.rounds.create(name="รอบ 6 เดือน", starts_on=date(2564, 10, 1), ends_on=date(2565, 3, 31))
    after_a, after_b = versions(a, b)
    assert after_b == before_b
    if change == "score edit":
        assert after_a[1] != before_a[1]  # the scores page; the plan reads the same year
    else:
        assert after_a[0] != before_a[0] and after_a[1] != before_a[1]


def test_a_version_only_grows_and_a_delete_counts(two):
    a, _b = two
    action = an_action(a)
    (first,) = progress_version(a)
    action.delete()
    (second,) = progress_version(a)
    assert second != first
    assert int(second.split("/")[0]) > int(first.split("/")[0])


def test_a_division_changes_every_year_of_its_organization(two):
    a, b = two
    before_a, before_b = versions(a, b)
    load_divisions(a.organization, ["ฝ่ายการคลัง"])
    after_a, after_b = versions(a, b)
    assert after_b == before_b
    assert after_a[0] != before_a[0] and after_a[1] != before_a[1]


def test_the_overview_changes_with_any_district_of_its_year_and_not_with_another_year(
    two, django_capture_on_commit_callbacks
):
    a, b = two
    year = a.assessment.framework.fiscal_year  # 2564; the plans are of 2565
    overview = dataversions.read(dataversions.for_year(year))
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        ProgressUpdate.objects.create(action=an_action(b), progress=10, note="เริ่มแล้ว")
    assert after_commit  # the year's total is counted once the change has committed
    changed = dataversions.read(dataversions.for_year(year))
    assert changed != overview
    # Another year: a district's data of 2570 alone.
    with django_capture_on_commit_callbacks(execute=True):
        dataversions.touch([(a.organization_id, 2570)])
    assert dataversions.read(dataversions.for_year(year)) == changed
    assert dataversions.read(dataversions.for_year(2570)) != overview


def test_a_catalog_change_changes_every_district_of_its_year(two, framework):
    a, b = two
    before_a, before_b = versions(a, b)
    item = framework.items.first()
    item.name = "ข้อที่เปลี่ยนชื่อ"
    item.save()
    after_a, after_b = versions(a, b)
    assert after_a[1] != before_a[1] and after_b[1] != before_b[1]
    assert DataVersion.objects.filter(organization=None, fiscal_year=2564).exists()


def test_the_score_import_counts_each_organization_and_year_it_wrote(two, other_district):
    a, b = two
    before_a, before_b = versions(a, b)
    data = f"organization,fiscal_year,item,score\n{a.organization.code},2564,I1,11.00\n"
    import_scores(data.encode(), "fix.csv", user=make_user("importer"))
    after_a, after_b = versions(a, b)
    assert after_b == before_b
    assert after_a[1] != before_a[1]


def test_loading_a_plan_workbook_counts_once(two):
    a, b = two
    load_divisions(a.organization, ["ฝ่ายปกครอง", "ฝ่ายการคลัง"])
    before_a, before_b = versions(a, b)
    header = (
        "ข้อ,หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข,"
        "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565,ผู้รับผิดชอบ,ระยะเวลาการติดตาม,วิธีการติดตาม\n"
    )
    rows = 'O1,โครงสร้าง,- วิเคราะห์,- จุดด้อย,"- ทำข้อแรก\n- ทำข้อสอง",- ฝ่ายการคลัง,,\n'
    with CaptureQueriesContext(connection) as queries:
        load_plan(a, read_plan_table((header + rows).encode(), "plan.csv"))
    after_a, after_b = versions(a, b)
    assert after_b == before_b
    assert after_a[0] != before_a[0]
    upserts = [q for q in queries.captured_queries if "plans_dataversion" in q["sql"]]
    assert len(upserts) == 1  # one finding and two actions, counted once


def test_starting_a_plan_counts_the_new_plan_year():
    from plans import starting
    from tests.plans.start_world import make_start_world

    world = make_start_world()
    preview = starting.build_preview(world.organization)
    new_year = dataversions.organization_part(world.organization.pk, [preview.fiscal_year])
    before = dataversions.read(new_year)
    with CaptureQueriesContext(connection) as queries:
        starting.apply(preview)
    assert dataversions.read(new_year) != before
    upserts = [q for q in queries.captured_queries if "plans_dataversion" in q["sql"]]
    assert len(upserts) == 1  # the plan, its findings, actions and rounds counted once


def test_the_synthetic_loader_counts_what_it_wrote(demo_free_generate):
    organization_id, year = demo_free_generate
    assert DataVersion.objects.filter(organization_id=organization_id, fiscal_year=year).exists()


@pytest.fixture
def demo_free_generate(framework):
    from assessments.models import Assessment
    from plans.synthetic import generate
    from tests.factories import make_organization

    make_organization(kind="district")

    generate(districts=1, years=(2564,), actions_per_weak_item=1, reports_per_action=1)
    assessment = Assessment.objects.select_related("framework").first()
    return assessment.organization_id, assessment.framework.fiscal_year


def test_touching_a_whole_country_is_a_few_statements():
    # 8,300 organizations (the version rows keep no database constraint on them).
    pairs = [(organization, 2566) for organization in range(1, 8301)]
    with CaptureQueriesContext(connection) as queries:
        dataversions.touch(pairs)
        dataversions.touch(pairs)
    assert len(queries.captured_queries) == 2 * 5  # 2,000 rows a statement
    assert DataVersion.objects.count() == 8300
    assert set(DataVersion.objects.values_list("changes", flat=True)) == {2}
