"""Item links across editions: suggested from the texts (a renumbered OIT list, a reworded IIT
question), confirmed or changed in the admin by whoever edits the catalog, and nobody else."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import links
from assessments.models import ItemLink
from tests.factories import make_framework, make_user

pytestmark = pytest.mark.django_db

TEXTS_2564 = {
    "I1": "ท่านปฏิบัติงานตามขั้นตอนและระยะเวลาที่กำหนดอย่างเคร่งครัด",
    "I2": "ท่านใช้ทรัพย์สินของราชการเพื่อประโยชน์ส่วนตัวหรือไม่",
    "I3": "ผู้บังคับบัญชาเปิดโอกาสให้ท่านแสดงความคิดเห็น",
    "I4": "หน่วยงานมีการแก้ไขปัญหาการทุจริตอย่างจริงจัง",
    "I5": "ท่านเคยพบเห็นการเรียกรับสินบนในหน่วยงาน",
    "I6": "การมอบหมายงานเป็นไปอย่างเป็นธรรม",
    "E1": "เจ้าหน้าที่ให้บริการด้วยความสุภาพและเป็นมิตร",
    "E2": "ท่านได้รับข้อมูลที่ชัดเจนเกี่ยวกับขั้นตอนการติดต่อ",
    "E3": "ช่องทางการร้องเรียนสะดวกและเข้าถึงง่าย",
    "E4": "หน่วยงานปรับปรุง การให้บริการ ให้ดีขึ้น",
    "E5": "ท่านสามารถติดตามผลการดำเนินงานได้ทางออนไลน์",
    "O1": "นโยบายคุ้มครองข้อมูลส่วนบุคคลของหน่วยงาน",
    "O2": "แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุประจำปี",
    "O3": "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี",
    "O4": "การเปิดโอกาสให้เกิดการมีส่วนร่วมของประชาชน",
}
# The IIT question I3, reworded: the old text is the new one's beginning.
I3_2565 = TEXTS_2564["I3"] + "อย่างอิสระ"
# The 2565 OIT list renumbered: the old O1 is O3, O2 is O1, O3 is O2; O4 is a new topic.
TEXTS_2565 = {
    **TEXTS_2564,
    "I3": I3_2565,
    "E4": "หน่วยงานปรับปรุง  การให้บริการ\nให้ดีขึ้น ",  # only the spacing differs
    "O1": TEXTS_2564["O2"],
    "O2": TEXTS_2564["O3"],
    "O3": TEXTS_2564["O1"],
    "O4": "มาตรการป้องกันการรับสินบนตามนโยบายไม่รับของขวัญ (No Gift Policy)",
}


def edition(fiscal_year, texts, name):
    framework = make_framework(fiscal_year=fiscal_year, name=name)
    for item in framework.items.all():
        item.text = texts[item.code]
        item.save()
    return framework


@pytest.fixture
def old():
    return edition(2564, TEXTS_2564, "ITA ของสำนักงานเขต กรุงเทพมหานคร")


@pytest.fixture
def new():
    return edition(2565, TEXTS_2565, "ITA ทดสอบเรียงรหัสใหม่")


def pairs(found):
    return {link.from_item.code: (link.to_item.code, link.similarity) for link in found}


def test_renumbered_and_reworded_items_are_suggested_with_their_similarity(old, new):
    found = links.suggest_links(new, old)
    suggested = pairs(found)
    # Renumbered OIT items: the same text under another code.
    assert suggested["O1"] == ("O3", 100)
    assert suggested["O2"] == ("O1", 100)
    assert suggested["O3"] == ("O2", 100)
    # I3 reworded: the old text (L characters) begins the new one (L + 10); difflib's ratio
    # is 2 × L / (2 × L + 10).
    length = len(TEXTS_2564["I3"])
    assert length == 45
    assert suggested["I3"] == ("I3", round(100 * 2 * length / (2 * length + 10)))
    assert suggested["I3"][1] == 90
    assert suggested["E4"] == ("E4", 100)  # whitespace does not count
    # O4 became another topic: no counterpart either way.
    assert "O4" not in suggested
    assert not new.items.get(code="O4").links_back.exists()
    assert len(found) == 14
    assert all(link.status == ItemLink.Status.SUGGESTED for link in found)
    saved = ItemLink.objects.between(old, new)
    assert saved.count() == 14
    assert saved.get(from_item__code="O1").to_item.code == "O3"


def test_the_same_code_wins_a_tie_and_each_item_gets_one_counterpart(old):
    texts = {**TEXTS_2564, "O2": TEXTS_2564["O1"]}  # O1's text twice in the new edition
    new = edition(2565, texts, "ITA ทดสอบข้อความซ้ำ")
    suggested = pairs(links.suggest_links(new, old))
    # 2564's O1 is as similar to the new O1 as to the new O2: the same code wins.
    assert suggested["O1"] == ("O1", 100)
    # 2564's O2 is close to the new O3 (one word apart), but O3 went first to 2564's O3, the
    # same text: one counterpart each.
    assert suggested["O3"] == ("O3", 100)
    assert "O2" not in suggested
    assert [to for to, _ in suggested.values()].count("O1") == 1


def test_items_of_another_tool_are_never_suggested(old):
    texts = {**TEXTS_2564, "E1": TEXTS_2564["O1"], "O1": "หัวข้อใหม่ทั้งหมดที่ไม่เหมือนเดิม"}
    new = edition(2565, texts, "ITA ทดสอบข้ามเครื่องมือ")
    suggested = pairs(links.suggest_links(new, old))
    assert suggested.get("O1") is None  # its text is now an EIT item's


def test_confirmed_links_and_linked_items_are_left_alone(old, new):
    # A person linked the old E1 to the new E2 (whatever the texts say).
    kept = ItemLink.objects.create(
        from_item=old.items.get(code="E1"),
        to_item=new.items.get(code="E2"),
        status=ItemLink.Status.CONFIRMED,
    )
    suggested = pairs(links.suggest_links(new, old))
    assert "E1" not in suggested and "E2" not in suggested  # old E2's counterpart is taken
    assert len(suggested) == 12
    kept.refresh_from_db()
    assert (kept.to_item.code, kept.status, kept.similarity) == (
        "E2",
        ItemLink.Status.CONFIRMED,
        None,
    )
    # Suggesting again finds nothing new.
    assert links.suggest_links(new, old) == []


def test_an_edition_is_not_linked_to_itself(old):
    with pytest.raises(ValueError):
        links.suggest_links(old, old)


def test_the_command_prints_the_counts(old, new):
    out = StringIO()
    call_command("suggest_links", "--to-year", "2565", "--from-year", "2564", stdout=out)
    text = out.getvalue()
    assert "เสนอการเชื่อมโยงใหม่ (suggested): 14 (รหัสเดิม 11, รหัสใหม่ 3)" in text
    assert "ข้อในชุดใหม่ที่ยังไม่มีคู่ (no counterpart, similarity < 60%): 1" in text
    assert ItemLink.objects.count() == 14


def test_the_command_needs_an_edition_when_a_year_has_several(old, new):
    edition(2565, TEXTS_2565, "ITA ระดับประเทศ")
    with pytest.raises(CommandError, match="ระบุ --edition"):
        call_command("suggest_links", "--to-year", "2565", "--from-year", "2564")
    out = StringIO()
    call_command(
        "suggest_links",
        "--to-year",
        "2565",
        "--to-edition",
        "ITA ระดับประเทศ",
        "--from-year",
        "2564",
        stdout=out,
    )
    assert ItemLink.objects.filter(to_framework__name="ITA ระดับประเทศ").count() == 14
    assert not ItemLink.objects.filter(to_framework=new).exists()


# --- The admin ------------------------------------------------------------------------------

CHANGELIST = reverse("admin:assessments_itemlink_changelist")


@pytest.fixture
def suggested(old, new):
    return links.suggest_links(new, old)


def catalog_admin(*codenames):
    user = make_user("catalog", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames)
    )
    return user


def test_the_list_shows_similarity_and_filters_by_edition(client, suggested, new):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.get(CHANGELIST, {"to_framework__id__exact": new.pk, "status": "suggested"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 14
    html = response.content.decode()
    assert "ยืนยันการเชื่อมโยง" in html and ">90<" in html


def test_a_catalog_admin_confirms_suggestions(client, suggested):
    client.force_login(catalog_admin("view_framework", "change_framework"))
    chosen = [link.pk for link in suggested[:3]]
    response = client.post(
        CHANGELIST, {"action": "confirm", "_selected_action": chosen}, follow=True
    )
    assert response.status_code == 200
    assert "ยืนยันการเชื่อมโยงแล้ว 3 รายการ" in response.content.decode()
    assert ItemLink.objects.confirmed().count() == 3
    assert set(ItemLink.objects.confirmed().values_list("pk", flat=True)) == set(chosen)


def test_the_counterpart_is_chosen_among_the_items_of_its_edition(client, suggested, new):
    client.force_login(catalog_admin("view_framework", "change_framework"))
    link = next(link for link in suggested if link.from_item.code == "I3")
    url = reverse("admin:assessments_itemlink_change", args=[link.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["to_item"].queryset) == set(new.items.all())
    o4 = new.items.get(code="O4")
    response = client.post(url, {"to_item": o4.pk, "status": "confirmed"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.to_item, link.status) == (o4, ItemLink.Status.CONFIRMED)
    assert link.similarity == links.similarity(TEXTS_2564["I3"], TEXTS_2565["O4"])
    assert link.similarity < links.THRESHOLD


def test_a_district_user_may_not_see_or_confirm_links(client, suggested):
    # Every permission on the links themselves, but none on the framework catalog.
    user = catalog_admin("view_itemlink", "change_itemlink", "delete_itemlink")
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(CHANGELIST, {"action": "confirm", "_selected_action": [suggested[0].pk]})
    assert response.status_code == 403
    assert not ItemLink.objects.confirmed().exists()


def test_who_only_reads_the_catalog_may_not_confirm(client, suggested):
    client.force_login(catalog_admin("view_framework"))
    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "confirm", "_selected_action": [suggested[0].pk]})
    assert not ItemLink.objects.confirmed().exists()
