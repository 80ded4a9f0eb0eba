"""Suggest the links between the items of two editions (``assessments.links``)."""

from django.core.management.base import BaseCommand, CommandError

from assessments.editions import EditionError, find_framework
from assessments.links import THRESHOLD, suggest_links
from assessments.models import ItemLink


class Command(BaseCommand):
    help = (
        "Suggest which item of the earlier edition (--from-year) is the counterpart of which "
        "item of the later one (--to-year), from their texts; confirm them in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to-year", required=True, type=int, help="the later edition's year")
        parser.add_argument("--to-edition", default=None, help="its name, if the year has several")
        parser.add_argument(
            "--from-year", required=True, type=int, help="the earlier edition's year"
        )
        parser.add_argument(
            "--from-edition", default=None, help="its name, if the year has several"
        )

    def handle(self, *args, to_year, to_edition, from_year, from_edition, **options):
        try:
            to_framework = find_framework(to_year, to_edition)
            from_framework = find_framework(from_year, from_edition)
        except EditionError as error:
            raise CommandError(str(error)) from error
        if to_framework.pk == from_framework.pk:
            raise CommandError("ชุดการประเมินต้นทางและปลายทางต้องเป็นคนละชุด")
        links = suggest_links(to_framework, from_framework)
        same_code = sum(link.from_item.code == link.to_item.code for link in links)
        existing = ItemLink.objects.between(from_framework, to_framework)
        confirmed = existing.confirmed().count()
        without = to_framework.items.exclude(links_back__from_framework=from_framework).count()
        self.stdout.write(f"{from_framework} → {to_framework}")
        self.stdout.write(
            f"เสนอการเชื่อมโยงใหม่ (suggested): {len(links)} "
            f"(รหัสเดิม {same_code}, รหัสใหม่ {len(links) - same_code})"
        )
        self.stdout.write(f"ยืนยันแล้ว (confirmed): {confirmed}")
        self.stdout.write(f"รอยืนยันทั้งหมด (awaiting): {existing.count() - confirmed}")
        self.stdout.write(
            f"ข้อในชุดใหม่ที่ยังไม่มีคู่ (no counterpart, similarity < {THRESHOLD}%): {without}"
        )
