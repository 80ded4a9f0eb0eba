"""Who wants which e-mail digest, and which digests were sent (so none is sent twice)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("ทุกวันที่มีงานครบกำหนด")
    WEEKLY = "weekly", _("สัปดาห์ละครั้ง (วันจันทร์)")
    NEVER = "never", _("ไม่รับอีเมล")


class ReminderPreference(models.Model):
    """A user's choice of digest and language. Without a row the defaults apply (see
    ``reminders.preferences``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    frequency = models.CharField(
        _("ความถี่ของอีเมลแจ้งเตือน"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    language = models.CharField(
        _("ภาษาของอีเมล"), max_length=10, choices=settings.LANGUAGES, default="th"
    )
    changed_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("การตั้งค่าอีเมลแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าอีเมลแจ้งเตือน")

    def __str__(self):
        return f"{self.user} — {self.get_frequency_display()}"


class Digest(models.Model):
    """One digest for one user, kind and day: claimed (a row inserted) before it is sent, so
    two servers running ``send_reminders`` at once never send it twice (the unique
    constraint refuses the second claim). A failed send is retried by the next run."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("รายวัน")
        WEEKLY = "weekly", _("รายสัปดาห์")

    class Status(models.TextChoices):
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        on_delete=models.CASCADE,
        related_name="digests",
    )
    kind = models.CharField(_("ชนิด"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("วันที่ของสรุป"))
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ส่ง"), default=0)
    error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    lines = models.PositiveIntegerField(_("จำนวนรายการ"), default=0)
    # The figures of a weekly summary, so next week's can say what changed.
    figures = models.JSONField(_("ตัวเลขสรุป"), default=dict, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("อีเมลสรุปที่ส่ง")
        verbose_name_plural = _("อีเมลสรุปที่ส่ง")
        ordering = ["-day", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "day"], name="reminders_digest_once_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.day}"
