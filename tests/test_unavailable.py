"""When the database is down, or a page fails, the user gets a Thai page, not a bare error."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import path

from ita_tracker.middleware import DatabaseUnavailableMiddleware


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [path("gone/", database_gone), path("broken/", broken)]


@pytest.mark.parametrize("error", [OperationalError("down"), InterfaceError("closed")])
def test_a_lost_database_answers_503_in_thai_with_retry_after(error):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/actions/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in page
    assert "ยังไม่ได้บันทึก" in page


def test_other_errors_are_left_to_the_500_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


@pytest.mark.urls(__name__)
def test_through_the_whole_stack_both_pages_are_thai(client):
    client.raise_request_exception = False
    gone = client.get("/gone/")
    assert gone.status_code == 503
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in gone.content.decode()
    broken = client.get("/broken/")
    assert broken.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in broken.content.decode()
