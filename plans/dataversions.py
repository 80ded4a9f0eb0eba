"""Data versions: how many times the data of one organization and fiscal year has changed.

A dashboard's cached body and its ETag are keyed by the versions of the rows it reads, so a
progress report in one district leaves every other district's cached pages valid.

The rules live here and nowhere else:

- **What a change bumps** (in the transaction of the change, by the signal handlers below):
  a score or an assessment → its organization and its framework's year; a plan and anything
  in it (finding, action and its divisions, round, progress report) → the plan's organization
  in the plan year and in the year of the assessment it answers (the scores page lists the
  plans that answer it, the overview of that year their progress); a division or an
  organization → that organization in every year it has; the catalog (framework, tools,
  indicators, items, level bands, item links) → the framework's year for every organization
  (one row with no organization, which every reader of that year includes).
- **Writes that send no signals** (``bulk_create``, ``QuerySet.update``) call ``touch`` /
  ``touch_years`` themselves; a loop of saves may run inside ``batch()`` to bump once.
- **What a page reads**, in one query (``read``): the scores of (organization, year) read
  that year and the year before; a plan's progress its plan year and the assessed year; the
  overview of a year the totals of that year and the year before (``YearVersion``, counted
  right after each change commits: see ``touch``).

Anything that slips through is bounded by ``ITA_DASHBOARD_CACHE_SECONDS``, the longest a
cached dashboard lives.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone

from ita_tracker import prepared

Pair = tuple[int | None, int]  # (organization id, or None for the catalog; fiscal year)

# SQLite allows 32,766 parameters in one statement; 4 per row.
_CHUNK = 2000
_pending = threading.local()
# The sum of the rows' counts and the time of the newest change, as one text (both engines).
_SUM_AND_NEWEST = (
    "CAST(COALESCE(SUM(changes), 0) AS TEXT) || '/' || COALESCE(CAST(MAX(changed) AS TEXT), '')"
)


@dataclass(frozen=True)
class Part:
    """One value of a version: a scalar subquery and its parameters."""

    sql: str
    params: tuple = ()


def _table() -> str:
    from plans.models import DataVersion

    return connection.ops.quote_name(DataVersion._meta.db_table)


# --- Writing ------------------------------------------------------------------------------


def touch(pairs: Iterable[Pair]) -> None:
    """Count one change of each (organization id, fiscal year); None for the year's catalog.

    At most two statements per 2,000 pairs (an upsert for the organizations' rows, one for
    the catalog's), in the caller's transaction, and one for the years' totals once it has
    committed; inside ``batch()`` the pairs wait for its end."""
    pairs = {(None if org is None else int(org), int(year)) for org, year in pairs if year}
    if not pairs:
        return
    waiting = getattr(_pending, "pairs", None)
    if waiting is not None:
        waiting.update(pairs)
        return
    _upsert(sorted(pair for pair in pairs if pair[0] is not None), catalog=False)
    _upsert(sorted(pair for pair in pairs if pair[0] is None), catalog=True)
    # The year's total is one row every writer of the year would lock until they commit
    # (one district's report waiting for another's, or for a national import): it is counted
    # just after the commit instead. A page cached meanwhile holds newer data under the older
    # total, which the next reader replaces; only a crash between the two leaves the
    # overview stale, until ITA_DASHBOARD_CACHE_SECONDS.
    years = sorted({year for _org, year in pairs})
    transaction.on_commit(lambda: _upsert_years(years))


def _upsert(pairs: list[Pair], *, catalog: bool) -> None:
    # Sorted, so two transactions touching the same rows lock them in the same order.
    table = _table()
    target = (
        "(fiscal_year) WHERE organization_id IS NULL"
        if catalog
        else "(organization_id, fiscal_year)"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start : start + _CHUNK]
            rows = ", ".join(["(%s, %s, 1, %s)"] * len(chunk))
            params = [value for org, year in chunk for value in (org, year, now)]
            cursor.execute(
                f"INSERT INTO {table} (organization_id, fiscal_year, changes, changed) "
                f"VALUES {rows} ON CONFLICT {target} DO UPDATE "
                f"SET changes = {table}.changes + 1, changed = excluded.changed",
                params,
            )


def _upsert_years(years: list[int]) -> None:
    from plans.models import YearVersion

    table = connection.ops.quote_name(YearVersion._meta.db_table)
    rows = ", ".join(["(%s, 1, %s)"] * len(years))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fiscal_year, changes, changed) VALUES {rows} "
            f"ON CONFLICT (fiscal_year) DO UPDATE "
            f"SET changes = {table}.changes + 1, changed = excluded.changed",
            [value for year in years for value in (year, now)],
        )


def touch_years(years: Iterable[int]) -> None:
    """Count a change of the catalog of these years: every organization's pages of them."""
    touch((None, year) for year in years)


def touch_organizations(organization_ids: Iterable[int]) -> None:
    """Count a change of these organizations in every year they have (a division renamed,
    the organization itself edited): the years of their rows, assessments and plans."""
    from assessments.models import Assessment
    from plans.models import DataVersion, Plan

    ids = {int(pk) for pk in organization_ids if pk is not None}
    if not ids:
        return
    pairs = set(
        DataVersion.objects.filter(organization__in=ids).values_list("organization", "fiscal_year")
    )
    pairs |= set(
        Assessment.objects.filter(organization__in=ids).values_list(
            "organization", "framework__fiscal_year"
        )
    )
    pairs |= set(
        Plan.objects.filter(organization__in=ids).values_list("organization", "fiscal_year")
    )
    touch(pairs)


def touch_assessed(keys: Iterable[tuple[int, int]]) -> None:
    """Count a change of the scores of these (organization id, framework id) pairs: a bulk
    score import, whatever its size, in one query for the frameworks' years and the upsert."""
    from assessments.models import Framework

    keys = set(keys)
    years = dict(
        Framework.objects.filter(pk__in={framework for _org, framework in keys}).values_list(
            "pk", "fiscal_year"
        )
    )
    touch((org, years[framework]) for org, framework in keys)


def touch_all() -> None:
    """Count a change of every organization and catalog in every year that has data (after a
    loader that writes in bulk: the demo, the synthetic data)."""
    from assessments.models import Assessment, Framework
    from plans.models import Plan

    pairs = set(Assessment.objects.values_list("organization", "framework__fiscal_year"))
    pairs |= _plan_pairs(Plan.objects.all())
    pairs |= {(None, year) for year in Framework.objects.values_list("fiscal_year", flat=True)}
    touch(pairs)


@contextmanager
def batch():
    """Collect the changes of the block and count them once at its end (a loader saving
    thousands of rows one by one). Nested blocks join the outermost one."""
    if getattr(_pending, "pairs", None) is not None:
        yield
        return
    _pending.pairs, _pending.lookups = set(), {}
    try:
        yield
        pairs = _pending.pairs
    finally:
        _pending.pairs = _pending.lookups = None
    touch(pairs)


def _looked_up(key, find) -> set[Pair]:
    """``find()``, asked once per key inside a batch (a thousand saves of one plan's rows)."""
    lookups = getattr(_pending, "lookups", None)
    if lookups is None:
        return find()
    if key not in lookups:
        lookups[key] = find()
    return lookups[key]


# --- Reading ------------------------------------------------------------------------------


def organization_part(organization_id: int, years: Iterable[int]) -> Part:
    """The changes of one organization's pages of these years: its own rows and the
    catalog's of the same years."""
    years = sorted(set(years))
    part = _organization_sql("%s", ["%s"] * len(years))
    return Part(part.sql, (organization_id, *years))


def _organization_sql(organization: str, years: list[str]) -> Part:
    """``organization_part`` for SQL expressions: of values (``%s``) or of the columns of
    the row a statement reads (``p.organization_id``)."""
    return Part(
        f"SELECT {_SUM_AND_NEWEST} FROM {_table()} WHERE (organization_id = {organization} "
        f"OR organization_id IS NULL) AND fiscal_year IN ({', '.join(years)})"
    )


def years_part(years: Iterable[int]) -> Part:
    """The changes of every organization (and the catalog) in these years: their totals."""
    from plans.models import YearVersion

    years = sorted(set(years))
    marks = ", ".join(["%s"] * len(years))
    table = connection.ops.quote_name(YearVersion._meta.db_table)
    return Part(
        f"SELECT {_SUM_AND_NEWEST} FROM {table} WHERE fiscal_year IN ({marks})", tuple(years)
    )


def member_part(organization_id: int) -> Part:
    """The changes of a member's organization in any year: their menu links to its pages."""
    return Part(
        f"SELECT COALESCE(SUM(changes), 0) FROM {_table()} WHERE organization_id = %s",
        (organization_id,),
    )


def newest_assessment_year_part() -> Part:
    """The newest assessment year (the central managers' menu links to it)."""
    from assessments.models import Assessment, Framework

    quote = connection.ops.quote_name
    assessments, frameworks = quote(Assessment._meta.db_table), quote(Framework._meta.db_table)
    # Asked of the few editions (is one of them used?), not of every assessment of the country.
    return Part(
        f"SELECT MAX(f.fiscal_year) FROM {frameworks} f WHERE EXISTS "
        f"(SELECT 1 FROM {assessments} a WHERE a.framework_id = f.id)"
    )


def for_scores(assessment) -> Part:
    """The scores page of an assessment: its year and the year before (it compares them)."""
    year = assessment.framework.fiscal_year
    return organization_part(assessment.organization_id, (year, year - 1))


def for_progress(plan) -> Part:
    """A plan's progress page: the plan year and the year of the assessment it answers."""
    return organization_part(
        plan.organization_id, (plan.fiscal_year, plan.assessment.framework.fiscal_year)
    )


# The same versions asked with the page's own row (``plans.access``: an assessment ``a`` of
# the edition ``f``; a plan ``p`` answering it), in the statement that finds it.
SCORES_OF_ROW = ("a.organization_id", ["f.fiscal_year", "f.fiscal_year - 1"])
PROGRESS_OF_ROW = ("p.organization_id", ["p.fiscal_year", "f.fiscal_year"])


def of_row(columns: tuple[str, list[str]]) -> Part:
    """``SCORES_OF_ROW`` or ``PROGRESS_OF_ROW`` as a part of the row's statement."""
    return _organization_sql(*columns)


def for_year(year: int) -> Part:
    """The overview of an assessment year: every organization in it and the year before."""
    return years_part((year, year - 1))


def as_text(values) -> tuple[str, ...]:
    """Versions as read: text, "" for none."""
    return tuple("" if value is None else str(value) for value in values)


def read(*parts: Part) -> tuple[str, ...]:
    """The values of the parts, in one query."""
    sql = ", ".join(f"({part.sql})" for part in parts)
    params = [param for part in parts for param in part.params]
    return as_text(prepared.fetchone(connection, "versions", f"SELECT {sql}", params))


# --- Signal handlers ----------------------------------------------------------------------


def _assessment_pairs(assessment_ids) -> set[Pair]:
    from assessments.models import Assessment

    return set(
        Assessment.objects.filter(pk__in=assessment_ids).values_list(
            "organization", "framework__fiscal_year"
        )
    )


def _plan_pairs(plans) -> set[Pair]:
    """The rows a change inside these plans bumps (``plans`` a Plan queryset)."""
    pairs = set()
    for org, plan_year, assessed_year in plans.values_list(
        "organization", "fiscal_year", "assessment__framework__fiscal_year"
    ):
        pairs |= {(org, plan_year), (org, assessed_year)}
    return pairs


def _framework_years(framework_ids) -> set[Pair]:
    from assessments.models import Framework

    years = Framework.objects.filter(pk__in=framework_ids).values_list("fiscal_year", flat=True)
    return {(None, year) for year in years}


def pairs_of(instance) -> set[Pair]:
    """The (organization, year) rows a change of ``instance`` bumps (see the module's rules)."""
    from assessments import models as a
    from plans import models as p

    match instance:
        case a.Assessment():
            return _assessment_pairs([instance.pk]) or {
                (instance.organization_id, instance.framework.fiscal_year)
            }
        case a.ItemScore() | a.ReportedScore():
            assessment = instance.assessment_id
            return _looked_up(("assessment", assessment), lambda: _assessment_pairs([assessment]))
        case p.Plan():
            return _plan_pairs(p.Plan.objects.filter(pk=instance.pk)) or {
                (instance.organization_id, instance.fiscal_year)
            }
        case p.Finding() | p.ReportingRound():
            plan = instance.plan_id
            return _looked_up(("plan", plan), lambda: _plan_pairs(p.Plan.objects.filter(pk=plan)))
        case p.Action():
            finding = instance.finding_id
            return _looked_up(
                ("finding", finding),
                lambda: _plan_pairs(p.Plan.objects.filter(findings=finding)),
            )
        case p.ProgressUpdate():
            action = instance.action_id
            return _looked_up(
                ("action", action),
                lambda: _plan_pairs(p.Plan.objects.filter(findings__actions=action)),
            )
        case a.Framework():
            return {(None, instance.fiscal_year)}
        case a.LevelBand() | a.Tool() | a.Indicator() | a.Item():
            return _framework_years([instance.framework_id])
        case a.ItemLink():
            return _framework_years([instance.from_framework_id, instance.to_framework_id])
    return set()


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's loader bumps once at its end, if it must
        return
    from assessments.models import Organization
    from plans.models import Division

    if isinstance(instance, Organization):
        touch_organizations([instance.pk])
    elif isinstance(instance, Division):
        touch_organizations([instance.organization_id])
    else:
        touch(pairs_of(instance))


def _divisions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from plans.models import Action, Plan

    if not action.startswith("post_"):
        return
    if reverse:  # division.actions.add(...): the actions' plans
        plans = Plan.objects.filter(findings__actions__in=pk_set or ())
        if action == "post_clear":
            plans = Plan.objects.filter(organization=instance.organization_id)
        touch(_plan_pairs(plans))
    elif isinstance(instance, Action):
        touch(pairs_of(instance))


def connect() -> None:
    """Connect the handlers (from the plans app's ``ready``)."""
    from assessments import models as a
    from plans import models as p

    tracked = [
        a.Organization,
        a.Framework,
        a.LevelBand,
        a.Tool,
        a.Indicator,
        a.Item,
        a.ItemLink,
        a.Assessment,
        a.ItemScore,
        a.ReportedScore,
        p.Division,
        p.Plan,
        p.Finding,
        p.Action,
        p.ReportingRound,
        p.ProgressUpdate,
    ]
    for model in tracked:
        uid = f"dataversions-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        # Before the delete, while the rows that say whose change it is still exist.
        pre_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _divisions_changed, sender=p.Action.divisions.through, dispatch_uid="dataversions-divisions"
    )
