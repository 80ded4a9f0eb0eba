"""The people page of a district: its plan owner lists, adds and changes their district's
members, deactivates them, and hands each new one a one-time link to set a password."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from plans.models import Membership
from plans.people import set_password_path
from tests.factories import make_division, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def people(district, other_district):
    office = make_division(district, "ฝ่ายปกครอง", order=1)
    finance = make_division(district, "ฝ่ายการคลัง", order=2)
    return {
        "office": office,
        "finance": finance,
        "owner": make_user("owner", organization=district, role="plan_owner", division=office),
        "staff": make_user(
            "staff", organization=district, role="staff", division=finance, first_name="สมชาย"
        ),
        "manager": make_user("manager", organization=district, role="district_manager"),
        "outsider": make_user(
            "outsider",
            organization=other_district,
            role="staff",
            division=make_division(other_district),
        ),
        "other_owner": make_user("other_owner", organization=other_district, role="plan_owner"),
    }


def url(name, code="1009", *args):
    return reverse(name, args=[code, *args])


def signed_in(client, user):
    client.force_login(user)
    return client


def new_member(**changes):
    return {
        "username": "newcomer",
        "first_name": "สมหญิง",
        "last_name": "ใจดี",
        "email": "somying@example.org",
        "role": "staff",
        **changes,
    }


def test_the_list_shows_the_districts_members_only_and_searches(client, people):
    signed_in(client, people["owner"])
    response = client.get(url("people"))
    assert response.status_code == 200
    usernames = [member.user.username for member in response.context["page"]]
    assert sorted(usernames) == ["manager", "owner", "staff"]
    content = response.content.decode()
    assert "ยังไม่เคย" in content  # nobody has signed in yet
    response = client.get(url("people"), {"q": "คลัง"})
    assert [member.user.username for member in response.context["page"]] == ["staff"]


def test_last_sign_in_is_shown_in_the_buddhist_era(client, people):
    staff = people["staff"]
    staff.last_login = "2026-11-26T01:24:00+00:00"
    staff.save()
    response = signed_in(client, people["owner"]).get(url("people"))
    assert "26 พ.ย. 2569 08:24" in response.content.decode()


def test_the_menu_links_a_plan_owner_to_their_people_page(client, people):
    response = signed_in(client, people["owner"]).get(reverse("people_home"), follow=True)
    assert response.redirect_chain[-1][0] == url("people")
    assert f'href="{reverse("people_home")}"' in response.content.decode()
    staff_page = signed_in(client, people["staff"]).get(reverse("my_actions"))
    assert f'href="{reverse("people_home")}"' not in staff_page.content.decode()


@pytest.mark.parametrize(
    ("user", "name", "status"),
    [
        ("other_owner", "people", 404),
        ("other_owner", "person_add", 404),
        ("staff", "people", 403),
        ("staff", "person_add", 403),
        ("manager", "people", 403),
        ("manager", "person_add", 403),
        ("owner", "people", 200),
    ],
)
def test_who_may_open_the_people_page(client, people, user, name, status):
    assert signed_in(client, people[user]).get(url(name)).status_code == status


def test_another_districts_member_is_not_found(client, people):
    outsider = people["outsider"].membership
    signed_in(client, people["owner"])
    assert client.get(url("person_edit", "1009", outsider.pk)).status_code == 404
    assert client.get(url("person_edit", "1033", outsider.pk)).status_code == 404
    response = client.post(url("person_active", "1033", outsider.pk), {"active": "0"})
    assert response.status_code == 404
    people["outsider"].refresh_from_db()
    assert people["outsider"].is_active


def test_an_owner_adds_staff_who_gets_a_one_time_link(client, people):
    signed_in(client, people["owner"])
    response = client.post(
        url("person_add"), new_member(division=people["finance"].pk), follow=True
    )
    membership = Membership.objects.get(user__username="newcomer")
    assert (membership.role, membership.division, membership.organization.code) == (
        "staff",
        people["finance"],
        "1009",
    )
    assert not membership.user.has_usable_password()
    link = response.context["set_password_url"]
    assert link.startswith("http://testserver/accounts/set-password/")
    assert 'data-copy="set-password-url"' in response.content.decode()


def test_staff_without_a_division_is_refused_and_the_form_keeps_what_was_typed(client, people):
    response = signed_in(client, people["owner"]).post(url("person_add"), new_member())
    assert response.status_code == 200
    assert response.context["form"].errors["division"] == ["เจ้าหน้าที่ต้องสังกัดฝ่าย"]
    content = response.content.decode()
    assert 'value="newcomer"' in content and 'value="somying@example.org"' in content
    assert not User.objects.filter(username="newcomer").exists()


def test_a_username_taken_already_is_refused(client, people):
    response = signed_in(client, people["owner"]).post(
        url("person_add"), new_member(username="STAFF", division=people["finance"].pk)
    )
    assert response.context["form"].errors["username"] == ["มีผู้ใช้ชื่อ “STAFF” อยู่แล้ว"]


@pytest.mark.parametrize("role", ["district_manager", "central_manager", "admin"])
def test_an_owner_cannot_create_a_role_above_their_own(client, people, role):
    response = signed_in(client, people["owner"]).post(url("person_add"), new_member(role=role))
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "ท่านให้บทบาทได้ไม่สูงกว่าบทบาทของท่านเอง (ผู้รับผิดชอบแผน)"
    ]
    assert not User.objects.filter(username="newcomer").exists()


def test_the_role_list_offers_only_the_roles_an_owner_may_give(client, people):
    response = signed_in(client, people["owner"]).get(url("person_add"))
    offered = [value for value, _ in response.context["form"].fields["role"].widget.choices]
    assert offered == ["staff", "plan_owner"]


def test_a_superuser_may_add_a_district_manager(client, people):
    root = make_user("root", is_superuser=True)
    signed_in(client, root).post(url("person_add"), new_member(role="district_manager"))
    assert Membership.objects.get(user__username="newcomer").role == "district_manager"


def test_an_owner_changes_a_members_role_and_division(client, people):
    staff = people["staff"].membership
    response = signed_in(client, people["owner"]).post(
        url("person_edit", "1009", staff.pk),
        {
            "first_name": "สมชาย",
            "last_name": "ดี",
            "email": "",
            "role": "plan_owner",
            "division": people["office"].pk,
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.role, staff.division, staff.user.last_name) == (
        "plan_owner",
        people["office"],
        "ดี",
    )


def test_a_member_ranked_above_the_owner_cannot_be_changed(client, people):
    manager = people["manager"].membership
    signed_in(client, people["owner"])
    assert client.get(url("person_edit", "1009", manager.pk)).status_code == 403
    response = client.post(
        url("person_edit", "1009", manager.pk),
        {"first_name": "x", "last_name": "y", "role": "staff", "division": people["office"].pk},
    )
    assert response.status_code == 403
    assert client.post(url("person_active", "1009", manager.pk), {"active": "0"}).status_code == 403
    manager.refresh_from_db()
    assert manager.role == "district_manager" and manager.user.is_active


def test_an_owner_cannot_lower_their_own_role(client, people):
    own = people["owner"].membership
    response = signed_in(client, people["owner"]).post(
        url("person_edit", "1009", own.pk),
        {"first_name": "a", "last_name": "b", "role": "staff", "division": people["office"].pk},
    )
    assert response.context["form"].errors["role"] == ["ท่านเปลี่ยนบทบาทของตนเองไม่ได้"]
    own.refresh_from_db()
    assert own.role == "plan_owner"


def test_an_owner_deactivates_and_reactivates_a_member_never_deleting_them(client, people):
    staff = people["staff"]
    signed_in(client, people["owner"])
    client.post(url("person_active", "1009", staff.membership.pk), {"active": "0"})
    staff.refresh_from_db()
    assert not staff.is_active
    assert Membership.objects.filter(user=staff).exists()
    client.post(url("person_active", "1009", staff.membership.pk), {"active": "1"})
    staff.refresh_from_db()
    assert staff.is_active


def test_an_owner_cannot_deactivate_themselves(client, people):
    owner = people["owner"]
    response = signed_in(client, owner).post(
        url("person_active", "1009", owner.membership.pk), {"active": "0"}, follow=True
    )
    owner.refresh_from_db()
    assert owner.is_active
    assert "ท่านปิดการใช้งานบัญชีของตนเองไม่ได้" in response.content.decode()


def test_deactivating_needs_a_post(client, people):
    staff = people["staff"].membership
    response = signed_in(client, people["owner"]).get(url("person_active", "1009", staff.pk))
    assert response.status_code == 405


def set_password(client, link, password="a-long-pass-phrase-2569"):
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    return page, client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_the_link_sets_the_password_signs_the_user_in_and_works_once(client, people):
    user = User.objects.create_user("newcomer")  # no usable password, as the page makes them
    Membership.objects.create(
        user=user,
        organization=people["owner"].membership.organization,
        role="staff",
        division=people["finance"],
    )
    link = set_password_path(user)
    page, done = set_password(client, link)
    assert page.context["validlink"]
    assert done.status_code == 200
    assert "ตั้งรหัสผ่านแล้ว" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-long-pass-phrase-2569")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert set_password_path(user) is None  # nothing more to hand over
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "ลิงก์นี้ใช้ไม่ได้" in again.content.decode()


def test_a_deactivated_users_link_does_not_work(client, people):
    user = User.objects.create_user("newcomer")
    link = set_password_path(user)
    user.is_active = False
    user.save()
    assert not client.get(link, follow=True).context["validlink"]


def test_the_page_reads_in_english_when_chosen(client, people):
    signed_in(client, people["owner"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(url("person_add")).content.decode()
    assert "Add a user" in content and "Last name" in content
