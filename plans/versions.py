"""No lost updates: a change based on an older version of a row is refused, never applied.

Each Finding and Action counts its saves (``version``). A form carries the version it was
shown with; ``save_if_current`` locks the row, compares, and only then writes (through the
model's save, so its history is written too). A refusal tells the user what changed since,
from the row's history: which field, by whom, when.

A refusal is no dead end: the form comes back carrying the version it now shows, with the
latest values beside the user's own (``Difference``). Saving again puts the user's values
over those they have now seen, and is refused only if yet another change came in meanwhile.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from plans.history import FieldChange, field_changes


@dataclass(frozen=True)
class Difference:
    """One field after a refusal: the value saved since the form was shown, and the user's."""

    field: str
    latest: str
    yours: str
    who: str
    when: datetime | None


class StaleVersion(Exception):
    """The row was saved by someone else after the form was shown."""

    def __init__(self, current, version, *, basis=None, changes: list[FieldChange] | None = None):
        self.current = current
        # What a form must carry now to be saved: the version whose values it will show.
        self.basis = current.version if basis is None else basis
        if changes is None:
            # The latest value of each field changed since the form's version.
            latest = {change.field: change for change in field_changes(current, version)}
            changes = list(latest.values())
        self.changes = changes
        self.differences: list[Difference] = []
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "มีผู้แก้ไขรายการนี้หลังจากที่ท่านเปิดแบบฟอร์ม จึงยังไม่ได้บันทึกสิ่งที่ท่านแก้ "
            "— ตรวจค่าล่าสุดด้านล่าง แล้วบันทึกอีกครั้ง (ข้อความที่ท่านพิมพ์ยังอยู่ในแบบฟอร์ม)"
        )

    def compare(self, yours: Mapping[str, str]) -> list[Difference]:
        """Set each changed field's latest value beside the user's (by field name)."""
        self.differences = [
            Difference(
                change.field, change.new, yours.get(change.name, "—"), change.who, change.when
            )
            for change in self.changes
        ]
        return self.differences


def save_if_current(
    model,
    pk: int,
    version,
    apply: Callable[[object], None],
    *,
    version_of: Callable[[object], object] = lambda row: row.version,
    refuse: Callable[[object, object], StaleVersion] = StaleVersion,
):
    """Lock the row, refuse if it is no longer at ``version``, else apply and save it.

    ``version_of`` reads the locked row's current version (by default its save counter);
    ``refuse`` builds the refusal from the locked row and the form's version.
    """
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=pk)
        if version_of(current) != version:
            raise refuse(current, version)
        apply(current)
        current.save()
        return current
