"""The project's own table: the sessions, each with the id of the user signed in with it."""

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(AbstractBaseSession):
    """Django's database session, and the id of the user signed in with it, so that one
    statement reads a request's session with its user (``ita_tracker.sessions``). The id is
    only where to look: the user is the session's own ``_auth_user_id``, checked against it."""

    user_id = models.IntegerField(_("ผู้ใช้"), null=True, blank=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "ita_session"
        verbose_name = _("เซสชัน")
        verbose_name_plural = _("เซสชัน")

    @classmethod
    def get_session_store_class(cls):
        from ita_tracker.sessions import SessionStore

        return SessionStore
