"""The rules of OIT readiness: which edition an office prepares for, that each of its OIT items
has a readiness row, who may read and change them, and what the readiness is worth.

Who may do what follows the plans: a district's plan owner (or admin member) and superusers
change every item of the district; staff change the items their division is responsible for;
district managers read; central managers read every district; anyone else sees nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments import scoring
from assessments.editions import EditionError, find_assessment, find_framework
from assessments.models import Assessment, Framework, Item, Organization
from plans.models import Membership, membership_of, plan_organizations

OIT_TOOL = "OIT"
# Results that cost the item its points however ready the office thinks it is, the worst
# first: "fix first" lists them in this order.
FIX_ORDER = ("broken", "wrong_year", "unreachable", "not_document")
# PublishedUrl.url's length (the model cannot be imported here: it imports this module).
URL_MAX_CHARS = 2000
web_address = URLValidator(schemes=["http", "https"])


class ReadinessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the readiness of the organizations the user may read."""
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def editable_by(self, user):
        """Return the readiness the user may change: plan editors all of their district's,
        staff those of the items their division is responsible for."""
        editors = plan_organizations(user)
        member = membership_of(user)
        if member is not None and member.role == Membership.Role.STAFF:
            return self.filter(
                Q(organization__in=editors)
                | Q(organization_id=member.organization_id, division_id=member.division_id)
            )
        return self.filter(organization__in=editors)

    def of(self, organization, framework):
        return self.filter(organization=organization, item__framework=framework)


def url_problem(text: str) -> str | None:
    """Why ``text`` is not a web address the checker can fetch (in Thai), or None."""
    if len(text) > URL_MAX_CHARS:
        return _("ที่อยู่ยาวเกิน %(limit)s ตัวอักษร") % {"limit": URL_MAX_CHARS}
    try:
        web_address(text)
    except ValidationError:
        return _("“%(url)s” ไม่ใช่ที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https://") % {"url": text}
    return None


def oit_items(framework: Framework):
    """Return the edition's OIT items (its checklist items of the OIT tool) in order."""
    return Item.objects.filter(
        framework=framework, kind=Item.Kind.CHECKLIST, indicator__tool__code=OIT_TOOL
    ).order_by("order", "code")


def edition_for(organization: Organization, year: int, edition: str | None = None) -> Framework:
    """Return the edition the organization will be assessed on in ``year``: that of its
    assessment of the year if there is one, else the year's one edition (``EditionError``)."""
    try:
        return find_assessment(organization.code, year, edition).framework
    except EditionError:
        return find_framework(year, edition)


def assessment_of(organization: Organization, framework: Framework) -> Assessment | None:
    return Assessment.objects.filter(organization=organization, framework=framework).first()


def ensure_readiness(organization: Organization, framework: Framework, user=None) -> int:
    """Create the missing readiness rows of the edition's OIT items; return how many.

    Running it again creates nothing; two requests at once are settled by the unique
    constraint (the loser's rows are skipped)."""
    from oit.models import Readiness

    existing = set(Readiness.objects.of(organization, framework).values_list("item_id", flat=True))
    missing = [
        Readiness(organization=organization, item=item)
        for item in oit_items(framework)
        if item.pk not in existing
    ]
    if missing:
        with transaction.atomic():
            bulk_create_with_history(missing, Readiness, ignore_conflicts=True, default_user=user)
    return len(missing)


def is_scoring(readiness) -> bool:
    """Whether the item would score as it stands: ready, with at least one working link."""
    return readiness.status == readiness.Status.READY and any(
        url.latest is not None and url.latest.result == "ok" for url in readiness.urls.all()
    )


@dataclass(frozen=True)
class Outlook:
    """The OIT score and total now, and the total if every scoring item got its 100."""

    oit_now: Decimal | None
    total_now: Decimal | None
    total_reach: Decimal | None
    level_now: str | None
    level_reach: str | None


def outlook(spec: scoring.FrameworkSpec, item_scores: dict[str, Decimal], scoring_codes) -> Outlook:
    """Score the assessment as it is, and with the ``scoring_codes`` items at 100."""
    now = scoring.summarize(spec, item_scores)
    raised = dict(item_scores)
    for code in scoring_codes:
        raised[code] = scoring.HUNDRED
    reach = scoring.summarize(spec, raised)
    return Outlook(
        oit_now=now.tools.get(OIT_TOOL),
        total_now=now.total,
        total_reach=reach.total,
        level_now=now.level,
        level_reach=reach.level,
    )


@dataclass
class FixFirst:
    """One line of "fix first": a link that fails, or an item not ready and what it adds."""

    readiness: object
    url: object = None
    points: Decimal | None = None


@dataclass
class ReadinessPage:
    organization: Organization
    framework: Framework
    assessment: Assessment | None
    rows: list
    groups: list = field(default_factory=list)
    outlook: Outlook | None = None
    fix_first: list[FixFirst] = field(default_factory=list)

    @property
    def ready(self) -> int:
        return sum(1 for row in self.rows if row.status == row.Status.READY)

    @property
    def total(self) -> int:
        return len(self.rows)


def fix_first(rows, gains: dict[str, Decimal]) -> list[FixFirst]:
    """The failing links first (broken, then wrong year, …), then the items not ready, those
    that would add the most points first; items without a known gain keep the edition's order
    after them."""
    failing = [
        FixFirst(row, url)
        for row in rows
        for url in row.urls.all()
        if url.latest is not None and url.latest.result in FIX_ORDER
    ]
    failing.sort(key=lambda line: FIX_ORDER.index(line.url.latest.result))
    not_ready = [
        FixFirst(row, points=gains.get(row.item.code))
        for row in rows
        if row.status != row.Status.READY
    ]
    not_ready.sort(key=lambda line: (line.points is None, -(line.points or 0)))
    return failing + not_ready


def readiness_page(organization: Organization, framework: Framework) -> ReadinessPage:
    """Everything the readiness page shows, read in a few queries."""
    from assessments.rollup import framework_spec
    from oit.models import Readiness

    rows = list(
        Readiness.objects.of(organization, framework)
        .select_related("item__indicator", "division")
        .prefetch_related("urls__latest", "item__requirements")
        .order_by("item__order", "item__code")
    )
    page = ReadinessPage(organization, framework, assessment_of(organization, framework), rows)
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.item.indicator].append(row)
    page.groups = list(grouped.items())
    gains: dict[str, Decimal] = {}
    if page.assessment is not None:
        spec = framework_spec(framework)
        item_scores = dict(page.assessment.scores.values_list("item__code", "score"))
        page.outlook = outlook(
            spec, item_scores, [row.item.code for row in rows if is_scoring(row)]
        )
        oit_codes = {row.item.code for row in rows}
        gains = {
            gain.code: gain.points
            for gain in scoring.item_gains(spec, item_scores, scoring.HUNDRED)
            if gain.code in oit_codes
        }
    page.fix_first = fix_first(rows, gains)
    return page
