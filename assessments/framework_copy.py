"""Copy an edition of the framework into another year: the start of next year's edition.

Tools, indicators, items and level bands are copied in one transaction, and every new item
is linked to the item it was copied from (a confirmed link, similarity 100), so the change on
the year before and the carrying over of actions work at once. The copy is then edited in
the admin or overwritten by a workbook (``import_framework``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.editions import EditionError
from assessments.models import Framework, Indicator, Item, ItemLink, LevelBand, Tool
from plans import dataversions


@dataclass
class CopyResult:
    framework: Framework
    tools: int
    indicators: int
    items: int
    bands: int
    links: int


def copy_problem(source: Framework, to_year: int, to_edition: str) -> str | None:
    """Why ``source`` cannot be copied to that year and name (in Thai), or None if it can."""
    if not 2500 <= to_year <= 2700:
        return _("ปีงบประมาณ %(year)s ต้องเป็นพุทธศักราช เช่น 2566") % {"year": to_year}
    if to_year < source.fiscal_year:
        # Links run from the earlier edition to the later one.
        return _("คัดลอกได้ไปยังปีเดียวกันหรือปีถัดไปเท่านั้น (ชุดต้นทางเป็นปี %(year)s)") % {
            "year": source.fiscal_year
        }
    if Framework.objects.filter(fiscal_year=to_year, name=to_edition).exists():
        return _(
            "มีชุดการประเมิน “%(name)s” ปีงบประมาณ %(year)s อยู่แล้ว จึงไม่คัดลอกทับ "
            "— แก้ไขชุดนั้นในหน้าจัดการระบบ หรือนำเข้าไฟล์ด้วย import_framework"
        ) % {"name": to_edition, "year": to_year}
    return None


@transaction.atomic
def copy_framework(source: Framework, to_year: int, to_edition: str | None = None) -> CopyResult:
    """Copy ``source`` to ``to_year`` (named ``to_edition``, by default the source's name).

    Raises EditionError with a Thai message if the target exists or the year is wrong.
    """
    name = to_edition or source.name
    if problem := copy_problem(source, to_year, name):
        raise EditionError(problem)
    target = Framework.objects.create(
        fiscal_year=to_year,
        name=name,
        issuer=source.issuer,
        pass_mark=source.pass_mark,
        description=source.description,
    )
    bands = LevelBand.objects.bulk_create(
        LevelBand(
            framework=target,
            label=band.label,
            min_score=band.min_score,
            min_each_tool=band.min_each_tool,
        )
        for band in source.bands.all()
    )
    tools = {
        tool.pk: Tool.objects.create(
            framework=target, code=tool.code, name=tool.name, weight=tool.weight, order=tool.order
        )
        for tool in source.tools.all()
    }
    indicators = {
        indicator.pk: Indicator.objects.create(
            tool=tools[indicator.tool_id],
            number=indicator.number,
            name=indicator.name,
            weight=indicator.weight,
        )
        for indicator in source.indicators.all()
    }
    old_items = list(source.items.all())
    new_items = Item.objects.bulk_create(
        Item(
            framework=target,
            indicator=indicators[item.indicator_id],
            code=item.code,
            name=item.name,
            text=item.text,
            order=item.order,
            kind=item.kind,
        )
        for item in old_items
    )
    links = ItemLink.objects.bulk_create(
        ItemLink(
            from_item=old,
            to_item=new,
            from_framework=source,
            to_framework=target,
            similarity=100,
            status=ItemLink.Status.CONFIRMED,
        )
        for old, new in zip(old_items, new_items, strict=True)
    )
    dataversions.touch_years([to_year])  # bulk_create sends no signals
    return CopyResult(target, len(tools), len(indicators), len(new_items), len(bands), len(links))
