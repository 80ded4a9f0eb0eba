"""Filters of the staff pages (django-filter): what a person narrows a list by."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plans.models import Action, Division


class ActionScopeFilter(django_filters.FilterSet):
    """Which part of the plan: a tool, an indicator, a division (the dashboards' filters)."""

    tool = django_filters.ChoiceFilter(
        label=_("เครื่องมือ"),
        field_name="finding__item__indicator__tool__code",
        choices=[("IIT", "IIT"), ("EIT", "EIT"), ("OIT", "OIT")],
        empty_label=_("ทุกเครื่องมือ"),
    )
    indicator = django_filters.NumberFilter(
        label=_("ตัวชี้วัดที่"), field_name="finding__item__indicator__number"
    )
    division = django_filters.ModelChoiceFilter(
        label=_("ฝ่าย"),
        queryset=Division.objects.none(),
        method="of_division",
        empty_label=_("ทุกฝ่าย"),
    )

    class Meta:
        model = Action
        fields = ["tool", "indicator", "division"]

    def __init__(self, *args, divisions=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if divisions is not None:
            self.filters["division"].queryset = divisions

    def of_division(self, queryset, name, value):
        return queryset.of_division(value) if value else queryset


# A search is a few words from an action or an item code: each word is one more condition
# on four columns, and 1,000 words made a query SQLite refuses and PostgreSQL takes seconds on.
SEARCH_MAX_WORDS = 8
SEARCH_MAX_CHARS = 200


def check_search_words(value: str) -> None:
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        raise ValidationError(
            ngettext(
                "ค้นหาได้ไม่เกิน %(limit)d คำ (พิมพ์มา %(count)d คำ) เลือกคำที่สำคัญที่สุด",
                "ค้นหาได้ไม่เกิน %(limit)d คำ (พิมพ์มา %(count)d คำ) เลือกคำที่สำคัญที่สุด",
                words,
            )
            % {"limit": SEARCH_MAX_WORDS, "count": words},
            code="too_many_words",
        )


class ActionFilter(ActionScopeFilter):
    q = django_filters.CharFilter(
        label=_("ค้นหา"),
        method="search",
        max_length=SEARCH_MAX_CHARS,
        validators=[check_search_words],
        error_messages={
            "max_length": _("คำค้นยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (พิมพ์มา %(show_value)d ตัวอักษร)")
        },
    )
    status = django_filters.ChoiceFilter(
        label=_("สถานะ"), choices=Action.Status.choices, empty_label=_("ทุกสถานะ")
    )
    overdue = django_filters.BooleanFilter(
        label=_("เฉพาะที่เลยกำหนด"), method="only_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Action
        fields = ["q", "status", "tool", "indicator", "division", "overdue"]

    def filter_queryset(self, queryset):
        # A refused search shows its message and no list, rather than every action as if
        # they all matched.
        if "q" in self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(text__icontains=word)
                | Q(finding__item__code__iexact=word)
                | Q(finding__item__name__icontains=word)
                | Q(follow_up_method__icontains=word)
            )
        return queryset

    def only_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset


# Django's own Jinja2 templates of the form widgets: the same HTML, written several times
# faster than through the Django template engine (one included template per option).
_JINJA_WIDGETS = Jinja2()


class JinjaRenderedForm(forms.Form):
    default_renderer = _JINJA_WIDGETS


def _listed(label, method: str, empty_label) -> django_filters.ChoiceFilter:
    """A choice among a list the page reads once, with ModelChoiceField's wording for a
    choice not in it (the message these fields had as ModelChoiceFilters)."""
    return django_filters.ChoiceFilter(
        label=label,
        method=method,
        empty_label=empty_label,
        error_messages={
            "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )


class ListedDivisions:
    """A division chosen among the list the page already read (``divisions``, possibly lazy:
    a page answered from the cache never reads it): no query for the choices, none to look
    the chosen one up; the same choices, message and HTML as a ModelChoiceFilter. The
    FilterSet declares ``division = _listed(_("ฝ่าย"), "of_division", _("ทุกฝ่าย"))``."""

    def __init__(self, *args, divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.divisions = divisions
        self.filters["division"].extra["choices"] = lambda: [
            (str(division.pk), division.name) for division in divisions
        ]

    def of_division(self, queryset, name, value):
        chosen = next((d for d in self.divisions if str(d.pk) == value), None)
        return queryset.of_division(chosen) if chosen else queryset


class ProgressFilter(ListedDivisions, ActionScopeFilter):
    """The progress dashboard's filters, written by Jinja2."""

    division = _listed(_("ฝ่าย"), "of_division", _("ทุกฝ่าย"))

    class Meta(ActionScopeFilter.Meta):
        form = JinjaRenderedForm


class PlanActionFilter(ListedDivisions, ActionFilter):
    """The plan page's filters: the staff filters plus a reporting round, its divisions and
    rounds chosen among the lists the page reads once (``divisions``, ``rounds``)."""

    division = _listed(_("ฝ่าย"), "of_division", _("ทุกฝ่าย"))
    round = _listed(_("รอบการติดตาม"), "in_round", _("ทุกรอบ"))
    reported = django_filters.ChoiceFilter(
        label=_("การรายงานในรอบ"),
        choices=[("yes", _("รายงานแล้ว")), ("no", _("ยังไม่รายงาน"))],
        method="noop",
        empty_label=_("ทั้งหมด"),
    )

    class Meta(ActionFilter.Meta):
        fields = [*ActionFilter.Meta.fields, "round", "reported"]
        form = JinjaRenderedForm

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["round"].extra["choices"] = lambda: [
            (str(round_.pk), round_.name) for round_ in rounds
        ]

    def noop(self, queryset, name, value):
        return queryset  # read by in_round

    def in_round(self, queryset, name, value):
        if not value:
            return queryset
        reported = Q(updates__round=int(value))
        if self.form.cleaned_data.get("reported") == "no":
            return queryset.exclude(pk__in=queryset.filter(reported).values("pk"))
        return queryset.filter(reported).distinct()
