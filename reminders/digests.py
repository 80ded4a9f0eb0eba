"""What each user's digest says, decided by their membership (``reminders.due`` reads the facts).

- staff: their division's overdue and due-soon actions, and the rounds closing soon that
  still lack their division's report;
- plan owner: the same for the whole district, by division, plus the plans still in draft;
- district manager (weekly): the district's totals, per cent done and overdue by division,
  against last week's figures;
- central manager (weekly): the districts most overdue, and the rounds closed without reports;
- anyone else (admins, superusers, users without a membership): nothing.

Nobody gets another district's lines: a district's facts are read by the organization of the
user's own membership, and BMA-wide figures only for central managers who see every district.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessments.thaidates import format_date
from plans.dashboards import percent_done
from plans.models import Membership
from reminders.content import DigestContent, Line, Section
from reminders.due import (
    DUE_SOON_DAYS,
    BmaFacts,
    DistrictFacts,
    DueAction,
    RoundGap,
    bma_facts,
    district_facts,
)
from reminders.models import Digest, ReminderPreference

Role = Membership.Role
Kind = Digest.Kind

# An action's text is cut to this many characters in a line.
TEXT_CHARS = 80
# The home page shows this many lines of each section of "what is due for me".
DUE_LIST_SHOWN = 5
# The roles whose digest lists what is due (the others get summaries).
LISTING_ROLES = (Role.STAFF, Role.PLAN_OWNER)
# A central manager reads the BMA-wide figures only with the permission that shows every
# district (``assessments.models.sees_all_organizations``), asked for all of them at once.
SEE_ALL = "assessments.view_all_organizations"
# The backend that grants permissions (the sign-in lockout backend grants none).
PERMISSION_BACKEND = "ita_tracker.auth.MemberBackend"


def build_digests(
    requests: list[tuple], today: date, previous: dict[int, dict], *, language: str | None = None
) -> list[DigestContent]:
    """One digest per (user, ``Digest.Kind``) request, in the user's language (``language``
    overrides it), possibly empty. ``previous`` maps a user id to the figures of their last
    sent weekly digest. Reads a fixed number of queries whatever the number of users."""
    ids = [user.pk for user, _kind in requests]
    members = {
        member.user_id: member
        for member in Membership.objects.filter(user_id__in=ids).select_related(
            "organization", "division"
        )
    }
    languages = dict(
        ReminderPreference.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    roles = {(members[pk].role if pk in members else None) for pk in ids}
    districts = district_facts(
        {
            member.organization_id
            for member in members.values()
            if member.role in (*LISTING_ROLES, Role.DISTRICT_MANAGER)
        },
        today,
    )
    bma = None
    if Role.CENTRAL_MANAGER in roles:
        central = [pk for pk, member in members.items() if member.role == Role.CENTRAL_MANAGER]
        seeing_all = set(
            get_user_model()
            .objects.with_perm(SEE_ALL, backend=PERMISSION_BACKEND)
            .filter(pk__in=central)
            .values_list("pk", flat=True)
        )
        bma = bma_facts(today) if seeing_all else None
    else:
        seeing_all = set()

    digests = []
    for user, kind in requests:
        lang = language or languages.get(user.pk, "th")
        member = members.get(user.pk) if user.is_active else None
        with translation.override(lang):
            digests.append(
                _digest(user, kind, lang, member, today, previous, districts, bma, seeing_all)
            )
    return digests


def due_for(user, today: date) -> DigestContent:
    """The user's "what is due for me": their daily digest, in the language of the page."""
    return build_digests([(user, Kind.DAILY)], today, {}, language=translation.get_language())[0]


def due_list(user, member, today: date) -> DigestContent | None:
    """The home page's "what is due for me" of a user with ``member`` as membership: None
    for the roles whose digest is a summary, not a list."""
    if member is None or member.role not in LISTING_ROLES:
        return None
    return due_for(user, today)


def _digest(user, kind, lang, member, today, previous, districts, bma, seeing_all):
    empty = DigestContent(user.pk, kind, lang, subject="")
    if member is None:
        return empty
    if member.role in LISTING_ROLES:
        facts = districts.get(member.organization_id)
        if facts is None:
            return empty
        return _listing(user, kind, lang, member, facts, today)
    if member.role == Role.DISTRICT_MANAGER and kind == Kind.WEEKLY:
        facts = districts.get(member.organization_id)
        if facts is None:
            return empty
        return _district_summary(user, lang, facts, today, previous.get(user.pk) or {})
    if member.role == Role.CENTRAL_MANAGER and kind == Kind.WEEKLY and user.pk in seeing_all:
        return _bma_summary(user, lang, bma, today, previous.get(user.pk) or {})
    return empty


# --- Staff and plan owners ------------------------------------------------------------------


