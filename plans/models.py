"""The improvement plan of a district and its follow-up, round by round."""

from bisect import bisect_left
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.models import (
    BE_YEAR_RANGE,
    Assessment,
    Item,
    Organization,
    be_year_check,
    range_check,
    visible_rows,
)
from assessments.thaidates import as_date, fiscal_year_bounds, format_date
from ita_tracker.addresses import address
from plans.limits import (
    ACTION_TEXT_MAX_CHARS,
    ANALYSIS_MAX_CHARS,
    FOLLOW_UP_MAX_CHARS,
    ISSUES_MAX_CHARS,
    NOTE_MAX_CHARS,
)

PERCENT_RANGE = [MinValueValidator(0), MaxValueValidator(100)]


def _percent_check(field: str, name: str) -> models.CheckConstraint:
    return range_check(field, 0, 100, name)


def membership_of(user):
    """The user's Membership, or None (signed out, inactive, or not a member anywhere)."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


PLAN_EDITOR_ROLES = ("plan_owner", "admin")


def _plan_scope(user):
    """Every organization (True), one organization's id, or none (None): whose plans and
    divisions the user may change. The rule of ``plan_organizations`` and ``changes_plans_of``."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    member = membership_of(user)
    if member is None or member.role not in PLAN_EDITOR_ROLES:
        return None
    return member.organization_id


def plan_organizations(user):
    """Return the organizations whose plans and divisions the user may change.

    Superusers every organization; a plan owner (or admin member) only their own.
    """
    scope = _plan_scope(user)
    if scope is True:
        return Organization.objects.all()
    if scope is None:
        return Organization.objects.none()
    return Organization.objects.filter(pk=scope)


def changes_plans_of(user, organization_id: int) -> bool:
    """Whether the organization ``organization_id`` is one of ``plan_organizations(user)``
    (asked without a query: the membership is read with the user)."""
    scope = _plan_scope(user)
    return scope is True or (scope is not None and scope == organization_id)


# An action is "due soon" this many days ahead of its due date.
DUE_SOON_DAYS = 30


