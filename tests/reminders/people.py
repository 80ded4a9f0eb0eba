"""The people of the reminder tests: one of each role in a district, one in another district,
and those who must get nothing."""

from types import SimpleNamespace

from plans.models import Membership
from reminders.models import Frequency, ReminderPreference
from tests.factories import make_division, make_organization, make_user

Role = Membership.Role


def make_people() -> SimpleNamespace:
    district = make_organization()
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    finance = make_division(district, "ฝ่ายการคลัง", 1)
    admin_division = make_division(district, "ฝ่ายปกครอง", 2)
    other_division = make_division(other, "ฝ่ายการคลัง", 1)

    def member(name, role, division=None, organization=district, **extra):
        extra.setdefault("email", f"{name}@example.org")
        return make_user(name, organization=organization, role=role, division=division, **extra)

    people = SimpleNamespace(
        district=district,
        other=other,
        staff=member("staff", Role.STAFF, finance),
        owner=member("owner", Role.PLAN_OWNER, admin_division),
        manager=member("manager", Role.DISTRICT_MANAGER),
        central=member("central", Role.CENTRAL_MANAGER),
        other_staff=member("other_staff", Role.STAFF, other_division, organization=other),
        weekly_staff=member("weekly_staff", Role.STAFF, finance),
        stopped_staff=member("stopped_staff", Role.STAFF, finance),
        no_email=member("no_email", Role.STAFF, finance, email=""),
        inactive=member("inactive", Role.STAFF, finance, is_active=False),
        admin_member=member("admin_member", Role.ADMIN),
        outsider=make_user("outsider", email="outsider@example.org"),
    )
    ReminderPreference.objects.create(user=people.weekly_staff, frequency=Frequency.WEEKLY)
    ReminderPreference.objects.create(user=people.stopped_staff, frequency=Frequency.NEVER)
    return people
