"""`score_summary --edition`: several editions in one year, and the NACC rating's gap in the
JSON (new fields beside the old ones)."""

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import LevelBand
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

NACC = "ITA ระดับประเทศ"
# IIT 98.80; EIT (80 + 82 + 84 + 86 + 88) / 5 = 84.00; OIT 100: total 94.84, ผ่าน.
SCORES = {
    **{f"I{n}": "98.80" for n in range(1, 7)},
    **{f"E{n}": v for n, v in enumerate(["80", "82", "84", "86", "88"], 1)},
    **{f"O{n}": "100" for n in range(1, 5)},
}


def run(*args) -> str:
    out = StringIO()
    call_command("score_summary", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_editions(district, assessment):
    """Phra Khanong's 2564 BMA-edition assessment, and one of a national edition that year."""
    national = make_framework(fiscal_year=2564, name=NACC)
    national.issuer = "สำนักงาน ป.ป.ช."
    national.save()
    national.bands.all().delete()
    for label, minimum, each in [
        ("ผ่านดีเยี่ยม", "95", "95"),
        ("ผ่านดี", "85", "85"),
        ("ผ่าน", "85", None),
        ("ต้องปรับปรุง", "70", None),
        ("ต้องปรับปรุงโดยด่วน", "0", None),
    ]:
        LevelBand.objects.create(
            framework=national,
            label=label,
            min_score=D(minimum),
            min_each_tool=D(each) if each else None,
        )
    return make_assessment(district, national, SCORES)


def test_two_editions_in_a_year_need_an_edition_and_say_which(two_editions):
    with pytest.raises(CommandError, match="ระบุ --edition") as error:
        run("--organization", "1009", "--year", "2564")
    assert NACC in str(error.value)


def test_an_unknown_edition_names_the_ones_there_are(two_editions):
    with pytest.raises(CommandError, match="ไม่พบผลการประเมิน"):
        run("--organization", "1009", "--year", "2564", "--edition", "ไม่มีชุดนี้")


def test_the_edition_picks_one_and_the_json_adds_the_next_level(two_editions):
    data = json.loads(run("--organization", "1009", "--year", "2564", "--edition", NACC, "--json"))
    assert (data["total"], data["level"]) == (94.84, "ผ่าน")
    assert (data["edition"], data["issuer"]) == (NACC, "สำนักงาน ป.ป.ช.")
    assert data["levels"][1] == {"label": "ผ่านดี", "min_score": 85.0, "min_each_tool": 85.0}
    assert data["next_level"] == {
        "label": "ผ่านดี",
        "min_score": 85.0,
        "min_each_tool": 85.0,
        "total_shortfall": 0.0,
        "tools": [
            {
                "tool": "EIT",
                "score": 84.0,
                "minimum": 85.0,
                "shortfall": 1.0,
                "items": [{"item": "E1", "score": 80.0, "target": 85.0, "tool_rise": 1.0}],
            }
        ],
    }
    # The old keys are all still there.
    assert set(data) >= {"organization", "fiscal_year", "framework", "indicators", "tools"}


def test_the_table_says_what_stands_between(two_editions):
    text = run("--organization", "1009", "--year", "2564", "--edition", NACC)
    assert "ระดับ (level): ผ่าน" in text
    assert "ระดับถัดไป (next level): ผ่านดี — ยังขาด EIT +1.00 (E1)" in text


def test_the_other_edition_keeps_its_aa_to_f_level(two_editions):
    edition = "ITA ของสำนักงานเขต กรุงเทพมหานคร"
    data = json.loads(
        run("--organization", "1009", "--year", "2564", "--edition", edition, "--json")
    )
    assert (data["total"], data["level"]) == (78.74, "B")
    assert data["next_level"]["label"] == "A"
    assert data["next_level"]["total_shortfall"] == pytest.approx(6.26)
