"""Load test: district staff reporting progress and managers reading dashboards, all at once,
against gunicorn as in production; then a check that no accepted report was lost or doubled.

    make loadtest      (on a throw-away PostgreSQL cluster)

Migrates the database, loads the demo (Phra Khanong and its plan), creates load-test accounts
with fresh random passwords — staff spread over the district's divisions, district managers,
central managers — and starts gunicorn with DEBUG off on 127.0.0.1. Locust (a subprocess, so
that gevent never patches this process; the users are in scripts/locustfile.py) then runs
headless against it: about 75% staff, who sign in and cycle through their actions, an action,
its report form and a report carrying a unique marker; about 25% managers reading the
district's dashboards, plan and report (central managers also the BMA overview).

Printed afterwards: requests, failures, the app's deliberate refusals by kind (409 for a form
based on an older version of the action, or the form shown again with an error: not server
failures; a 409 is retried once from the page that refused it, as a person would), the 409s
on "ทุกฝ่าย" actions apart from the others', p50/p95 per request and overall, requests/s;
then the database check: every accepted marker stored in exactly one progress report, on its
action and by its author, and no marker stored that the client was not told was accepted.
PASS = no failure, no server error in the log and the database check holds; exit status 1
otherwise.

It writes into the configured database, so it runs only under scripts/with-postgres.sh
(ITA_PG_DATA set) unless LOADTEST_ANY_DATABASE=1.

Environment: LOAD_USERS (50, at most 200), LOAD_SECONDS (60, at most 600), LOAD_SPAWN_RATE
users started per second (10), LOAD_WORKERS (gunicorn, 4). Output in var/loadtest/:
gunicorn.log, locust.log, requests-*.jsonl (every request: the figures printed), outcomes-*.jsonl
(every report sent and its fate) and locust's own CSV files (locust_*.csv, which stop counting
at the time limit, before the users have finished their last task).
"""

import contextlib
import json
import math
import os
import re
import secrets
import subprocess
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Organization  # noqa: E402
from plans.demo import load_demo, read_manifest  # noqa: E402
from plans.models import Action, Division, Membership, Plan, ProgressUpdate  # noqa: E402
from scripts import liveserver  # noqa: E402

VAR = BASE / "var" / "loadtest"
LOG = VAR / "gunicorn.log"
LOCUST_LOG = VAR / "locust.log"
ACCOUNTS_FILE = VAR / "accounts.json"
CSV_PREFIX = VAR / "locust"
LOCUST = BASE / ".venv" / "bin" / "locust"
LOCUSTFILE = BASE / "scripts" / "locustfile.py"
MARKER = re.compile(r"\[load [0-9a-f-]{36}\]")
STAFF_SHARE = 6 / 8  # the locustfile's weights: staff 6, district managers 1, central 1
STOP_TIMEOUT = 30  # seconds for users to finish the task they are in when time is up
# Server-side trouble in the gunicorn log (409s and 404s are logged as warnings: not these).
SERVER_ERROR = re.compile(r"Traceback|Internal Server Error|\[(ERROR|CRITICAL)\]|WORKER TIMEOUT")
LOCKOUT = re.compile(r"AXES:.*lock", re.I)


def env_int(name: str, default: int, low: int, high: int) -> int:
    value = int(os.environ.get(name) or default)
    if not low <= value <= high:
        raise SystemExit(f"{name} must be between {low} and {high}")
    return value


USERS = env_int("LOAD_USERS", 50, 1, 200)
SECONDS = env_int("LOAD_SECONDS", 60, 5, 600)
SPAWN_RATE = env_int("LOAD_SPAWN_RATE", 10, 1, 100)
WORKERS = env_int("LOAD_WORKERS", 4, 1, 16)


# --- data ----------------------------------------------------------------------------------


