"""The overview's page in plain statements, for the orders it is most often read in.

Through the ORM, building and compiling the overview's queries (the headline's aggregate,
the sorted page of agencies, their plans and tallies) and making four model instances per
row cost most of the page, for reads of a millisecond or two. Sorted by total, code, name,
progress or number of actions (the default is by total; any scope: parent, kind, name or
code), the same headline and rows come from plain statements, prepared once per connection
on PostgreSQL (``ita_tracker.prepared``): the headline with the agencies without data as its
subquery, and the page's rows with their organization, framework, summary, plans and tallies
in one statement. The order by overdue actions (which depends on the day) and a year whose
summaries are not all stored yet read through ``plans.dashboards.overview``; the tests hold
both paths to the same page.
"""

import decimal
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection

from assessments import headlines
from assessments.models import (
    Assessment,
    AssessmentSummary,
    Framework,
    Organization,
    sees_all_organizations,
    visible_organization_sql,
)
from ita_tracker import prepared, rows
from plans import dashboards
from plans.dashboards import OVERVIEW_PAGE_SIZE, DistrictRow, Listing, Overview, OverviewScope
from plans.models import Plan, PlanTally


@dataclass(frozen=True)
class Order:
    """How a plain statement sorts the overview by one of ``OVERVIEW_SORTS``' keys, with the
    same result: ``key`` (SQL) in the chosen direction, ties by code. A keyed order has
    agencies without a key (``keyed`` false: no total, no plan with actions), which tie
    below every key: they come after the others by code when descending, before them when
    ascending. Each part is read in its own order, so the first page of 8,300 agencies by
    total follows the summaries' index instead of sorting them all."""

    key: str
    keyed: str = ""  # SQL: the agency has a key
    unkeyed: str = ""
    join: str = ""  # what ``key`` reads: "summary" or "plans" (the tallies by assessment)
    # The key when the page is read from the year's stored places (``assessments.headlines``:
    # each assessment with its organization's code and place by name), for a reader who sees
    # every agency; "" to read the assessments. Sorting 8,300 names for each page cost more
    # than the rest of it; by progress or actions, looking up the codes of every agency with
    # a plan (the ties' order) took half the page's statement.
    placed: str = ""


PLAIN_ORDERS = {
    "code": Order("o.code"),
    "name": Order("o.name_th", placed="r.name_rank"),
    "total": Order("s.total", "s.total IS NOT NULL", "s.total IS NULL", "summary"),
    "progress": Order(
        "k.share", "k.share IS NOT NULL", "k.share IS NULL", "plans", placed="k.share"
    ),
    "actions": Order(
        "k.actions", "k.actions > 0", "COALESCE(k.actions, 0) = 0", "plans", placed="k.actions"
    ),
}

_TABLES = (Assessment, Organization, Framework, AssessmentSummary, Plan, PlanTally)


def overview(
    user,
    year: int,
    today: date,
    sort: str = "-total",
    scope: OverviewScope | None = None,
    page=1,
    size: int = OVERVIEW_PAGE_SIZE,
) -> Overview:
    """``plans.dashboards.overview`` of the assessments and agencies ``user`` may read."""
    scope = scope or OverviewScope()

    def expected():
        return scope.expected(Organization.objects.visible_to(user))

    key = sort.lstrip("-") if sort.lstrip("-") in dashboards.OVERVIEW_SORTS else "total"
    headline = None
    if key in PLAIN_ORDERS:
        headline = _headline(user, year, scope)
    if headline is None or headline.unsummarized:
        # Another order, or summaries to store first: the ORM's path does both.
        return dashboards.overview(
            Assessment.objects.visible_to(user),
            year,
            today,
            sort,
            scope=scope,
            expected=expected(),
            page=page,
            size=size,
        )
    descending = sort.startswith("-")
    # The stored places hold every assessed agency of the scope: as many as the headline's.
    placed = headline.assessed if _stored(user, scope) else None
    listing = Listing(
        lambda start, stop: _rows(user, year, scope, key, descending, start, stop, today, placed),
        lambda: dashboards.unassessed(expected(), year).order_by("code"),
        headline,
    )
    return dashboards.overview_page(year, listing, page, size)


def _conditions(user, year: int, scope: OverviewScope) -> tuple[str, list]:
    """The WHERE of the assessments of ``year`` in ``scope`` that ``user`` may read (``a``
    joined to its framework ``f`` and organization ``o``)."""
    where, params = _scope(scope, "o")
    visible, also = visible_organization_sql(user, "a.organization_id")
    return " AND ".join(["f.fiscal_year = %s", *where, visible]), [year, *params, *also]


