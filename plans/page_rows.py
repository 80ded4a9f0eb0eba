"""The row a dashboard is about (a plan, an assessment), kept by each process between requests.

A browser revalidating a dashboard (If-None-Match) is answered from the page's data version
(``plans.dataversions``); the row the page is about (the plan with its organization,
assessment and edition; the assessment with its organization and edition) changes only with
that version: every change of them counts one. So each process keeps the rows it has read,
by page (organization code, year, edition) and database, with the version read with them. A
later request asks the reading rule in Python of the user read with its session
(``reads_organization``), then reads only the versions, by the kept row's organization and
years: the same version means the same row, whose instances are made again from the values
kept; a moved version, a rule that says no, or no row kept means the page's own statement,
as before (which also says "not found").

Kept at most ``ITA_DASHBOARD_CACHE_SECONDS`` (the bound of anything a version would miss, as
for the cached pages), none when that is 0; at most ``LIMIT`` rows a process, the oldest
forgotten first."""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from time import monotonic

from django.conf import settings
from django.db import connection

from assessments.models import reads_organization
from plans import access, dataversions

LIMIT = 2000


@dataclass(frozen=True)
class _Kept:
    row: tuple  # the row's values, as ``access.plan_row`` / ``assessment_row`` read them
    organization_id: int
    version: str  # the page's data version, read with the row
    part: dataversions.Part  # the same version, asked by the row's organization and years
    until: float  # monotonic()


_kept: OrderedDict[tuple, _Kept] = OrderedDict()
_lock = threading.Lock()


def progress_plan(user, organization: str, year: int, also=()):
    """``access.plan_with`` with the progress page's version first, then ``also``'s values."""
    return _page_row(
        ("plan", connection.alias, organization, year),
        user,
        also,
        read=lambda parts: access.plan_row(user, organization, year, parts),
        of_row=dataversions.PROGRESS_OF_ROW,
        make=access.plan_of,
        version_of=dataversions.for_progress,
    )


def scores_assessment(user, organization: str, year: int, edition=None, also=()):
    """``access.assessment_with`` with the scores page's version first, then ``also``'s."""
    return _page_row(
        ("assessment", connection.alias, organization, year, edition or None),
        user,
        also,
        read=lambda parts: access.assessment_row(user, organization, year, edition, parts),
        of_row=dataversions.SCORES_OF_ROW,
        make=access.assessment_of,
        version_of=dataversions.for_scores,
    )


def _page_row(key, user, also, *, read, of_row, make, version_of):
    """The kept row's instance and the versions read now (``_answer``), or else the page's
    statement (``read``: its row and values, the version first; or not found — a kept row
    of a page not found any more fails its version, each deletion counts one), kept."""
    found = _answer(key, user, also)
    if found is not None:
        row, versions = found
        return make(row), versions
    row, values = read([dataversions.of_row(of_row), *also])
    instance = make(row)
    _keep(key, row, instance.organization_id, values, version_of(instance))
    return instance, values


def _answer(key, user, also):
    """The kept row and the versions read now, if the row is kept, the user may read it and
    its version has not moved."""
    if not settings.ITA_DASHBOARD_CACHE_SECONDS:
        return None
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None or kept.until < monotonic():
        return None
    if not reads_organization(user, kept.organization_id):
        return None  # the page's statement answers: not found, as it would have
    versions = dataversions.read(kept.part, *also)
    if versions[0] != kept.version:
        return None
    return kept.row, versions


def _keep(key, row, organization_id, values, part) -> None:
    seconds = settings.ITA_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return
    version = dataversions.as_text(values[:1])[0]
    kept = _Kept(row, organization_id, version, part, monotonic() + seconds)
    with _lock:
        _kept[key] = kept
        _kept.move_to_end(key)
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)


def forget() -> None:
    """Forget every kept row (the tests: a rolled-back test's ids and versions come back)."""
    with _lock:
        _kept.clear()
