"""Form pieces for Thai users: dates are typed and shown with Buddhist-Era (พ.ศ.) years."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import thaidates


class ThaiDateInput(forms.TextInput):
    """Show a date as "1/10/2564" and give back whatever the person typed untouched."""

    def __init__(self, attrs=None):
        # No inputmode="numeric": people also type month names such as "1 ต.ค. 2564".
        # Lazy: widgets are built when a form class is defined, before any language is active.
        defaults = {"placeholder": _("วว/ดด/ปปปป (พ.ศ.)"), "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        """Return a date in Buddhist-Era numeric form; return typed text as it is."""
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            return thaidates.format_date(value, "numeric")
        return str(value)


class ThaiDateField(forms.DateField):
    """Read a date with a Buddhist-Era year through thaidates.parse_date.

    Django's Thai locale input formats would store "01/10/2568" as Gregorian year 2568,
    so they are never consulted here.
    """

    widget = ThaiDateInput

    def to_python(self, value):
        """Return a date, None when empty, or raise ValidationError with a Thai message."""
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return thaidates.as_date(value)
        if isinstance(value, datetime.date):
            return value
        try:
            return thaidates.parse_date(str(value))
        except thaidates.ThaiDateError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def strptime(self, value, format):
        """Refuse locale formats; to_python is the only way in."""
        raise NotImplementedError("ThaiDateField parses with thaidates.parse_date only")
