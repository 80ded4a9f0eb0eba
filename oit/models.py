"""OIT readiness: for each OIT item an office will be assessed on, where it publishes the item,
who prepares it, how far along it is, and what the link checker found at each address."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Item, Organization, be_year_check
from oit.readiness import ReadinessQuerySet
from plans.models import Division, Versioned


class Requirement(models.Model):
    """What an OIT item demands, as data of its edition (e.g. "ข้อมูลปีงบประมาณ พ.ศ. 2569")."""

    item = models.ForeignKey(
        Item, verbose_name=_("ข้อการประเมิน"), on_delete=models.CASCADE, related_name="requirements"
    )
    text = models.CharField(_("สิ่งที่ข้อนี้ต้องการ"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("สิ่งที่ข้อ OIT ต้องการ")
        verbose_name_plural = _("สิ่งที่ข้อ OIT ต้องการ")
        ordering = ["item", "order", "id"]

    def __str__(self):
        return f"{self.item.code}: {self.text}"


class Readiness(Versioned):
    """One office's preparation of one OIT item of the edition it will be assessed on."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        IN_PROGRESS = "in_progress", _("กำลังจัดทำ")
        READY = "ready", _("พร้อม")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("หน่วยงาน"),
        on_delete=models.CASCADE,
        related_name="oit_readiness",
    )
    item = models.ForeignKey(
        Item, verbose_name=_("ข้อ OIT"), on_delete=models.CASCADE, related_name="readiness"
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("ฝ่ายที่รับผิดชอบ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="oit_readiness",
    )
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    note = models.TextField(_("หมายเหตุ"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = ReadinessQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ความพร้อมของข้อ OIT")
        verbose_name_plural = _("ความพร้อมของข้อ OIT")
        ordering = ["organization", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "item"], name="oit_readiness_one_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.organization.code} {self.item.code} — {self.get_status_display()}"


class Result(models.TextChoices):
    OK = "ok", _("ใช้ได้")
    BROKEN = "broken", _("ลิงก์เสีย")
    WRONG_YEAR = "wrong_year", _("ไม่พบปีงบประมาณที่ต้องการ")
    NOT_DOCUMENT = "not_document", _("ไม่ใช่เอกสาร")
    UNREACHABLE = "unreachable", _("เข้าถึงไม่ได้")


class PublishedUrl(models.Model):
    """An address where the office publishes an item (an item may have several)."""

    readiness = models.ForeignKey(
        Readiness, verbose_name=_("ข้อ OIT"), on_delete=models.CASCADE, related_name="urls"
    )
    url = models.URLField(_("ที่อยู่ (URL)"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    # The newest check of this address (the run history keeps every one).
    latest = models.ForeignKey(
        "LinkCheck",
        verbose_name=_("ผลการตรวจล่าสุด"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ที่อยู่ที่เผยแพร่")
        verbose_name_plural = _("ที่อยู่ที่เผยแพร่")
        ordering = ["readiness", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["readiness", "url"], name="oit_url_once_per_item"),
        ]

    def __str__(self):
        return self.url


class CheckRun(models.Model):
    """One run of the link checker (the command, or the button on the readiness page)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("หน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("ว่าง = ทุกหน่วยงาน"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้สั่งตรวจ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("เริ่ม"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จ"), null=True, blank=True)
    urls = models.PositiveIntegerField(_("จำนวนที่อยู่"), default=0)
    counts = models.JSONField(_("จำนวนตามผล"), default=dict, blank=True)

    class Meta:
        verbose_name = _("การตรวจลิงก์")
        verbose_name_plural = _("การตรวจลิงก์")
        ordering = ["-started_at"]
        constraints = [be_year_check("fiscal_year", "oit_checkrun_year_be")]

    def __str__(self):
        return f"{self.fiscal_year} {self.organization or '*'} {self.started_at:%Y-%m-%d %H:%M}"


class LinkCheck(models.Model):
    """What the checker found at one address in one run."""

    run = models.ForeignKey(
        CheckRun, verbose_name=_("รอบการตรวจ"), on_delete=models.CASCADE, related_name="checks"
    )
    published = models.ForeignKey(
        PublishedUrl, verbose_name=_("ที่อยู่"), on_delete=models.CASCADE, related_name="checks"
    )
    checked_at = models.DateTimeField(_("ตรวจเมื่อ"), auto_now_add=True)
    result = models.CharField(_("ผล"), max_length=20, choices=Result.choices)
    status_code = models.PositiveSmallIntegerField(_("รหัสสถานะ HTTP"), null=True, blank=True)
    final_url = models.URLField(_("ที่อยู่สุดท้าย"), max_length=2000, blank=True)
    content_type = models.CharField(_("ชนิดเนื้อหา"), max_length=200, blank=True)
    title = models.CharField(_("ชื่อเรื่อง"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), null=True, blank=True)
    last_modified = models.DateTimeField(_("แก้ไขล่าสุด (Last-Modified)"), null=True, blank=True)
    mentions_year = models.BooleanField(_("พบปีงบประมาณที่ต้องการ"), null=True, blank=True)
    detail = models.CharField(_("รายละเอียด"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("ผลการตรวจลิงก์")
        verbose_name_plural = _("ผลการตรวจลิงก์")
        ordering = ["-checked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=[choice.value for choice in Result]),
                name="oit_linkcheck_result_known",
            ),
        ]

    def __str__(self):
        return f"{self.published.url} — {self.get_result_display()}"
