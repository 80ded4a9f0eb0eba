"""The demo data set described by ``fixtures/demo.toml``: reference data anyone may load,
the Phra Khanong seed (framework, scores, plan), and local demo users only on request.

On request too, simulated data for every other district (``plans.synthetic``): the recent
editions' scores and plans up to the current fiscal year, reported up to today, each of
those districts flagged ``Organization.is_simulated``. The seed's districts stay as the seed
has them."""

import csv
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from assessments import headlines
from assessments.loaders import load_framework, load_item_scores, load_reported_scores, upsert
from assessments.models import (
    Assessment,
    Item,
    ItemScore,
    Organization,
    ReportedScore,
    organization_code_problem,
)
from assessments.tables import CellError, TableError
from assessments.thaidates import fiscal_year_of
from plans import dataversions
from plans.loaders import ensure_plan, load_divisions, load_plan, read_plan_table
from plans.models import (
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    ProgressUpdate,
    ReportingRound,
)
from plans.synthetic import generate, published_on

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MANIFEST = FIXTURES / "demo.toml"
# How many editions of scores the simulated districts get, up to the latest published one:
# enough for the trends and the comparison of two editions to have something to show.
SIMULATED_EDITIONS = 4


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organization: str
    division: str = ""
    superuser: bool = False
    email: str = ""
    # Shown in the menu with the role: a newcomer reads who they are signed in as.
    first_name: str = ""
    last_name: str = ""


@dataclass
class DemoCounts:
    organizations: int = 0
    divisions: int = 0
    items: int = 0
    scores: int = 0
    reported: int = 0
    findings: int = 0
    actions: int = 0
    users: int = 0
    simulated: int = 0
    plans: int = 0
    updates: int = 0

    @classmethod
    def now(cls) -> "DemoCounts":
        return cls(
            organizations=Organization.objects.count(),
            divisions=Division.objects.count(),
            items=Item.objects.count(),
            scores=ItemScore.objects.count(),
            reported=ReportedScore.objects.count(),
            findings=Finding.objects.count(),
            actions=Action.objects.count(),
            users=get_user_model().objects.count(),
            simulated=Organization.objects.filter(is_simulated=True).count(),
            plans=Plan.objects.count(),
            updates=ProgressUpdate.objects.count(),
        )


def read_manifest(path: Path = MANIFEST) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def demo_accounts(manifest: dict | None = None) -> tuple[str, list[DemoAccount]]:
    """Return the demo password and accounts listed in the manifest."""
    users = (manifest or read_manifest())["users"]
    return users["password"], [DemoAccount(**account) for account in users["accounts"]]


