"""No lost updates: a change based on an older version of a row is refused, never applied.

Each Finding and Action counts its saves (``version``). A form carries the version it was
shown with; ``save_if_current`` locks the row, compares, and only then writes (through the
model's save, so its history is written too). A refusal tells the user what changed since,
from the row's history: which field, by whom, when.
"""

from collections.abc import Callable

from django.db import transaction

from plans.history import field_changes


class StaleVersion(Exception):
    """The row was saved by someone else after the form was shown."""

    def __init__(self, current, version: int):
        self.current = current
        # The latest value of each field changed since the form's version.
        latest = {change.field: change for change in field_changes(current, version)}
        self.changes = list(latest.values())
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return (
            "มีผู้แก้ไขรายการนี้หลังจากที่ท่านเปิดแบบฟอร์ม จึงยังไม่ได้บันทึกสิ่งที่ท่านแก้ "
            "— ตรวจค่าล่าสุดด้านล่าง แล้วบันทึกอีกครั้ง (ข้อความที่ท่านพิมพ์ยังอยู่ในแบบฟอร์ม)"
        )


def save_if_current(model, pk: int, version: int, apply: Callable[[object], None]):
    """Lock the row, refuse if it is no longer at ``version``, else apply and save it."""
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=pk)
        if current.version != version:
            raise StaleVersion(current, version)
        apply(current)
        current.save()
        return current
