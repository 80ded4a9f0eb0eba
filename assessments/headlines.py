"""The overview's headline of a year, stored per parent, kind and level (``HeadlineCell``).

The headline of every agency of the country (how many were assessed, scored and passed, the
average, the count of each level, how many have no data) is an aggregate over all 8,300 of
them: read live, it cost more than the rest of the page. Its figures depend only on the
assessments, their stored summaries and the organizations, which change with a score import
or an edit of the catalog, not with the plans' progress: so they are summed once per
(parent, kind, level) and the headline of any scope by parent and kind is the sum of a few
hundred of those rows.

The rules live here:

- **Reading** (``groups``): the cells of a year are computed when a reader first needs them
  (one statement over the year's assessments and organizations) and marked complete by a
  ``HeadlineYear`` row; two readers at once compute them once (the second waits on the
  first's mark, then reads its rows).
- **Forgetting** (``forget``): whatever changes the figures drops the years' cells, in the
  writer's transaction and again once it has committed (a reader that computed from the data
  before the commit does not keep its cells): ``assessments.summaries.refresh`` (the one
  writer of the summaries: imports, rule changes, score edits), the signals below (an
  assessment, an organization or a framework saved or deleted) and the loaders that write
  organizations in bulk. Cells older than ``MAX_AGE`` are computed again, whatever slipped.
- Only readers who may see every organization and do not search by words read the cells;
  the others' scopes are small and read live (``plans.overview_reads``).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentSummary,
    Framework,
    HeadlineCell,
    HeadlineYear,
    NamePlace,
    Organization,
)
from ita_tracker import prepared

# The longest stored cells are trusted: a change that slipped past ``forget`` shows by then.
MAX_AGE = timedelta(hours=1)

_COLUMNS = (
    "fiscal_year, parent_id, kind, level, assessed, scored, passing, total_sum, total_max, "
    "unsummarized, unassessed"
)


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    models = (
        *(Assessment, AssessmentSummary, Framework, HeadlineCell, HeadlineYear, NamePlace),
        Organization,
    )
    return {model.__name__: quote(model._meta.db_table) for model in models}


# --- Forgetting ---------------------------------------------------------------------------


def forget(years: Iterable[int] | None = None) -> None:
    """Drop the cells of these fiscal years (None: of every year), now and after the commit."""
    years = None if years is None else sorted({int(year) for year in years if year})
    if years == []:
        return
    _delete(years)
    transaction.on_commit(lambda: _delete(years))


def _delete(years: list[int] | None) -> None:
    table = _tables()
    where, params = "", []
    if years is not None:
        where, params = f" WHERE fiscal_year IN ({', '.join(['%s'] * len(years))})", years
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table['HeadlineYear']}{where}", params)
        cursor.execute(f"DELETE FROM {table['HeadlineCell']}{where}", params)
        cursor.execute(f"DELETE FROM {table['NamePlace']}{where}", params)


@receiver([post_save, post_delete], sender=Assessment)
def _assessment_changed(sender, instance, **kwargs):
    year = Framework.objects.filter(pk=instance.framework_id).values_list("fiscal_year")
    found = year.first()
    forget(found if found else None)  # its framework gone too: every year


# An organization's parent or kind, or its existence, moves it between cells of every year;
# a framework's year moves its assessments from one year to another.
@receiver([post_save, post_delete], sender=Organization)
@receiver([post_save, post_delete], sender=Framework)
def _everything_changed(sender, instance, **kwargs):
    forget()


# --- Reading ------------------------------------------------------------------------------


def groups(year: int, parent_id: int | None = None, kind: str = "") -> list[tuple]:
    """The headline's rows of the agencies of ``year`` (of that parent, of that kind if
    given), one per level, as ``plans.dashboards.headline_of`` takes them: (level, count,
    scored, passing, sum of totals, best total, unsummarized, agencies without data; the
    last on every row). One statement, once the year's cells are there."""
    table = _tables()
    scope, params = ["c.fiscal_year = y.fiscal_year"], []
    if parent_id is not None:
        scope.append("c.parent_id = %s")
        params.append(parent_id)
    expected = [condition.replace("c.", "e.") for condition in scope]
    # As ``OverviewScope.expected``: a kind chosen, or every kind but the central offices.
    if kind:
        kind = Organization.Kind(kind).value  # only the model's kinds are written in
        scope.append(f"c.kind = '{kind}'")
        expected.append(f"e.kind = '{kind}'")
    else:
        expected.append(f"e.kind <> '{Organization.Kind.CENTRAL.value}'")
    # The year's mark, joined to its cells in scope: no row at all until they are computed.
    sql = f"""
        SELECT c.level, SUM(c.assessed), SUM(c.scored), SUM(c.passing), SUM(c.total_sum),
            MAX(c.total_max), SUM(c.unsummarized), (
                SELECT COALESCE(SUM(e.unassessed), 0) FROM {table["HeadlineCell"]} e
                WHERE {" AND ".join(expected)}), y.computed
        FROM {table["HeadlineYear"]} y
        LEFT JOIN {table["HeadlineCell"]} c ON {" AND ".join(scope)}
        WHERE y.fiscal_year = %s
        GROUP BY y.fiscal_year, y.computed, c.level"""
    arguments = [*params, *params, year]
    found = prepared.fetchall(connection, "headline_cells", sql, arguments)
    if not found or timezone.now() - _aware(found[0][8]) >= MAX_AGE:
        compute(year)
        found = prepared.fetchall(connection, "headline_cells", sql, arguments)
    return [
        (row[0], *(value or 0 for value in row[1:4]), *row[4:6], row[6] or 0, row[7])
        for row in found
    ]


