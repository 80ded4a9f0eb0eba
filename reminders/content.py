"""What a digest says, as plain data: ``reminders.digests`` decides it (who sees which lines),
``reminders.mail`` renders it (HTML and plain text) and ``reminders.sending`` sends it."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Line:
    """One line of a digest, linking to its page (a path such as ``/actions/12/``)."""

    text: str
    url: str
    due_on: date | None = None
    # The division it concerns, for a plan owner's lines grouped by division.
    division: str = ""
    # A short remark in the reader's language, e.g. "เกินกำหนด 12 วัน" or "ปิดรอบ 30 มิ.ย. 2565".
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A titled list of lines: ``key`` is one of overdue, due_soon, rounds, drafts, summary,
    divisions, districts (the mail templates may style them)."""

    key: str
    title: str
    lines: tuple[Line, ...] = ()
    group_by_division: bool = False


@dataclass(frozen=True)
class DigestContent:
    """One user's digest of one kind (``reminders.models.Digest.Kind``) for one day."""

    user_id: int
    kind: str
    language: str
    subject: str
    sections: tuple[Section, ...] = ()
    # A weekly summary's figures, kept with the sent digest so next week's can compare.
    figures: dict = field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return sum(len(section.lines) for section in self.sections)

    @property
    def is_empty(self) -> bool:
        """Nothing due: the user gets no e-mail."""
        return self.line_count == 0
