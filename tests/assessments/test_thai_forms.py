"""ThaiDateField, ThaiDateInput and the thai_dates template filters."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from assessments.forms import ThaiDateField, ThaiDateInput


class ActionForm(forms.Form):
    starts_on = ThaiDateField(required=False)
    due_on = ThaiDateField()


# --- field -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1/10/2564", date(2021, 10, 1)),
        ("1 ต.ค. 64", date(2021, 10, 1)),
        ("๑/๑๐/๒๕๖๔", date(2021, 10, 1)),
        ("01/10/2568", date(2025, 10, 1)),
        ("2021-10-01", date(2021, 10, 1)),
        (date(2021, 10, 1), date(2021, 10, 1)),
        (datetime(2021, 10, 1, 9, 0), date(2021, 10, 1)),
        (datetime(2021, 9, 30, 18, 0, tzinfo=UTC), date(2021, 10, 1)),
    ],
)
def test_field_cleans_buddhist_era_dates(typed, expected):
    with translation.override("th"):
        assert ThaiDateField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1/10/2021", "พ.ศ."),
        ("abc", "ไม่เข้าใจวันที่"),
        ("31/02/2564", "ไม่มีวันที่ 31"),
    ],
)
def test_field_refuses_with_thai_message(typed, message):
    with pytest.raises(ValidationError) as excinfo:
        ThaiDateField().clean(typed)
    [error] = excinfo.value.error_list
    assert error.code == "invalid"
    assert message in error.message


@pytest.mark.parametrize("empty", ["", None, "   "])
def test_field_allows_empty_when_not_required(empty):
    assert ThaiDateField(required=False).clean(empty) is None


def test_field_requires_a_value_by_default():
    with pytest.raises(ValidationError) as excinfo:
        ThaiDateField().clean("")
    assert excinfo.value.error_list[0].code == "required"


def test_field_never_uses_locale_input_formats():
    # Django's Thai DATE_INPUT_FORMATS read this as Gregorian 2568.
    with translation.override("th"):
        assert ThaiDateField(localize=True).clean("01/10/2568") == date(2025, 10, 1)


def test_form_cleans_and_reports_errors():
    form = ActionForm(data={"starts_on": "1/10/2564", "due_on": "1/10/2021"})
    assert not form.is_valid()
    assert form.cleaned_data["starts_on"] == date(2021, 10, 1)
    assert "พ.ศ." in form.errors["due_on"][0]


# --- widget ------------------------------------------------------------------------------


def test_unbound_form_renders_initial_date_in_buddhist_era():
    form = ActionForm(initial={"starts_on": date(2021, 10, 1)})
    html = str(form["starts_on"])
    assert 'value="1/10/2564"' in html
    assert 'type="text"' in html


def test_bound_form_with_errors_keeps_what_was_typed():
    form = ActionForm(data={"starts_on": "31/02/2564", "due_on": "1 ต.ค. 2021"})
    assert not form.is_valid()
    assert 'value="31/02/2564"' in str(form["starts_on"])
    assert 'value="1 ต.ค. 2021"' in str(form["due_on"])


def test_widget_default_attrs():
    html = ThaiDateInput().render("d", date(2021, 10, 1))
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in html
    assert 'autocomplete="off"' in html
    assert "inputmode" not in html
    assert 'value="1/10/2564"' in html


def test_widget_attrs_can_be_overridden():
    html = ThaiDateInput(attrs={"placeholder": "เช่น 1/10/2564", "class": "w-32"}).render("d", None)
    assert 'placeholder="เช่น 1/10/2564"' in html
    assert 'class="w-32"' in html
    assert 'autocomplete="off"' in html
    assert "value=" not in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 10, 1), "1/10/2564"),
        (datetime(2021, 10, 1, 9, 0), "1/10/2564"),
        ("1/10/2021", "1/10/2021"),
        ("abc", "abc"),
        ("", None),
        (None, None),
    ],
)
def test_widget_format_value(value, expected):
    assert ThaiDateInput().format_value(value) == expected


# --- template filters --------------------------------------------------------------------


def render(source, **context):
    return Template("{% load thai_dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ d|thai_date }}", "1 ต.ค. 2564"),
        ("{{ d|thai_date_long }}", "1 ตุลาคม 2564"),
        ("{{ d|thai_date_numeric }}", "1/10/2564"),
        ("{{ d|thai_month }}", "ต.ค. 64"),
        ("{{ d|fiscal_year }}", "2565"),
        ("{{ d|be_year }}", "2564"),
        ("{{ d|thai_window:end }}", "ต.ค. 64 – มิ.ย. 65"),
        ("{{ d|thai_window:none }}", "ต.ค. 64"),
        ("{{ d|thai_window }}", "ต.ค. 64"),
        ("{{ none|thai_window:end }}", "มิ.ย. 65"),
    ],
)
def test_filters_render(source, expected):
    assert render(source, d=date(2021, 10, 1), end=date(2022, 6, 30), none=None) == expected


@pytest.mark.parametrize(
    "name",
    [
        "thai_date",
        "thai_date_long",
        "thai_date_numeric",
        "thai_month",
        "fiscal_year",
        "be_year",
        "thai_window",
    ],
)
@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_filters_blank_for_missing_values(name, value):
    assert render("{{ v|" + name + " }}", v=value) == ""
    assert render("{{ missing|" + name + " }}") == ""


def test_filters_use_the_local_date_of_aware_datetimes():
    # 18:00 UTC on 30 Sep 2021 is 1 Oct 2021 in Bangkok: a new fiscal year.
    moment = datetime(2021, 9, 30, 18, 0, tzinfo=UTC)
    assert render("{{ t|thai_date }} {{ t|fiscal_year }}", t=moment) == "1 ต.ค. 2564 2565"


def test_action_window_usage():
    action = {"starts_on": date(2021, 10, 1), "due_on": date(2022, 6, 30)}
    source = "{{ action.starts_on|thai_window:action.due_on }}"
    assert render(source, action=action) == "ต.ค. 64 – มิ.ย. 65"