def _scope(scope: OverviewScope, alias: str, expected: bool = False) -> tuple[list, list]:
    """``OverviewScope.condition`` (or, ``expected``, ``OverviewScope.expected``) on the
    organizations ``alias``: SQL conditions and their parameters."""
    where, params = [], []
    if scope.parent is not None:
        where.append(f"{alias}.parent_id = %s")
        params.append(scope.parent.pk)
    # A kind is written into the statement, not passed: prepared with a parameter, PostgreSQL's
    # generic plan for "kind = $1" expects a few agencies and takes twice as long over the
    # 8,000 local bodies. Only the model's own kinds get here (``Organization.Kind`` refuses
    # any other text).
    if scope.kind:
        where.append(f"{alias}.kind = '{Organization.Kind(scope.kind).value}'")
    elif expected:
        where.append(f"{alias}.kind <> '{Organization.Kind.CENTRAL.value}'")
    if scope.query:
        # As the ORM's icontains on this database (PostgreSQL: UPPER(…::text) LIKE UPPER(…)).
        like = connection.operators["icontains"] % "%s"
        cast = connection.ops.lookup_cast("icontains", "CharField")
        columns = [f"{cast % f'{alias}.{name}'} {like}" for name in ("name_th", "name_en", "code")]
        where.append(f"({' OR '.join(columns)})")
        params += [f"%{connection.ops.prep_for_like_query(scope.query)}%"] * 3
    return where, params


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {model.__name__: quote(model._meta.db_table) for model in _TABLES}


def _stored(user, scope: OverviewScope) -> bool:
    """The figures stored by parent and kind (``assessments.headlines``) answer this reader
    and scope: every agency is visible, no words are searched."""
    return sees_all_organizations(user) and not scope.query


def _headline(user, year: int, scope: OverviewScope) -> dashboards.OverviewHeadline:
    """``plans.dashboards.overview_headline`` in one plain statement (``headline_of``'s rows);
    for a reader who sees every agency, from the year's stored cells (``assessments.headlines``)
    unless the scope searches by words."""
    if _stored(user, scope):
        parent = None if scope.parent is None else scope.parent.pk
        found = headlines.groups(year, parent, scope.kind)
        return dashboards.headline_of(_decimal_groups(found), lambda: found[0][7])
    table = _tables()
    where, params = _conditions(user, year, scope)
    missing, also = _unassessed_count(user, year, scope)
    # Every agency (no parent, kind or words): no condition on the organization, no join (at
    # national scale, a third of the statement's time).
    organization = ""
    if scope.parent is not None or scope.kind or scope.query:
        organization = f"INNER JOIN {table['Organization']} o ON o.id = a.organization_id"
    sql = f"""
        SELECT s.level, COUNT(a.id), COUNT(s.total),
            SUM(CASE WHEN s.passed THEN 1 ELSE 0 END), SUM(s.total), MAX(s.total),
            SUM(CASE WHEN s.assessment_id IS NULL THEN 1 ELSE 0 END), ({missing})
        FROM {table["Assessment"]} a
        INNER JOIN {table["Framework"]} f ON f.id = a.framework_id
        {organization}
        LEFT JOIN {table["AssessmentSummary"]} s ON s.assessment_id = a.id
        WHERE {where}
        GROUP BY s.level"""
    groups = _decimal_groups(
        prepared.fetchall(connection, "overview_headline", sql, [*also, *params])
    )

    def count_unassessed() -> int:
        return prepared.fetchone(connection, "overview_unassessed", f"SELECT ({missing})", also)[0]

    return dashboards.headline_of(groups, count_unassessed)


def _decimal_groups(found) -> list[tuple]:
    """The aggregate's rows with their sums and maxima as decimals (``_aggregate_decimal``)."""
    total = _aggregate_decimal
    return [
        (level, count, scored, passing, total(summed), total(top), unsummarized, unassessed)
        for level, count, scored, passing, summed, top, unsummarized, unassessed in found
    ]


# SQLite sums and compares decimals as floats: made decimals again as the ORM does for an
# aggregate (15 significant digits), not rounded to the column's places.
_FLOATS = decimal.Context(prec=15)


def _aggregate_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return _FLOATS.create_decimal_from_float(value)


def _unassessed_count(user, year: int, scope: OverviewScope) -> tuple[str, list]:
    """A statement counting the agencies expected in ``scope`` with no assessment in ``year``
    (``plans.dashboards.unassessed``), and its parameters."""
    table = _tables()
    where, params = _scope(scope, "e", expected=True)
    visible, also = visible_organization_sql(user, "e.id")
    sql = f"""SELECT COUNT(*) FROM {table["Organization"]} e
        WHERE {" AND ".join([*where, visible])} AND NOT EXISTS (
            SELECT 1 FROM {table["Assessment"]} x
            INNER JOIN {table["Framework"]} y ON y.id = x.framework_id
            WHERE x.organization_id = e.id AND y.fiscal_year = %s)"""
    return sql, [*params, *also, year]