class Versioned(models.Model):
    """A row that counts its saves, so a form based on an older save can be refused."""

    version = models.PositiveIntegerField(gettext_lazy("ฉบับที่"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)


class DivisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_rows(self, user, "organization")

    def editable_by(self, user):
        """Return the divisions the user may change: the plan names them, so whoever edits a
        district's plan keeps its list of divisions."""
        return self.filter(organization__in=plan_organizations(user))


class Division(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=gettext_lazy("หน่วยงาน"),
        on_delete=models.CASCADE,
        related_name="divisions",
    )
    name = models.CharField(
        gettext_lazy("ชื่อฝ่าย"),
        max_length=200,
        help_text=gettext_lazy("ชื่อเต็มตามโครงสร้าง เช่น ฝ่ายการคลัง"),
    )
    order = models.PositiveSmallIntegerField(gettext_lazy("ลำดับ"), default=0)

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("ฝ่าย")
        verbose_name_plural = gettext_lazy("ฝ่าย")
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="plans_division_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the members of the organizations the user may read."""
        return visible_rows(self, user, "organization")

    def editable_by(self, user):
        """Return the memberships the user may change: superusers all; a plan owner or admin
        member those of their own organization whose role does not rank above their own."""
        if user.is_authenticated and user.is_active and user.is_superuser:
            return self
        member = membership_of(user)
        if member is None or member.role not in PLAN_EDITOR_ROLES:
            return self.none()
        return self.filter(
            organization_id=member.organization_id,
            role__in=Membership.Role.up_to(member.role),
        )


class Membership(models.Model):
    """Which organization (and, for staff, which division) a user works for, and as what."""

    class Role(models.TextChoices):
        # Declared lowest first: a role's rank is its place here. Managers rank above the plan
        # owner (they lead the office), a central manager above every district role, and the
        # admin highest. Nobody but a superuser gives a role above their own.
        STAFF = "staff", gettext_lazy("เจ้าหน้าที่")
        PLAN_OWNER = "plan_owner", gettext_lazy("ผู้รับผิดชอบแผน")
        DISTRICT_MANAGER = "district_manager", gettext_lazy("ผู้บริหารหน่วยงาน")
        CENTRAL_MANAGER = "central_manager", gettext_lazy("ผู้บริหารส่วนกลาง")
        ADMIN = "admin", gettext_lazy("ผู้ดูแลระบบ")

        @classmethod
        def up_to(cls, role) -> list[str]:
            """Return the roles ranked no higher than ``role``, lowest first."""
            values = list(cls.values)
            return values[: values.index(role) + 1]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=gettext_lazy("หน่วยงาน"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=gettext_lazy("ฝ่าย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=gettext_lazy("ต้องระบุสำหรับเจ้าหน้าที่"),
    )
    role = models.CharField(
        gettext_lazy("บทบาท"), max_length=20, choices=Role.choices, default=Role.STAFF
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("สมาชิกหน่วยงาน")
        verbose_name_plural = gettext_lazy("สมาชิกหน่วยงาน")
        ordering = ["organization", "division", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(division__isnull=False),
                name="plans_membership_staff_has_division",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} {self.organization.name_th}"

    def clean(self):
        if self.role == self.Role.STAFF and not self.division_id:
            raise ValidationError({"division": _("เจ้าหน้าที่ต้องสังกัดฝ่าย")})
        if self.division_id and self.division.organization_id != self.organization_id:
            raise ValidationError({"division": _("ฝ่ายต้องอยู่ในหน่วยงานเดียวกับสมาชิก")})

    @staticmethod
    def refusals(user, organization, role) -> dict[str | None, str]:
        """Why ``user`` may not make somebody a ``role`` member of ``organization`` ({} if
        they may), keyed by the field at fault (None: not at all).

        Only a superuser gives another organization or a role above their own, so nobody
        raises their own role or moves themselves to another district.
        """
        if user.is_authenticated and user.is_active and user.is_superuser:
            return {}
        member = membership_of(user)
        if member is None or member.role not in PLAN_EDITOR_ROLES:
            return {None: _("ท่านไม่มีสิทธิ์กำหนดสมาชิกหน่วยงาน")}
        errors = {}
        if organization is not None and organization.pk != member.organization_id:
            errors["organization"] = _(
                "ท่านกำหนดสมาชิกได้เฉพาะของหน่วยงานของท่านเอง (%(organization)s)"
            ) % {"organization": member.organization.name_th}
        if role and role not in Membership.Role.up_to(member.role):
            errors["role"] = _("ท่านให้บทบาทได้ไม่สูงกว่าบทบาทของท่านเอง (%(role)s)") % {
                "role": member.get_role_display()
            }
        return errors


def round_for(rounds, day):
    """The round a report made on ``day`` is filed in, from the plan's rounds by start date.

    The round running that day; in a gap between rounds, the round just ended (the report is
    late for it); after the last round has ended, none: the report is filed "หลังสิ้นสุดแผน"
    and is late, never slipped into the last round. Before the first round, none either.
    """
    running = [r for r in rounds if r.starts_on <= day <= r.ends_on]
    if running:
        return running[-1]
    if not rounds or day > max(r.ends_on for r in rounds):
        return None
    started = [r for r in rounds if r.starts_on <= day]
    return started[-1] if started else None


def is_late(reported_at, round_ends_on, rounds_end=None) -> bool:
    """Whether a report is late: made after its round's last day or, filed in no round, after
    the plan's last round (``rounds_end``). Every dashboard asks this, and only this."""
    deadline = round_ends_on if round_ends_on is not None else rounds_end
    return deadline is not None and as_date(reported_at) > deadline


AFTER_PLAN = gettext_lazy("หลังสิ้นสุดแผน")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the plans of the organizations the user may read."""
        return visible_rows(self, user, "organization")

    def editable_by(self, user):
        """Return the plans whose findings and actions the user may write (and import into).

        Superusers may change every plan; a district's plan owner (or admin member) only the
        plans of their own organization. Staff report progress but do not edit plans. A closed
        plan is nobody's to write in the app (see ``Plan.is_read_only``).
        """
        plans = self.open()
        if user.is_authenticated and user.is_active and user.is_superuser:
            return plans
        return plans.filter(organization__in=plan_organizations(user))

    def open(self):
        """Return the plans not closed: the only ones whose rows may still change."""
        return self.exclude(status=Plan.Status.CLOSED)

    def owned_by(self, user):
        """Return the plans whose own record the user may change, closed ones included (a
        closed plan is reopened by changing its status)."""
        return self.filter(organization__in=plan_organizations(user))


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("ร่าง")
        APPROVED = "approved", gettext_lazy("อนุมัติแล้ว")
        CLOSED = "closed", gettext_lazy("ปิดแผน")

    organization = models.ForeignKey(
        Organization,
        verbose_name=gettext_lazy("หน่วยงาน"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=gettext_lazy("ผลการประเมินที่ใช้"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=gettext_lazy("ผลการประเมินที่แผนนี้ตอบ เช่น ITA ปี 2564 สำหรับแผนปี 2565"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        gettext_lazy("ปีงบประมาณของแผน (พ.ศ.)"),
        validators=BE_YEAR_RANGE,
        help_text=gettext_lazy("ปีงบประมาณที่ดำเนินการตามแผน เช่น 2565"),
    )
    title = models.CharField(gettext_lazy("ชื่อแผน"), max_length=300, blank=True)
    status = models.CharField(
        gettext_lazy("สถานะแผน"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ผู้อนุมัติแผน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(gettext_lazy("เวลาที่อนุมัติแผน"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ผู้ปิดแผน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(gettext_lazy("เวลาที่ปิดแผน"), null=True, blank=True)
    # Public from published_at until withdrawn (both cleared): the OIT asks offices to publish
    # their improvement measures and what came of them.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ผู้เผยแพร่แผน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(gettext_lazy("เวลาที่เผยแพร่ต่อสาธารณะ"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("แผนปรับปรุง")
        verbose_name_plural = gettext_lazy("แผนปรับปรุง")
        ordering = ["-fiscal_year", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="plans_plan_one_per_year"
            ),
            be_year_check("fiscal_year", "plans_plan_year_be"),
        ]

    def __str__(self):
        # Short and unambiguous in lists and choices; the title is shown on its own.
        return _("แผนปรับปรุง %(organization)s ปี %(year)s") % {
            "organization": self.organization.name_th,
            "year": self.fiscal_year,
        }

    def get_absolute_url(self):
        return address("plan_detail", self.organization.code, self.fiscal_year)

    @property
    def is_read_only(self) -> bool:
        """A closed plan keeps its findings, actions and reports as they were closed."""
        return self.status == self.Status.CLOSED

    # The plan's workflow: ร่าง → อนุมัติแล้ว → ปิดแผน. Who may move it, and when, is decided
    # here only; the page's buttons and the admin both ask.
    def may_approve(self, user) -> bool:
        """The district manager, the plan owner (or admin member) of the plan's organization,
        and superusers may approve it."""
        if user.is_authenticated and user.is_active and user.is_superuser:
            return True
        member = membership_of(user)
        return (
            member is not None
            and member.organization_id == self.organization_id
            and member.role in (*PLAN_EDITOR_ROLES, Membership.Role.DISTRICT_MANAGER)
        )

    def may_write(self, user) -> bool:
        """Whether ``Plan.objects.editable_by(user)`` holds this plan (its findings and actions
        are the user's to write), asked of the plan in hand without a query."""
        return not self.is_read_only and changes_plans_of(user, self.organization_id)

    def may_report_on(self, user, action) -> bool:
        """Whether ``Action.objects.editable_by(user)`` holds ``action``, one of this plan's
        with its ``shared_division_ids`` in hand (``plan_table.attach_divisions``), asked
        without a query."""
        return self.reporter(user)(action)

    def reporter(self, user):
        """``may_report_on`` for ``user`` as a function of the action: what it asks of the
        user and the plan asked once (a page asks it of every action)."""
        if self.is_read_only:
            return lambda action: False
        if self.may_write(user):
            return lambda action: True
        member = membership_of(user)
        if member is None or member.role != Membership.Role.STAFF:
            return lambda action: False
        division, own = member.division_id, self.organization_id == member.organization_id
        return lambda action: (
            action.lead_division_id == division
            or division in action.shared_division_ids
            or (own and action.all_divisions)
        )

    def may_close(self, user) -> bool:
        """Closing is the plan owner's (or an admin's) act of record at the year's end."""
        return changes_plans_of(user, self.organization_id)

    def approve_refusal(self) -> str | None:
        if self.status != self.Status.DRAFT:
            return _("อนุมัติได้เฉพาะแผนที่เป็นร่าง (แผนนี้: %(status)s)") % {
                "status": self.get_status_display()
            }
        return None

    def close_refusal(self, today) -> str | None:
        if self.status != self.Status.APPROVED:
            return _("ปิดได้เฉพาะแผนที่อนุมัติแล้ว (แผนนี้: %(status)s)") % {
                "status": self.get_status_display()
            }
        _start, end = fiscal_year_bounds(self.fiscal_year)
        if today <= end:
            return _("ปิดแผนได้หลังสิ้นปีงบประมาณ %(year)s (หลังวันที่ %(end)s)") % {
                "year": self.fiscal_year,
                "end": format_date(end),
            }
        return None

    def record_status(self, user, now) -> None:
        """Note who approved or closed the plan, and when, if not noted yet (also for a
        status changed in the admin)."""
        if self.status in (self.Status.APPROVED, self.Status.CLOSED) and self.approved_at is None:
            self.approved_by, self.approved_at = user, now
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_by, self.closed_at = user, now
        if self.status == self.Status.DRAFT:
            self.approved_by = self.approved_at = None
        if self.status != self.Status.CLOSED:
            self.closed_by = self.closed_at = None

    def current_round(self, today):
        """The round a report made on ``today`` belongs to (see ``round_for``)."""
        return round_for(list(self.rounds.order_by("starts_on")), today)

    def rounds_end(self):
        """The last day of the plan's last round (None without rounds)."""
        return self.rounds.aggregate(last=models.Max("ends_on"))["last"]

    def clean(self):
        if (
            self.assessment_id
            and self.organization_id
            and self.assessment.organization_id != self.organization_id
        ):
            raise ValidationError({"assessment": _("ผลการประเมินต้องเป็นของหน่วยงานเดียวกัน")})


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the findings of the plans the user may read."""
        return visible_rows(self, user, "plan__organization")

    def editable_by(self, user):
        """Return the findings of the plans the user may edit."""
        return self.filter(plan__in=Plan.objects.editable_by(user))


class Finding(Versioned):
    plan = models.ForeignKey(
        Plan, verbose_name=gettext_lazy("แผน"), on_delete=models.CASCADE, related_name="findings"
    )
    item = models.ForeignKey(
        Item,
        verbose_name=gettext_lazy("ข้อการประเมิน"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    analysis = models.TextField(
        gettext_lazy("การวิเคราะห์การดำเนินงาน"),
        blank=True,
        max_length=ANALYSIS_MAX_CHARS,
        help_text=gettext_lazy("ผลการวิเคราะห์การดำเนินงานของหน่วยงานในข้อนี้"),
    )
    issues = models.TextField(
        gettext_lazy("จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข"),
        blank=True,
        max_length=ISSUES_MAX_CHARS,
        help_text=gettext_lazy("จุดเด่น จุดด้อย และประเด็นที่ต้องแก้ไข ขึ้นบรรทัดใหม่ต่อประเด็น"),
    )
    order = models.PositiveSmallIntegerField(gettext_lazy("ลำดับ"), default=0)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("ประเด็นการวิเคราะห์")
        verbose_name_plural = gettext_lazy("ประเด็นการวิเคราะห์")
        ordering = ["plan", "order", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="plans_finding_one_per_item"),
        ]

    def __str__(self):
        return f"{self.item.code} — {self.plan}"

    def clean(self):
        if (
            self.plan_id
            and self.item_id
            and self.item.framework_id != self.plan.assessment.framework_id
        ):
            raise ValidationError({"item": _("ข้อนี้ไม่อยู่ในชุดการประเมินที่แผนนี้ใช้")})


_UNJUDGED = object()


def done_errors(
    status, *, progress=_UNJUDGED, completed_on=_UNJUDGED, evidence=_UNJUDGED
) -> dict[str, str]:
    """Return what keeps ``status`` from being "เสร็จสิ้น", as field → Thai message ({} if
    nothing does, or if the status is not done).

    Done means: progress 100, a completion date, and evidence (a file or link) or a note of
    what was done. Each caller passes the facts it holds; a fact left out is judged by
    another layer (the action knows its date, a report its evidence).
    """
    if status != Action.Status.DONE:
        return {}
    errors = {}
    if progress not in (_UNJUDGED, None) and progress != 100:
        errors["progress"] = _("งานที่เสร็จสิ้นต้องมีความก้าวหน้าร้อยละ 100")
    if completed_on is not _UNJUDGED and completed_on is None:
        errors["completed_on"] = _("งานที่เสร็จสิ้นต้องระบุวันที่แล้วเสร็จ")
    if evidence is not _UNJUDGED and not evidence:
        errors["evidence"] = _(
            "การรายงานว่าเสร็จสิ้นต้องแนบหลักฐาน (ไฟล์หรือลิงก์) หรือเขียนรายละเอียดผลการดำเนินงาน"
        )
    return errors


def responsibility_error(lead_division, all_divisions) -> str | None:
    """An action nobody answers for vanishes from every division's list: it needs a lead
    division or "ทุกฝ่าย"."""
    if lead_division is None and not all_divisions:
        return _("ระบุฝ่ายหลัก หรือเลือก “ทุกฝ่าย” — การปรับปรุงที่ไม่มีฝ่ายรับผิดชอบจะไม่ปรากฏในงานของฝ่ายใดเลย")
    return None


def open_condition() -> Q:
    """Neither done nor cancelled."""
    return ~Q(status__in=[Action.Status.DONE, Action.Status.CANCELLED])


def overdue_condition(today) -> Q:
    """Past the due date and still open: overdue is derived, never stored."""
    return open_condition() & Q(due_on__lt=today)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the actions of the plans the user may read."""
        return visible_rows(self, user, "finding__plan__organization")

    def of_plans_editable_by(self, user):
        """Return the actions the user may change or delete as such: those of the plans they
        may edit. Staff only report on theirs (``editable_by``); the admin uses this rule."""
        return self.filter(finding__plan__in=Plan.objects.editable_by(user))

    def editable_by(self, user):
        """Return the actions the user may report on: plan editors all of their plans' actions,
        staff those their division leads, shares, or that fall to every division."""
        plans = Plan.objects.editable_by(user)
        member = membership_of(user)
        if member is None or member.role != Membership.Role.STAFF:
            return self.of_plans_editable_by(user)
        division = member.division_id
        return self.exclude(finding__plan__status=Plan.Status.CLOSED).filter(
            Q(finding__plan__in=plans)
            | Q(lead_division_id=division)
            | Q(
                pk__in=Action.divisions.through.objects.filter(division_id=division).values(
                    "action_id"
                )
            )
            | Q(all_divisions=True, finding__plan__organization_id=member.organization_id)
        )

    def of_division(self, division):
        """The actions a division answers for: as lead, sharing, or as one of "ทุกฝ่าย"."""
        return self.filter(
            Q(lead_division=division)
            | Q(divisions=division)
            | Q(all_divisions=True, finding__plan__organization_id=division.organization_id)
        ).distinct()

    def open(self):
        return self.filter(open_condition())

    def overdue(self, today):
        """Past their due date and neither done nor cancelled (derived, never stored)."""
        return self.filter(overdue_condition(today))

    def by_urgency(self, today):
        """Overdue first, then due within DUE_SOON_DAYS, then the rest; earliest due first."""
        open_ = open_condition()
        return self.annotate(
            urgency=models.Case(
                models.When(overdue_condition(today), then=0),
                models.When(open_ & Q(due_on__lte=today + timedelta(days=DUE_SOON_DAYS)), then=1),
                models.When(open_, then=2),
                default=3,
                output_field=models.IntegerField(),
            )
        ).order_by("urgency", F("due_on").asc(nulls_last=True), "finding__order", "order")


class Action(Versioned):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", gettext_lazy("ยังไม่เริ่ม")
        IN_PROGRESS = "in_progress", gettext_lazy("กำลังดำเนินการ")
        DONE = "done", gettext_lazy("เสร็จสิ้น")
        CANCELLED = "cancelled", pgettext_lazy("action status", "ยกเลิก")

    finding = models.ForeignKey(
        Finding,
        verbose_name=gettext_lazy("ประเด็น"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    text = models.TextField(
        gettext_lazy("การปรับปรุงการดำเนินงาน"),
        max_length=ACTION_TEXT_MAX_CHARS,
        help_text=gettext_lazy("มาตรการหรือสิ่งที่จะทำ หนึ่งรายการต่อหนึ่งข้อ"),
    )
    order = models.PositiveSmallIntegerField(gettext_lazy("ลำดับ"), default=0)
    lead_division = models.ForeignKey(
        Division,
        verbose_name=gettext_lazy("ฝ่ายหลัก"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_actions",
        help_text=gettext_lazy("ฝ่ายที่รับผิดชอบหลัก"),
    )
    divisions = models.ManyToManyField(
        Division,
        verbose_name=gettext_lazy("ฝ่ายที่ร่วมรับผิดชอบ"),
        blank=True,
        related_name="shared_actions",
        help_text=gettext_lazy("ฝ่ายอื่นที่ร่วมดำเนินการ"),
    )
    all_divisions = models.BooleanField(
        gettext_lazy("ทุกฝ่าย"),
        default=False,
        help_text=gettext_lazy("เลือกเมื่อเอกสารระบุ “ทุกฝ่าย” ทุกฝ่ายต้องรายงานความก้าวหน้าของตนเอง"),
    )
    starts_on = models.DateField(gettext_lazy("เริ่มติดตาม"), null=True, blank=True)
    due_on = models.DateField(gettext_lazy("กำหนดเสร็จ"), null=True, blank=True)
    follow_up_method = models.TextField(
        gettext_lazy("วิธีการติดตาม"),
        blank=True,
        max_length=FOLLOW_UP_MAX_CHARS,
        help_text=gettext_lazy("เช่น ผลการดำเนินงานบนเว็บไซต์สำนักงานเขต"),
    )
    status = models.CharField(
        gettext_lazy("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        gettext_lazy("ความก้าวหน้า (ร้อยละ)"), default=0, validators=PERCENT_RANGE
    )
    completed_on = models.DateField(gettext_lazy("วันที่แล้วเสร็จ"), null=True, blank=True)
    prepares = models.ForeignKey(
        Item,
        verbose_name=gettext_lazy("เตรียมข้อ OIT"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="preparing_actions",
        help_text=gettext_lazy("ข้อ OIT ที่การดำเนินงานนี้เตรียมให้พร้อม (ถ้ามี)"),
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("ยกมาจาก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text=gettext_lazy("การดำเนินงานในแผนปีก่อนที่ยังไม่เสร็จ และยกมาดำเนินการต่อในแผนนี้"),
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[divisions])

    class Meta:
        verbose_name = gettext_lazy("การปรับปรุงการดำเนินงาน")
        verbose_name_plural = gettext_lazy("การปรับปรุงการดำเนินงาน")
        ordering = ["finding", "order", "id"]
        constraints = [
            _percent_check("progress", "plans_action_progress_range"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="plans_action_due_after_start",
            ),
            # The rule of done_errors that the row itself can hold (evidence is in reports).
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100, completed_on__isnull=False),
                name="plans_action_done_complete",
            ),
            models.CheckConstraint(
                condition=Q(lead_division__isnull=False) | Q(all_divisions=True),
                name="plans_action_has_responsible",
            ),
        ]
        indexes = [
            # "My actions" and the overdue lists: open actions of a division by due date.
            models.Index(
                fields=["lead_division", "status", "due_on"], name="plans_action_lead_due"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.DONE, self.Status.CANCELLED)

    def is_overdue(self, today) -> bool:
        """Past its due date and neither done nor cancelled."""
        return self.is_open and self.due_on is not None and self.due_on < today

    def is_due_soon(self, today) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and today <= self.due_on <= today + timedelta(days=DUE_SOON_DAYS)
        )

    def has_done_evidence(self) -> bool:
        """Whether a "done" report on the action already carries evidence or a note."""
        return (
            self.pk is not None
            and self.updates.filter(status=self.Status.DONE).with_evidence().exists()
        )

    def outside_plan_year(self) -> list[str]:
        """The action's dates that fall outside its plan's fiscal year, as Thai warnings: a
        date may be meant (work carried over), so this warns and never refuses."""
        plan = self.finding.plan
        start, end = fiscal_year_bounds(plan.fiscal_year)
        warnings = []
        for name in ("starts_on", "due_on"):
            day = getattr(self, name)
            if day is not None and not start <= day <= end:
                warnings.append(
                    _("%(field)s %(date)s อยู่นอกปีงบประมาณ %(year)s ของแผน (%(start)s – %(end)s)")
                    % {
                        "field": self._meta.get_field(name).verbose_name,
                        "date": format_date(day),
                        "year": plan.fiscal_year,
                        "start": format_date(start),
                        "end": format_date(end),
                    }
                )
        return warnings

    def clean(self):
        errors = {}
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = _("กำหนดเสร็จต้องไม่ก่อนวันเริ่มติดตาม")
        if (
            self.lead_division_id
            and self.finding_id
            and self.lead_division.organization_id != self.finding.plan.organization_id
        ):
            errors["lead_division"] = _("ฝ่ายต้องอยู่ในหน่วยงานเจ้าของแผน")
        if message := responsibility_error(self.lead_division_id, self.all_divisions):
            errors.setdefault("lead_division", message)
        errors.update(
            done_errors(self.status, progress=self.progress, completed_on=self.completed_on)
        )
        if errors:
            raise ValidationError(errors)


class ReportingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_rows(self, user, "plan__organization")

    def editable_by(self, user):
        """Return the rounds of the plans the user may edit."""
        return self.filter(plan__in=Plan.objects.editable_by(user))


class ReportingRound(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=gettext_lazy("แผน"), on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(
        gettext_lazy("ชื่อรอบ"),
        max_length=100,
        help_text=gettext_lazy("เช่น ไตรมาสที่ 1 หรือ รอบ 6 เดือน"),
    )
    starts_on = models.DateField(gettext_lazy("วันเริ่มรอบ"))
    ends_on = models.DateField(gettext_lazy("วันสิ้นสุดรอบ"))

    objects = ReportingRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("รอบการติดตาม")
        verbose_name_plural = gettext_lazy("รอบการติดตาม")
        ordering = ["plan", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plans_round_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="plans_round_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def overlaps(self, other) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่มรอบ")})
        if self.starts_on and self.ends_on and self.plan_id:
            others = self.plan.rounds.exclude(pk=self.pk).order_by("starts_on")
            if message := overlap_error(self, others):
                raise ValidationError({"starts_on": message})


def overlap_error(round_, others) -> str | None:
    """A plan's rounds may not overlap: a report's date must name one round. Return the Thai
    message naming the first round ``round_`` overlaps, or None."""
    for other in others:
        if other is not round_ and round_.overlaps(other):
            return _("ช่วงวันของรอบนี้ทับกับรอบ “%(name)s” (%(start)s – %(end)s)") % {
                "name": other.name,
                "start": format_date(other.starts_on),
                "end": format_date(other.ends_on),
            }
    return None


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.action_id}/{filename}"


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the reports on actions the user may read."""
        return visible_rows(self, user, "action__finding__plan__organization")

    def editable_by(self, user):
        """Return the reports the user may change or delete: those on the actions of plans
        they may edit. A report is somebody's record, so staff add new ones, never rewrite."""
        return self.filter(action__in=Action.objects.of_plans_editable_by(user))

    def with_evidence(self):
        """Return the reports that carry a file, a link or a note."""
        return self.exclude(Q(note="") & Q(evidence_url="") & Q(evidence_file=""))


class ProgressUpdate(models.Model):
    action = models.ForeignKey(
        Action,
        verbose_name=gettext_lazy("การปรับปรุง"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=gettext_lazy("รอบการติดตาม"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="updates",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=gettext_lazy("ฝ่ายที่รายงาน"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        help_text=gettext_lazy("สำหรับงาน “ทุกฝ่าย” แต่ละฝ่ายรายงานของตนเอง"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ผู้รายงาน"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    reported_at = models.DateTimeField(gettext_lazy("เวลาที่รายงาน"), auto_now_add=True)
    progress = models.PositiveSmallIntegerField(
        gettext_lazy("ความก้าวหน้า (ร้อยละ)"), validators=PERCENT_RANGE
    )
    status = models.CharField(gettext_lazy("สถานะ"), max_length=20, choices=Action.Status.choices)
    note = models.TextField(gettext_lazy("รายละเอียด"), blank=True, max_length=NOTE_MAX_CHARS)
    evidence_url = models.URLField(
        gettext_lazy("ลิงก์หลักฐาน"),
        max_length=500,
        blank=True,
        help_text=gettext_lazy("เช่น ลิงก์หน้าเว็บที่เผยแพร่แล้ว"),
    )
    evidence_file = models.FileField(
        gettext_lazy("ไฟล์หลักฐาน"), upload_to=evidence_upload_to, blank=True, max_length=300
    )
    is_public = models.BooleanField(
        gettext_lazy("เผยแพร่ต่อสาธารณะ"),
        default=False,
        help_text=gettext_lazy(
            "รายละเอียดและหลักฐานของรายงานนี้แสดงในหน้าเผยแพร่ของแผนได้ (เมื่อแผนเผยแพร่แล้ว)"
        ),
    )

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("รายงานความก้าวหน้า")
        verbose_name_plural = gettext_lazy("รายงานความก้าวหน้า")
        ordering = ["action", "-reported_at"]
        get_latest_by = "reported_at"
        constraints = [_percent_check("progress", "plans_progressupdate_progress_range")]

    def __str__(self):
        return f"{self.action} — {self.progress}%"

    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_file or self.note.strip())

    def clean(self):
        errors = done_errors(self.status, progress=self.progress, evidence=self.has_evidence())
        if "evidence" in errors:
            errors[NON_FIELD_ERRORS] = errors.pop("evidence")
        if errors:
            raise ValidationError(errors)

    def round_label(self, rounds_end) -> str:
        """The round's name, or "หลังสิ้นสุดแผน" for a report made after the plan's last round."""
        if self.round_id is not None:
            return self.round.name
        if is_late(self.reported_at, None, rounds_end):
            return str(AFTER_PLAN)
        return "—"


class DataVersion(models.Model):
    """How many times the dashboards' data of one organization and fiscal year has changed
    (``plans.dataversions`` keeps it; a row with no organization stands for the year's
    catalog, which every organization's pages of that year read).

    ``changes`` only grows, by one per change, in the transaction of the change: the sum over
    the rows a page reads grows with every committed change, whatever the order in which
    concurrent transactions commit (a timestamp alone could commit out of order and be
    missed). ``changed``, the time of the latest change, tells the versions of two databases
    apart (a restored backup counts from lower numbers again) and tells an admin when."""

    # No database constraint, and kept when the organization goes: a change counted while an
    # organization is being deleted (its plans' deletes bump it) must not fail the delete,
    # and the overview, which sums every row of the year, must see the deletion as a change.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("หน่วยงาน"),
    )
    fiscal_year = models.PositiveSmallIntegerField(gettext_lazy("ปีงบประมาณ"))
    changes = models.PositiveBigIntegerField(gettext_lazy("จำนวนครั้งที่เปลี่ยน"), default=0)
    changed = models.DateTimeField(gettext_lazy("เปลี่ยนล่าสุด"))

    class Meta:
        verbose_name = gettext_lazy("รุ่นข้อมูลของแดชบอร์ด")
        verbose_name_plural = gettext_lazy("รุ่นข้อมูลของแดชบอร์ด")
        constraints = [
            # The upsert's conflict targets; the first also serves a page's read of its rows.
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="plans_dataversion_one_per_year"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(organization__isnull=True),
                name="plans_dataversion_one_catalog_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.organization_id or '*'} {self.fiscal_year}: {self.changes}"


class YearVersion(models.Model):
    """How many times anything of one fiscal year has changed, in any organization: the
    overview's version (``plans.dataversions``), one row to read whatever the number of
    organizations."""

    fiscal_year = models.PositiveSmallIntegerField(gettext_lazy("ปีงบประมาณ"), unique=True)
    changes = models.PositiveBigIntegerField(gettext_lazy("จำนวนครั้งที่เปลี่ยน"), default=0)
    changed = models.DateTimeField(gettext_lazy("เปลี่ยนล่าสุด"))

    class Meta:
        verbose_name = gettext_lazy("รุ่นข้อมูลของแดชบอร์ดทั้งปี")
        verbose_name_plural = gettext_lazy("รุ่นข้อมูลของแดชบอร์ดทั้งปี")

    def __str__(self):
        return f"{self.fiscal_year}: {self.changes}"


class PlanTally(models.Model):
    """A plan's actions counted: how many, done, cancelled, and the due dates of those still
    open. Kept by ``plans.tallies`` (signal handlers, and a refresh after bulk loads) so the
    overview reads one row per plan instead of counting every action of every plan it shows,
    and sorts thousands of agencies by progress without a count per agency. Overdue is still
    derived: the open due dates against today."""

    # No database constraint: a plan's deletion removes its actions first, and their
    # handlers run before the plan is gone; the plan's own handler then deletes this row.
    plan = models.OneToOneField(
        Plan,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="tally",
        verbose_name=gettext_lazy("แผน"),
    )
    actions = models.PositiveIntegerField(gettext_lazy("การปรับปรุง"), default=0)
    done = models.PositiveIntegerField(gettext_lazy("เสร็จสิ้น"), default=0)
    cancelled = models.PositiveIntegerField(pgettext_lazy("action status", "ยกเลิก"), default=0)
    # ISO dates, sorted, one per open action with a due date.
    open_due = models.JSONField(gettext_lazy("กำหนดเสร็จของงานที่ยังไม่เสร็จ"), default=list)

    class Meta:
        verbose_name = gettext_lazy("สรุปจำนวนการปรับปรุงของแผน")
        verbose_name_plural = gettext_lazy("สรุปจำนวนการปรับปรุงของแผน")

    def __str__(self):
        return f"{self.plan_id}: {self.done}/{self.actions}"

    def overdue(self, today) -> int:
        """The open actions due before ``today`` (``overdue_condition``, from the stored dates)."""
        return bisect_left(self.open_due, today.isoformat())
