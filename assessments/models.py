"""The framework catalog (what is assessed) and the results (how each organization scored)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.thaidates import format_datetime

SCORE_DIGITS = {"max_digits": 5, "decimal_places": 2}
SCORE_RANGE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
# Fiscal years are Buddhist Era; the range catches a Gregorian year typed by mistake.
BE_YEAR_RANGE = [MinValueValidator(2500), MaxValueValidator(2700)]


def range_check(field: str, low, high, name: str) -> models.CheckConstraint:
    """Return a named database check that ``low <= field <= high``."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": low}) & Q(**{f"{field}__lte": high}), name=name
    )


def _score_range_check(field: str, name: str) -> models.CheckConstraint:
    return range_check(field, 0, 100, name)


def be_year_check(field: str, name: str) -> models.CheckConstraint:
    """Return a named check that a fiscal year is Buddhist Era, as BE_YEAR_RANGE validates."""
    return range_check(field, 2500, 2700, name)


def sees_all_organizations(user) -> bool:
    """Whether the user reads every organization's data (BMA central managers, superusers).

    The permission ``assessments.view_all_organizations``, given to the user or to one of
    their groups, as Django's ``ModelBackend`` grants it (the sign-in lockout backend grants
    none). Asked with one small query and kept on the user object, which lives for one
    request: every page asks it, and Django's ``has_perm`` would read all of the user's
    permissions with two joins each time a request starts."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_sees_all_organizations", None)
    if known is None:
        known = user._sees_all_organizations = _granted_view_all(user.pk)
    return known


def remember_sees_all(user, sees_all: bool) -> None:
    """Keep on the user what ``sees_all_organizations`` would ask (for the signed-in user,
    read with their row: ``ita_tracker.auth``)."""
    user._sees_all_organizations = sees_all


def view_all_granted_sql(user_id: str) -> tuple[str, list]:
    """A SQL condition that the user whose id is the SQL expression ``user_id`` holds
    ``assessments.view_all_organizations`` (granted to them or to one of their groups), and
    its parameters in order (``user_id`` itself is not one: pass ``"%s"`` and add it twice)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db import connection

    quote = connection.ops.quote_name
    user_model = get_user_model()
    permissions = quote(Permission._meta.db_table)
    types = quote(Permission._meta.get_field("content_type").related_model._meta.db_table)
    own = quote(user_model._meta.get_field("user_permissions").remote_field.through._meta.db_table)
    groups = quote(user_model._meta.get_field("groups").remote_field.through._meta.db_table)
    granted = quote(Group._meta.get_field("permissions").remote_field.through._meta.db_table)
    sql = (
        f"EXISTS (SELECT 1 FROM {permissions} p INNER JOIN {types} t "
        "ON t.id = p.content_type_id WHERE t.app_label = %s AND p.codename = %s AND ("
        f"p.id IN (SELECT permission_id FROM {own} WHERE user_id = {user_id}) OR "
        f"p.id IN (SELECT g.permission_id FROM {granted} g INNER JOIN {groups} m "
        f"ON m.group_id = g.group_id WHERE m.user_id = {user_id})))"
    )
    return sql, ["assessments", "view_all_organizations"]


def _granted_view_all(user_id: int) -> bool:
    from django.db import connection

    condition, params = view_all_granted_sql("%s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 WHERE {condition}", [*params, user_id, user_id])
        return cursor.fetchone() is not None


# Official codes are digits (1009) or Latin letters and digits: they appear in URLs and in
# file names, where anything else (Thai letters, spaces, "/") would break or be ambiguous.
ORGANIZATION_CODE_PATTERN = r"^[0-9A-Za-z]+$"
ORGANIZATION_CODE_MESSAGE = _("รหัสหน่วยงานต้องเป็นตัวเลขหรืออักษรละตินเท่านั้น ไม่มีช่องว่าง เช่น 1009")
organization_code_validator = RegexValidator(
    ORGANIZATION_CODE_PATTERN, ORGANIZATION_CODE_MESSAGE, code="organization_code"
)