def shorten(text: str, length: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _action_line(due: DueAction, today: date, division: str = "", owing: int = 0) -> Line:
    """A line for an action; ``owing`` (a plan owner's "ทุกฝ่าย" line) is how many divisions
    have not reported it done."""
    action = due.action
    days = (action.due_on - today).days
    if due.overdue:
        note = ngettext("เกินกำหนด %(days)d วัน", "เกินกำหนด %(days)d วัน", -days) % {"days": -days}
    elif days == 0:
        note = _("ครบกำหนดวันนี้")
    else:
        note = ngettext("ครบกำหนดใน %(days)d วัน", "ครบกำหนดใน %(days)d วัน", days) % {"days": days}
    if owing:
        note += " " + ngettext("(ยังไม่เสร็จ %(count)d ฝ่าย)", "(ยังไม่เสร็จ %(count)d ฝ่าย)", owing) % {
            "count": owing
        }
    return Line(
        text=f"{action.finding.item.code} {shorten(action.text)}",
        url=reverse("action_detail", args=[action.pk]),
        due_on=action.due_on,
        division=division,
        note=note,
    )


def _district_lines(facts: DistrictFacts, due: list[DueAction], today: date) -> list[Line]:
    """A plan owner's lines, by division in the district's order, then due date. A "ทุกฝ่าย"
    action is one line under "ทุกฝ่าย" saying how many divisions still owe it, not one line
    for each of the district's divisions."""
    order = {division.pk: index for index, division in enumerate(facts.divisions)}
    owing = Counter(d.action.pk for d in due if d.action.all_divisions)
    ranked = []
    for d in due:
        if not d.action.all_divisions:
            ranked.append((order.get(d.division.pk, -1), _action_line(d, today, d.division.name)))
        elif d.action.pk in owing:
            line = _action_line(d, today, _("ทุกฝ่าย"), owing.pop(d.action.pk))
            ranked.append((len(order), line))
    # sorted() is stable: within a division the lines keep their due-date order.
    return [line for _rank, line in sorted(ranked, key=lambda pair: pair[0])]


def _round_line(gap: RoundGap, grouped: bool) -> Line:
    return Line(
        text=ngettext(
            "%(round)s: ยังไม่รายงานความก้าวหน้า %(count)d รายการ",
            "%(round)s: ยังไม่รายงานความก้าวหน้า %(count)d รายการ",
            gap.missing,
        )
        % {"round": gap.round.name, "count": gap.missing},
        url=reverse("plan_progress", args=[gap.plan.organization.code, gap.plan.fiscal_year]),
        due_on=gap.round.ends_on,
        division=gap.division.name if grouped else "",
        note=_("รอบ %(round)s ปิด %(date)s")
        % {"round": gap.round.name, "date": format_date(gap.round.ends_on)},
    )


def _by_division(facts: DistrictFacts, gaps: list[RoundGap]) -> list[RoundGap]:
    order = {division.pk: index for index, division in enumerate(facts.divisions)}
    return sorted(gaps, key=lambda gap: order.get(gap.division.pk, len(order)))  # stable


def _listing(user, kind, lang, member, facts: DistrictFacts, today: date) -> DigestContent:
    grouped = member.role == Role.PLAN_OWNER
    division = None if grouped else member.division_id
    due = facts.due_for(division)
    rounds = facts.rounds_for(division)
    if grouped:
        rounds = _by_division(facts, rounds)
        overdue = _district_lines(facts, [d for d in due if d.overdue], today)
        soon = _district_lines(facts, [d for d in due if not d.overdue], today)
    else:
        overdue = [_action_line(d, today) for d in due if d.overdue]
        soon = [_action_line(d, today) for d in due if not d.overdue]
    sections = [
        Section("overdue", _("งานเกินกำหนด"), tuple(overdue), grouped),
        Section(
            "due_soon",
            _("ใกล้ครบกำหนดภายใน %(days)d วัน") % {"days": DUE_SOON_DAYS},
            tuple(soon),
            grouped,
        ),
        Section(
            "rounds",
            _("รอบรายงานที่ใกล้ปิดและยังไม่ได้รายงาน"),
            tuple(_round_line(gap, grouped) for gap in rounds),
            grouped,
        ),
    ]
    if grouped:
        drafts = tuple(
            Line(
                text=plan.title or str(plan),
                url=plan.get_absolute_url(),
                note=_("แผนปีงบประมาณ %(year)s ยังเป็นร่าง รออนุมัติ") % {"year": plan.fiscal_year},
            )
            for plan in facts.drafts
        )
        sections.append(Section("drafts", _("แผนที่ยังเป็นร่าง"), drafts))
    sections = tuple(section for section in sections if section.lines)
    parts = []
    if overdue:
        parts.append(_("งานเกินกำหนด %(count)d รายการ") % {"count": len(overdue)})
    if soon:
        parts.append(_("ใกล้ครบกำหนด %(count)d รายการ") % {"count": len(soon)})
    if rounds:
        parts.append(_("รอบรายงานใกล้ปิด %(count)d รายการ") % {"count": len(rounds)})
    if grouped and facts.drafts:
        parts.append(_("แผนร่าง %(count)d แผน") % {"count": len(facts.drafts)})
    # Thai runs the parts on with spaces; English wants commas.
    separator = pgettext("digest subject", " ")
    return DigestContent(user.pk, kind, lang, _subject(separator.join(parts), today), sections)


def _subject(what: str, today: date) -> str:
    return _("ITA Tracker: %(what)s — %(date)s") % {"what": what, "date": format_date(today)}


# --- Summaries ------------------------------------------------------------------------------


def _change(now, before, places: int = 0) -> str:
    """ " (+5.00 จากสัปดาห์ก่อน)" when last week's figure is known, else ""."""
    if now is None or before is None:
        return ""
    try:
        difference = Decimal(str(now)) - Decimal(str(before))
    except ArithmeticError:
        return ""
    shown = f"{difference:+.{places}f}"
    return " " + _("(%(change)s จากสัปดาห์ก่อน)") % {"change": shown}


def _district_summary(user, lang, facts: DistrictFacts, today: date, before: dict):
    actions = sum(facts.totals.values())
    if not actions:
        return DigestContent(user.pk, Kind.WEEKLY, lang, subject="")
    done = percent_done(facts.totals)
    figures = {
        "actions": actions,
        "percent_done": None if done is None else str(done),
        "overdue": facts.overdue,
        "overdue_by_division": {d.name: n for d, n in facts.overdue_by_division()},
    }
    plan = facts.plans[0]
    progress = reverse("plan_progress", args=[plan.organization.code, plan.fiscal_year])
    summary = [
        Line(
            _("การปรับปรุงทั้งหมด %(count)d รายการ") % {"count": actions}
            + _change(actions, before.get("actions")),
            progress,
        ),
        Line(
            _("%% เสร็จ %(percent)s") % {"percent": figures["percent_done"] or "—"}
            + _change(figures["percent_done"], before.get("percent_done"), 2),
            progress,
        ),
        Line(
            _("เกินกำหนด %(count)d รายการ") % {"count": facts.overdue}
            + _change(facts.overdue, before.get("overdue")),
            reverse("my_actions"),
        ),
    ]
    earlier = before.get("overdue_by_division") or {}
    divisions = tuple(
        Line(
            _("%(division)s: เกินกำหนด %(count)d รายการ") % {"division": d.name, "count": n}
            + _change(n, earlier.get(d.name, 0) if earlier else None),
            progress,
            division=d.name,
        )
        for d, n in facts.overdue_by_division()
    )
    sections = (
        Section(
            "summary",
            _("สรุปความก้าวหน้าของ%(district)s") % {"district": facts.organization.name_th},
            tuple(summary),
        ),
        Section("divisions", _("งานเกินกำหนดรายฝ่าย"), divisions),
    )
    return DigestContent(
        user.pk,
        Kind.WEEKLY,
        lang,
        _subject(_("สรุปประจำสัปดาห์"), today),
        tuple(section for section in sections if section.lines),
        figures,
    )


def _bma_summary(user, lang, bma: BmaFacts, today: date, before: dict):
    if not bma.districts:
        return DigestContent(user.pk, Kind.WEEKLY, lang, subject="")
    figures = {
        "overdue": bma.overdue,
        "districts_overdue": {d.organization.code: d.overdue for d in bma.districts if d.overdue},
        "rounds_unreported": {
            d.organization.code: d.rounds_unreported for d in bma.districts if d.rounds_unreported
        },
    }
    overview = reverse("overview_latest")
    summary = (
        Line(
            _("งานเกินกำหนดทั้ง กทม. %(count)d รายการ") % {"count": bma.overdue}
            + _change(bma.overdue, before.get("overdue")),
            overview,
        ),
    )
    earlier = before.get("districts_overdue")

    def progress(tally) -> str:
        return reverse("plan_progress", args=[tally.organization.code, tally.plan.fiscal_year])

    most = tuple(
        Line(
            _("%(district)s: เกินกำหนด %(count)d รายการ")
            % {"district": d.organization.name_th, "count": d.overdue}
            + _change(d.overdue, earlier.get(d.organization.code, 0) if earlier else None),
            progress(d),
        )
        for d in bma.most_overdue
    )
    unreported = tuple(
        Line(
            ngettext(
                "%(district)s: %(rounds)d รอบที่ปิดแล้วยังไม่รายงาน (%(count)d รายการ)",
                "%(district)s: %(rounds)d รอบที่ปิดแล้วยังไม่รายงาน (%(count)d รายการ)",
                d.rounds_unreported,
            )
            % {
                "district": d.organization.name_th,
                "rounds": d.rounds_unreported,
                "count": d.actions_unreported,
            },
            progress(d),
        )
        for d in bma.unreported
    )
    sections = (
        Section("summary", _("สรุปภาพรวมกรุงเทพมหานคร"), summary),
        Section("districts", _("หน่วยงานที่มีงานเกินกำหนดมากที่สุด"), most),
        Section("rounds", _("รอบรายงานที่ปิดแล้วแต่ยังไม่ได้รายงาน"), unreported),
    )
    return DigestContent(
        user.pk,
        Kind.WEEKLY,
        lang,
        _subject(_("สรุปภาพรวม กทม. ประจำสัปดาห์"), today),
        tuple(section for section in sections if section.lines),
        figures,
    )
