"""Benchmark: import a BMA-wide wide score workbook (50 districts × 88 items = 4,400 scores).

    make bench-import      (on a throw-away PostgreSQL cluster)

Prints the seconds of the app's importer (`import_scores`: checked whole, bulk writes with
history) side by side with django-import-export's row-by-row default on the same data, in the
same run and database, and their ratio. Figures, not assertions: the machine decides.
"""

import io
import os
import random
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from assessments.loaders import load_framework  # noqa: E402
from assessments.models import (  # noqa: E402
    Assessment,
    Framework,
    ImportRecord,
    Item,
    ItemScore,
    Organization,
)
from assessments.resources import ItemScoreResource, SpreadsheetFormat  # noqa: E402
from assessments.score_import import import_scores  # noqa: E402
from assessments.tables import read_table, text_of  # noqa: E402
from assessments.thaidates import parse_number  # noqa: E402
from plans.demo import load_districts  # noqa: E402


class RowByRowScoreResource(resources.ModelResource):
    """django-import-export's default way: one row at a time, looked up by natural keys."""

    organization = fields.Field("assessment__organization__code", "organization", readonly=True)
    fiscal_year = fields.Field("assessment__framework__fiscal_year", "fiscal_year", readonly=True)
    item = fields.Field("item__code", "item", readonly=True)
    score = fields.Field("score", "score", widget=widgets.DecimalWidget())

    class Meta:
        model = ItemScore
        fields = ("organization", "fiscal_year", "item", "score")
        import_id_fields = ()
        skip_unchanged = True
        use_transactions = True

    def before_import_row(self, row, **kwargs):
        row["score"] = parse_number(row["score"])

    def _keys(self, row):
        organization = Organization.objects.get(code=row["organization"])
        framework = Framework.objects.get(fiscal_year=int(row["fiscal_year"]))
        item = framework.items.get(code=row["item"].upper())
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


def wide_workbook(codes: list[str], items: list[Item]) -> bytes:
    rng = random.Random(2564)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organization", "fiscal_year", *[item.code for item in items]])
    for code in codes:
        row = [code, 2564]
        for item in items:
            if item.kind == Item.Kind.CHECKLIST:
                row.append(rng.choice([0, 100]))
            else:
                row.append(round(rng.uniform(55, 100), 2))
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_dataset(data: bytes) -> tablib.Dataset:
    """The same workbook in the one-row-per-score shape django-import-export reads."""
    table = read_table(data, "bma.xlsx")
    dataset = tablib.Dataset(headers=["organization", "fiscal_year", "item", "score"])
    for _line, row in table.rows:
        for column, value in row.items():
            if column not in ("organization", "fiscal_year"):
                dataset.append(
                    [text_of(row["organization"]), text_of(row["fiscal_year"]), column, value]
                )
    return dataset


def reset():
    ItemScore.objects.all().delete()
    ItemScore.history.all().delete()  # after the rows: deleting them writes history too
    Assessment.objects.all().delete()
    ImportRecord.objects.all().delete()


def main() -> None:
    call_command("migrate", verbosity=0)
    load_districts(BASE / "fixtures" / "bma_districts.csv")
    framework = load_framework(BASE / "fixtures" / "ita2564")
    items = list(framework.items.order_by("order"))
    codes = [f"10{n:02d}" for n in range(1, 51)]
    data = wide_workbook(codes, items)
    print(f"database: {connection.vendor}; workbook: {len(codes)} districts × {len(items)} items")
    print(f"          = {len(codes) * len(items)} scores, {len(data):,} bytes")

    reset()
    started = time.perf_counter()
    result = import_scores(data, "bma.xlsx")
    ours = time.perf_counter() - started
    assert len(result.created) == len(codes) * len(items)
    history = ItemScore.history.count()
    started = time.perf_counter()
    again = import_scores(data, "bma.xlsx")
    second = time.perf_counter() - started

    reset()
    started = time.perf_counter()
    dataset = SpreadsheetFormat().create_dataset(data)
    preview = ItemScoreResource().import_data(dataset, dry_run=True, file_name="bma.xlsx")
    admin_preview = time.perf_counter() - started
    started = time.perf_counter()
    dataset = SpreadsheetFormat().create_dataset(data)
    confirmed = ItemScoreResource().import_data(dataset, file_name="bma.xlsx")
    admin_confirm = time.perf_counter() - started
    assert confirmed.totals["new"] == preview.totals["new"] == len(codes) * len(items)
    admin_history = ItemScore.history.count()

    reset()
    started = time.perf_counter()
    outcome = RowByRowScoreResource().import_data(
        long_dataset(data), dry_run=False, use_transactions=True
    )
    default = time.perf_counter() - started
    if outcome.has_errors() or outcome.has_validation_errors():
        raise SystemExit("django-import-export reported errors")
    default_history = ItemScore.history.count()

    print(f"import_scores (checked whole, bulk, history):  {ours:6.2f} s  ({history} history rows)")
    print(
        f"  the same file again (0 changes):             {second:6.2f} s  "
        f"(unchanged {again.unchanged})"
    )
    print(
        f"admin import (ItemScoreResource): preview    {admin_preview:6.2f} s, "
        f"confirm {admin_confirm:.2f} s  ({admin_history} history rows)"
    )
    print(
        f"django-import-export row-by-row default:       {default:6.2f} s  "
        f"({default_history} history rows)"
    )
    print(f"speed-up: {default / ours:.1f}×")


if __name__ == "__main__":
    main()
