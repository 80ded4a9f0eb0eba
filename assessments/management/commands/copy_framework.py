"""Copy an edition into another fiscal year, each new item linked to the one it copies."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.editions import EditionError, find_framework
from assessments.framework_copy import copy_framework


class Command(BaseCommand):
    help = (
        "Copy the tools, indicators, items and level bands of an edition into another fiscal "
        "year; every new item is linked (confirmed) to the item it was copied from."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-year", required=True, type=int, help="e.g. 2564")
        parser.add_argument(
            "--from-edition", default=None, help="the source's name, when its year has several"
        )
        parser.add_argument("--to-year", required=True, type=int, help="e.g. 2565")
        parser.add_argument(
            "--to-edition", default=None, help="the copy's name (default: the source's name)"
        )

    def handle(self, *args, from_year, from_edition, to_year, to_edition, **options):
        try:
            source = find_framework(from_year, from_edition)
            result = copy_framework(source, to_year, to_edition)
        except EditionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "คัดลอก %(source)s เป็น %(target)s แล้ว: เครื่องมือ %(tools)s ตัวชี้วัด %(indicators)s "
                    "ข้อ %(items)s ระดับ %(bands)s การเชื่อมโยงข้อ %(links)s"
                )
                % {
                    "source": source,
                    "target": result.framework,
                    "tools": result.tools,
                    "indicators": result.indicators,
                    "items": result.items,
                    "bands": result.bands,
                    "links": result.links,
                }
            )
        )