def organization_code_problem(code: str) -> str | None:
    """Why a typed organization code cannot be one (in Thai), or None if it can."""
    try:
        organization_code_validator(code)
    except ValidationError:
        return gettext("รหัสหน่วยงาน “%(code)s” ใช้ไม่ได้: ต้องเป็นตัวเลขหรืออักษรละตินเท่านั้น เช่น 1009") % {
            "code": code
        }
    return None


# The membership role (plans.Membership.Role.ADMIN) that keeps its own organization's record and
# scores; named here because assessments never imports plans.
ORGANIZATION_ADMIN_ROLE = "admin"


def edits_every_organization(user) -> bool:
    """Whether the user may change every organization's record and scores (superusers)."""
    return user.is_authenticated and user.is_active and user.is_superuser


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the organizations whose data the user may read."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_all_organizations(user):
            return self
        return self.filter(memberships__user=user)

    def editable_by(self, user):
        """Return the organizations whose record and scores the user may change.

        Superusers change every organization; an organization's admin member only their own.
        Plan owners, staff and managers change none: scores are the official figures, imported
        by an admin, and a district never retypes them.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if edits_every_organization(user):
            return self
        # One filter() call, so that user and role are those of the same membership.
        return self.filter(memberships__user=user, memberships__role=ORGANIZATION_ADMIN_ROLE)


class OrganizationManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Organization(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("สำนักงานเขต")
        CENTRAL = "central", _("หน่วยงานส่วนกลาง")
        # The national picture: ITA assesses about 8,300 agencies, most outside Bangkok.
        MINISTRY = "ministry", _("กระทรวง")
        DEPARTMENT = "department", _("กรม")
        PROVINCE = "province", _("จังหวัด")
        LOCAL = "local", _("องค์กรปกครองส่วนท้องถิ่น")
        OTHER = "other", _("หน่วยงานอื่น")

    code = models.CharField(
        _("รหัสหน่วยงาน"),
        max_length=20,
        unique=True,
        validators=[organization_code_validator],
        help_text=_("รหัสทางราชการ เช่น 1009 สำหรับสำนักงานเขตพระโขนง"),
    )
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200, help_text=_("เช่น เขตพระโขนง"))
    name_en = models.CharField(
        _("ชื่อภาษาอังกฤษ"), max_length=200, blank=True, help_text=_("เช่น Phra Khanong")
    )
    kind = models.CharField(
        _("ประเภทหน่วยงาน"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("หน่วยงานต้นสังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("เว้นว่างได้ถ้าไม่มีต้นสังกัดในระบบ"),
    )
    # The demo's other districts carry invented figures: every page that shows them says so.
    is_simulated = models.BooleanField(
        _("ข้อมูลจำลอง"),
        default=False,
        help_text=_("คะแนนและแผนของหน่วยงานนี้สร้างขึ้นเพื่อทดลองใช้ระบบ ไม่ใช่ข้อมูลจริง"),
    )

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["code"]
        # The overview filters thousands of agencies by kind and by parent.
        indexes = [models.Index(fields=["kind", "code"], name="organization_kind_code")]
        permissions = [("view_all_organizations", _("ดูข้อมูลได้ทุกหน่วยงาน"))]

    def __str__(self):
        return f"{self.name_th} ({self.code})"

    def natural_key(self):
        return (self.code,)


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, name):
        return self.get(fiscal_year=fiscal_year, name=name)


class Framework(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        _("ปีงบประมาณ (พ.ศ.)"),
        validators=BE_YEAR_RANGE,
        help_text=_("ปีงบประมาณที่ประเมิน เป็นพุทธศักราช เช่น 2564"),
    )
    name = models.CharField(
        _("ชื่อชุดการประเมิน"),
        max_length=200,
        help_text=_("เช่น ITA ของสำนักงานเขต กรุงเทพมหานคร"),
    )
    pass_mark = models.DecimalField(
        _("เกณฑ์ผ่าน"),
        **SCORE_DIGITS,
        default=Decimal("85.00"),
        validators=SCORE_RANGE,
        help_text=_("คะแนนขั้นต่ำที่ถือว่าผ่านการประเมิน เช่น 85"),
    )
    issuer = models.CharField(
        _("ผู้กำหนดเกณฑ์"),
        max_length=200,
        blank=True,
        help_text=_("หน่วยงานที่ออกชุดการประเมิน เช่น สำนักงาน ป.ป.ช. หรือ กรุงเทพมหานคร"),
    )
    description = models.TextField(_("คำอธิบาย"), blank=True)

    objects = FrameworkManager()

    class Meta:
        verbose_name = _("ชุดการประเมิน")
        verbose_name_plural = _("ชุดการประเมิน")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "name"], name="assessments_framework_one_per_year_name"
            ),
            be_year_check("fiscal_year", "assessments_framework_year_be"),
            _score_range_check("pass_mark", "assessments_framework_pass_mark_range"),
        ]

    def __str__(self):
        return gettext("%(name)s ปีงบประมาณ พ.ศ. %(year)s") % {
            "name": self.name,
            "year": self.fiscal_year,
        }

    def natural_key(self):
        return (self.fiscal_year, self.name)

    @property
    def edition(self) -> str:
        """The edition's name: several editions (the BMA district one, NACC's national one)
        may share a fiscal year, and commands pick one with ``--edition NAME``."""
        return self.name


class LevelBand(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("ชุดการประเมิน"), on_delete=models.CASCADE, related_name="bands"
    )
    # NACC's labels are words ("ต้องปรับปรุงโดยด่วน" has 19 characters), not AA–F.
    label = models.CharField(_("ระดับ"), max_length=50, help_text=_("เช่น AA, A, B หรือ ผ่านดีเยี่ยม"))
    min_score = models.DecimalField(
        _("คะแนนขั้นต่ำ"),
        **SCORE_DIGITS,
        validators=SCORE_RANGE,
        help_text=_("คะแนนรวมตั้งแต่ค่านี้ขึ้นไปได้ระดับนี้ (ระดับต่ำสุดใส่ 0)"),
    )
    min_each_tool = models.DecimalField(
        _("คะแนนขั้นต่ำของทุกเครื่องมือ"),
        **SCORE_DIGITS,
        null=True,
        blank=True,
        validators=SCORE_RANGE,
        help_text=(
            _(
                "เว้นว่างถ้าไม่มีเงื่อนไข; ถ้าระบุ ทุกเครื่องมือ (IIT, EIT, OIT) ต้องได้คะแนนอย่างน้อยร้อยละนี้"
                " ของคะแนนเต็มของเครื่องมือ เช่น ผ่านดีเยี่ยม = 95"
            )
        ),
    )

    class Meta:
        verbose_name = _("ระดับผลการประเมิน")
        verbose_name_plural = _("ระดับผลการประเมิน")
        ordering = ["framework", "-min_score", F("min_each_tool").desc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "label"], name="assessments_levelband_label_unique"
            ),
            # ผ่าน and ผ่านดี share the total 85 and differ only in the minimum of each tool.
            models.UniqueConstraint(
                "framework",
                "min_score",
                Coalesce("min_each_tool", Value(Decimal("-1"))),
                name="assessments_levelband_min_unique",
            ),
            _score_range_check("min_score", "assessments_levelband_min_range"),
            models.CheckConstraint(
                condition=Q(min_each_tool__isnull=True)
                | (Q(min_each_tool__gte=0) & Q(min_each_tool__lte=100)),
                name="assessments_levelband_min_each_tool_range",
            ),
        ]

    def __str__(self):
        if self.min_each_tool is not None:
            return gettext("%(label)s ≥ %(min)s (ทุกเครื่องมือ ≥ %(each)s)") % {
                "label": self.label,
                "min": self.min_score,
                "each": self.min_each_tool,
            }
        return f"{self.label} ≥ {self.min_score}"


class Tool(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("ชุดการประเมิน"), on_delete=models.CASCADE, related_name="tools"
    )
    code = models.CharField(_("รหัสเครื่องมือ"), max_length=10, help_text=_("IIT, EIT หรือ OIT"))
    name = models.CharField(
        _("ชื่อเครื่องมือ"),
        max_length=200,
        help_text=_("เช่น การรับรู้ของผู้มีส่วนได้ส่วนเสียภายในหน่วยงาน"),
    )
    weight = models.DecimalField(
        _("น้ำหนัก (ร้อยละ)"),
        **SCORE_DIGITS,
        validators=SCORE_RANGE,
        help_text=_("ร้อยละของคะแนนรวม เช่น 30; น้ำหนักของทุกเครื่องมือรวมกันต้องเท่ากับ 100"),
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("เครื่องมือการประเมิน")
        verbose_name_plural = _("เครื่องมือการประเมิน")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessments_tool_code_unique"
            ),
            _score_range_check("weight", "assessments_tool_weight_range"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    # The framework is repeated here (it is also the tool's) so the database itself can
    # refuse two indicators with the same number in one framework.
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("ชุดการประเมิน"),
        on_delete=models.CASCADE,
        related_name="indicators",
        editable=False,
    )
    tool = models.ForeignKey(
        Tool, verbose_name=_("เครื่องมือ"), on_delete=models.CASCADE, related_name="indicators"
    )
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"), help_text=_("เลขตัวชี้วัด เช่น 1"))
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=200, help_text=_("เช่น การปฏิบัติหน้าที่"))
    weight = models.DecimalField(
        _("น้ำหนัก (ร้อยละ)"),
        **SCORE_DIGITS,
        validators=SCORE_RANGE,
        help_text=_("ร้อยละของคะแนนรวม; น้ำหนักตัวชี้วัดของเครื่องมือหนึ่งรวมกันเท่ากับน้ำหนักเครื่องมือ"),
    )

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="assessments_indicator_number_unique"
            ),
            _score_range_check("weight", "assessments_indicator_weight_range"),
        ]

    def __str__(self):
        return gettext("ตัวชี้วัดที่ %(number)s %(name)s") % {"number": self.number, "name": self.name}

    def save(self, *args, **kwargs):
        self.framework_id = self.tool.framework_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.framework_id and self.tool_id and self.tool.framework_id != self.framework_id:
            raise ValidationError({"tool": gettext("เครื่องมือต้องอยู่ในชุดการประเมินเดียวกัน")})


class ItemQuerySet(models.QuerySet):
    def of_year(self, fiscal_year):
        """Return the items of the frameworks of that fiscal year."""
        return self.filter(framework__fiscal_year=fiscal_year)


class Item(models.Model):
    class Kind(models.TextChoices):
        SURVEY = "survey", _("แบบสำรวจ (0–100)")
        CHECKLIST = "checklist", _("ตรวจหลักฐาน (0 หรือ 100)")

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("ชุดการประเมิน"),
        on_delete=models.CASCADE,
        related_name="items",
        editable=False,
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("ตัวชี้วัด"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(
        _("รหัสข้อ"), max_length=10, help_text=_("รหัสข้อการประเมิน เช่น I12, E4, O26")
    )
    name = models.CharField(
        _("ชื่อย่อ"), max_length=200, blank=True, help_text=_("ชื่อสั้นของข้อ เช่น โครงสร้าง")
    )
    text = models.TextField(_("ข้อความเต็ม"), help_text=_("ข้อความของข้อการประเมินตามเอกสารทางการ"))
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    kind = models.CharField(
        _("วิธีให้คะแนน"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.SURVEY,
        help_text=_("แบบสำรวจให้คะแนน 0–100; ตรวจหลักฐาน (OIT) ให้ 0 หรือ 100 เท่านั้น"),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("ข้อการประเมิน")
        verbose_name_plural = _("ข้อการประเมิน")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessments_item_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name or self.text[:60]}"

    def save(self, *args, **kwargs):
        self.framework_id = self.indicator.framework_id
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.framework_id
            and self.indicator_id
            and self.indicator.framework_id != self.framework_id
        ):
            raise ValidationError({"indicator": gettext("ตัวชี้วัดต้องอยู่ในชุดการประเมินเดียวกัน")})


class ItemLinkQuerySet(models.QuerySet):
    def confirmed(self):
        """The links a person confirmed (or that a copy made): the ones the app relies on."""
        return self.filter(status=ItemLink.Status.CONFIRMED)

    def between(self, from_framework, to_framework):
        return self.filter(from_framework=from_framework, to_framework=to_framework)


class ItemLink(models.Model):
    """An item of one edition and its counterpart in another (a renumbered OIT item, a reworded
    IIT question). ``from_item`` is the earlier edition's, ``to_item`` the later one's.

    The frameworks are repeated (as on Indicator and Item) so the database can refuse two
    counterparts for one item in the same edition.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("ระบบเสนอ รอยืนยัน")
        CONFIRMED = "confirmed", _("ยืนยันแล้ว")

    from_item = models.ForeignKey(
        Item, verbose_name=_("ข้อในชุดเดิม"), on_delete=models.CASCADE, related_name="links_onward"
    )
    to_item = models.ForeignKey(
        Item, verbose_name=_("ข้อในชุดใหม่"), on_delete=models.CASCADE, related_name="links_back"
    )
    from_framework = models.ForeignKey(
        Framework,
        verbose_name=_("ชุดการประเมินเดิม"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    to_framework = models.ForeignKey(
        Framework,
        verbose_name=_("ชุดการประเมินใหม่"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    similarity = models.PositiveSmallIntegerField(
        _("ความคล้ายของข้อความ (ร้อยละ)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("ระบบคำนวณจากข้อความของสองข้อ 100 = เหมือนกันทุกตัวอักษร"),
    )
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.SUGGESTED
    )

    objects = ItemLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("การเชื่อมโยงข้อระหว่างชุดการประเมิน")
        verbose_name_plural = _("การเชื่อมโยงข้อระหว่างชุดการประเมิน")
        ordering = ["to_framework", "to_item__order", "from_item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_item", "to_framework"], name="assessments_itemlink_one_onward"
            ),
            models.UniqueConstraint(
                fields=["to_item", "from_framework"], name="assessments_itemlink_one_back"
            ),
            models.CheckConstraint(
                condition=~Q(from_framework=F("to_framework")),
                name="assessments_itemlink_two_editions",
            ),
            range_check("similarity", 0, 100, "assessments_itemlink_similarity_range"),
        ]

    def __str__(self):
        return f"{self.from_item.code} ({self.from_framework.fiscal_year}) → {self.to_item.code}"

    def save(self, *args, **kwargs):
        self.from_framework_id = self.from_item.framework_id
        self.to_framework_id = self.to_item.framework_id
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.from_item_id
            and self.to_item_id
            and self.from_item.framework_id == self.to_item.framework_id
        ):
            raise ValidationError({"to_item": gettext("สองข้อต้องอยู่คนละชุดการประเมิน")})


def visible_rows(queryset, user, path: str):
    """``queryset`` limited to the rows of the organizations ``user`` may read, ``path``
    leading from a row to its organization ("organization", "plan__organization", …).

    The one place the reading rule meets every model's rows. Someone who reads every
    organization gets the queryset as it is: no subquery and no join, which at national scale
    (8,300 agencies) is most of the cost of the central pages' biggest queries."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_all_organizations(user):
        return queryset
    return queryset.filter(**{f"{path}__in": Organization.objects.visible_to(user)})


def visible_organization_sql(user, column: str) -> tuple[str, list]:
    """``visible_rows``' rule for a plain statement: a SQL condition that the organization id
    in ``column`` is one the user may read, and its parameters."""
    if not user.is_authenticated or not user.is_active:
        return "1 = 0", []
    if sees_all_organizations(user):
        return "1 = 1", []
    from django.db import connection

    members = Organization._meta.get_field("memberships").related_model._meta.db_table
    return (
        f"{column} IN (SELECT organization_id FROM {connection.ops.quote_name(members)} "
        "WHERE user_id = %s)",
        [user.pk],
    )


def reads_organization(user, organization_id: int) -> bool:
    """``visible_rows``' rule asked of one organization in Python: for the signed-in user,
    whose membership and permission are read with their session (``ita_tracker.auth``), it
    asks the database nothing (a page kept between requests, ``plans.page_rows``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_all_organizations(user):
        return True
    try:
        member = user.membership
    except ObjectDoesNotExist:
        return False
    return member is not None and member.organization_id == organization_id


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the assessments of the organizations the user may read."""
        return visible_rows(self, user, "organization")

    def editable_by(self, user):
        """Return the assessments whose scores the user may change (see Organization's rule)."""
        return self.filter(organization__in=Organization.objects.editable_by(user))


class Assessment(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("หน่วยงาน"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("ชุดการประเมิน"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    published_on = models.DateField(
        _("วันที่ประกาศผล"), null=True, blank=True, help_text=_("วันที่ผลการประเมินประกาศอย่างเป็นทางการ")
    )
    note = models.TextField(_("หมายเหตุ"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ผลการประเมินของหน่วยงาน")
        verbose_name_plural = _("ผลการประเมินของหน่วยงาน")
        ordering = ["-framework__fiscal_year", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework"],
                name="assessments_assessment_one_per_framework",
            ),
        ]

    def __str__(self):
        return f"{self.organization.name_th} — ITA {self.framework.fiscal_year}"


class AssessmentSummary(models.Model):
    """An assessment's figures as the roll-up computes them (``assessments.scoring``), stored
    so that the overview of thousands of agencies sorts, filters and counts them in SQL.
    Written only by ``assessments.summaries.refresh`` whenever scores or the rules change."""

    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("ผลการประเมิน"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
    )
    total = models.DecimalField(_("คะแนนรวม"), **SCORE_DIGITS, null=True, blank=True)
    level = models.CharField(_("ระดับ"), max_length=50, blank=True)
    # The total reaches the framework's pass mark (None while the total is unknown).
    passed = models.BooleanField(_("ผ่านเกณฑ์"), null=True)
    # Rounded figures by indicator number and by tool code, as strings ("84.50"; None unknown).
    indicators = models.JSONField(_("คะแนนรายตัวชี้วัด"), default=dict)
    tools = models.JSONField(_("คะแนนรายเครื่องมือ"), default=dict)

    class Meta:
        verbose_name = _("สรุปผลการประเมิน")
        verbose_name_plural = _("สรุปผลการประเมิน")
        indexes = [models.Index(fields=["total"], name="assessment_summary_total")]

    def __str__(self):
        return f"{self.assessment_id}: {self.total} {self.level}"

    @property
    def indicator_scores(self) -> dict[int, Decimal | None]:
        """The indicators' rounded scores by number, as ``scoring.Summary.indicators``."""
        return {
            int(number): None if score is None else Decimal(score)
            for number, score in self.indicators.items()
        }


class HeadlineYear(models.Model):
    """A fiscal year whose ``HeadlineCell`` rows are complete (``assessments.headlines``)."""

    fiscal_year = models.IntegerField(_("ปีงบประมาณ"), primary_key=True)
    computed = models.DateTimeField(_("คำนวณเมื่อ"))

    class Meta:
        verbose_name = _("ปีของตัวเลขสรุปภาพรวม")
        verbose_name_plural = _("ปีของตัวเลขสรุปภาพรวม")

    def __str__(self):
        return str(self.fiscal_year)


class HeadlineCell(models.Model):
    """The overview's headline figures of one fiscal year for the agencies of one parent,
    kind and level (``assessments.headlines``): a row of assessed agencies (``level`` None
    for those without a stored summary), or of agencies with no assessment that year
    (``unassessed``, the other counts zero). Summed by scope, they give the headline of
    8,300 agencies without reading 8,300 rows."""

    fiscal_year = models.IntegerField(_("ปีงบประมาณ"), db_index=True)
    # The organizations' parent and kind as plain values: rows are rewritten, never joined.
    parent_id = models.BigIntegerField(_("หน่วยงานต้นสังกัด"), null=True)
    kind = models.CharField(_("ประเภทหน่วยงาน"), max_length=20)
    # None, not "": the assessments without a stored summary (a summary's level may be blank).
    level = models.CharField(_("ระดับ"), max_length=50, null=True)  # noqa: DJ001
    assessed = models.IntegerField(_("ประเมินแล้ว"), default=0)
    scored = models.IntegerField(_("มีคะแนนรวม"), default=0)
    passing = models.IntegerField(_("ผ่านเกณฑ์"), default=0)
    total_sum = models.DecimalField(_("ผลรวมคะแนน"), max_digits=14, decimal_places=2, null=True)
    total_max = models.DecimalField(_("คะแนนสูงสุด"), **SCORE_DIGITS, null=True)
    unsummarized = models.IntegerField(_("ยังไม่มีสรุป"), default=0)
    unassessed = models.IntegerField(_("ไม่มีข้อมูล"), default=0)

    class Meta:
        verbose_name = _("ตัวเลขสรุปภาพรวม")
        verbose_name_plural = _("ตัวเลขสรุปภาพรวม")

    def __str__(self):
        return f"{self.fiscal_year} {self.parent_id} {self.kind} {self.level}"


class NamePlace(models.Model):
    """An assessment's place in its year's order by organization name (``name_rank``: equal
    names share one), stored with the year's ``HeadlineCell`` rows so that page 100 of 8,300
    agencies by name is read from an index instead of sorting every name (``headlines``)."""

    assessment_id = models.BigIntegerField(_("ผลการประเมิน"), primary_key=True)
    fiscal_year = models.IntegerField(_("ปีงบประมาณ"))
    organization_id = models.BigIntegerField(_("หน่วยงาน"))
    framework_id = models.BigIntegerField(_("ชุดการประเมิน"))
    parent_id = models.BigIntegerField(_("หน่วยงานต้นสังกัด"), null=True)
    kind = models.CharField(_("ประเภทหน่วยงาน"), max_length=20)
    code = models.CharField(_("รหัสหน่วยงาน"), max_length=20)
    name_rank = models.IntegerField(_("ลำดับตามชื่อ"))

    class Meta:
        verbose_name = _("ลำดับตามชื่อหน่วยงาน")
        verbose_name_plural = _("ลำดับตามชื่อหน่วยงาน")
        indexes = [models.Index(fields=["fiscal_year", "name_rank"], name="name_place_rank")]

    def __str__(self):
        return f"{self.fiscal_year} {self.code} {self.name_rank}"


class AssessmentPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the rows of the assessments the user may read."""
        return visible_rows(self, user, "assessment__organization")

    def editable_by(self, user):
        """Return the rows of the assessments whose scores the user may change."""
        return self.filter(assessment__in=Assessment.objects.editable_by(user))


class ItemScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("ผลการประเมิน"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("ข้อการประเมิน"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(
        _("คะแนน"), **SCORE_DIGITS, validators=SCORE_RANGE, help_text=_("0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง")
    )

    objects = AssessmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนรายข้อ")
        verbose_name_plural = _("คะแนนรายข้อ")
        ordering = ["assessment", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="assessments_itemscore_one_per_item"
            ),
            _score_range_check("score", "assessments_itemscore_score_range"),
        ]

    def __str__(self):
        return f"{self.item.code} = {self.score}"

    def clean(self):
        if not (self.item_id and self.assessment_id) or self.score is None:
            return
        if self.item.framework_id != self.assessment.framework_id:
            raise ValidationError({"item": gettext("ข้อนี้ไม่อยู่ในชุดการประเมินของผลการประเมินนี้")})
        if self.item.kind == Item.Kind.CHECKLIST and self.score not in (0, 100):
            raise ValidationError(
                {
                    "score": gettext("ข้อ %(code)s เป็นข้อตรวจหลักฐาน คะแนนต้องเป็น 0 หรือ 100")
                    % {"code": self.item.code}
                }
            )


class ReportedScore(models.Model):
    """A figure printed in an official document, kept beside the one the app computes."""

    class Scope(models.TextChoices):
        ITEM = "item", _("ข้อ")
        INDICATOR = "indicator", _("ตัวชี้วัด")
        TOOL = "tool", _("เครื่องมือ")
        TOTAL = "total", _("คะแนนรวม")

    class Basis(models.TextChoices):
        SCORE = "score", _("คะแนนเต็ม 100")
        POINTS = "points", _("คะแนนถ่วงน้ำหนัก (เต็มเท่ากับน้ำหนัก)")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("ผลการประเมิน"), on_delete=models.CASCADE, related_name="reported"
    )
    scope = models.CharField(_("ระดับของตัวเลข"), max_length=20, choices=Scope.choices)
    item = models.ForeignKey(
        Item, verbose_name=_("ข้อ"), null=True, blank=True, on_delete=models.PROTECT
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("ตัวชี้วัด"), null=True, blank=True, on_delete=models.PROTECT
    )
    tool = models.ForeignKey(
        Tool, verbose_name=_("เครื่องมือ"), null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.DecimalField(
        _("ตัวเลขที่ประกาศ"),
        **SCORE_DIGITS,
        validators=SCORE_RANGE,
        help_text=_("ตัวเลขตามที่พิมพ์ในเอกสาร เช่น 25.24 ของ 25.24/40"),
    )
    basis = models.CharField(
        _("ฐานของตัวเลข"),
        max_length=10,
        choices=Basis.choices,
        default=Basis.SCORE,
        help_text=_("คะแนนเต็ม 100 หรือคะแนนถ่วงน้ำหนัก เช่น 25.24/40 คือคะแนนถ่วงน้ำหนัก"),
    )
    source = models.CharField(
        _("แหล่งที่มา"),
        max_length=200,
        blank=True,
        help_text=_("เอกสารหรือตารางที่พิมพ์ตัวเลขนี้ เช่น ตารางวิเคราะห์ OIT"),
    )
    note = models.TextField(_("หมายเหตุ"), blank=True)

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("คะแนนที่ประกาศ")
        verbose_name_plural = _("คะแนนที่ประกาศ")
        ordering = ["assessment", "scope", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="item", item__isnull=False, indicator__isnull=True, tool__isnull=True)
                    | Q(
                        scope="indicator",
                        item__isnull=True,
                        indicator__isnull=False,
                        tool__isnull=True,
                    )
                    | Q(scope="tool", item__isnull=True, indicator__isnull=True, tool__isnull=False)
                    | Q(scope="total", item__isnull=True, indicator__isnull=True, tool__isnull=True)
                ),
                name="assessments_reportedscore_target_matches_scope",
            ),
            # One figure per target, basis and source; a partial index per scope because
            # NULLs never collide in a plain unique index.
            *[
                models.UniqueConstraint(
                    fields=["assessment", *target, "basis", "source"],
                    condition=Q(scope=scope),
                    name=f"assessments_reportedscore_one_{scope}_per_source",
                )
                for scope, target in (
                    ("item", ["item"]),
                    ("indicator", ["indicator"]),
                    ("tool", ["tool"]),
                    ("total", []),
                )
            ],
            _score_range_check("value", "assessments_reportedscore_value_range"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} {self.target_label} = {self.value}"

    @property
    def target_label(self) -> str:
        target = self.item or self.indicator or self.tool
        if target is None:
            return ""
        return getattr(target, "code", None) or str(getattr(target, "number", ""))

    def clean(self):
        expected = {
            self.Scope.ITEM: "item",
            self.Scope.INDICATOR: "indicator",
            self.Scope.TOOL: "tool",
        }.get(self.scope)
        errors = {}
        for field in ("item", "indicator", "tool"):
            has_value = getattr(self, f"{field}_id") is not None
            if field == expected and not has_value:
                errors[field] = gettext("ต้องระบุให้ตรงกับระดับของตัวเลข")
            elif field != expected and has_value:
                errors[field] = gettext("เว้นว่างไว้ เพราะไม่ตรงกับระดับของตัวเลข")
        if errors:
            raise ValidationError(errors)


class ImportRecord(models.Model):
    """One file taken in: who, when, which file (name and checksum), and what it changed."""

    class Kind(models.TextChoices):
        SCORES = "scores", _("คะแนนรายข้อ")
        REPORTED = "reported", _("คะแนนที่ประกาศ")
        CATALOG = "catalog", _("ข้อการประเมิน")
        PLAN = "plan", _("แผนปรับปรุง")

    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    checksum = models.CharField(_("SHA-256 ของไฟล์"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้นำเข้า"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    imported_at = models.DateTimeField(_("เวลานำเข้า"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    created = models.PositiveIntegerField(_("ใหม่"), default=0)
    updated = models.PositiveIntegerField(_("ปรับปรุง"), default=0)
    unchanged = models.PositiveIntegerField(_("ไม่เปลี่ยน"), default=0)

    class Meta:
        verbose_name = _("ประวัติการนำเข้า")
        verbose_name_plural = _("ประวัติการนำเข้า")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name} ({format_datetime(self.imported_at)})"

    @classmethod
    def record(
        cls, kind: str, table, user, *, rows: int, created: int, updated: int, unchanged: int
    ):
        """Record one file taken in (``table`` is the file as read: its name and checksum)."""
        return cls.objects.create(
            kind=kind,
            file_name=table.name[:255],
            checksum=table.checksum,
            user=user if user is not None and user.is_authenticated else None,
            rows=rows,
            created=created,
            updated=updated,
            unchanged=unchanged,
        )