def load_districts(path: Path) -> int:
    """Create or update the Bangkok district offices listed in the CSV; return how many."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    errors = [
        CellError(problem, line, "code")
        for line, row in enumerate(rows, start=2)
        if (problem := organization_code_problem(row["code"].strip()))
    ]
    if errors:
        raise TableError(errors, path.name)
    for row in rows:
        upsert(
            Organization,
            {"code": row["code"].strip()},
            {
                "name_th": row["name_th"].strip(),
                "name_en": row["name_en"].strip(),
                "kind": Organization.Kind.DISTRICT,
            },
        )
    return len(rows)


def ensure_demo_users(password: str, accounts: list[DemoAccount]) -> None:
    """Create the local demo accounts, or reset them to the manifest if they exist."""
    see_all = Permission.objects.get(
        content_type__app_label="assessments", codename="view_all_organizations"
    )
    for account in accounts:
        user, _ = get_user_model().objects.get_or_create(username=account.username)
        user.is_active = True
        user.is_staff = account.superuser
        user.is_superuser = account.superuser
        user.email = account.email
        user.first_name, user.last_name = account.first_name, account.last_name
        user.set_password(password)
        user.save()
        organization = Organization.objects.get(code=account.organization)
        division = organization.divisions.get(name=account.division) if account.division else None
        upsert(
            Membership,
            {"user": user},
            {"organization": organization, "division": division, "role": account.role},
        )
        if account.role == Membership.Role.CENTRAL_MANAGER:
            user.user_permissions.add(see_all)


def _load_seed_scores(path: Path) -> None:
    """Load a seed score file. The import log is kept for files that change something: a
    reload that changes no score is undone whole, its log entry with it, so that loading the
    demo twice changes nothing."""
    savepoint = transaction.savepoint()
    counts = load_item_scores(path)
    if counts.created or counts.updated:
        transaction.savepoint_commit(savepoint)
    else:
        transaction.savepoint_rollback(savepoint)


def real_codes(manifest: dict) -> set[str]:
    """The districts whose scores or plan the seed has: their data is real, never simulated."""
    return {
        entry["organization"] for key in ("assessments", "plans") for entry in manifest.get(key, [])
    }


def simulated_years(today: date) -> tuple[int, ...]:
    """The assessment years of the simulated scores: the last SIMULATED_EDITIONS editions
    published by ``today``. Each gets the plan of the following fiscal year, so the last
    plan is the one under way (FY 2570 on 26 Nov 2026, answering the 2569 edition)."""
    latest = fiscal_year_of(today)
    while published_on(latest) > today:
        latest -= 1
    return tuple(range(latest - SIMULATED_EDITIONS + 1, latest + 1))


def load_simulated(manifest: dict, today: date) -> dict[str, int]:
    """Flag every district the seed does not cover as simulated and generate its data as it
    stands on ``today``; return the rows created per kind (none on a second run)."""
    real = real_codes(manifest)
    others = Organization.objects.filter(kind=Organization.Kind.DISTRICT).exclude(code__in=real)
    others.filter(is_simulated=False).update(is_simulated=True)
    return generate(
        districts=others.count(), exclude=real, years=simulated_years(today), today=today
    )


@transaction.atomic
def load_demo(
    *,
    with_users: bool,
    manifest_path: Path = MANIFEST,
    simulated: bool = False,
    today: date | None = None,
) -> DemoCounts:
    """Load every piece of demo data, with the other districts' simulated data if asked
    (as of ``today``, by default the local date); running it again changes nothing."""
    manifest = read_manifest(manifest_path)
    base = manifest_path.parent
    load_districts(base / manifest["districts"])
    for organization in manifest.get("organizations", []):
        upsert(
            Organization,
            {"code": organization["code"]},
            {key: value for key, value in organization.items() if key != "code"},
        )
    # The districts belong to the BMA: the central managers' overview lists them by default.
    Organization.objects.filter(kind=Organization.Kind.DISTRICT, parent=None).update(
        parent=Organization.objects.filter(code="10").first()
    )
    headlines.forget()  # an update sends no signal
    for entry in manifest.get("divisions", []):
        load_divisions(Organization.objects.get(code=entry["organization"]), entry["names"])
    for folder in manifest.get("frameworks", []):
        load_framework(base / folder)
    for entry in manifest.get("assessments", []):
        _load_seed_scores(base / entry["scores"])
        if entry.get("reported"):
            load_reported_scores(base / entry["reported"])
        Assessment.objects.filter(
            organization__code=entry["organization"],
            framework__fiscal_year=entry["fiscal_year"],
        ).update(note=entry.get("note", ""))
    for entry in manifest.get("plans", []):
        organization = Organization.objects.get(code=entry["organization"])
        assessment = Assessment.objects.get(
            organization=organization, framework__fiscal_year=entry["assessment_year"]
        )
        plan = ensure_plan(
            organization, entry["fiscal_year"], assessment, entry["title"], entry["status"]
        )
        rows = base / entry["rows"]
        load_plan(plan, read_plan_table(rows.read_bytes(), rows.name))
        for round_ in entry.get("rounds", []):
            upsert(
                ReportingRound,
                {"plan": plan, "name": round_["name"]},
                {
                    "starts_on": date.fromisoformat(round_["starts_on"]),
                    "ends_on": date.fromisoformat(round_["ends_on"]),
                },
            )
    if simulated:
        load_simulated(manifest, today or timezone.localdate())
    if with_users:
        ensure_demo_users(*demo_accounts(manifest))
    dataversions.touch_all()  # the updates above send no signals
    return DemoCounts.now()
