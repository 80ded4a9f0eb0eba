"""A plan file through the admin (owners: their own plan only) and the plan download."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ImportRecord, Organization
from plans.documents.xlsx import plan_xlsx
from plans.models import Action, Plan
from tests.factories import make_assessment, make_plan, make_user

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:plans_plan_import")
CONFIRM = reverse("admin:plans_plan_process_import")


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def plan(demo):
    return Plan.objects.get(organization__code="1009", fiscal_year=2565)


@pytest.fixture
def other_plan(demo):
    other = Organization.objects.get(code="1033")
    return make_plan(make_assessment(other, Plan.objects.get().assessment.framework))


def with_admin_access(name):
    """A demo user given admin access (is_staff) and the right to see plans."""
    person = user(name)
    person.is_staff = True
    person.save()
    person.user_permissions.add(Permission.objects.get(codename="view_plan"))
    return person


@pytest.fixture
def owner(client, demo):
    owner = with_admin_access("owner")
    client.force_login(owner)
    return owner


def upload(client, plan, data, name="plan.xlsx"):
    file = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"format": "0", "plan": plan.pk, "import_file": file})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {name: form.initial.get(name, "") for name in form.fields})


def test_the_official_workbook_reads_back_with_no_changes(client, owner, plan):
    preview = upload(client, plan, plan_xlsx(plan))
    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 83 + 103)
    assert "ไฟล์นี้ไม่ทำให้ข้อมูลเปลี่ยน" in preview.content.decode()


def test_an_owner_changes_their_plan_with_a_preview_first(client, owner, plan):
    workbook = load_workbook(io.BytesIO(plan_xlsx(plan)))
    sheet = workbook["แผนปรับปรุง"]
    rows = list(sheet.iter_rows(min_row=3))
    first = next(n for n, r in enumerate(rows) if str(r[0].value).startswith("O1 "))
    # O1's block: its first row and the rows below whose merged item cell is empty.
    last = first
    while last + 1 < len(rows) and rows[last + 1][0].value is None:
        last += 1
    assert last - first == 2
    row = rows[last]
    row[3].value = row[3].value + "\n- จัดทำแผนผังโครงสร้างใหม่"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, plan, buffer.getvalue(), "changed.xlsx")
    assert [row.diff for row in preview.context["result"].valid_rows()] == [
        ["O1", "การปรับปรุง", "จัดทำแผนผังโครงสร้างใหม่"]
    ]
    assert not Action.objects.filter(text="จัดทำแผนผังโครงสร้างใหม่").exists()
    assert confirm(client, preview).status_code == 302
    action = Action.objects.get(text="จัดทำแผนผังโครงสร้างใหม่")
    assert action.finding.plan == plan
    record = ImportRecord.objects.get(kind="plan")
    assert (record.user, record.file_name, record.created) == (owner, "changed.xlsx", 1)


def test_an_owner_cannot_import_into_another_districts_plan(client, owner, plan, other_plan):
    form = client.get(IMPORT).context["form"]
    assert list(form.fields["plan"].queryset) == [plan]
    response = upload(client, other_plan, plan_xlsx(plan))
    assert "plan" in response.context["form"].errors
    assert "confirm_form" not in response.context
    assert not other_plan.findings.exists()


def test_staff_who_own_no_plan_get_no_import(client, demo):
    client.force_login(with_admin_access("staff"))
    assert client.get(IMPORT).status_code == 403
    page = client.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert IMPORT not in page


def test_the_admin_lists_only_plans_the_user_may_see(client, owner, plan, other_plan):
    listed = client.get(reverse("admin:plans_plan_changelist")).context["cl"].result_list
    assert list(listed) == [plan]


def test_a_bad_plan_file_lists_its_errors_and_writes_nothing(client, owner, plan):
    data = (
        "ข้อ,หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข,"
        "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565,ผู้รับผิดชอบ,ระยะเวลาการติดตาม,วิธีการติดตาม\n"
        "O99,,,,- ทำ,ฝ่ายปกครอง,,\n"
        "O1,,,,- ทำ,ฝ่ายที่ไม่มี,,\n"
    ).encode()
    preview = upload(client, plan, data, "bad.csv")
    invalid = preview.context["result"].invalid_rows
    assert [(row.number, list(row.field_specific_errors)) for row in invalid] == [
        (2, ["ข้อ"]),
        (3, ["ผู้รับผิดชอบ"]),
    ]
    assert "confirm_form" not in preview.context


@pytest.mark.parametrize(
    ("username", "status"), [("owner", 200), ("staff", 200), ("manager", 200), ("central", 200)]
)
def test_the_plan_downloads_for_those_who_may_see_it(client, plan, username, status):
    client.force_login(user(username))
    response = client.get(reverse("plan_xlsx", args=["1009", 2565]))
    assert response.status_code == status
    assert response["Content-Disposition"] == 'attachment; filename="ita-plan-1009-2565.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["แผนปรับปรุง", "คะแนน"]


def test_another_districts_plan_is_not_found_and_strangers_sign_in(client, plan, other_plan):
    url = reverse("plan_xlsx", args=[other_plan.organization.code, other_plan.fiscal_year])
    client.force_login(user("owner"))
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(reverse("plan_xlsx", args=["1009", 2565]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_home_page_links_the_download(client, plan):
    client.force_login(user("staff"))
    assert reverse("plan_xlsx", args=["1009", 2565]) in client.get("/").content.decode()


def test_editable_by_follows_role_and_district(demo, plan, other_plan):
    assert list(Plan.objects.editable_by(user("owner"))) == [plan]
    assert not Plan.objects.editable_by(user("staff")).exists()
    assert not Plan.objects.editable_by(user("manager")).exists()
    assert not Plan.objects.editable_by(user("central")).exists()
    assert set(Plan.objects.editable_by(user("admin"))) == {plan, other_plan}
    assert not Plan.objects.editable_by(make_user("nobody")).exists()
