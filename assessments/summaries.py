"""Each assessment's stored summary (``AssessmentSummary``): what ``scoring.summarize``
computes from its scores, kept in a row so the overview of 8,300 agencies sorts, filters and
counts in SQL instead of rolling every score up on every view.

``refresh(assessment_ids)`` is the one writer. It runs set-based, a few hundred assessments
at a time (one read of their scores, one upsert), and is called wherever scores or the rules
change: at the end of a score import, by the signals below (an admin edit of one score, of a
weight, a level band or the pass mark), by the synthetic and demo loaders, and by the
``refresh_summaries`` command (which also fills the rows of existing assessments).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from assessments import headlines, scoring
from assessments.models import (
    Assessment,
    AssessmentSummary,
    Framework,
    Indicator,
    Item,
    ItemScore,
    LevelBand,
    Tool,
)
from assessments.rollup import framework_specs

# Assessments read and written per round: ~88 scores each, so a few tens of thousands of
# score rows in memory at a time, whatever the size of the import.
CHUNK = 300
FIELDS = ["total", "level", "passed", "indicators", "tools"]


def _figures(figures: dict) -> dict:
    return {str(key): None if value is None else str(value) for key, value in figures.items()}


def summary_of(assessment_id: int, spec: scoring.FrameworkSpec, scores) -> AssessmentSummary:
    """The stored form of ``scoring.summarize(spec, scores)``."""
    summary = scoring.summarize(spec, scores)
    return AssessmentSummary(
        assessment_id=assessment_id,
        total=summary.total,
        level=summary.level or "",
        passed=None if summary.total is None else summary.total >= spec.pass_mark,
        indicators=_figures(summary.indicators),
        tools=_figures(summary.tools),
    )


def refresh(assessment_ids: Iterable[int]) -> int:
    """Recompute and store the summaries of these assessments; return how many."""
    ids = sorted(set(assessment_ids))
    specs: dict[int, scoring.FrameworkSpec] = {}
    codes: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = dict(
            Assessment.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
                "pk", "framework_id"
            )
        )
        new = [pk for pk in set(chunk.values()) if pk not in specs]
        if new:
            specs.update(framework_specs(Framework.objects.filter(pk__in=new)))
            codes.update(Item.objects.filter(framework_id__in=new).values_list("pk", "code"))
        scores: dict[int, dict] = defaultdict(dict)
        for assessment_id, item_id, score in ItemScore.objects.filter(
            assessment_id__in=chunk
        ).values_list("assessment_id", "item_id", "score"):
            scores[assessment_id][codes[item_id]] = score
        AssessmentSummary.objects.bulk_create(
            [summary_of(pk, specs[framework], scores[pk]) for pk, framework in chunk.items()],
            update_conflicts=True,
            unique_fields=["assessment"],
            update_fields=FIELDS,
        )
    # The overview's stored headline of these years counts the summaries just written.
    headlines.forget(Framework.objects.filter(pk__in=specs).values_list("fiscal_year", flat=True))
    return len(ids)


def refresh_all() -> int:
    """Recompute every assessment's summary (after a deploy, or to repair)."""
    return refresh(Assessment.objects.values_list("pk", flat=True))


def refresh_missing(assessments) -> int:
    """Fill the summaries of those of ``assessments`` (a queryset) that have none yet: one
    query when all are there. Data written without signals by a path that forgot to refresh
    still shows, and right."""
    missing = list(assessments.filter(summary__isnull=True).values_list("pk", flat=True))
    return refresh(missing) if missing else 0


def refresh_framework(framework_id: int | None) -> int:
    """Recompute the summaries of a framework's assessments (its rules changed)."""
    if framework_id is None:
        return 0
    return refresh(
        Assessment.objects.filter(framework_id=framework_id).values_list("pk", flat=True)
    )


# --- Signals: one-row edits (the admin); bulk writers call refresh themselves ---------------


@receiver([post_save, post_delete], sender=ItemScore)
def _score_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    # A score deleted with its assessment (or anything else above it) has nothing left to
    # summarise, and a summary written now would outlive the assessment being deleted.
    origin = kwargs.get("origin")
    if origin is not None and getattr(origin, "model", type(origin)) is not ItemScore:
        return
    refresh([instance.assessment_id])


@receiver([post_save, post_delete], sender=Tool)
@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=LevelBand)
@receiver([post_save, post_delete], sender=Item)
def _rule_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        refresh_framework(instance.framework_id)


@receiver(post_save, sender=Framework)
def _framework_changed(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        refresh_framework(instance.pk)