def _rows(
    user,
    year: int,
    scope: OverviewScope,
    key: str,
    descending: bool,
    start: int,
    stop: int,
    today: date,
    placed: int | None = None,
) -> list[DistrictRow]:
    """Rows ``start:stop`` of the assessments in this order, with their plans and tallies.
    ``placed``: how many the stored places hold, when they may be read."""
    order = PLAIN_ORDERS[key]
    if order.placed and placed is not None:
        source = _Source(user, year, scope, placed=True)
        found = _ordered(source, order, descending, start, stop, today)
        if len(found) == max(min(stop, placed) - start, 0):
            return found
        # Places dropped by a change since the headline was read: read live instead.
    return _ordered(_Source(user, year, scope), order, descending, start, stop, today)


@dataclass(frozen=True)
class _Source:
    """Where a page's assessments are read: the assessments of ``year`` that ``user`` may
    read in ``scope`` (``a``, joined to its framework ``f`` and organization ``o``), or,
    ``placed``, the year's stored places in the scope (``r``)."""

    user: object
    year: int
    scope: OverviewScope
    placed: bool = False

    def read(self, order: Order, part: str) -> tuple[str, str, list]:
        """FROM and WHERE of the assessments of a part of the order (``part``: its
        condition), what its key is there, and the parameters."""
        table = _tables()
        if self.placed:
            parent = None if self.scope.parent is None else self.scope.parent.pk
            first, where, params = headlines.places(self.year, parent, self.scope.kind)
            joins, assessment, key = [], "r.assessment_id", order.placed
        else:
            first = f"{table['Assessment']} a"
            where, params = _conditions(self.user, self.year, self.scope)
            joins = [
                f"INNER JOIN {table['Framework']} f ON f.id = a.framework_id",
                f"INNER JOIN {table['Organization']} o ON o.id = a.organization_id",
            ]
            assessment, key = "a.id", order.key
        if order.join == "summary":  # a summary for every assessment (else: the ORM's path)
            joins.append(
                f"INNER JOIN {table['AssessmentSummary']} s ON s.assessment_id = {assessment}"
            )
        elif order.join == "plans":  # as OVERVIEW_SORTS: the assessment's plans' stored tallies
            share = f"CAST(SUM(t.done) AS {connection.data_types['FloatField']}) * 100.0"
            joins.append(
                f"""LEFT JOIN (
                    SELECT p.assessment_id AS assessment_id, SUM(t.actions) AS actions,
                        {share} / NULLIF(SUM(t.actions) - SUM(t.cancelled), 0) AS share
                    FROM {table["Plan"]} p INNER JOIN {table["PlanTally"]} t ON t.plan_id = p.id
                    GROUP BY p.assessment_id
                ) k ON k.assessment_id = {assessment}"""
            )
        if part:
            where = f"{where} AND {part}"
        return f"FROM {first} {' '.join(joins)} WHERE {where}", key, params

    @property
    def columns(self) -> str:
        return _PLACED_COLUMNS if self.placed else _PAGE_COLUMNS


def _ordered(
    source: _Source, order: Order, descending: bool, start: int, stop: int, today: date
) -> list[DistrictRow]:
    """Rows ``start:stop`` of ``source`` in this order: a keyed order's first part, then
    (past its end, counted once) its second."""
    direction = "DESC" if descending else "ASC"

    def read(part: str, start: int, stop: int) -> list[DistrictRow]:
        # The agencies without a key all tie: by code alone.
        sort = "" if order.keyed and part == order.unkeyed else direction
        return _part(source, order, part, sort, start, stop, today)

    if not order.keyed:
        return read("", start, stop)
    first, second = (order.keyed, order.unkeyed) if descending else (order.unkeyed, order.keyed)
    found = read(first, start, stop)
    if len(found) == stop - start:
        return found
    # Past the first part: how long it is, then the second from there.
    before = start + len(found) if found or not start else _count(source, order, first)
    return found + read(second, max(start - before, 0), stop - before)


def _count(source: _Source, order: Order, part: str) -> int:
    sql, _, params = source.read(order, part)
    return prepared.fetchone(connection, "overview_count", f"SELECT COUNT(*) {sql}", params)[0]