def prepare() -> dict:
    """Migrate, load the demo, create the accounts; return what the locustfile needs."""
    call_command("migrate", verbosity=0)
    load_demo(with_users=True)
    manifest = read_manifest()
    entry = manifest["plans"][0]
    district = entry["organization"]
    plan = Plan.objects.get(organization__code=district, fiscal_year=entry["fiscal_year"])
    central = next(o["code"] for o in manifest["organizations"] if o.get("kind") == "central")
    divisions = list(Division.objects.filter(organization__code=district))
    if not divisions:
        raise SystemExit(f"the demo district {district} has no divisions")

    staff_count = math.ceil(USERS * STAFF_SHARE) + 1
    staff = [
        account(
            f"load-staff-{n:03d}", district, Membership.Role.STAFF, divisions[n % len(divisions)]
        )
        for n in range(staff_count)
    ]
    managers = [
        account(f"load-manager-{n}", district, Membership.Role.DISTRICT_MANAGER) for n in (1, 2)
    ]
    centrals = [
        account(f"load-central-{n}", central, Membership.Role.CENTRAL_MANAGER) for n in (1, 2)
    ]
    set_passwords(staff + managers + centrals)
    see_all = Permission.objects.get(
        content_type__app_label="assessments", codename="view_all_organizations"
    )
    for entry_ in centrals:
        entry_["user"].user_permissions.add(see_all)

    # What each staff member may report on, as the app decides it (same for a whole division).
    reportable = {}
    for entry_ in staff:
        division = entry_["division"]
        if division not in reportable:
            reportable[division] = list(
                Action.objects.editable_by(entry_["user"])
                .filter(finding__plan=plan)
                .values_list("pk", flat=True)
            )
        entry_["actions"] = reportable[division]
        if not entry_["actions"]:
            raise SystemExit(f"{entry_['username']} may report on no action of {plan}")

    actions = Action.objects.filter(finding__plan=plan).count()
    print(
        f"district {district}: plan {plan.fiscal_year} ({actions} actions, "
        f"{len(divisions)} divisions), assessment {plan.assessment.framework.fiscal_year}"
    )
    print(
        f"accounts: {len(staff)} staff over {len(reportable)} divisions "
        f"({min(map(len, reportable.values()))}–{max(map(len, reportable.values()))} "
        f"actions each), {len(managers)} district managers, {len(centrals)} central managers"
    )

    def public(entries, *keys):
        return [{key: e[key] for key in ("username", "password", *keys)} for e in entries]

    return {
        "district": district,
        "assessment_year": plan.assessment.framework.fiscal_year,
        "plan_year": plan.fiscal_year,
        "staff": public(staff, "actions"),
        "district_managers": public(managers),
        "central_managers": public(centrals),
        "outcomes_dir": str(VAR),
    }


def account(username: str, organization: str, role: str, division=None) -> dict:
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "organization": Organization.objects.get(code=organization),
            "division": division,
            "role": role,
        },
    )
    return {"user": user, "username": username, "division": division and division.pk}


def set_passwords(entries: list[dict]) -> None:
    """A fresh random password each; hashed in threads (PBKDF2 releases the GIL)."""
    for entry in entries:
        entry["password"] = secrets.token_urlsafe(16)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        hashes = list(pool.map(make_password, [entry["password"] for entry in entries]))
    for entry, hashed in zip(entries, hashes, strict=True):
        user = entry["user"]
        user.password, user.is_active, user.is_staff, user.is_superuser = hashed, True, False, False
        user.save()


# --- the run -------------------------------------------------------------------------------


def run_locust(base_url: str) -> str:
    """Locust against base_url; returns "" or what went wrong with the run itself."""
    if not re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url):
        raise SystemExit(f"refusing to load {base_url}: only http://127.0.0.1:<port>")
    command = [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base_url,
        "-u",
        str(USERS),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{SECONDS}s",
        "--stop-timeout",
        str(STOP_TIMEOUT),
        "--csv",
        str(CSV_PREFIX),
        "--only-summary",
    ]
    # The accounts file, and nothing of the database or the secret key.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["LOADTEST_ACCOUNTS"] = str(ACCOUNTS_FILE)
    hard_limit = SECONDS + STOP_TIMEOUT + 60
    with LOCUST_LOG.open("w") as log:
        try:
            done = subprocess.run(
                command, cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=hard_limit
            )
        except subprocess.TimeoutExpired:
            return f"locust killed after {hard_limit} s"
    # 0: no failure, 1: some failures (counted from its statistics); anything else: broken.
    if done.returncode not in (0, 1):
        return f"locust exited with {done.returncode}; see {LOCUST_LOG.relative_to(BASE)}"
    return ""


