"""The next year's edition of a framework, each item linked to its source: a stand-in for
``copy_framework`` in tests that need two editions (replace it once the command lands)."""

from assessments.models import Framework, Indicator, Item, ItemLink, LevelBand, Tool


def copy_edition(source: Framework, fiscal_year: int, *, drop=(), link=True) -> Framework:
    """Copy ``source`` to ``fiscal_year`` with confirmed links, leaving out the item codes in
    ``drop`` (and linking none of them: a renumbered or removed item)."""
    copy = Framework.objects.create(
        fiscal_year=fiscal_year,
        name=source.name,
        pass_mark=source.pass_mark,
        issuer=source.issuer,
    )
    for band in source.bands.all():
        LevelBand.objects.create(
            framework=copy,
            label=band.label,
            min_score=band.min_score,
            min_each_tool=band.min_each_tool,
        )
    for tool in source.tools.all():
        new_tool = Tool.objects.create(
            framework=copy, code=tool.code, name=tool.name, weight=tool.weight, order=tool.order
        )
        for indicator in tool.indicators.all():
            new_indicator = Indicator.objects.create(
                tool=new_tool, number=indicator.number, name=indicator.name, weight=indicator.weight
            )
            for item in indicator.items.all():
                if item.code in drop:
                    continue
                new_item = Item.objects.create(
                    indicator=new_indicator,
                    code=item.code,
                    name=item.name,
                    text=item.text,
                    order=item.order,
                    kind=item.kind,
                )
                if link:
                    ItemLink.objects.create(
                        from_item=item,
                        to_item=new_item,
                        similarity=100,
                        status=ItemLink.Status.CONFIRMED,
                    )
    return copy
