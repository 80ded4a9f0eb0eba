"""`import_scores` of a generated wide file at national scale: chunked, compact, all or nothing."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.db import models
from django.utils import timezone

from assessments import score_import
from assessments.models import Assessment, ImportRecord, ItemScore, Organization
from assessments.score_import import ALIASES, ScoreChange, import_scores, plan_import
from assessments.tables import TableError, read_table
from plans.synthetic_national import write_score_file

pytestmark = pytest.mark.django_db

AGENCIES = 60


@pytest.fixture
def agencies(framework):
    Organization.objects.bulk_create(
        Organization(
            code=f"P01L{n:03d}",
            name_th=f"เทศบาลตำบลตัวอย่าง 01-{n:03d}",
            kind=Organization.Kind.LOCAL,
            is_simulated=True,
        )
        for n in range(1, AGENCIES + 1)
    )
    return list(Organization.objects.filter(kind=Organization.Kind.LOCAL).order_by("code"))


@pytest.fixture
def wide_file(agencies, framework, tmp_path):
    path = tmp_path / "national.csv"
    count = write_score_file(path, [a.code for a in agencies], year=framework.fiscal_year)
    return path, count


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 7 assessments and INSERTs of 40 rows: every path of the chunked write runs
    several times on a small file."""
    monkeypatch.setattr(score_import, "CHUNK", 7)
    monkeypatch.setattr(score_import, "INSERT_ROWS", 40)


def stored() -> dict[tuple[str, str], Decimal]:
    return {
        (code, item): score
        for code, item, score in ItemScore.objects.values_list(
            "assessment__organization__code", "item__code", "score"
        )
    }


def file_scores(path) -> dict[tuple[str, str], Decimal]:
    with path.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    return {
        (row["organization"], column): Decimal(value)
        for row in rows
        for column, value in row.items()
        if column not in ("organization", "fiscal_year")
    }


def test_a_generated_wide_file_is_imported_whole_with_history(
    wide_file, framework, small_chunks, django_user_model
):
    path, count = wide_file
    user = django_user_model.objects.create(username="importer")
    assert count == AGENCIES * framework.items.count()
    result = import_scores(path.read_bytes(), path.name, user=user)
    assert (len(result.created), len(result.updated), result.unchanged) == (count, 0, 0)
    assert stored() == file_scores(path)
    history = ItemScore.history.all()
    assert history.count() == count
    assert set(history.values_list("history_type", "history_user", "history_change_reason")) == {
        ("+", user.pk, None)
    }
    # One moment for the whole file, the moment of the import (in any database's time zone).
    dates = set(history.values_list("history_date", flat=True))
    assert len(dates) == 1
    assert abs((dates.pop() - timezone.now()).total_seconds()) < 300
    assert set(history.values_list("id", flat=True)) == set(
        ItemScore.objects.values_list("id", flat=True)
    )
    record = ImportRecord.objects.get()
    assert (record.rows, record.created, record.updated, record.unchanged) == (
        AGENCIES,
        count,
        0,
        0,
    )


def test_the_touched_assessments_and_years_are_known_after_the_write(
    wide_file, framework, agencies, small_chunks
):
    path, _ = wide_file
    plan = plan_import(read_table(path.read_bytes(), path.name, ALIASES))
    score_import.apply_import(plan)
    assert plan.touched_assessments == set(Assessment.objects.values_list("id", flat=True))
    assert len(plan.touched_assessments) == AGENCIES
    assert plan.touched_organization_years == {(a.pk, framework.fiscal_year) for a in agencies}
    again = plan_import(read_table(path.read_bytes(), path.name, ALIASES))
    score_import.apply_import(again)
    assert again.touched_assessments == set()
    assert again.touched_organization_years == set()


def test_one_bad_cell_deep_in_the_file_refuses_it_all(wide_file, small_chunks):
    path, _ = wide_file
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("O3")
    cells = lines[50].split(",")
    cells[column] = "1OO"  # letters O for zeros, on the file's 51st row
    lines[50] = ",".join(cells)
    with pytest.raises(TableError) as caught:
        import_scores("\n".join(lines).encode(), "national.csv")
    assert [str(error).split(":")[0] for error in caught.value.errors] == ["แถว 51, คอลัมน์ O3"]
    assert '"1OO" ไม่ใช่ตัวเลข' in str(caught.value.errors[0])
    assert ItemScore.objects.count() == ItemScore.history.count() == 0
    assert Assessment.objects.count() == ImportRecord.objects.count() == 0


