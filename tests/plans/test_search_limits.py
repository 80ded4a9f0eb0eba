"""The search box takes a few words: a long paste gets a Thai message, and no query runs."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.filters import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, ActionFilter
from plans.models import Action

pytestmark = pytest.mark.django_db


def search(q):
    return ActionFilter({"q": q}, queryset=Action.objects.all())


def test_eight_words_are_searched():
    filters = search(" ".join(["คำ"] * SEARCH_MAX_WORDS))
    assert filters.form.is_valid()


def test_a_ninth_word_is_refused_and_nothing_is_queried(django_assert_num_queries):
    filters = search(" ".join(["คำ"] * (SEARCH_MAX_WORDS + 1)))
    with django_assert_num_queries(0):
        assert list(filters.qs) == []
    assert filters.form.errors["q"] == ["ค้นหาได้ไม่เกิน 8 คำ (พิมพ์มา 9 คำ) เลือกคำที่สำคัญที่สุด"]


def test_an_over_long_search_is_refused_with_its_length():
    filters = search("ก" * (SEARCH_MAX_CHARS + 1))
    assert not filters.form.is_valid()
    assert filters.form.errors["q"] == ["คำค้นยาวได้ไม่เกิน 200 ตัวอักษร (พิมพ์มา 201 ตัวอักษร)"]


@pytest.mark.parametrize("page", ["my_actions", "plan_detail"])
def test_a_thousand_words_get_the_message_not_database_unavailable(client, demo, page):
    client.force_login(get_user_model().objects.get(username="staff"))
    url = reverse(page) if page == "my_actions" else reverse(page, args=["1009", 2565])
    response = client.get(url, {"q": " ".join(["งาน"] * 1000)})
    assert response.status_code == 200
    assert "ค้นหาได้ไม่เกิน 8 คำ (พิมพ์มา 1000 คำ)" in response.content.decode()
    shown = response.context["shown"] if page == "plan_detail" else response.context["page"]
    assert (shown if page == "plan_detail" else len(shown.object_list)) == 0
