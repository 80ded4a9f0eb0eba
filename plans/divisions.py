"""The standard divisions of a Bangkok district office, and the one way a division name is
spelled: the plan import, the demo and ``setup_divisions`` all read names through
``normalise_division_name``, whose aliases come from ``fixtures/bma_divisions.toml``."""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.models import Organization
from plans.models import Division

STANDARD_FILE = Path(settings.BASE_DIR) / "fixtures" / "bma_divisions.toml"

ALL_DIVISIONS = "ทุกฝ่าย"
DIVISION_PREFIX = "ฝ่าย"

# A list mark before a name or an action ("- ", "• ").
BULLET = re.compile(r"^\s*[-–•▪●๏*]\s*")


class DivisionListError(ValueError):
    """The standard division file cannot be used (the message names the entry at fault)."""


@dataclass(frozen=True)
class StandardDivisions:
    names: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)


def _spelled(text: str) -> str:
    """The name without bullets or spaces, with "ฝ่าย" in front: the form aliases are keyed by."""
    name = re.sub(r"\s+", "", BULLET.sub("", text or ""))
    if name and name != ALL_DIVISIONS and not name.startswith(DIVISION_PREFIX):
        name = DIVISION_PREFIX + name
    return name


def read_standard_divisions(path: Path = STANDARD_FILE) -> StandardDivisions:
    """Read the standard list; refuse a file whose names or aliases would be ambiguous."""
    try:
        with path.open("rb") as handle:
            entries = tomllib.load(handle).get("divisions", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DivisionListError(
            _("อ่านรายชื่อฝ่ายมาตรฐาน %(file)s ไม่ได้: %(error)s")
            % {
                "file": path.name,
                "error": error,
            }
        ) from error
    names: list[str] = []
    aliases: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        name = _spelled(str(entry.get("name", "")))
        if not name:
            raise DivisionListError(
                _("รายชื่อฝ่ายมาตรฐาน รายการที่ %(number)s: ไม่มีชื่อฝ่าย") % {"number": number}
            )
        if name in names or name in aliases:
            raise DivisionListError(
                _("รายชื่อฝ่ายมาตรฐาน รายการที่ %(number)s: ชื่อ “%(name)s” ซ้ำ")
                % {"number": number, "name": name}
            )
        names.append(name)
        for alias in entry.get("aliases", []):
            spelled = _spelled(str(alias))
            if spelled in names or aliases.get(spelled, name) != name:
                raise DivisionListError(
                    _("รายชื่อฝ่ายมาตรฐาน รายการที่ %(number)s: ชื่อเรียกอื่น “%(alias)s” ซ้ำ")
                    % {"number": number, "alias": spelled}
                )
            aliases[spelled] = name
    if not names:
        raise DivisionListError(_("รายชื่อฝ่ายมาตรฐาน %(file)s ว่าง") % {"file": path.name})
    return StandardDivisions(tuple(names), aliases)


@cache
def standard_divisions() -> StandardDivisions:
    """The shipped list, read once per process."""
    return read_standard_divisions()


def normalise_division_name(text: str) -> str:
    """Return the standard spelling of a division name: "- ฝ่าย คลัง" → "ฝ่ายการคลัง"."""
    name = _spelled(text)
    return standard_divisions().aliases.get(name, name)


@dataclass
class Setup:
    """What setting up one organization's divisions did (or, in a dry run, would do)."""

    organization: Organization
    created: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was considered; "" when the list was applied


def missing_divisions(organization: Organization, standard: StandardDivisions) -> list[str]:
    """The standard names the organization lacks; an existing "ฝ่ายคลัง" counts as ฝ่ายการคลัง."""
    have = {
        normalise_division_name(name)
        for name in organization.divisions.values_list("name", flat=True)
    }
    return [name for name in standard.names if name not in have]


def plan_setup(organization: Organization, *, fill_missing: bool, standard=None) -> Setup:
    """Decide what to add to one organization.

    Only a district office gets the list. A district that already has divisions has chosen
    its own structure, so by default it is left alone; asked for by name (``fill_missing``),
    it gains the standard divisions it lacks, and nothing it has is renamed or removed.
    """
    standard = standard or standard_divisions()
    if organization.kind != Organization.Kind.DISTRICT:
        return Setup(organization, skipped=_("ไม่ใช่สำนักงานเขต"))
    if not fill_missing and organization.divisions.exists():
        return Setup(organization, skipped=_("มีฝ่ายอยู่แล้ว"))
    return Setup(organization, created=missing_divisions(organization, standard))


@transaction.atomic
def setup_divisions(organizations, *, fill_missing: bool, dry_run: bool = False) -> list[Setup]:
    """Apply the standard list to each organization; with ``dry_run``, only say what would be
    added. Running it again adds nothing."""
    standard = standard_divisions()
    results = []
    for organization in organizations:
        setup = plan_setup(organization, fill_missing=fill_missing, standard=standard)
        results.append(setup)
        if dry_run or not setup.created:
            continue
        last = organization.divisions.aggregate(last=Max("order"))["last"] or 0
        for offset, name in enumerate(setup.created, start=1):
            # One save each (not bulk_create): every division gets its history record.
            Division.objects.create(organization=organization, name=name, order=last + offset)
    return results
