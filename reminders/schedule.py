"""Who gets which digest on a given day: the one place for that rule.

Staff and plan owners get the daily digest, or the weekly one on Mondays if they chose it;
managers (district and central) get only the weekly summary, on Mondays. "Never" means
nothing. A user without an e-mail address, inactive, or not a member of any organization gets
nothing, and neither does an admin member (they follow no plan of their own).
"""

from datetime import date

from django.contrib.auth import get_user_model

from plans.models import Membership
from reminders.models import Digest, Frequency, ReminderPreference

# Monday (date.weekday()).
WEEKLY_ON = 0

DIGEST_ROLES = {
    Membership.Role.STAFF,
    Membership.Role.PLAN_OWNER,
    Membership.Role.DISTRICT_MANAGER,
    Membership.Role.CENTRAL_MANAGER,
}
# A manager reads a summary of the week, never a daily list.
WEEKLY_ONLY_ROLES = {Membership.Role.DISTRICT_MANAGER, Membership.Role.CENTRAL_MANAGER}


def frequency_of(user) -> str:
    """The user's chosen frequency; daily for a user who never chose."""
    try:
        return user.reminder_preference.frequency
    except ReminderPreference.DoesNotExist:
        return Frequency.DAILY


def kind_for(role: str, frequency: str, day: date) -> str | None:
    """The digest kind a member of ``role`` who chose ``frequency`` gets on ``day``, if any."""
    if role not in DIGEST_ROLES or frequency == Frequency.NEVER:
        return None
    if role in WEEKLY_ONLY_ROLES or frequency == Frequency.WEEKLY:
        return Digest.Kind.WEEKLY if day.weekday() == WEEKLY_ON else None
    return Digest.Kind.DAILY


def recipients():
    """Every user who could receive a digest at all, with what the schedule reads of them."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=DIGEST_ROLES)
        .exclude(email="")
        .select_related("membership", "reminder_preference")
        .order_by("pk")
    )


def digest_requests(day: date) -> list[tuple]:
    """The (user, kind) pairs due on ``day``, in one query."""
    requests = []
    for user in recipients():
        kind = kind_for(user.membership.role, frequency_of(user), day)
        if kind is not None:
            requests.append((user, kind))
    return requests
