"""Two districts, each with a plan answering the BMA edition and an assessment of NACC's
edition too, and a person of every kind: every role, a central manager given the right to
read every organization, a member of nobody, a superuser and an inactive plan owner. What
the reading rules are checked against, in each of their forms."""

from django.contrib.auth import get_user_model

from plans.models import Membership
from tests.factories import (
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
    view_all_permission,
)

Role = Membership.Role
NACC = "ITA ของ ป.ป.ช."


def make_reading_world():
    """(own district, other district, people by role or kind)."""
    own, other = make_organization("1009"), make_organization("1010", name_th="เขตบางนา")
    framework = make_framework(2564)
    nacc = make_framework(2564, name=NACC)
    for organization in (own, other):
        make_plan(make_assessment(organization, framework), 2565)
        make_assessment(organization, nacc)
    division = make_division(own)
    people = {
        role: make_user(
            role, organization=own, role=role, division=division if role == Role.STAFF else None
        )
        for role in Role.values
    }
    central = make_user("central", organization=own, role=Role.CENTRAL_MANAGER)
    central.user_permissions.add(view_all_permission())
    people["central+perm"] = central
    people["nobody"] = make_user("nobody")
    people["boss"] = get_user_model().objects.create_superuser("boss", password="pw")
    people["gone"] = make_user("gone", organization=own, role=Role.PLAN_OWNER, is_active=False)
    return own, other, people
