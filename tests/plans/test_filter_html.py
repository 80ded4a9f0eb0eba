"""A filter form's fields, written once per distinct form (plans.filter_html): the same HTML
as the widgets write, written again whenever anything it shows changes."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from plans import filter_html
from plans.filters import PlanActionFilter
from plans.models import Action

pytestmark = pytest.mark.django_db

# What the filter form's template wrote before the fields were kept.
LOOP = Template(
    "{% for field in form %}\n    <p>{{ field.label_tag }} {{ field }}</p>\n"
    "    {{ field.errors }}\n  {% endfor %}"
)


def _form(query: str = "", divisions=(), rounds=()):
    return PlanActionFilter(
        QueryDict(query),
        queryset=Action.objects.none(),
        divisions=list(divisions),
        rounds=list(rounds),
    ).form


def _choices(*names):
    return [SimpleNamespace(pk=pk, name=name) for pk, name in enumerate(names, start=1)]


@pytest.fixture(autouse=True)
def _nothing_kept():
    filter_html._kept.clear()
    yield
    filter_html._kept.clear()


@pytest.mark.parametrize(
    "query",
    ["", "division=1&round=2&reported=no", "q=ประชา&status=done&overdue=on", "division=99&round=x"],
)
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_fields_are_what_the_widgets_write(query, language):
    divisions, rounds = _choices("ฝ่ายปกครอง", "ฝ่ายโยธา"), _choices("รอบ 1", "รอบ 2")
    with translation.override(language):
        expected = LOOP.render(Context({"form": _form(query, divisions, rounds)}))
        written = filter_html.fields_html(_form(query, divisions, rounds))
        kept = filter_html.fields_html(_form(query, divisions, rounds))
    assert written == expected
    assert kept is written  # the second reader's copy was not written again
    if query.startswith("division=99"):
        assert "errorlist" in written


def test_anything_the_fields_show_changing_writes_them_again(monkeypatch):
    written = []
    write = filter_html._write
    monkeypatch.setattr(filter_html, "_write", lambda form: written.append(1) or write(form))
    divisions = _choices("ฝ่ายปกครอง")
    first = filter_html.fields_html(_form("", divisions))
    filter_html.fields_html(_form("", divisions))
    assert len(written) == 1
    renamed = filter_html.fields_html(_form("", _choices("ฝ่ายปกครองและทะเบียน")))
    assert "ฝ่ายปกครองและทะเบียน" in renamed and "ฝ่ายปกครองและทะเบียน" not in first
    chosen = filter_html.fields_html(_form("division=1", divisions))
    assert 'value="1" selected' in chosen
    with translation.override("en"):
        english = filter_html.fields_html(_form("", divisions))
    assert "All divisions" in english
    assert len(written) == 4


def test_no_more_forms_are_kept_than_the_limit(monkeypatch):
    monkeypatch.setattr(filter_html, "FORMS_KEPT", 3)
    for word in ["หนึ่ง", "สอง", "สาม", "สี่", "ห้า"]:
        filter_html.fields_html(_form(f"q={word}"))
    assert len(filter_html._kept) == 3