def main() -> None:
    if not os.environ.get("ITA_PG_DATA") and os.environ.get("LOADTEST_ANY_DATABASE") != "1":
        raise SystemExit(
            "loadtest writes into the database: run it through `make loadtest` "
            "(a throw-away cluster), or set LOADTEST_ANY_DATABASE=1"
        )
    VAR.mkdir(parents=True, exist_ok=True)
    for old in [LOG, LOCUST_LOG, *VAR.glob("*.jsonl"), *VAR.glob("locust_*.csv")]:
        old.unlink(missing_ok=True)
    accounts = prepare()
    ACCOUNTS_FILE.touch(mode=0o600)
    ACCOUNTS_FILE.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    connections.close_all()  # the server has its own connections

    port = liveserver.free_port()
    base_url = f"http://127.0.0.1:{port}"
    started = timezone.now()
    try:
        with LOG.open("a") as log:
            server = liveserver.start_gunicorn(port, log, workers=WORKERS)
            try:
                liveserver.wait_until_up(base_url, server, LOG)
                print(
                    f"gunicorn: {WORKERS} workers on {base_url} ({os.cpu_count()} CPUs, shared "
                    f"with locust and PostgreSQL); locust: {USERS} users, {SPAWN_RATE}/s, "
                    f"{SECONDS} s",
                    flush=True,
                )
                problem = run_locust(base_url)
            finally:
                liveserver.stop(server)
    finally:
        ACCOUNTS_FILE.unlink(missing_ok=True)  # passwords of live accounts: not left lying
    ok = report(problem, started)
    print(f"\nVERDICT: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


# --- report --------------------------------------------------------------------------------


def read_lines(pattern: str) -> list[dict]:
    entries = []
    for path in sorted(VAR.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            # A line cut short by a killed process is left out.
            with contextlib.suppress(json.JSONDecodeError):
                entries.append(json.loads(line))
    return entries


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def print_stats(requests: list[dict]) -> int:
    """The request table (every request, the time limit's stragglers included); returns the
    number of failed requests."""
    if not requests:
        print("no requests recorded")
        return 0
    by_name = defaultdict(list)
    for entry in requests:
        by_name[f"{entry['method']} {entry['name']}"].append(entry)
    header = f"{'request':<34} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    print(f"\n{header}\n{'-' * len(header)}")

    def row(name: str, entries: list[dict]) -> None:
        times = [entry["ms"] for entry in entries]
        failed = sum(1 for entry in entries if "error" in entry)
        print(
            f"{name:<34} {len(entries):>6} {failed:>5} {percentile(times, 0.5):>7.0f} "
            f"{percentile(times, 0.95):>7.0f} {max(times):>7.0f}"
        )

    for name in sorted(by_name, key=lambda n: (n.split()[1], n)):
        row(name, by_name[name])
    print("-" * len(header))
    row("all requests", requests)
    failures = Counter(
        f"{entry['method']} {entry['name']}: {entry['error']}"
        for entry in requests
        if "error" in entry
    )
    span = max(e["end"] for e in requests) - min(e["end"] - e["ms"] / 1000 for e in requests)
    times = [entry["ms"] for entry in requests]
    print(
        f"\nrequests: {len(requests)}, failures: {sum(failures.values())}, "
        f"{len(requests) / span:.1f} requests/s over {span:.0f} s, overall p50 "
        f"{percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms"
    )
    for what, count in failures.most_common():
        print(f"  failure ×{count}: {what}")
    return sum(failures.values())


def print_mix() -> None:
    spawned = re.search(r"All users spawned: (\{.*?\})", LOCUST_LOG.read_text(errors="replace"))
    if spawned:
        mix = json.loads(spawned.group(1))
        print("users: " + ", ".join(f"{name} {count}" for name, count in mix.items()))


def server_log_trouble() -> int:
    """Print the server errors and sign-in lockouts in the gunicorn log; return the errors."""
    lines = LOG.read_text(errors="replace").splitlines() if LOG.exists() else []
    errors = [n for n, line in enumerate(lines) if SERVER_ERROR.search(line)]
    lockouts = [line for line in lines if LOCKOUT.search(line)]
    if lockouts:
        print(f"sign-in lockouts in the server log: {len(lockouts)}, e.g. {lockouts[0]}")
    if errors:
        print(f"server errors in {LOG.relative_to(BASE)}: {len(errors)} lines; the first:")
        first = errors[0]
        print("\n".join("  " + line for line in lines[first : first + 40]))
    else:
        print("server log: no errors")
    return len(errors)


def check_database(outcomes: list[dict], started) -> bool:
    """Every accepted marker in exactly one report (its action, its author); nothing stored
    that the client was not told was accepted."""
    last = {}  # marker → the last thing known about it
    for entry in outcomes:
        if "marker" in entry:
            last[entry["marker"]] = entry
    accepted = {m: e for m, e in last.items() if e["event"] == "accepted"}
    stored = defaultdict(list)
    reports = ProgressUpdate.objects.filter(note__contains="[load ", reported_at__gte=started)
    for action, author, note in reports.values_list("action_id", "author__username", "note"):
        for marker in MARKER.findall(note):
            stored[marker].append((action, author))

    lost = [m for m in accepted if m not in stored]
    twice = {m: rows for m, rows in stored.items() if len(rows) > 1}
    misplaced = [
        m for m, e in accepted.items() if m in stored and stored[m][0] != (e["action"], e["user"])
    ]
    unconfirmed = {m: last.get(m, {}).get("event", "unknown") for m in stored if m not in accepted}

    print(
        f"\ndatabase: {len(accepted)} accepted markers, {sum(map(len, stored.values()))} "
        f"load-test reports stored ({len(stored)} distinct markers)"
    )
    print(f"  accepted but not stored (lost): {len(lost)}")
    print(f"  stored more than once: {len(twice)}")
    print(f"  stored on another action or author: {len(misplaced)}")
    print(f"  stored but not confirmed to the client: {len(unconfirmed)}")
    for marker in lost[:10]:
        print(f"    lost: {marker} ({accepted[marker]})")
    for marker, rows in list(twice.items())[:10]:
        print(f"    ×{len(rows)}: {marker} {rows}")
    for marker in misplaced[:10]:
        print(f"    misplaced: {marker}: sent {accepted[marker]}, stored {stored[marker][0]}")
    for marker, event in list(unconfirmed.items())[:10]:
        print(f"    unconfirmed: {marker} (client saw: {event})")
    ok = not (lost or twice or misplaced or unconfirmed)
    print(f"  database check: {'holds' if ok else 'FAILS'}")
    return ok


def print_conflicts_by_kind(outcomes: list[dict]) -> None:
    """409s on "ทุกฝ่าย" actions (each division reports its own part) apart from the others:
    two divisions reporting on the same such action should never conflict. A report refused
    as stale is sent once more from the page that refused it; those retries are counted too."""
    shared = set(Action.objects.filter(all_divisions=True).values_list("pk", flat=True))
    counts = defaultdict(Counter)
    for entry in outcomes:
        kind = "all divisions" if entry.get("action") in shared else "other actions"
        if entry["event"] in ("sent", "resent"):
            counts[kind][entry["event"]] += 1
        elif entry["event"] == "refused" and "409" in entry.get("kind", ""):
            counts[kind]["409 retry" if "retry" in entry["kind"] else "409"] += 1
        elif entry["event"] == "accepted" and entry.get("retry"):
            counts[kind]["retry accepted"] += 1
    print("409 by kind of action (reports sent → refused as stale; retries → accepted):")
    for kind in ("all divisions", "other actions"):
        c = counts[kind]
        share = 100 * c["409"] / c["sent"] if c["sent"] else 0
        print(
            f"  {kind:<14} {c['sent']:>5} sent, {c['409']:>4} × 409 ({share:.1f} %); "
            f"{c['resent']} retried: {c['retry accepted']} accepted, {c['409 retry']} × 409 again"
        )


def report(problem: str, started) -> bool:
    print_mix()
    failures = print_stats(read_lines("requests-*.jsonl"))
    outcomes = read_lines("outcomes-*.jsonl")
    events = Counter(e["event"] for e in outcomes)
    refusals = Counter(e["kind"] for e in outcomes if e["event"] == "refused")
    last = {e["marker"]: e["event"] for e in outcomes if "marker" in e}
    unanswered = {marker for marker, event in last.items() if event in ("sent", "resent")}
    print(
        f"\nprogress reports: {events['sent']} sent, {events['accepted']} accepted (302), "
        f"{events['refused']} refused by the app, {events['failed']} failed, "
        f"{len(unanswered)} without an answer; {events['resent']} sent again after a 409"
    )
    print(f"refusals: {sum(refusals.values())}")
    for kind, count in refusals.most_common():
        print(f"  {kind}: {count}")
    print_conflicts_by_kind(outcomes)
    if events["form_unusable"]:
        print(f"report forms without a CSRF token or version: {events['form_unusable']}")
    errors = server_log_trouble()
    db_ok = check_database(outcomes, started)
    if problem:
        print(f"\nthe run itself failed: {problem}")
    return not problem and failures == 0 and errors == 0 and db_ok and not unanswered


if __name__ == "__main__":
    main()
