"""The fields of a list's filter form, written once per distinct form.

A filter form's HTML depends only on its fields, their choices, what the reader asked for
(the query string) and the language. On the plan page its eight fields and their options
cost several milliseconds to write through the widgets' templates, for the HTML most
readers of a plan share. The written fields are kept per process (the most recent
``FORMS_KEPT``), keyed by all of that, so a change of any of it (a division renamed, a
round added, another filter chosen, English) writes them again."""

import threading
from collections import OrderedDict

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FORMS_KEPT = 256

_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def fields_html(form) -> SafeString:
    """Each field of ``form`` as the filter form shows it: its label and widget in a
    paragraph, then its errors."""
    if any(hasattr(field, "queryset") for field in form.fields.values()):
        # A model's choices are a query each time they are listed: written as they are.
        return _write(form)
    key = _key(form)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    html = _write(form)
    with _lock:
        _kept[key] = html
        if len(_kept) > FORMS_KEPT:
            _kept.popitem(last=False)
    return html


def _write(form) -> SafeString:
    parts = []
    for field in form:
        parts.append(
            f"\n    <p>{conditional_escape(field.label_tag())} {conditional_escape(field)}</p>"
            f"\n    {conditional_escape(field.errors)}\n  "
        )
    return mark_safe("".join(parts))


def _plain(value):
    """Choices as hashable plain text (labels are often lazy translations)."""
    if isinstance(value, list | tuple):
        return tuple(_plain(part) for part in value)
    return str(value)


def _key(form) -> tuple:
    data = form.data
    asked = []
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        given = tuple(data.getlist(key)) if hasattr(data, "getlist") else (data.get(key),)
        choices = getattr(field, "choices", None)
        choices = None if choices is None else _plain(list(choices))
        asked.append((name, type(field), type(field.widget), str(field.label), given, choices))
    # By name: django-filter makes a new form class for each filter set.
    named = (type(form).__module__, type(form).__qualname__, form.prefix, form.is_bound)
    return (*named, get_language(), tuple(asked))
