"""Who changed which field of a row, and when: read from its django-simple-history records."""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.db import models
from django.utils.translation import gettext as _

from assessments.thaidates import format_datetime


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    who: str
    when: object
    # The model field's name, to set the change beside a form's value of the same field.
    name: str = ""


def shown(obj, field: str, value) -> str:
    """A stored value as a person reads it: choice labels, related names, dashes for blanks."""
    model_field = obj._meta.get_field(field)
    if model_field.many_to_many:
        names = model_field.related_model.objects.filter(
            pk__in=[row[model_field.m2m_reverse_field_name()] for row in value or []]
        )
        return ", ".join(str(name) for name in names) or "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and value is not None:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    return _plain(value)


def shown_typed(obj, field: str, value) -> str:
    """A form's cleaned value as a person reads it, the same way as ``shown``."""
    model_field = obj._meta.get_field(field)
    if model_field.many_to_many:
        return ", ".join(str(related) for related in value or []) or "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        return str(value)
    return _plain(value)


def _plain(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, date):  # a datetime is a date too
        return format_datetime(value)  # Buddhist Era, as every date a person reads
    return str(value)


def field_changes(obj, since_version: int | None = None) -> list[FieldChange]:
    """Every field change of ``obj`` (after save number ``since_version``), oldest first."""
    records = obj.history.order_by("history_date", "history_id")
    if since_version is not None:
        records = records.filter(version__gte=since_version)
    records = list(records.select_related("history_user"))
    changes = []
    for older, newer in pairwise(records):
        who = newer.history_user.get_username() if newer.history_user else _("ระบบ")
        for change in newer.diff_against(older).changes:
            if change.field == "version":
                continue
            changes.append(
                FieldChange(
                    field=str(obj._meta.get_field(change.field).verbose_name),
                    old=shown(obj, change.field, change.old),
                    new=shown(obj, change.field, change.new),
                    who=who,
                    when=newer.history_date,
                    name=change.field,
                )
            )
    return changes
