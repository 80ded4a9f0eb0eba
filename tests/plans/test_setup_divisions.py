"""The standard division list: read from its data file, one normaliser for every name, applied
by ``setup_divisions`` and the organization admin's action."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Organization
from plans import division_names
from plans.division_names import DivisionListError, read_standard_divisions
from plans.documents import planrows
from plans.models import Division
from tests.factories import make_division, make_organization, make_user

DEMO_TEN = [
    "ฝ่ายปกครอง",
    "ฝ่ายทะเบียน",
    "ฝ่ายการคลัง",
    "ฝ่ายรายได้",
    "ฝ่ายโยธา",
    "ฝ่ายรักษาความสะอาดและสวนสาธารณะ",
    "ฝ่ายเทศกิจ",
    "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล",
    "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม",
    "ฝ่ายการศึกษา",
]


def test_the_shipped_list_has_the_ten_divisions_of_the_demo_district_in_order():
    assert list(division_names.standard_divisions().names) == DEMO_TEN


@pytest.mark.parametrize(
    ("printed", "standard"),
    [
        ("ฝ่ายคลัง", "ฝ่ายการคลัง"),
        ("ฝ่าย คลัง", "ฝ่ายการคลัง"),
        ("- คลัง", "ฝ่ายการคลัง"),
        ("ฝ่ายรักษาความสะอาดฯ", "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"),
        ("ฝ่ายสิ่งแวดล้อม", "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล"),
        ("ฝ่ายพัฒนาชุมชน", "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม"),
        ("ฝ่ายการคลัง", "ฝ่ายการคลัง"),
    ],
)
def test_variants_are_read_as_the_standard_name_by_setup_and_plan_import_alike(printed, standard):
    assert division_names.normalise_division_name(printed) == standard
    assert planrows.parse_responsible(printed).lead == standard


def write(tmp_path, text):
    path = tmp_path / "divisions.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_data_file_with_spaced_names_and_aliases_is_read_in_their_standard_form(tmp_path):
    path = write(
        tmp_path,
        '[[divisions]]\nname = "ฝ่าย ปกครอง"\n\n[[divisions]]\nname = "การคลัง"\naliases = ["คลัง"]\n',
    )
    standard = read_standard_divisions(path)
    assert standard.names == ("ฝ่ายปกครอง", "ฝ่ายการคลัง")
    assert standard.aliases == {"ฝ่ายคลัง": "ฝ่ายการคลัง"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[divisions]]\nname = "ฝ่ายปกครอง"\n[[divisions]]\nname = "ปกครอง"\n',
            "รายการที่ 2: ชื่อ “ฝ่ายปกครอง” ซ้ำ",
        ),
        (
            '[[divisions]]\nname = "ฝ่ายการคลัง"\naliases = ["ฝ่ายปกครอง"]\n'
            '[[divisions]]\nname = "ฝ่ายปกครอง"\n',
            "รายการที่ 2: ชื่อ “ฝ่ายปกครอง” ซ้ำ",
        ),
        ('[[divisions]]\naliases = ["คลัง"]\n', "รายการที่ 1: ไม่มีชื่อฝ่าย"),
        ("divisions = [", "อ่านรายชื่อฝ่ายมาตรฐาน divisions.toml ไม่ได้"),
    ],
)
def test_an_ambiguous_or_broken_data_file_is_refused_naming_the_entry(tmp_path, text, message):
    with pytest.raises(DivisionListError, match=message):
        read_standard_divisions(write(tmp_path, text))


def names(organization):
    return list(organization.divisions.order_by("order").values_list("name", flat=True))


def run(*args):
    out = StringIO()
    call_command("setup_divisions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def districts(db):
    empty = make_organization("1001", "เขตพระนคร", kind=Organization.Kind.DISTRICT)
    partial = make_organization("1009", "เขตพระโขนง", kind=Organization.Kind.DISTRICT)
    make_division(partial, "ฝ่ายคลัง", order=1)  # a variant of ฝ่ายการคลัง
    make_division(partial, "งานพิเศษ", order=2)
    central = make_organization("10", "กรุงเทพมหานคร", kind=Organization.Kind.CENTRAL)
    return empty, partial, central


def test_only_districts_without_divisions_get_the_list_and_counts_are_printed(districts):
    empty, partial, central = districts
    output = run()
    assert names(empty) == DEMO_TEN
    assert names(partial) == ["ฝ่ายคลัง", "งานพิเศษ"]
    assert names(central) == []
    assert "เพิ่มฝ่ายให้ 1 หน่วยงาน รวม 10 ฝ่าย; ข้ามเพราะมีฝ่ายอยู่แล้ว 1 หน่วยงาน" in output


def test_running_it_again_adds_nothing(districts):
    run()
    before = Division.objects.count()
    output = run()
    assert Division.objects.count() == before
    assert "เพิ่มฝ่ายให้ 0 หน่วยงาน รวม 0 ฝ่าย" in output


def test_a_district_named_gains_only_the_standard_divisions_it_lacks(districts):
    _, partial, _ = districts
    output = run("--organization", "1009")
    # The variant it has counts as ฝ่ายการคลัง; its own unit stays; nothing is renamed.
    assert names(partial) == ["ฝ่ายคลัง", "งานพิเศษ"] + [n for n in DEMO_TEN if n != "ฝ่ายการคลัง"]
    assert "เพิ่ม 9 ฝ่าย" in output
    assert run("--organization", "1009").count("รวม 0 ฝ่าย") == 1


def test_a_dry_run_says_what_it_would_add_and_writes_nothing(districts):
    output = run("--dry-run")
    assert Division.objects.count() == 2
    assert "จะเพิ่ม (dry run ยังไม่บันทึก) 10 ฝ่าย" in output


@pytest.mark.parametrize(
    ("code", "message"),
    [("10", "กรุงเทพมหานคร: ไม่ใช่สำนักงานเขต"), ("9999", "ไม่มีหน่วยงานรหัส 9999")],
)
def test_an_organization_that_is_not_a_district_is_refused(districts, code, message):
    with pytest.raises(CommandError, match=message):
        run("--organization", code)
    assert Division.objects.count() == 2


def admin_action(client, organizations):
    return client.post(
        reverse("admin:assessments_organization_changelist"),
        {"action": "add_standard_divisions", "_selected_action": [o.pk for o in organizations]},
        follow=True,
    )


def test_the_admin_action_sets_up_the_selected_districts_for_a_superuser(client, districts):
    empty, partial, _ = districts
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = admin_action(client, [empty])
    assert names(empty) == DEMO_TEN
    assert names(partial) == ["ฝ่ายคลัง", "งานพิเศษ"]
    assert "เขตพระนคร: เพิ่ม 10 ฝ่าย" in response.content.decode()


def office_admin(organization):
    user = make_user("office", organization=organization, role="admin", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organization", "change_organization"])
    )
    return user


def test_an_office_admin_sets_up_only_their_own_district(client, districts):
    empty, partial, _ = districts
    client.force_login(office_admin(partial))
    # Another district is not even listed for them; a forged selection of it changes nothing.
    response = admin_action(client, [empty, partial])
    assert names(empty) == []
    assert len(names(partial)) == 11
    assert "เขตพระโขนง: เพิ่ม 9 ฝ่าย" in response.content.decode()


def test_a_plan_owner_without_the_change_permission_has_no_such_action(client, districts):
    _, partial, _ = districts
    user = make_user("owner", organization=partial, role="plan_owner", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    client.force_login(user)
    response = admin_action(client, [partial])
    assert names(partial) == ["ฝ่ายคลัง", "งานพิเศษ"]
    assert response.status_code == 200
