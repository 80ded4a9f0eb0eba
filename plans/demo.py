"""Demo data for a quick start: reference data anyone may load, users only on request."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Organization

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DISTRICTS_CSV = FIXTURES / "bma_districts.csv"

# Local-only accounts, listed in README.md. Never created unless asked for.
DEMO_ADMIN = {"username": "admin", "password": "ita-demo"}


@dataclass
class DemoCounts:
    organizations: int = 0
    users: int = 0


def load_districts(path: Path = DISTRICTS_CSV) -> int:
    """Create or update the Bangkok district offices listed in the CSV; return how many."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        Organization.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "name_th": row["name_th"].strip(),
                "name_en": row["name_en"].strip(),
                "kind": Organization.Kind.DISTRICT,
            },
        )
    return len(rows)


def ensure_demo_admin() -> None:
    """Create the local demo administrator, or reset its password if it exists."""
    user, _ = get_user_model().objects.get_or_create(username=DEMO_ADMIN["username"])
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(DEMO_ADMIN["password"])
    user.save()


@transaction.atomic
def load_demo(*, with_users: bool) -> DemoCounts:
    """Load every piece of demo data; running it again changes nothing."""
    load_districts()
    if with_users:
        ensure_demo_admin()
    return DemoCounts(
        organizations=Organization.objects.count(),
        users=get_user_model().objects.count(),
    )
