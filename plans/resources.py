"""The plan rows resource: a plan file in the official seven-column layout, all or nothing.

Rows become findings (one per item) and their actions (one per "- " line); the official
workbook of ``plans.documents.xlsx`` reads back through it with no changes.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields

from assessments.models import ImportRecord
from assessments.resources import TableImportResource
from assessments.tables import CellError, TableError
from plans.documents import planrows
from plans.loaders import load_plan, read_plan_table
from plans.models import Finding, Plan


def _column(name: str) -> fields.Field:
    return fields.Field(column_name=name, readonly=True)


class PlanRowResource(TableImportResource):
    """Findings and actions of one plan, from a file of the official table."""

    item = _column(planrows.ITEM)
    heading = _column(planrows.HEADING)
    analysis = _column(planrows.ANALYSIS)
    issues = _column(planrows.ISSUES)
    improvement = _column(f"{planrows.IMPROVEMENT}ในปีงบประมาณ พ.ศ. …")
    responsible = _column(planrows.RESPONSIBLE)
    window = _column(planrows.WINDOW)
    method = _column(planrows.METHOD)

    record_kind = ImportRecord.Kind.PLAN
    preview_headers = (_("ข้อ"), _("ส่วน"), _("ข้อความ"))

    class Meta:
        model = Finding
        fields = ("item", "heading", "analysis", "issues", "improvement", "responsible")
        fields += ("window", "method")

    def __init__(self, plan: Plan | None = None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan

    def read(self, data, name):
        return read_plan_table(data, name)

    def import_table(self, table, *, user):
        if self.plan is None:
            raise TableError([CellError(gettext("ยังไม่ได้เลือกแผนที่จะนำเข้า"))], table.name)
        counts = load_plan(self.plan, table)
        return counts["findings"] + counts["actions"]
