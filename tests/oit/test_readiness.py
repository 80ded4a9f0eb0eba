"""The readiness rules: the edition, the rows of every OIT item, what readiness is worth."""

from decimal import Decimal as D

import pytest

from assessments.editions import EditionError
from assessments.models import Item
from oit import readiness as rules
from oit.models import Readiness
from plans.demo import load_demo
from tests.factories import make_framework
from tests.oit.conftest import add_url


@pytest.mark.django_db
def test_demo_gets_a_row_for_each_of_the_43_oit_items_in_order():
    load_demo(with_users=False)
    from assessments.models import Organization

    district = Organization.objects.get(code="1009")
    framework = rules.edition_for(district, 2564)
    assert rules.ensure_readiness(district, framework) == 43
    codes = list(
        Readiness.objects.of(district, framework)
        .order_by("item__order")
        .values_list("item__code", flat=True)
    )
    assert codes == [f"O{n}" for n in range(1, 44)]
    # Again: nothing new, nothing doubled.
    assert rules.ensure_readiness(district, framework) == 0
    assert Readiness.objects.of(district, framework).count() == 43


def test_only_the_oit_checklist_items_get_rows(oit_world):
    assert set(oit_world.rows) == {"O1", "O2", "O3", "O4"}
    assert not rules.oit_items(oit_world.framework).exclude(kind=Item.Kind.CHECKLIST).exists()


def test_the_edition_is_the_assessments_else_the_years_one(oit_world):
    assert rules.edition_for(oit_world.district, 2564) == oit_world.framework
    later = make_framework(fiscal_year=2569)
    assert rules.edition_for(oit_world.district, 2569) == later
    with pytest.raises(EditionError):
        rules.edition_for(oit_world.district, 2570)


def test_would_reach_counts_only_ready_items_with_a_working_link(oit_world):
    rows = oit_world.rows
    # O1 scores 0 now: ready with a working link, it would reach 100.
    rows["O1"].status = Readiness.Status.READY
    rows["O1"].save()
    add_url(rows["O1"], "https://example.org/o1", "ok")
    # Ready but its only link is broken: not counted.
    rows["O2"].status = Readiness.Status.READY
    rows["O2"].save()
    add_url(rows["O2"], "https://example.org/o2", "broken")
    page = rules.readiness_page(oit_world.district, oit_world.framework)
    assert (page.ready, page.total) == (2, 4)
    # By hand: IIT 547.48/6, EIT 356.12/5, OIT (0+100+100+100)/4 = 75, weights 30/30/40:
    # 27.3740 + 21.3672 + 30 = 78.7412; with O1 at 100 OIT is 100: 88.7412.
    assert page.outlook.oit_now == D("75.00")
    assert page.outlook.total_now == D("78.74")
    assert page.outlook.total_reach == D("88.74")


def test_outlook_is_a_pure_function_of_the_scores():
    from assessments import scoring

    spec = scoring.FrameworkSpec(
        tools=(scoring.ToolSpec("OIT", D("100")),),
        indicators=(scoring.IndicatorSpec(9, "OIT", D("100"), ("O1", "O2")),),
        bands=(),
        pass_mark=D("85"),
        checklist=frozenset({"O1", "O2"}),
    )
    seen = rules.outlook(spec, {"O1": D("0"), "O2": D("0")}, ["O2"])
    assert (seen.total_now, seen.total_reach) == (D("0.00"), D("50.00"))


def test_fix_first_lists_failing_links_then_not_ready_items_by_points(oit_world):
    rows = oit_world.rows
    for code in ("O2", "O3"):
        rows[code].status = Readiness.Status.READY
        rows[code].save()
    add_url(rows["O3"], "https://example.org/o3", "wrong_year")
    add_url(rows["O2"], "https://example.org/o2", "broken")
    page = rules.readiness_page(oit_world.district, oit_world.framework)
    lines = [
        (line.readiness.item.code, line.url.latest.result if line.url else line.points)
        for line in page.fix_first
    ]
    # O1 (0 now) adds 10 points of the total; O4 already scores 100 and adds nothing.
    assert lines == [("O2", "broken"), ("O3", "wrong_year"), ("O1", D("10")), ("O4", None)]


def test_without_an_assessment_only_the_counts(oit_world):
    later = make_framework(fiscal_year=2569)
    rules.ensure_readiness(oit_world.district, later)
    page = rules.readiness_page(oit_world.district, later)
    assert page.assessment is None and page.outlook is None
    assert (page.ready, page.total) == (0, 4)
    assert [line.readiness.item.code for line in page.fix_first] == ["O1", "O2", "O3", "O4"]
