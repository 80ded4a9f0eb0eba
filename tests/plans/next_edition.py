"""Next year's edition for tests: ``copy_framework``'s copy, optionally with items left out
(a removed or renumbered item has no counterpart) or without its links."""

from assessments.framework_copy import copy_framework
from assessments.models import Framework, ItemLink


def copy_edition(source: Framework, fiscal_year: int, *, drop=(), link=True) -> Framework:
    """Copy ``source`` to ``fiscal_year`` with its confirmed links, then remove the items whose
    codes are in ``drop`` (and their links), and every link if ``link`` is false."""
    copy = copy_framework(source, fiscal_year).framework
    copy.items.filter(code__in=drop).delete()
    if not link:
        ItemLink.objects.filter(to_framework=copy).delete()
    return copy