def _aware(moment):
    # SQLite's plain statement gives the stored text; PostgreSQL an aware datetime.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def compute(year: int) -> None:
    """Compute and store the cells of ``year``: the year's mark first (a second reader at
    once waits on it, then finds it taken and leaves the rows to the first), then the rows."""
    table = _tables()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table['HeadlineYear']} WHERE fiscal_year = %s", [year])
            cursor.execute(
                f"INSERT INTO {table['HeadlineYear']} (fiscal_year, computed) VALUES (%s, %s)",
                [year, timezone.now()],
            )
            cursor.execute(f"DELETE FROM {table['HeadlineCell']} WHERE fiscal_year = %s", [year])
            cursor.execute(_cells_sql(), [year, year, year, year])
            cursor.execute(f"DELETE FROM {table['NamePlace']} WHERE fiscal_year = %s", [year])
            cursor.execute(_places_sql(), [year, year])
    except IntegrityError:
        # Another reader marked the year in the meantime: its rows are the year's.
        return


def _cells_sql() -> str:
    """The year's cells: its assessments by their organization's parent and kind and their
    summary's level, then the organizations with no assessment that year."""
    table = _tables()
    return f"""
        INSERT INTO {table["HeadlineCell"]} ({_COLUMNS})
        SELECT %s, o.parent_id, o.kind, s.level, COUNT(a.id), COUNT(s.total),
            SUM(CASE WHEN s.passed THEN 1 ELSE 0 END), SUM(s.total), MAX(s.total),
            SUM(CASE WHEN s.assessment_id IS NULL THEN 1 ELSE 0 END), 0
        FROM {table["Assessment"]} a
        INNER JOIN {table["Framework"]} f ON f.id = a.framework_id
        INNER JOIN {table["Organization"]} o ON o.id = a.organization_id
        LEFT JOIN {table["AssessmentSummary"]} s ON s.assessment_id = a.id
        WHERE f.fiscal_year = %s
        GROUP BY o.parent_id, o.kind, s.level
        UNION ALL
        SELECT %s, e.parent_id, e.kind, NULL, 0, 0, 0, NULL, NULL, 0, COUNT(*)
        FROM {table["Organization"]} e
        WHERE NOT EXISTS (
            SELECT 1 FROM {table["Assessment"]} x
            INNER JOIN {table["Framework"]} y ON y.id = x.framework_id
            WHERE x.organization_id = e.id AND y.fiscal_year = %s)
        GROUP BY e.parent_id, e.kind"""


def _places_sql() -> str:
    """The year's assessments with their place by organization name (the database's own
    collation, as the ORM sorts them; equal names share a place)."""
    table = _tables()
    return f"""
        INSERT INTO {table["NamePlace"]} (assessment_id, fiscal_year, organization_id,
            framework_id, parent_id, kind, code, name_rank)
        SELECT a.id, %s, a.organization_id, a.framework_id, o.parent_id, o.kind, o.code,
            DENSE_RANK() OVER (ORDER BY o.name_th)
        FROM {table["Assessment"]} a
        INNER JOIN {table["Framework"]} f ON f.id = a.framework_id
        INNER JOIN {table["Organization"]} o ON o.id = a.organization_id
        WHERE f.fiscal_year = %s"""


def places(year: int, parent_id: int | None, kind: str) -> tuple[str, str, list]:
    """The table of the places (``r``), the WHERE of those of ``year`` in a scope by parent
    and kind, and its parameters: for a reader who sees every agency, once ``groups`` has
    computed them."""
    where, params = ["r.fiscal_year = %s"], [year]
    if parent_id is not None:
        where.append("r.parent_id = %s")
        params.append(parent_id)
    if kind:
        where.append(f"r.kind = '{Organization.Kind(kind).value}'")
    return f"{_tables()['NamePlace']} r", " AND ".join(where), params