def test_a_second_import_changes_nothing(wide_file, small_chunks):
    path, count = wide_file
    import_scores(path.read_bytes(), path.name)
    history = ItemScore.history.count()
    again = import_scores(path.read_bytes(), "again.csv")
    assert (again.created, again.updated, again.unchanged) == ([], [], count)
    assert ItemScore.history.count() == history == count


def test_changed_scores_are_updated_with_their_history(wide_file, agencies, small_chunks):
    path, count = wide_file
    import_scores(path.read_bytes(), path.name)
    changed = "\n".join(
        ["organization,fiscal_year,I1,O1"]
        + [f"{agency.code},2564,12.5,100" for agency in agencies[::10]]
    )
    result = import_scores(changed.encode(), "fix.csv")
    before = file_scores(path)
    expected_updates = sum(1 for a in agencies[::10] if before[(a.code, "I1")] != Decimal("12.5"))
    expected_updates += sum(1 for a in agencies[::10] if before[(a.code, "O1")] != 100)
    assert len(result.updated) == expected_updates
    assert result.unchanged == 2 * len(agencies[::10]) - expected_updates
    assert all(change.new in (Decimal("12.5"), 100) for change in result.updated)
    assert {stored()[(a.code, "I1")] for a in agencies[::10]} == {Decimal("12.5")}
    assert ItemScore.history.filter(history_type="~").count() == expected_updates
    assert ItemScore.objects.count() == count


def test_the_planned_import_holds_tuples_and_one_decimal_per_value(wide_file):
    """The shape that keeps a national file within memory: no model instance or object per
    cell, and each distinct score parsed into one Decimal shared by every cell that has it."""
    path, count = wide_file
    plan = plan_import(read_table(path.read_bytes(), path.name, ALIASES))
    assert len(plan.created) == count
    assert all(type(change) is ScoreChange for change in plan.created)
    assert isinstance(plan.created[0], tuple)
    writes = [pair for pairs in plan._writes.values() for pair in pairs]
    assert len(writes) == count
    assert all(type(pair) is tuple and len(pair) == 2 for pair in writes)
    assert not any(isinstance(value, models.Model) for pair in writes for value in pair)
    distinct_texts = {str(change.new) for change in plan.created}
    assert len({id(change.new) for change in plan.created}) == len(distinct_texts) < count


def test_the_command_imports_a_generated_file(wide_file):
    from django.core.management import call_command

    path, count = wide_file
    out = StringIO()
    call_command("import_scores", str(path), stdout=out)
    assert f"new {count}, updated 0, unchanged 0" in out.getvalue()
    assert ItemScore.objects.count() == count


def test_the_queries_grow_with_the_chunks_not_the_scores(wide_file, monkeypatch):
    """A chunk of assessments costs a fixed handful of reads; rows are written many to a
    statement (INSERT or COPY), never one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(context):
        sql = [query["sql"].lstrip().upper() for query in context.captured_queries]
        writes = [q for q in sql if q.startswith(("INSERT", "COPY", "SELECT NEXTVAL"))]
        return len(sql) - len(writes), len(writes)

    path, count = wide_file
    table = read_table(path.read_bytes(), path.name, ALIASES)
    monkeypatch.setattr(score_import, "CHUNK", 1000)
    with CaptureQueriesContext(connection) as one_chunk:
        plan = plan_import(table)
        score_import.apply_import(plan)
    ItemScore.objects.all().delete()
    ItemScore.history.all().delete()
    Assessment.objects.all().delete()
    monkeypatch.setattr(score_import, "CHUNK", 20)
    with CaptureQueriesContext(connection) as three_chunks:
        plan = plan_import(table)
        score_import.apply_import(plan)
    assert ItemScore.objects.count() == ItemScore.history.count() == count
    reads, writes = counts(one_chunk)
    # The import's own reads, then those of what follows it: the stored summaries' refresh
    # (the frameworks' rules, the scores of a few hundred assessments at a time) and the
    # dashboards' data versions (the frameworks' years).
    assert reads < 20
    # Two more chunks: two more reads of stored scores, two more locks of stored rows.
    assert counts(three_chunks)[0] - reads <= 4
    # A score and its history row, many to a statement.
    assert writes <= 2 * count / 100
