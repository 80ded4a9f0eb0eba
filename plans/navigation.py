"""Where each role finds its way: the top menu and the sibling links of a district's pages.

The rules live here and nowhere else (the templates only draw what these functions return):

- **Which links a user gets** depends on what they may do, not on a role name alone: a
  district member gets their district's pages (staff: their work and the plan; plan owner: the
  plan, progress, scores and people, plus starting next year's plan when it is due and the OIT
  readiness; manager: progress, scores, plan); whoever reads every district (central
  managers, superusers) gets the BMA overview, the list of districts and the BMA OIT table;
  whoever may open the admin gets ผู้ดูแลระบบ.
- **Which plan is "the plan"**: the plan of the current fiscal year, else the newest one
  before it, else the first one after it (a plan started early for next year).
- **A district page's siblings**: a plan year's scores are those of the assessment it
  answers; an assessment year's plan is the one that answers it.

Each function reads a small, fixed number of rows whatever the number of districts or plans.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, Framework, Organization, sees_all_organizations
from assessments.thaidates import fiscal_year_of
from ita_tracker import prepared
from ita_tracker.addresses import address
from plans import dataversions
from plans.models import PLAN_EDITOR_ROLES, Membership, Plan, membership_of

Role = Membership.Role

MY_ACTIONS = _("งานของฉัน")
PLAN = _("แผน")
PROGRESS = _("ความก้าวหน้า")
SCORES = _("ผลคะแนน")
PEOPLE = _("ผู้ใช้ของหน่วยงาน")
START = _("เริ่มแผนปีงบประมาณถัดไป")
OIT = _("ความพร้อม OIT")
OVERVIEW = _("ภาพรวม กทม.")
DISTRICTS = _("หน่วยงาน")
BMA_OIT = _("OIT ทุกเขต")
# The admin site, not the role of the same name.
ADMIN = pgettext_lazy("menu", "ผู้ดูแลระบบ")
REPORT = _("รายงาน")


@dataclass(frozen=True)
class Link:
    key: str  # stable name, for tests and for marking the page the user is on
    label: str
    url: str


@dataclass
class Menu:
    name: str  # the full name, else the username
    role: str  # the role's label; "" for a user with no role at all
    links: list[Link] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [link.key for link in self.links]


@dataclass(frozen=True)
class DistrictYears:
    """The years one district has: plan years (with the assessment year each answers) and
    assessment years, newest first."""

    plans: list[tuple[int, int]]  # (plan year, assessment year)
    assessments: list[int]

    def current_plan_year(self, today: date) -> int | None:
        """The plan year the menu means by "the plan" (see the module's rules)."""
        current = fiscal_year_of(today)
        years = [year for year, _answers in self.plans]
        past = [year for year in years if year <= current]
        if past:
            return max(past)
        return min(years) if years else None

    @property
    def next_plan_due(self) -> bool:
        """Whether the next plan is due (``starting.plan_due`` offers it): the newest
        assessment year has no plan in the year after it. Asked of the years in hand, so the
        menu of every page needs no query of its own."""
        if not self.assessments:
            return False
        return all(year != self.assessments[0] + 1 for year, _answers in self.plans)

    def answered_by(self, plan_year: int) -> int | None:
        """The assessment year a plan year answers."""
        return next((answers for year, answers in self.plans if year == plan_year), None)

    def answering(self, assessment_year: int) -> int | None:
        """The plan year that answers an assessment year (the earliest if several do)."""
        years = [year for year, answers in self.plans if answers == assessment_year]
        return min(years) if years else None


def district_years(organization: Organization) -> DistrictYears:
    """One query: the district's plans (with the year each answers) and its assessment years."""
    quote = connection.ops.quote_name
    plans, assessments = quote(Plan._meta.db_table), quote(Assessment._meta.db_table)
    frameworks = quote(Framework._meta.db_table)
    sql = (
        f"SELECT p.fiscal_year, f.fiscal_year FROM {plans} p "
        f"INNER JOIN {assessments} a ON a.id = p.assessment_id "
        f"INNER JOIN {frameworks} f ON f.id = a.framework_id WHERE p.organization_id = %s "
        f"UNION ALL SELECT DISTINCT f.fiscal_year, CAST(NULL AS INTEGER) FROM {assessments} a "
        f"INNER JOIN {frameworks} f ON f.id = a.framework_id WHERE a.organization_id = %s"
    )
    rows = prepared.fetchall(connection, "district_years", sql, [organization.pk, organization.pk])
    # A plan always answers an assessment: a row without one is an assessment year.
    plan_rows = sorted(((year, answers) for year, answers in rows if answers is not None))
    return DistrictYears(
        plans=plan_rows[::-1],
        assessments=sorted((year for year, answers in rows if answers is None), reverse=True),
    )


def request_district_years(request, organization: Organization) -> DistrictYears:
    """``district_years`` read once per request: on a district member's page of their own
    district the menu and the page's links ask for the same office's years."""
    if request is None:
        return district_years(organization)
    read = request.__dict__.setdefault("_district_years", {})
    if organization.pk not in read:
        read[organization.pk] = district_years(organization)
    return read[organization.pk]


def role_label(user, member) -> str:
    if member is not None:
        return member.get_role_display()
    if user.is_superuser:
        return Role.ADMIN.label
    if sees_all_organizations(user):
        return Role.CENTRAL_MANAGER.label
    return ""


def _latest_year_query():
    # Asked of the few editions, each of which either has an assessment or not: sorting every
    # assessment of the country by year would grow with them, on every page.
    return (
        Framework.objects.filter(Exists(Assessment.objects.filter(framework=OuterRef("pk"))))
        .order_by("-fiscal_year")
        .values("fiscal_year")[:1]
    )


def latest_assessment_year(user=None) -> int | None:
    """The newest year with scores. The signed-in user of a request comes with it
    (``ita_tracker.auth``): the menu, the home page and the dashboards' ETags ask it of them."""
    known = getattr(user, "_latest_assessment_year", _UNREAD)
    if known is not _UNREAD:
        return known
    year = dataversions.read(dataversions.newest_assessment_year_part())[0]
    return int(year) if year else None


_UNREAD = object()


def assessed_year_part(year: int) -> dataversions.Part:
    """Whether ``year`` has scores ("1", else none): to be read with other values."""
    quote = connection.ops.quote_name
    frameworks = quote(Framework._meta.db_table)
    assessments = quote(Assessment._meta.db_table)
    return dataversions.Part(
        f"SELECT 1 FROM {frameworks} f WHERE f.fiscal_year = %s AND EXISTS "
        f"(SELECT 1 FROM {assessments} a WHERE a.framework_id = f.id) LIMIT 1",
        (year,),
    )


def remember_latest_year(user, year: int | None) -> None:
    """Keep ``latest_assessment_year`` on the user of the request (read with them)."""
    user._latest_assessment_year = year


def assessment_years() -> list[int]:
    """The years with scores, newest first: asked of the editions (a few rows), not by a
    DISTINCT over every assessment (8,300 a year at national scale)."""
    quote = connection.ops.quote_name
    frameworks = quote(Framework._meta.db_table)
    assessments = quote(Assessment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT f.fiscal_year FROM {frameworks} f WHERE EXISTS "
            f"(SELECT 1 FROM {assessments} a WHERE a.framework_id = f.id) "
            "ORDER BY f.fiscal_year DESC"
        )
        return [year for (year,) in cursor.fetchall()]


def _member_and_latest_year(user, seeing_all: bool):
    """The user's membership (with its organization) and, for whoever reads every
    organization, the latest assessment year: one query for both, unless the request has
    read the membership already. The membership is left on the user, as reading
    ``user.membership`` would have left it."""
    cache = Membership._meta.get_field("user").remote_field  # what user.membership reads
    if user.is_active and not cache.is_cached(user):
        rows = Membership.objects.filter(user=user).select_related("organization")
        if seeing_all:
            rows = rows.annotate(latest_year=Subquery(_latest_year_query()))
        member = rows.first()
        cache.set_cached_value(user, member)
        if member is not None:
            return member, getattr(member, "latest_year", None)
    else:
        member = membership_of(user)
    return member, latest_assessment_year(user) if seeing_all else None


def _district_links(member, years: DistrictYears, today: date, start_due: bool) -> list[Link]:
    code = member.organization.code
    plan_year = years.current_plan_year(today)
    score_year = years.answered_by(plan_year) if plan_year else None
    score_year = score_year or (years.assessments[0] if years.assessments else None)
    links = {}
    if member.role == Role.STAFF:
        links["my_actions"] = Link("my_actions", MY_ACTIONS, address("my_actions"))
    if plan_year:
        links["plan"] = Link("plan", PLAN, address("plan_detail", code, plan_year))
        links["progress"] = Link("progress", PROGRESS, address("plan_progress", code, plan_year))
    if score_year:
        links["scores"] = Link("scores", SCORES, address("scores", code, score_year))
    if member.role in PLAN_EDITOR_ROLES:
        links["people"] = Link("people", PEOPLE, address("people_home"))
        if start_due:
            links["start"] = Link("start", START, address("start_plan", code))
        if score_year:
            links["oit"] = Link("oit", OIT, address("oit:readiness", code, score_year))
    order = {
        Role.STAFF: ["my_actions", "plan"],
        Role.DISTRICT_MANAGER: ["progress", "scores", "plan"],
    }.get(member.role, ["plan", "progress", "scores", "people", "start", "oit"])
    return [links[key] for key in order if key in links]


def _bma_links(user, year: int | None) -> list[Link]:
    links = [Link("overview", OVERVIEW, address("overview_latest"))]
    links.append(Link("districts", DISTRICTS, address("districts")))
    if year:
        links.append(Link("bma_oit", BMA_OIT, address("oit:bma", year)))
    if user.is_superuser:
        links.append(Link("people", PEOPLE, address("people_home")))
    return links


DISTRICT_ROLES = (Role.STAFF, Role.PLAN_OWNER, Role.DISTRICT_MANAGER, Role.ADMIN)


def in_district(member) -> bool:
    """Whether a member works for one office whose own pages come first in their menu and on
    their home (not a central manager, nor an admin of the BMA's central office)."""
    return (
        member is not None
        and member.role in DISTRICT_ROLES
        and member.organization.kind != Organization.Kind.CENTRAL
    )


def menu_for(user, today: date | None = None, request=None) -> Menu | None:
    """The top menu of a signed-in user (None for a visitor); with the ``request``, the
    district's years are shared with the page's own links."""
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    seeing_all = sees_all_organizations(user)
    member, latest_year = _member_and_latest_year(user, seeing_all)
    menu = Menu(name=user.get_full_name() or user.get_username(), role=role_label(user, member))
    if in_district(member):
        years = request_district_years(request, member.organization)
        start_due = member.role in PLAN_EDITOR_ROLES and years.next_plan_due
        menu.links += _district_links(member, years, today, start_due)
    if seeing_all:
        taken = set(menu.keys)
        menu.links += [link for link in _bma_links(user, latest_year) if link.key not in taken]
    if user.is_staff:
        menu.links.append(Link("admin", ADMIN, address("admin:index")))
    return menu


@dataclass
class DistrictNav:
    """The sibling links of one district page and its other years."""

    organization: Organization
    current: str  # plan / progress / report / scores / oit / start
    siblings: list[Link]
    plan_years: list[Link]  # each of the district's plan years, on the same kind of page
    assessment_years: list[Link]
    plan_year: int | None
    assessment_year: int | None


PLAN_PAGES = {"plan": "plan_detail", "progress": "plan_progress", "report": "plan_report"}
ASSESSMENT_PAGES = {"scores": "scores", "oit": "oit:readiness"}


def district_nav(
    organization: Organization, current: str, year: int | None, years: DistrictYears
) -> DistrictNav:
    """The links of a district page ``current`` of ``year`` (a plan year on plan pages, an
    assessment year on the scores and OIT pages, None on the start page)."""
    code = organization.code
    if current in PLAN_PAGES:
        plan_year = year
        assessment_year = years.answered_by(year)
    elif current in ASSESSMENT_PAGES:
        assessment_year, plan_year = year, years.answering(year)
    else:
        plan_year = years.current_plan_year(timezone.localdate())
        assessment_year = years.assessments[0] if years.assessments else None
    siblings = []
    if plan_year:
        siblings += [
            Link("plan", PLAN, address("plan_detail", code, plan_year)),
            Link("progress", PROGRESS, address("plan_progress", code, plan_year)),
            Link("report", REPORT, address("plan_report", code, plan_year)),
        ]
    if assessment_year:
        siblings += [
            Link("scores", SCORES, address("scores", code, assessment_year)),
            Link("oit", OIT, address("oit:readiness", code, assessment_year)),
        ]
    plan_page = PLAN_PAGES.get(current, "plan_detail")
    assessment_page = ASSESSMENT_PAGES.get(current, "scores")
    return DistrictNav(
        organization=organization,
        current=current,
        siblings=siblings,
        plan_years=[Link(str(y), str(y), address(plan_page, code, y)) for y, _a in years.plans],
        assessment_years=[
            Link(str(y), str(y), address(assessment_page, code, y)) for y in years.assessments
        ],
        plan_year=plan_year,
        assessment_year=assessment_year,
    )
