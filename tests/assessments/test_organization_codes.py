"""Organization codes are digits and Latin letters: the model, the admin form and every
importer that takes a code say so in Thai, by row and column, and write nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assessments.loaders import import_reported
from assessments.models import ItemScore, Organization, organization_code_problem
from assessments.score_import import import_scores
from assessments.tables import TableError, read_table
from plans.demo import load_districts

MESSAGE = "ต้องเป็นตัวเลขหรืออักษรละตินเท่านั้น"


@pytest.mark.parametrize("code", ["1009", "F0001", "bkk50"])
def test_digits_and_latin_letters_are_codes(code):
    assert organization_code_problem(code) is None


@pytest.mark.parametrize("code", ["เขต1009", "10 09", "1009/1", "10-09", "１００９"])
def test_anything_else_is_not(code):
    assert MESSAGE in organization_code_problem(code)


@pytest.mark.django_db
def test_the_model_refuses_a_thai_code():
    with pytest.raises(ValidationError) as caught:
        Organization(code="เขตพระโขนง", name_th="เขตพระโขนง").full_clean()
    assert MESSAGE in " ".join(caught.value.message_dict["code"])


@pytest.mark.django_db
def test_the_score_import_names_the_row_and_column(assessment):
    data = "organization,fiscal_year,item,score\n1009,2564,O1,100\nเขต 1009,2564,O2,100\n"
    with pytest.raises(TableError) as caught:
        import_scores(data.encode(), "scores.csv")
    assert [str(error) for error in caught.value.errors] == [
        "แถว 3, คอลัมน์ organization: รหัสหน่วยงาน “เขต 1009” ใช้ไม่ได้: "
        "ต้องเป็นตัวเลขหรืออักษรละตินเท่านั้น เช่น 1009"
    ]
    assert not ItemScore.objects.filter(item__code="O1", score=100).exists()


@pytest.mark.django_db
def test_the_reported_figures_import_names_the_row(assessment):
    data = "organization,fiscal_year,scope,target,value,basis\n10/09,2564,total,,90,official\n"
    with pytest.raises(TableError) as caught:
        import_reported(read_table(data.encode(), "reported.csv"))
    first = str(caught.value.errors[0])
    assert first.startswith("แถว 2, คอลัมน์ organization: รหัสหน่วยงาน “10/09”")


@pytest.mark.django_db
def test_the_district_list_is_refused_whole_for_one_bad_code(tmp_path):
    path = tmp_path / "districts.csv"
    path.write_text("code,name_th,name_en\n1001,เขตพระนคร,Phra Nakhon\nดุสิต,เขตดุสิต,Dusit\n")
    with pytest.raises(TableError) as caught:
        load_districts(path)
    assert str(caught.value.errors[0]).startswith("แถว 3, คอลัมน์ code: รหัสหน่วยงาน “ดุสิต”")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_the_plan_import_command_refuses_a_malformed_code(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("ข้อ\n")
    with pytest.raises(CommandError, match=MESSAGE):
        call_command("import_plan", str(path), "--organization", "เขต 1009", "--year", "2565")
