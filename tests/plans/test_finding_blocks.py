"""The official table, one line per action: each finding is a block whose item, analysis and
issues span its actions, built once (plans.documents.plan_table) for the plan page, the report
and the .xlsx, and read back by the plan import."""

import io
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.tables import TableError
from plans.documents import plan_table
from plans.documents.xlsx import plan_xlsx
from plans.loaders import load_plan, plan_rows, read_plan_table
from plans.models import Action, Finding, Membership
from tests.factories import (
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)

pytestmark = pytest.mark.django_db

TEXTS = ["ปรับปรุงโครงสร้างบนเว็บไซต์", "อบรมเจ้าหน้าที่เรื่องการเปิดเผยข้อมูล", "ทบทวนคู่มือ"]


@pytest.fixture
def plan():
    """O1 with three actions, each with its own division, window and method; O2 with none."""
    organization = make_organization()
    office = make_division(organization, "ฝ่ายปกครอง", 1)
    finance = make_division(organization, "ฝ่ายการคลัง", 2)
    works = make_division(organization, "ฝ่ายโยธา", 3)
    framework = make_framework()
    plan = make_plan(make_assessment(organization, framework))
    o1 = Finding.objects.create(
        plan=plan, item=framework.items.get(code="O1"), analysis="วิเคราะห์ O1", order=1
    )
    Finding.objects.create(
        plan=plan, item=framework.items.get(code="O2"), analysis="วิเคราะห์ O2", order=2
    )
    windows = [
        (date(2021, 10, 1), date(2021, 12, 31)),
        (date(2022, 1, 1), date(2022, 3, 31)),
        (date(2022, 4, 1), date(2022, 9, 30)),
    ]
    for order, (text, lead, (starts_on, due_on)) in enumerate(
        zip(TEXTS, [office, finance, works], windows, strict=True), start=1
    ):
        action = Action.objects.create(
            finding=o1,
            order=order,
            text=text,
            lead_division=lead,
            starts_on=starts_on,
            due_on=due_on,
            follow_up_method=f"วิธีที่ {order}",
        )
    action.divisions.set([office])
    action.all_divisions = True
    action.save()
    return plan


def blocks(plan) -> dict[str, plan_table.Row]:
    return {
        row.finding.item.code: row
        for section in plan_table.sections(plan, plan_table.findings(plan))
        for group in section.indicators
        for row in group.rows
    }


# --- The builder --------------------------------------------------------------------------------


def test_a_finding_with_three_actions_is_one_block_of_three_lines(plan):
    block = blocks(plan)["O1"]
    assert block.span == 3
    assert [line.text for line in block.lines] == TEXTS
    assert [line.responsible for line in block.lines] == [
        "ฝ่ายปกครอง",
        "ฝ่ายการคลัง",
        "ฝ่ายโยธา /ฝ่ายปกครอง /ทุกฝ่าย",
    ]
    assert [line.window for line in block.lines] == [
        "ต.ค. 64 – ธ.ค. 64",
        "ม.ค. 65 – มี.ค. 65",
        "เม.ย. 65 – ก.ย. 65",
    ]
    assert [line.method for line in block.lines] == ["วิธีที่ 1", "วิธีที่ 2", "วิธีที่ 3"]


def test_a_finding_without_actions_still_takes_one_line(plan):
    block = blocks(plan)["O2"]
    assert block.span == 1
    assert [line.action for line in block.lines] == [None]


# --- The plan page ------------------------------------------------------------------------------