def _part(
    source: _Source,
    order: Order,
    part: str,
    direction: str,
    start: int,
    stop: int,
    today: date,
) -> list[DistrictRow]:
    """Rows ``start:stop`` of the assessments of a part of the order (``part``: its condition)
    sorted by its key in ``direction`` ("ASC", "DESC"; none: by code alone) then code: the
    page's ids sorted first (only they carry the row's columns), then read around them."""
    table, quote = _tables(), connection.ops.quote_name
    read, key, params = source.read(order, part)
    sort = inner = outer = ""
    if direction:
        sort = f"{key} AS sort_key, "
        inner, outer = f"sort_key {direction}, ", f"a.sort_key {direction}, "
    selected = ", ".join(
        rows.select(model, names, alias, quote) for model, alias, names in _SELECTED
    )
    sql = f"""
        WITH page AS (
            SELECT {sort}{source.columns}
            {read}
            ORDER BY {inner}code, id
            LIMIT %s OFFSET %s
        )
        SELECT {selected}
        FROM page a
        INNER JOIN {table["Organization"]} o ON o.id = a.organization_id
        INNER JOIN {table["Framework"]} f ON f.id = a.framework_id
        LEFT JOIN {table["AssessmentSummary"]} s ON s.assessment_id = a.id
        LEFT JOIN {table["Plan"]} p ON p.assessment_id = a.id
        LEFT JOIN {table["PlanTally"]} t ON t.plan_id = p.id
        ORDER BY {outer}a.code, a.id, p.fiscal_year"""
    found = prepared.fetchall(connection, "overview_rows", sql, [*params, stop - start, start])
    return _district_rows(found, today)


# What the page's statement carries on from the assessments (``a``, its organization ``o``)
# or from their stored places (``r``).
_PAGE_COLUMNS = (
    "a.id AS id, a.organization_id AS organization_id, a.framework_id AS framework_id, "
    "o.code AS code"
)
_PLACED_COLUMNS = (
    "r.assessment_id AS id, r.organization_id AS organization_id, "
    "r.framework_id AS framework_id, r.code AS code"
)

# What a row shows, read for each model: (model, alias, attribute names), in the row's order.
_SELECTED = (
    (Assessment, "a", ("id",)),
    (Framework, "f", ("id", "pass_mark")),
    (Organization, "o", ("id", "code", "name_th", "name_en", "is_simulated")),
    (AssessmentSummary, "s", ("assessment_id", "total", "level", "passed", "indicators")),
    (Plan, "p", ("id", "assessment_id", "fiscal_year")),
    (PlanTally, "t", ("plan_id", "actions", "done", "cancelled", "open_due")),
)


@dataclass(eq=False, slots=True)
class AgencyRecord:
    """What the overview shows of an organization."""

    pk: int
    code: str
    name_th: str
    name_en: str
    is_simulated: bool


@dataclass(eq=False, slots=True)
class FrameworkRecord:
    """What the overview uses of a framework: its indicators (by id) and pass mark."""

    pk: int
    pass_mark: Decimal


@dataclass(eq=False, slots=True)
class AssessmentRecord:
    pk: int
    organization: AgencyRecord
    framework: FrameworkRecord


@dataclass(eq=False, slots=True)
class SummaryRecord:
    """An assessment's stored figures (``AssessmentSummary``) as the overview shows them."""

    total: Decimal | None = None
    level: str = ""
    passed: bool | None = None
    indicators: dict = field(default_factory=dict)  # stored figures by indicator number

    indicator_scores = AssessmentSummary.indicator_scores


@dataclass(eq=False, slots=True)
class PlanRecord:
    pk: int
    assessment_id: int
    fiscal_year: int


@dataclass(eq=False, slots=True)
class TallyRecord:
    """A plan's stored tally (``PlanTally``)."""

    actions: int
    done: int
    cancelled: int
    open_due: list

    overdue = PlanTally.overdue


def _district_rows(found: list[tuple], today: date) -> list[DistrictRow]:
    """The rows of ``_rows``' values as records: an assessment's plans (oldest first) on lines
    of their own, each with the assessment's columns."""
    readers = [rows.reader(model, names, connection) for model, _alias, names in _SELECTED]
    widths = [len(names) for _model, _alias, names in _SELECTED]
    by_id: dict[int, DistrictRow] = {}
    frameworks: dict[int, FrameworkRecord] = {}
    plans = []
    for values in found:
        parts, at = [], 0
        for read, width in zip(readers, widths, strict=True):
            parts.append(read(values[at : at + width]))
            at += width
        (pk,), (framework_id, pass_mark), organization, summary, plan, tally = parts
        row = by_id.get(pk)
        if row is None:
            if framework_id not in frameworks:
                frameworks[framework_id] = FrameworkRecord(framework_id, pass_mark)
            assessment = AssessmentRecord(pk, AgencyRecord(*organization), frameworks[framework_id])
            figures = SummaryRecord(*summary[1:]) if summary[0] is not None else SummaryRecord()
            row = by_id[pk] = DistrictRow(assessment, figures)
        if plan[0] is not None:
            stored = TallyRecord(*tally[1:]) if tally[0] is not None else None
            plans.append((PlanRecord(*plan), stored))
    dashboards.add_plans(by_id, plans, today)
    return list(by_id.values())
