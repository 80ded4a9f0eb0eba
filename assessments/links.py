"""Suggest which item of a later edition is the counterpart of which item of an earlier one.

NACC renumbers items (the 2566 OIT list) and rewords questions, so neither the code nor the
text alone finds the counterpart. A pair is suggested when the two texts are similar enough
(whitespace collapsed, difflib's ratio as a per cent, at least ``THRESHOLD``), within the same
tool; the same code only breaks ties. Each item gets at most one counterpart: the most similar
pairs are taken first. A person confirms the suggestions in the admin; confirmed links (and
items that already have a link, confirmed or not) are never touched here.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction

from assessments.models import Framework, Item, ItemLink
from plans import dataversions

THRESHOLD = 60


def normalised(text: str) -> str:
    """Return the text with every run of whitespace made one space."""
    return " ".join(text.split())


def similarity(earlier: str, later: str) -> int:
    """Return how similar two texts are, in per cent (100 = the same once normalised)."""
    matcher = SequenceMatcher(None, normalised(earlier), normalised(later), autojunk=False)
    return round(matcher.ratio() * 100)


@dataclass(frozen=True)
class _Candidate:
    similarity: int
    same_code: bool
    from_item: Item
    to_item: Item


def _text(item: Item) -> str:
    return item.text or item.name


def _unlinked(framework: Framework, other: Framework, related: str):
    """The framework's items without a link to or from ``other`` (of any status)."""
    linked = ItemLink.objects.filter(
        **({"to_framework": other} if related == "onward" else {"from_framework": other})
    ).values("from_item" if related == "onward" else "to_item")
    return list(
        framework.items.exclude(pk__in=linked)
        .select_related("indicator__tool")
        .order_by("order", "code")
    )


def _candidates(from_items: list[Item], to_items: list[Item]) -> list[_Candidate]:
    limit = THRESHOLD / 100
    found = []
    for to_item in to_items:
        # difflib caches what it knows of the second sequence: the later item's text.
        matcher = SequenceMatcher(None, b=normalised(_text(to_item)), autojunk=False)
        for from_item in from_items:
            # Counterparts stay within their tool (an IIT question does not become OIT).
            if from_item.indicator.tool.code != to_item.indicator.tool.code:
                continue
            matcher.set_seq1(normalised(_text(from_item)))
            # The cheap upper bounds first: most pairs are far apart.
            if matcher.real_quick_ratio() < limit or matcher.quick_ratio() < limit:
                continue
            percent = round(matcher.ratio() * 100)
            if percent >= THRESHOLD:
                found.append(
                    _Candidate(percent, from_item.code == to_item.code, from_item, to_item)
                )
    return found


def suggest_links(to_framework: Framework, from_framework: Framework) -> list[ItemLink]:
    """Create SUGGESTED links from ``from_framework``'s items (the earlier edition) to their
    counterparts in ``to_framework`` for the items of both that have no link yet, and return
    them. Most similar first, the same code before another on equal similarity, one to one."""
    if to_framework.pk == from_framework.pk:
        raise ValueError("an edition is not linked to itself")
    from_items = _unlinked(from_framework, to_framework, "onward")
    to_items = _unlinked(to_framework, from_framework, "back")
    candidates = sorted(
        _candidates(from_items, to_items),
        key=lambda c: (-c.similarity, not c.same_code, c.to_item.order, c.from_item.order),
    )
    used_from, used_to, links = set(), set(), []
    for candidate in candidates:
        if candidate.from_item.pk in used_from or candidate.to_item.pk in used_to:
            continue
        used_from.add(candidate.from_item.pk)
        used_to.add(candidate.to_item.pk)
        links.append(
            ItemLink(
                from_item=candidate.from_item,
                to_item=candidate.to_item,
                from_framework=from_framework,
                to_framework=to_framework,
                similarity=candidate.similarity,
                status=ItemLink.Status.SUGGESTED,
            )
        )
    links.sort(key=lambda link: link.to_item.order)
    with transaction.atomic():
        # bulk_create skips ItemLink.save(): the frameworks are set above.
        ItemLink.objects.bulk_create(links)
        dataversions.touch_years([from_framework.fiscal_year, to_framework.fiscal_year])
    return links
