"""django-import-export resources: rows looked up by natural keys, never database ids.

Item scores: organization code, fiscal year (Buddhist Era) and item code within that year's
framework. Numbers are read by ``thaidates.parse_number`` (Thai digits, numbers as text).
"""

from import_export import fields, resources, widgets

from assessments.models import Assessment, Framework, Item, ItemScore, Organization
from assessments.thaidates import ThaiNumberError, normalize_digits, parse_number


class ScoreWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return parse_number(value)
        except ThaiNumberError as error:
            raise ValueError(str(error)) from error


class ItemScoreResource(resources.ModelResource):
    """One row per score: organization, fiscal_year, item, score."""

    organization = fields.Field(
        column_name="organization", attribute="assessment__organization__code", readonly=True
    )
    fiscal_year = fields.Field(
        column_name="fiscal_year", attribute="assessment__framework__fiscal_year", readonly=True
    )
    item = fields.Field(column_name="item", attribute="item__code", readonly=True)
    score = fields.Field(column_name="score", attribute="score", widget=ScoreWidget())

    class Meta:
        model = ItemScore
        fields = ("organization", "fiscal_year", "item", "score")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def _keys(self, row) -> tuple[Assessment, Item]:
        code = normalize_digits(str(row.get("organization") or "")).strip()
        year = normalize_digits(str(row.get("fiscal_year") or "")).strip()
        item_code = normalize_digits(str(row.get("item") or "")).strip().upper()
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise ValueError(f"ไม่มีหน่วยงานรหัส {code}")
        framework = Framework.objects.filter(fiscal_year=int(float(year or 0))).first()
        if framework is None:
            raise ValueError(f"ยังไม่มีชุดการประเมินของปีงบประมาณ {year}")
        item = framework.items.filter(code=item_code).first()
        if item is None:
            raise ValueError(f"ไม่มีข้อ {item_code} ในชุดการประเมินปี {year}")
        assessment, _ = Assessment.objects.get_or_create(
            organization=organization, framework=framework
        )
        return assessment, item

    def get_instance(self, instance_loader, row):
        assessment, item = self._keys(row)
        return ItemScore.objects.filter(assessment=assessment, item=item).first()

    def init_instance(self, row=None):
        assessment, item = self._keys(row)
        return ItemScore(assessment=assessment, item=item)
