"""The one way a division name is spelled: the plan import, the demo and ``setup_divisions``
all read names through ``normalise_division_name``, whose aliases come, with the standard
divisions of a Bangkok district office, from ``fixtures/bma_divisions.toml``.

Plain Python (no model, no setting): the seed extraction script reads plan rows with it."""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

STANDARD_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "bma_divisions.toml"

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
