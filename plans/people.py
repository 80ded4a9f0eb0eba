"""The people of a district as its plan owner manages them in the app: who is listed, what
the owner may not do to themselves, adding a member, and the one-time set-password link.

Who may give which role in which organization is ``Membership.refusals``; whose membership
may be changed at all is ``Membership.objects.editable_by``. This module only adds what
concerns a person acting on their own account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from plans.models import Membership


def members_of(organization, query: str = ""):
    """The organization's members, by name; ``query`` matches name, username, e-mail or
    division."""
    members = Membership.objects.filter(organization=organization).select_related(
        "user", "division"
    )
    for word in query.split():
        members = members.filter(
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(division__name__icontains=word)
        )
    return members.order_by("-user__is_active", "user__first_name", "user__username")


def own_account_refusals(user, membership, *, role=None, active=None) -> dict[str | None, str]:
    """Why ``user`` may not make this change to their own membership ({} for anyone else's).

    Lowering one's own role or deactivating oneself would lock the district out of its own
    people page, so only another plan owner or an admin does that.
    """
    if membership.user_id != user.pk:
        return {}
    errors = {}
    if role is not None and role != membership.role:
        errors["role"] = _("ท่านเปลี่ยนบทบาทของตนเองไม่ได้")
    if active is False:
        errors[None] = _("ท่านปิดการใช้งานบัญชีของตนเองไม่ได้")
    return errors


@transaction.atomic
def add_member(organization, *, username, first_name, last_name, email, role, division):
    """Create the user (without a password: they set one from their link) and membership."""
    user = get_user_model().objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    membership = Membership(user=user, organization=organization, role=role, division=division)
    membership.full_clean(exclude=["user"])
    membership.save()
    return membership


@transaction.atomic
def change_member(membership, *, first_name, last_name, email, role, division) -> None:
    user = membership.user
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    membership.role, membership.division = role, division
    membership.full_clean(exclude=["user"])
    membership.save()


def set_active(membership, active: bool) -> None:
    """Deactivate or reactivate the account; nobody is deleted (their reports keep an author).

    An inactive user's session no longer signs them in, and their set-password link stops
    working too."""
    user = membership.user
    user.is_active = active
    user.save(update_fields=["is_active"])


def set_password_path(user) -> str | None:
    """The one-time link with which a new user sets their password, or None once they have one.

    Django's password-reset token is made from the password and last sign-in, so it stops
    working as soon as it is used (and after PASSWORD_RESET_TIMEOUT)."""
    if user.has_usable_password() or not user.is_active:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])
