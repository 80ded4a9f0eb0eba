"""The admin speaks Thai to a Thai user, including what Django's and the packages' own Thai
catalogs leave in English (locale/th overrides and completes them)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from tests.factories import make_user


@pytest.mark.parametrize(
    ("english", "thai"),
    [
        ("Show counts", "แสดงจำนวน"),
        ("Start typing to filter…", "พิมพ์เพื่อกรอง…"),
        ("access attempts", "ความพยายามเข้าสู่ระบบ"),
        ("access failures", "การเข้าสู่ระบบที่ล้มเหลว"),
        ("access logs", "บันทึกการเข้าสู่ระบบ"),
        ("The {name} “{obj}” was added successfully.", "เพิ่ม{name} “{obj}” เรียบร้อยแล้ว"),
        ("The {name} “{obj}” was changed successfully.", "แก้ไข{name} “{obj}” เรียบร้อยแล้ว"),
        ("The %(name)s “%(obj)s” was deleted successfully.", "ลบ%(name)s “%(obj)s” เรียบร้อยแล้ว"),
    ],
)
def test_the_admins_english_leftovers_are_thai(english, thai):
    with translation.override("th"):
        assert translation.gettext(english) == thai


def test_the_admins_javascript_says_selected_in_thai():
    catalog = DjangoTranslation("th", domain="djangojs")
    selected = catalog.ngettext("%(sel)s of %(cnt)s selected", "%(sel)s of %(cnt)s selected", 3)
    assert selected == "เลือก %(sel)s จาก %(cnt)s รายการ"
    assert catalog.gettext("(click to clear)") == "(คลิกเพื่อล้าง)"


@pytest.mark.django_db
def test_the_access_attempts_page_is_thai(client):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "ความพยายามเข้าสู่ระบบ" in page
    assert "Access attempts" not in page
    assert "พิมพ์เพื่อกรอง…" in page  # the sidebar's filter box
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert "\\u0e40\\u0e25\\u0e37\\u0e2d\\u0e01 %(sel)s" in script or "เลือก %(sel)s" in script
