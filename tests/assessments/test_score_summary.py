"""`manage.py score_summary` prints the computed and reported figures and the warnings."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import ReportedScore
from assessments.rollup import score_report

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("score_summary", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reported(assessment):
    framework = assessment.framework
    indicator_1 = framework.indicators.get(number=1)
    ReportedScore.objects.create(
        assessment=assessment, scope="indicator", indicator=indicator_1, value=Decimal("91.25")
    )
    # Printed average that is not the mean of its items (71.22): a warning.
    ReportedScore.objects.create(
        assessment=assessment,
        scope="indicator",
        indicator=framework.indicators.get(number=6),
        value=Decimal("71.95"),
        source="ตารางวิเคราะห์ EIT",
    )
    # OIT printed as points out of its weight: 75 × 40 % = 30.00 computed.
    ReportedScore.objects.create(
        assessment=assessment,
        scope="tool",
        tool=framework.tools.get(code="OIT"),
        value=Decimal("25.24"),
        basis="points",
    )
    return assessment


def test_report_reads_the_database_in_a_few_queries(reported, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        report = score_report(reported)
    assert report.summary.indicators[1] == Decimal("91.25")
    assert report.summary.indicators[6] == Decimal("71.22")
    # (91.2466…×30 + 71.224×30 + 75×40) / 100 = 78.7412
    assert report.summary.total == Decimal("78.74")
    assert report.summary.level == "B"
    assert {(w.scope, w.key) for w in report.warnings} == {("indicator", 6), ("tool", "OIT")}


def test_json_output(reported):
    data = json.loads(run("--organization", "1009", "--year", "2564", "--json"))
    assert set(data) >= {"indicators", "tools", "total", "level", "warnings"}
    assert data["indicators"]["1"]["computed"] == 91.25
    assert data["indicators"]["1"]["reported"] == [{"value": 91.25, "basis": "score", "source": ""}]
    assert data["indicators"]["6"]["computed"] == 71.22
    assert data["tools"]["OIT"]["computed"] == 75.0
    assert data["total"] == 78.74
    assert data["level"] == "B"
    assert len(data["warnings"]) == 2
    assert any("ตัวชี้วัดที่ 6" in w and "71.95" in w for w in data["warnings"])


def test_table_output(reported):
    text = run("--organization", "1009", "--year", "2564")
    assert "91.25" in text
    assert "78.74" in text
    assert "ระดับ (level): B" in text
    assert "ตารางวิเคราะห์ EIT" in text
    assert "25.24/40" in text  # a points figure is shown as printed


def test_unknown_assessment_is_a_clear_error(reported):
    with pytest.raises(CommandError, match="ไม่พบผลการประเมิน"):
        run("--organization", "1009", "--year", "2599")