class Rows(HTMLParser):
    """The plan table's body rows: each row's attributes and its cells' (tag, attrs, text)."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.inside = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "plan-table") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append((dict(attrs), []))
        elif self.inside and tag in ("td", "th") and self.rows:
            self.cell = [tag, dict(attrs), ""]
            self.rows[-1][1].append(self.cell)

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def page_html(client, plan) -> str:
    owner = make_user("owner", organization=plan.organization, role=Membership.Role.PLAN_OWNER)
    client.force_login(owner)
    response = client.get(reverse("plan_detail", args=[plan.organization.code, plan.fiscal_year]))
    assert response.status_code == 200
    return response.content.decode()


def page_rows(client, plan) -> list:
    parser = Rows()
    parser.feed(page_html(client, plan))
    return parser.rows


def test_the_plan_page_shows_one_row_per_action_under_spanning_cells(client, plan):
    rows = page_rows(client, plan)
    o1 = Finding.objects.get(item__code="O1")
    start = next(n for n, (attrs, _) in enumerate(rows) if attrs.get("id") == f"finding-{o1.pk}")
    block = rows[start : start + 3]
    first_cells = block[0][1]
    assert [cell[1].get("rowspan") for cell in first_cells[:3]] == ["3", "3", "3"]
    assert "วิเคราะห์ O1" in first_cells[1][2]
    # The first row has 3 spanning cells + 4 of its action; the other two only their 4.
    assert [len(cells) for _, cells in block] == [7, 4, 4]
    action_cells = [cells[-4:] for _, cells in block]
    assert [TEXTS[n] in cells[0][2] for n, cells in enumerate(action_cells)] == [True] * 3
    assert [cells[1][2].strip() for cells in action_cells] == [
        "ฝ่ายปกครอง",
        "ฝ่ายการคลัง",
        "ฝ่ายโยธา / ฝ่ายปกครอง / ทุกฝ่าย",
    ]
    assert [cells[3][2].strip() for cells in action_cells] == ["วิธีที่ 1", "วิธีที่ 2", "วิธีที่ 3"]


def test_the_plan_page_gives_a_finding_without_actions_one_row(client, plan):
    rows = page_rows(client, plan)
    o2 = Finding.objects.get(item__code="O2")
    start = next(n for n, (attrs, _) in enumerate(rows) if attrs.get("id") == f"finding-{o2.pk}")
    cells = rows[start][1]
    assert len(cells) == 7
    assert cells[0][1].get("rowspan") == "1"
    assert "ยังไม่มีการปรับปรุง" in cells[3][2]


def test_every_text_of_the_plan_table_is_escaped(client, plan):
    """The table is written out in Python (plans.documents.plan_html): each text a user or
    an import can set reaches the page as text, never as markup, quotes included."""
    hostile = '<b class="x">{}</b>&\''
    o1 = Finding.objects.get(item__code="O1")
    o1.analysis, o1.issues = hostile.format("analysis"), hostile.format("issues")
    o1.save()
    item = o1.item
    item.name = hostile.format("item")
    item.save()
    item.indicator.name = hostile.format("indicator")
    item.indicator.save()
    item.indicator.tool.name = hostile.format("tool")
    item.indicator.tool.save()
    action = o1.actions.order_by("order").first()
    action.text, action.follow_up_method = hostile.format("text"), hostile.format("method")
    action.save()
    action.lead_division.name = hostile.format("division")
    action.lead_division.save()
    carried = Action.objects.create(
        finding=o1, order=9, text="ยกมา", carried_from=action, lead_division=action.lead_division
    )

    page = page_html(client, plan)
    table = page[page.index('<table class="plan-table') :]
    table = table[: table.index("</table>")]
    assert '<b class="x">' not in table and "</b>" not in table
    for name in ("analysis", "issues", "item", "indicator", "tool", "text", "method", "division"):
        assert f"&lt;b class=&quot;x&quot;&gt;{name}&lt;/b&gt;&amp;&#x27;" in table, name
    assert f'href="{reverse("action_detail", args=[action.pk])}"' in table
    assert f'id="finding-{o1.pk}"' in table and f'rowspan="{o1.actions.count()}"' in table
    assert carried.pk and "ยกมาจากแผนปี" in table


# --- The workbook and its import ------------------------------------------------------------


def test_the_workbook_has_one_row_per_action_and_merges_the_finding_cells(plan):
    sheet = load_workbook(io.BytesIO(plan_xlsx(plan)))["แผนปรับปรุง"]
    first = next(
        row[0].row for row in sheet.iter_rows(min_row=3) if str(row[0].value).startswith("O1 ")
    )
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {f"{column}{first}:{column}{first + 2}" for column in "ABC"} <= merged
    lines = [
        [cell.value for cell in row[3:]]
        for row in sheet.iter_rows(min_row=first, max_row=first + 2)
    ]
    assert lines == [
        [f"- {TEXTS[0]}", "ฝ่ายปกครอง", "ต.ค. 64 – ธ.ค. 64", "วิธีที่ 1"],
        [f"- {TEXTS[1]}", "ฝ่ายการคลัง", "ม.ค. 65 – มี.ค. 65", "วิธีที่ 2"],
        [f"- {TEXTS[2]}", "ฝ่ายโยธา /ฝ่ายปกครอง /ทุกฝ่าย", "เม.ย. 65 – ก.ย. 65", "วิธีที่ 3"],
    ]
    o2 = next(row for row in sheet.iter_rows(min_row=3) if str(row[0].value).startswith("O2 "))
    assert o2[1].value == "วิเคราะห์ O2"
    assert not any(cell.value for cell in o2[3:])
    # The next finding starts right below O1's three lines: nothing merged into it.
    assert sheet.cell(row=first + 3, column=1).value.startswith("O2 ")


def test_the_workbook_of_three_actions_reads_back_with_no_changes(plan):
    counts = load_plan(plan, read_plan_table(plan_xlsx(plan), "plan.xlsx"))
    assert (counts["findings"].created, counts["findings"].updated) == (0, 0)
    assert (counts["actions"].created, counts["actions"].updated) == (0, 0)
    assert (counts["findings"].unchanged, counts["actions"].unchanged) == (2, 3)


def test_a_continuation_row_takes_its_own_division_window_and_method(plan):
    csv = (
        "หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,การปรับปรุงในการดำเนินงาน,ผู้รับผิดชอบ,"
        "ระยะเวลาการติดตาม,วิธีการติดตาม\n"
        "O3 ข้อ O3,วิเคราะห์,- ทำ ก,ฝ่ายปกครอง,ต.ค. 64 – ธ.ค. 64,ประชุม\n"
        ",,- ทำ ข,ฝ่ายการคลัง,ม.ค. 65 – มี.ค. 65,รายงาน\n"
    )
    rows = plan_rows(read_plan_table(csv.encode(), "plan.csv"))
    assert [(row.item_code, row.continued, row.actions) for row in rows] == [
        ("O3", False, ("ทำ ก",)),
        ("O3", True, ("ทำ ข",)),
    ]
    load_plan(plan, read_plan_table(csv.encode(), "plan.csv"))
    actions = Action.objects.filter(finding__item__code="O3").order_by("order")
    assert [
        (a.order, a.text, a.lead_division.name, a.due_on, a.follow_up_method) for a in actions
    ] == [
        (1, "ทำ ก", "ฝ่ายปกครอง", date(2021, 12, 31), "ประชุม"),
        (2, "ทำ ข", "ฝ่ายการคลัง", date(2022, 3, 31), "รายงาน"),
    ]


def test_an_action_row_with_no_finding_above_is_refused_with_its_row_and_column(plan):
    csv = "หัวข้อการประเมิน,การปรับปรุงในการดำเนินงาน,ผู้รับผิดชอบ\nหัวข้อ การเปิดเผยข้อมูล,,\n,- ทำ,ฝ่ายปกครอง\n"
    before = Action.objects.count()
    with pytest.raises(TableError) as caught:
        load_plan(plan, read_plan_table(csv.encode(), "plan.csv"))
    assert "แถว 3, คอลัมน์ ข้อ: ไม่ได้ระบุรหัสข้อการประเมิน" in "\n".join(caught.value.lines())
    assert Action.objects.count() == before


def test_the_rows_under_a_bad_finding_row_add_no_errors_of_their_own(plan):
    csv = (
        "หัวข้อการประเมิน,การปรับปรุงในการดำเนินงาน,ผู้รับผิดชอบ,ระยะเวลาการติดตาม\n"
        "O3 ข้อ O3,- ทำ ก,ฝ่ายปกครอง,ก.ย. 65 – ต.ค. 64\n"
        ",- ทำ ข,ฝ่ายปกครอง,\n"
    )
    with pytest.raises(TableError) as caught:
        plan_rows(read_plan_table(csv.encode(), "plan.csv"))
    [line] = caught.value.lines()
    assert line.startswith("แถว 2, คอลัมน์ ระยะเวลาการติดตาม:")
