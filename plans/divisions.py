"""The standard divisions applied to district offices (``setup_divisions`` and the
organization admin's action)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.models import Organization
from plans.division_names import (
    StandardDivisions,
    normalise_division_name,
    standard_divisions,
)
from plans.models import Division


@dataclass
class Setup:
    """What setting up one organization's divisions did (or, in a dry run, would do)."""

    organization: Organization
    created: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was considered; "" when the list was applied


def missing_divisions(organization: Organization, standard: StandardDivisions) -> list[str]:
    """The standard names the organization lacks; an existing "ฝ่ายคลัง" counts as ฝ่ายการคลัง."""
    have = {
        normalise_division_name(name)
        for name in organization.divisions.values_list("name", flat=True)
    }
    return [name for name in standard.names if name not in have]


def plan_setup(organization: Organization, *, fill_missing: bool, standard=None) -> Setup:
    """Decide what to add to one organization.

    Only a district office gets the list. A district that already has divisions has chosen
    its own structure, so by default it is left alone; asked for by name (``fill_missing``),
    it gains the standard divisions it lacks, and nothing it has is renamed or removed.
    """
    standard = standard or standard_divisions()
    if organization.kind != Organization.Kind.DISTRICT:
        return Setup(organization, skipped=_("ไม่ใช่สำนักงานเขต"))
    if not fill_missing and organization.divisions.exists():
        return Setup(organization, skipped=_("มีฝ่ายอยู่แล้ว"))
    return Setup(organization, created=missing_divisions(organization, standard))


@transaction.atomic
def setup_divisions(organizations, *, fill_missing: bool, dry_run: bool = False) -> list[Setup]:
    """Apply the standard list to each organization; with ``dry_run``, only say what would be
    added. Running it again adds nothing."""
    standard = standard_divisions()
    results = []
    for organization in organizations:
        setup = plan_setup(organization, fill_missing=fill_missing, standard=standard)
        results.append(setup)
        if dry_run or not setup.created:
            continue
        last = organization.divisions.aggregate(last=Max("order"))["last"] or 0
        for offset, name in enumerate(setup.created, start=1):
            # One save each (not bulk_create): every division gets its history record.
            Division.objects.create(organization=organization, name=name, order=last + offset)
    return results
