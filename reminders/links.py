"""The signed link in every e-mail that stops the user's digests without signing in."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

SALT = "reminders.stop"


def stop_token(user) -> str:
    """A token naming the user, signed with the secret key: it cannot be made for another
    user, and it stays valid until the secret key changes (an e-mail may be read late)."""
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def user_from_stop_token(token: str):
    """The active user the token names, or None for a tampered, foreign or unknown token."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()


def stop_path(user) -> str:
    return reverse("reminders_stop", args=[stop_token(user)])


def preferences_path() -> str:
    return reverse("reminder_preferences")
