"""Benchmark: the reminder digests of every user of 50 districts, and of 5, on the synthetic data.

    make bench-reminders      (on a throw-away PostgreSQL cluster)

Migrates the database, loads the demo and the BMA-wide synthetic data set (plans.synthetic),
gives each of the first 50 districts 20 users (a plan owner, a district manager and 18 staff
spread over the divisions, a quarter of them reading English), then builds the digests of the
first 5 districts' users and of all 50 districts' users, as ``send_reminders`` would on a
Monday (staff and plan owners their list, managers their weekly summary). Prints seconds and
queries of each, and PASS/FAIL against the goals: the queries do not grow with the users, and
the seconds grow at most linearly (10× the users in at most 10× the time, with some slack for
the noise of a shared machine). A report, not a test: it exits 0 whatever the verdicts.

Environment: BENCH_REPEAT (3), how many times each run is measured (the fastest is kept).
"""

import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent

SMALL, LARGE = 5, 50
USERS_PER_DISTRICT = 20
YEARS = (2564, 2565, 2566)
# In the newest synthetic plan year (2567), five days before its third round closes.
TODAY = date(2024, 6, 25)
# n× the users may take n× the time, times this slack for a busy machine.
SECONDS_SLACK = 1.2
PREFIX = "bench-reminders"


@dataclass(frozen=True)
class Run:
    districts: int
    users: int
    seconds: float
    queries: int
    digests: int  # not empty
    lines: int


def make_users(districts: int, per_district: int = USERS_PER_DISTRICT) -> int:
    """Give the first ``districts`` districts ``per_district`` users each, in bulk; return how
    many were created (none for a district that has them already)."""
    from django.contrib.auth import get_user_model

    from assessments.models import Organization
    from plans.models import Division, Membership
    from reminders.models import ReminderPreference

    User = get_user_model()
    Role = Membership.Role
    organizations = list(
        Organization.objects.filter(kind=Organization.Kind.DISTRICT).order_by("code")[:districts]
    )
    divisions: dict[int, list] = {}
    for division in Division.objects.filter(organization__in=organizations).order_by(
        "order", "name"
    ):
        divisions.setdefault(division.organization_id, []).append(division)
    existing = set(
        User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True)
    )
    users, members = [], []
    for organization in organizations:
        for n in range(per_district):
            username = f"{PREFIX}-{organization.code}-{n:02d}"
            if username in existing:
                continue
            role = Role.PLAN_OWNER if n == 0 else Role.DISTRICT_MANAGER if n == 1 else Role.STAFF
            own = divisions[organization.pk]
            user = User(username=username, email=f"{username}@example.org", password="!")
            users.append(user)
            members.append(
                Membership(
                    user=user,
                    organization=organization,
                    role=role,
                    division=own[n % len(own)] if role == Role.STAFF else None,
                )
            )
    User.objects.bulk_create(users, batch_size=500)
    for member in members:
        member.user_id = member.user.pk
    Membership.objects.bulk_create(members, batch_size=500)
    ReminderPreference.objects.bulk_create(
        [
            ReminderPreference(user=user, language="en")
            for index, user in enumerate(users)
            if index % 4 == 3
        ],
        batch_size=500,
    )
    return len(users)


def requests_for(districts: int) -> list[tuple]:
    """The bench users of the first ``districts`` districts, each with the digest they get."""
    from django.contrib.auth import get_user_model

    from assessments.models import Organization
    from plans.models import Membership
    from reminders.models import Digest

    codes = list(
        Organization.objects.filter(kind=Organization.Kind.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)[:districts]
    )
    users = (
        get_user_model()
        .objects.filter(membership__organization__code__in=codes, username__startswith=PREFIX)
        .select_related("membership")
    )
    weekly = Membership.Role.DISTRICT_MANAGER
    return [
        (user, Digest.Kind.WEEKLY if user.membership.role == weekly else Digest.Kind.DAILY)
        for user in users.order_by("username")
    ]


def measure(districts: int, today: date = TODAY, repeat: int = 1) -> Run:
    """Build the digests of the bench users of the first ``districts`` districts ``repeat``
    times; keep the fastest time (the queries are the same every time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.digests import build_digests

    requests = requests_for(districts)
    best, queries, contents = float("inf"), 0, []
    for _ in range(max(1, repeat)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            contents = build_digests(requests, today, {})
            best = min(best, time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return Run(
        districts=districts,
        users=len(requests),
        seconds=best,
        queries=queries,
        digests=sum(not content.is_empty for content in contents),
        lines=sum(content.line_count for content in contents),
    )


def verdicts(small: Run, large: Run) -> list[tuple[str, bool, str]]:
    """(goal, passed, figures) for each goal."""
    ratio = large.seconds / small.seconds if small.seconds else float("inf")
    users = large.users / small.users if small.users else float("inf")
    allowed = SECONDS_SLACK * users
    return [
        (
            "queries do not grow with users",
            large.queries <= small.queries,
            f"{small.queries} → {large.queries} queries",
        ),
        (
            "seconds grow at most linearly",
            ratio <= allowed,
            f"{ratio:.1f}× the time for {users:.0f}× the users (at most {allowed:.0f}×)",
        ),
    ]


def report(small: Run, large: Run) -> str:
    lines = [
        f"{'districts':>9} {'users':>6} {'digests':>8} {'lines':>8} {'seconds':>9} {'queries':>8}"
    ]
    for run in (small, large):
        lines.append(
            f"{run.districts:>9} {run.users:>6} {run.digests:>8} {run.lines:>8}"
            f" {run.seconds:>9.3f} {run.queries:>8}"
        )
    for goal, passed, figures in verdicts(small, large):
        lines.append(f"{'PASS' if passed else 'FAIL'}  {goal}: {figures}")
    return "\n".join(lines)


def main() -> None:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from plans.demo import load_demo
    from plans.synthetic import generate

    repeat = max(1, int(os.environ.get("BENCH_REPEAT", 3)))
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(with_users=False)
    counts = generate(districts=LARGE, years=YEARS)
    created = make_users(LARGE)
    print(
        f"data on {connection.vendor}: {time.perf_counter() - started:.1f} s "
        f"({counts['actions']:,} actions, {counts['progress_updates']:,} reports, "
        f"{created:,} users)"
    )
    print(f"digests of {TODAY.isoformat()}, fastest of {repeat}:")
    print(report(measure(SMALL, repeat=repeat), measure(LARGE, repeat=repeat)))


if __name__ == "__main__":
    main()
