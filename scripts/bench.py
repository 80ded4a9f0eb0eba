"""Benchmark: the pages on a synthetic data set, served by gunicorn as in production.

    make bench                          BMA-wide: 50 districts × 3 years (plans.synthetic)
    BENCH_SCALE=national make bench     about 8,300 agencies of the whole country
                                        (plans.synthetic_national): the score import of all of
                                        them, then the pages

Migrates a throw-away PostgreSQL, loads the demo and the data set, starts gunicorn with DEBUG
off, signs in through the real login form as a central manager (who sees every agency), and
has concurrent clients request each page. Each page's p95 is compared with the trivial page's
p95 *in the same run* (absolute times on a shared machine are noise; ratios are not):

- computed (dashboard cache off, every request reads and renders): each page ≤ 10×;
- cached (as deployed; the clients behave like browsers and revalidate with If-None-Match,
  so a page that has not changed answers 304): each dashboard ≤ 2×;
- while a writer posts progress reports in one district, another district's cached
  dashboards still ≤ 2× (each district and year has its own data version);
- the plan's PDF no slower than 1.85 s (its median, one request after another), with its
  ratio to the computed plan page. That figure was taken on the machine the goal was set on;
  ``make bench-pdf-then`` compares with the code of that day on this machine instead;
- national scale: the score import of ~726,000 scores at least as many scores per second as
  the ~4,400-score import of the same run, within 1 GB; a computed page of the national
  overview ≤ 1.5× the 50-district overview.

A report, not a test: it exits 0 whatever the verdicts, and a page that errors is reported,
not fatal. Environment: BENCH_SCALE (bma | national), BENCH_CLIENTS (8), BENCH_REQUESTS per
client and page (25), BENCH_ROUNDS (5: the pages of a run asked in turn, so many times),
BENCH_WARMUP per client and page (2), BENCH_PDF_REQUESTS (3),
BENCH_WORKERS (gunicorn, 4), BENCH_RUNS (computed,cached,writer: which runs). The gunicorn
log is kept in var/bench/gunicorn.log.
"""

import csv
import math
import os
import re
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from assessments.models import Organization  # noqa: E402
from plans.demo import load_demo  # noqa: E402
from plans.models import Action, Membership, Plan  # noqa: E402
from plans.synthetic import generate  # noqa: E402
from scripts import liveserver  # noqa: E402

YEARS = (2564, 2565, 2566)
COMPUTED_RATIO = 10
CACHED_RATIO = 2
NATIONAL_OVERVIEW_RATIO = 1.5
# Seconds, on the machine the goal was set on (scripts/bench_pdf_then.py: the same, on this one).
PDF_BASELINE_S = 1.85
LOG = BASE / "var" / "bench" / "gunicorn.log"
BENCH_USER = "bench-central"
WRITER_USER = "bench-writer"


def env_int(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value < 0:
        raise SystemExit(f"{name} must be 0 or more")
    return value


SCALE = os.environ.get("BENCH_SCALE", "bma").strip().lower() or "bma"
if SCALE not in ("bma", "national"):
    raise SystemExit("BENCH_SCALE must be bma or national")
CLIENTS = max(1, env_int("BENCH_CLIENTS", 8))
REQUESTS = max(1, env_int("BENCH_REQUESTS", 25))
WARMUP = env_int("BENCH_WARMUP", 2)
ROUNDS = max(1, env_int("BENCH_ROUNDS", 5))
PDF_REQUESTS = max(1, env_int("BENCH_PDF_REQUESTS", 3))
WORKERS = max(1, env_int("BENCH_WORKERS", 4))
RUNS = {
    run.strip()
    for run in os.environ.get("BENCH_RUNS", "computed,cached,writer").split(",")
    if run.strip()
}


@dataclass
class Page:
    name: str
    path: str
    goal: str  # "baseline", "computed", "cached", "pdf" or "" (figures only)
    # The page whose p95 this one is compared with instead of the trivial page's.
    against: str | None = None
    ratio: float | None = None


@dataclass
class Result:
    page: Page
    times: list[float] = field(default_factory=list)  # seconds, answered requests only
    errors: dict[str, int] = field(default_factory=dict)  # status (or exception) → count
    not_modified: int = 0  # answered 304

    @property
    def requests(self) -> int:
        return len(self.times) + sum(self.errors.values())

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def add(self, other: "Result") -> None:
        """Count ``other``'s requests (the same page's, another round) in this one."""
        self.times += other.times
        for what, count in other.errors.items():
            self.errors[what] = self.errors.get(what, 0) + count
        self.not_modified += other.not_modified

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --- data ----------------------------------------------------------------------------------


def tenth_district() -> str:
    """A synthetic district (not the demo's Phra Khanong): the list's 10th row."""
    with (BASE / "fixtures" / "bma_districts.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))[9]["code"].strip()


def prepare_bma() -> dict:
    """Migrate, load the demo and the BMA-wide synthetic set."""
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(with_users=True)
    print(f"load_demo: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    counts = generate(years=YEARS)
    seconds = time.perf_counter() - started
    print(f"generate() on {connection.vendor}: {seconds:.2f} s")
    analyze()
    for key, value in counts.items():
        print(f"  {key:<18} {value:>7,}")
    year = YEARS[len(YEARS) // 2]
    return {"district": tenth_district(), "year": year, "plan_year": year + 1}


def analyze() -> None:
    """Table statistics for the planner, as autovacuum keeps them on a live database: rows
    loaded in bulk a moment ago would otherwise be planned as if the tables were empty."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def central_manager() -> tuple[str, str]:
    """A central manager (sees every agency) with a fresh password: (username, password)."""
    return bench_account(BENCH_USER, "10", Membership.Role.CENTRAL_MANAGER, sees_all=True)


def bench_account(username, organization, role, sees_all=False) -> tuple[str, str]:
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "organization": Organization.objects.get(code=organization),
            "division": None,
            "role": role,
        },
    )
    if sees_all:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="assessments", codename="view_all_organizations"
            )
        )
    return user.username, password


def writer_plan(year: int, besides: str) -> Plan:
    """The plan of ``year`` the writer reports on: another synthetic district's."""
    return (
        Plan.objects.filter(fiscal_year=year, organization__kind=Organization.Kind.DISTRICT)
        .exclude(organization__code__in=(besides, "1009"))
        .order_by("organization__code")
        .first()
    )


# --- clients -------------------------------------------------------------------------------

VERSION_FIELD = re.compile(rb'name="version" value="([^"]+)"')


class Client(liveserver.Client):
    """A browser: with ``conditional``, it keeps each page's ETag and revalidates with it."""

    def __init__(self, base_url: str, conditional: bool = False):
        super().__init__(base_url)
        self.conditional = conditional
        self.etags: dict[str, str] = {}

    def timed(self, path: str, result: Result, lock: threading.Lock) -> None:
        headers = {}
        if self.conditional and path in self.etags:
            headers["If-None-Match"] = self.etags[path]
        started = time.perf_counter()
        try:
            status, _, answer = self.fetch(path, headers)
        except OSError as error:
            status, answer = type(error).__name__, {}
        elapsed = time.perf_counter() - started
        if status == 200 and answer.get("ETag"):
            self.etags[path] = answer["ETag"]
        with lock:
            if status in (200, 304):
                result.times.append(elapsed)
                result.not_modified += status == 304
            else:
                result.error(str(status))

    def fetch(self, path: str, headers: dict) -> tuple[object, bytes, dict]:
        """GET with extra headers: (status, body, response headers)."""
        import urllib.error
        import urllib.request

        request = urllib.request.Request(self.base_url + path, headers=headers)
        try:
            with self.opener.open(request, timeout=180) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(), dict(error.headers)


def run_concurrently(clients: list[Client], page: Page, requests=REQUESTS, warmup=WARMUP) -> Result:
    """Every client requests the page ``warmup`` + ``requests`` times at once; the warm-ups
    are not counted (first requests fill each worker's caches and connections)."""
    result, lock = Result(page), threading.Lock()
    scratch = Result(page)
    barrier = threading.Barrier(len(clients))

    def work(client: Client) -> None:
        for _ in range(warmup):
            client.timed(page.path, scratch, lock)
        barrier.wait()
        for _ in range(requests):
            client.timed(page.path, result, lock)

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def run_pages(clients: list[Client], pages: list[Page]) -> list[Result]:
    """Each page's REQUESTS per client, in ROUNDS: every round asks every page in turn (its
    share of the requests, the warm-ups in the first), so that the trivial page and the
    pages compared with it are measured over the same stretch of time. The machine's load
    moves from second to second (other programs, the writer, PostgreSQL's own work); pages
    measured one after another, each in one go, would compare different moments."""
    results = [Result(page) for page in pages]
    rounds = min(ROUNDS, REQUESTS)
    for number in range(rounds):
        share = REQUESTS // rounds + (number < REQUESTS % rounds)
        for merged, page in zip(results, pages, strict=True):
            measured = run_concurrently(clients, page, share, WARMUP if number == 0 else 0)
            merged.add(measured)
    return results


def run_sequentially(client: Client, page: Page) -> Result:
    result, lock = Result(page), threading.Lock()
    client.timed(page.path, Result(page), lock)  # warm-up: fonts and templates loaded once
    for _ in range(PDF_REQUESTS):
        client.timed(page.path, result, lock)
    return result


class Writer(threading.Thread):
    """A plan owner posting progress reports on one plan through the real form, one after
    another, until stopped: the change that must not invalidate other districts' pages."""

    def __init__(self, client: Client, actions: list[int]):
        super().__init__(daemon=True)
        self.client, self.actions = client, actions
        self.stopping = threading.Event()
        self.saved = self.refused = 0

    def run(self) -> None:
        n = 0
        while not self.stopping.is_set():
            pk = self.actions[n % len(self.actions)]
            n += 1
            status, form = self.client.request(f"/actions/{pk}/report/")
            version = VERSION_FIELD.search(form) if status == 200 else None
            if version is None:
                self.refused += 1
                continue
            status, _ = self.client.request(
                f"/actions/{pk}/report/",
                {
                    "csrfmiddlewaretoken": self.client.csrf_token(form),
                    "version": version.group(1).decode(),
                    "progress": str(5 * (n % 19 + 1)),
                    "status": "in_progress",
                    "note": f"รายงานความก้าวหน้าระหว่างวัดความเร็ว ครั้งที่ {n}",
                    "evidence_url": "",
                },
            )
            if status == 302:
                self.saved += 1
            else:
                self.refused += 1


# --- report --------------------------------------------------------------------------------


@dataclass
class Goal:
    what: str
    figure: str
    limit: str
    ok: bool | None  # None: figures only, or could not be measured

    @property
    def verdict(self) -> str:
        return "-" if self.ok is None else ("PASS" if self.ok else "FAIL")


GOALS: list[Goal] = []


def page_goals(results: list[Result]) -> None:
    """Each page's p95 against the trivial page's (or its ``against`` page's) p95."""
    by_name = {r.page.name: r for r in results if r.times}
    baseline = next((r for r in results if r.page.goal == "baseline" and r.times), None)
    for result in results:
        page = result.page
        if page.goal not in ("computed", "cached"):
            continue
        if result.errors or not result.times:
            GOALS.append(Goal(f"{page.name} ({page.goal})", "errors", "-", False))
            continue
        against = by_name.get(page.against) if page.against else baseline
        limit = page.ratio or (COMPUTED_RATIO if page.goal == "computed" else CACHED_RATIO)
        if against is None:
            GOALS.append(Goal(f"{page.name} ({page.goal})", "no baseline", "-", None))
            continue
        ratio = result.p95 / against.p95
        name = page.against or "trivial"
        GOALS.append(
            Goal(
                f"{page.name} ({page.goal})",
                f"{ratio:.1f}× ({result.p95 * 1000:.0f} ms)",
                f"≤ {limit:g}× {name}",
                ratio <= limit,
            )
        )


def print_table(title: str, results: list[Result]) -> None:
    baseline = next((r for r in results if r.page.goal == "baseline" and r.times), None)
    header = (
        f"{'page':<34} {'requests':>8} {'errors':>6} {'304':>5} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p95/triv':>8}"
    )
    print(f"\n{title}\n{header}\n{'-' * len(header)}")
    for result in results:
        if result.times:
            ratio = f"{result.p95 / baseline.p95:.1f}×" if baseline else "-"
            figures = f"{result.p50 * 1000:>8.1f} {result.p95 * 1000:>8.1f} {ratio:>8}"
        else:
            figures = f"{'-':>8} {'-':>8} {'-':>8}"
        errors = sum(result.errors.values())
        print(
            f"{result.page.name:<34} {result.requests:>8} {errors:>6} "
            f"{result.not_modified:>5} {figures}"
        )
        if result.errors:
            shown = ", ".join(f"{what} ×{count}" for what, count in sorted(result.errors.items()))
            print(f"  {result.page.path} answered {shown}; see {LOG.relative_to(BASE)}")
    page_goals(results)


def print_goals() -> None:
    width = max(len(goal.what) for goal in GOALS)
    header = f"{'goal':<{width}}  {'measured':<24} {'limit':<26} verdict"
    print(f"\n== Goals\n{header}\n{'-' * len(header)}")
    for goal in GOALS:
        print(f"{goal.what:<{width}}  {goal.figure:<24} {goal.limit:<26} {goal.verdict}")
    failed = sum(goal.ok is False for goal in GOALS)
    print(f"\n{len(GOALS) - failed} of {len(GOALS)} goals met.")


# --- runs ----------------------------------------------------------------------------------

CACHE_OFF = {"ITA_DASHBOARD_CACHE_SECONDS": "0"}


class Server:
    """A fresh gunicorn with ``extra`` settings, and clients signed in to it."""

    def __init__(self, extra: dict):
        self.port = liveserver.free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.extra = extra

    def __enter__(self):
        LOG.parent.mkdir(parents=True, exist_ok=True)
        self.log = LOG.open("a")
        self.process = liveserver.start_gunicorn(self.port, self.log, self.extra, workers=WORKERS)
        liveserver.wait_until_up(self.base_url, self.process, LOG)
        return self

    def __exit__(self, *exc):
        liveserver.stop(self.process)
        self.log.close()

    def clients(self, login, conditional=False, count=CLIENTS) -> list[Client]:
        clients = [Client(self.base_url, conditional) for _ in range(count)]
        for client in clients:
            client.sign_in(*login)
        return clients


def describe_run(title: str, server: Server, conditional: bool) -> str:
    how = "revalidating with If-None-Match" if conditional else "plain GET"
    return (
        f"== {title}\ngunicorn: {WORKERS} workers on {server.base_url} ({os.cpu_count()} CPUs, "
        f"shared with the clients and PostgreSQL); {CLIENTS} clients × {REQUESTS} requests per "
        f"page in {min(ROUNDS, REQUESTS)} rounds of every page (after {WARMUP} warm-up each), {how}"
    )


def computed_run(pages: list[Page], pdf: Page | None, login) -> None:
    with Server(CACHE_OFF) as server:
        title = "Computed: cache off (ITA_DASHBOARD_CACHE_SECONDS=0), every request reads"
        print("\n" + describe_run(title, server, conditional=False))
        clients = server.clients(login)
        results = run_pages(clients, pages)
        print_table("computed", results)
        if pdf is not None:
            plan_page = next((r for r in results if r.page.name == "plan page" and r.times), None)
            pdf_goal(run_sequentially(clients[0], pdf), plan_page)


def pdf_goal(result: Result, plan_page: Result | None) -> None:
    if result.errors or not result.times:
        GOALS.append(Goal("plan PDF", "errors", f"≤ {PDF_BASELINE_S} s", False))
        return
    median = statistics.median(result.times)
    compared = f", {median / plan_page.p50:.0f}× the plan page's p50" if plan_page else ""
    print(
        f"\nplan PDF ({len(result.times)} one after another): median {median:.2f} s, "
        f"max {max(result.times):.2f} s{compared}"
    )
    GOALS.append(
        Goal("plan PDF (median)", f"{median:.2f} s{compared}", f"≤ {PDF_BASELINE_S} s", None)
    )
    GOALS[-1].ok = median <= PDF_BASELINE_S
    if not GOALS[-1].ok:
        print("  (a figure from another machine: make bench-pdf-then compares on this one)")


def cached_run(pages: list[Page], login) -> None:
    with Server({}) as server:
        title = "Cached: as deployed (dashboards cached until their district's data changes)"
        print("\n" + describe_run(title, server, conditional=True))
        clients = server.clients(login, conditional=True)
        results = run_pages(clients, pages)
        print_table("cached, revalidated", results)
        plain = server.clients(login, conditional=False)
        figures = run_pages(
            plain,
            [results[0].page]
            + [
                Page(f"{page.name} (cached, plain GET)", page.path, "")
                for page in pages
                if page.goal == "cached"
            ],
        )
        print_table("cached, plain GET (the cached body, figures only)", figures)


def writer_run(pages: list[Page], login, writer_login, actions: list[int], watched) -> None:
    """Other districts' cached dashboards while a writer reports progress in one district."""
    with Server({}) as server:
        title = "Cached, while a plan owner posts progress reports in another district"
        print("\n" + describe_run(title, server, conditional=True))
        clients = server.clients(login, conditional=True)
        writer_client = server.clients(writer_login, count=1)[0]
        probe = server.clients(login, conditional=True, count=1)[0]
        before = {path: etag_of(probe, path) for path in watched.values()}
        writer = Writer(writer_client, actions)
        writer.start()
        time.sleep(1)  # the first reports are in before the clients start
        try:
            results = run_pages(clients, pages)
        finally:
            writer.stopping.set()
            writer.join(timeout=60)
        after = {path: etag_of(probe, path) for path in watched.values()}
        print_table("cached while writing", results)
        print(f"writer: {writer.saved} progress reports saved, {writer.refused} refused")
        for what, path in watched.items():
            changed = before[path] != after[path]
            print(f"  {what} {path}: ETag {'changed' if changed else 'unchanged'}")
        written, other = watched["written district"], watched["other district"]
        GOALS.append(
            Goal(
                "a write invalidates its own district only",
                f"{writer.saved} reports; own ETag "
                f"{'changed' if before[written] != after[written] else 'unchanged'}, other "
                f"{'changed' if before[other] != after[other] else 'unchanged'}",
                "own changed, other not",
                writer.saved > 0
                and before[written] != after[written]
                and before[other] == after[other],
            )
        )


def etag_of(client: Client, path: str) -> str | None:
    status, _, headers = client.fetch(path, {})
    return headers.get("ETag") if status == 200 else None


def bma_pages(data: dict) -> tuple[list[Page], list[Page], Page]:
    code, year, plan = (
        data["district"],
        data["year"],
        f"/plans/{data['district']}/{data['plan_year']}",
    )
    computed = [
        Page("trivial (/health/)", "/health/", "baseline"),
        Page("scores", f"/scores/{code}/{year}/", "computed"),
        Page("progress dashboard", f"{plan}/progress/", "computed"),
        Page("BMA overview", f"/overview/{year}/", "computed"),
        Page("plan page", f"{plan}/", "computed"),
        Page("report HTML", f"{plan}/report/", "computed"),
    ]
    cached = [
        Page("trivial (/health/)", "/health/", "baseline"),
        Page("scores", f"/scores/{code}/{year}/", "cached"),
        Page("progress dashboard", f"{plan}/progress/", "cached"),
        Page("BMA overview", f"/overview/{year}/", "cached"),
    ]
    return computed, cached, Page("plan PDF", f"{plan}/plan.pdf", "pdf")


def bma() -> None:
    data = prepare_bma()
    login = central_manager()
    plan = writer_plan(data["plan_year"], besides=data["district"])
    writer_login = bench_account(WRITER_USER, plan.organization.code, Membership.Role.PLAN_OWNER)
    actions = list(
        Action.objects.filter(finding__plan=plan)
        .exclude(status__in=(Action.Status.DONE, Action.Status.CANCELLED))
        .order_by("pk")
        .values_list("pk", flat=True)[:40]
    )
    connections.close_all()  # the server has its own connections; this process is done
    LOG.unlink(missing_ok=True)
    computed, cached, pdf = bma_pages(data)
    print(
        f"\ndistrict {data['district']}, assessment {data['year']}, plan {data['plan_year']}; "
        f"the writer reports on plan {plan.fiscal_year} of {plan.organization.code}"
    )
    if "computed" in RUNS:
        computed_run(computed, pdf, login)
    if "cached" in RUNS:
        cached_run(cached, login)
    code, year = data["district"], data["year"]
    watched = {
        "written district": f"/plans/{plan.organization.code}/{plan.fiscal_year}/progress/",
        "other district": f"/plans/{code}/{data['plan_year']}/progress/",
    }
    writer_pages = [
        Page("trivial (/health/)", "/health/", "baseline"),
        Page("other district's scores", f"/scores/{code}/{year}/", "cached"),
        Page("other district's progress", f"/plans/{code}/{data['plan_year']}/progress/", "cached"),
    ]
    if "writer" in RUNS:
        writer_run(writer_pages, login, writer_login, actions, watched)
    print_goals()


def national() -> None:
    """The whole country: the score import of every agency, then the overview of 8,300."""
    from plans import synthetic_national
    from scripts import bench_national as country

    begun = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(with_users=True)
    counts = country.prepare_organizations()
    print(
        f"organizations: {Organization.objects.count():,} in all ("
        + ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
        + ")"
    )
    small_path, big_path, small_count, big_count = country.write_score_files()
    small = country.measure_import(small_path, small_count)
    big = country.measure_import(big_path, big_count)
    print(f"\n{'import (manage.py import_scores)':<34}{'scores':>10}{'seconds':>9}", end="")
    print(f"{'scores/s':>10}{'peak MB':>9}")
    for name, figures in (("the 50 districts", small), ("every other agency", big)):
        print(
            f"{name:<34}{figures.scores:>10,}{figures.seconds:>9.1f}{figures.rate:>10,.0f}"
            f"{figures.peak_mb:>9,.0f}"
        )
    for goal, figure, passed in country.import_goals(small, big):
        GOALS.append(Goal(goal, figure, "", passed))
    started = time.perf_counter()
    plans = country.add_plans()
    print(
        f"plans: {time.perf_counter() - started:.1f} s — "
        + ", ".join(f"{key} {value:,}" for key, value in plans.items() if value)
    )
    analyze()
    year = synthetic_national.NATIONAL_YEAR
    plan = (
        Plan.objects.filter(fiscal_year=year + 1, organization__kind=Organization.Kind.LOCAL)
        .select_related("organization__parent")
        .order_by("organization__code")
        .first()
    )
    code, province = plan.organization.code, plan.organization.parent.code
    login = central_manager()
    connections.close_all()
    LOG.unlink(missing_ok=True)
    print(f"preparation: {time.perf_counter() - begun:.0f} s; agency {code} of {province}")
    overview = f"/overview/{year}/"
    districts = "overview, the 50 districts"
    plan_path = f"/plans/{code}/{year + 1}"
    computed = [
        Page("trivial (/health/)", "/health/", "baseline"),
        Page(districts, overview, "computed"),
        Page(
            "overview, all agencies",
            f"{overview}?parent=",
            "computed",
            districts,
            NATIONAL_OVERVIEW_RATIO,
        ),
        Page(
            "overview, all, by progress",
            f"{overview}?parent=&sort=-progress",
            "computed",
            districts,
            NATIONAL_OVERVIEW_RATIO,
        ),
        Page(
            "overview, all, page 100 by name",
            f"{overview}?parent=&sort=name&page=100",
            "computed",
            districts,
            NATIONAL_OVERVIEW_RATIO,
        ),
        Page(
            "overview, a province's bodies",
            f"{overview}?parent={province}",
            "computed",
            districts,
            NATIONAL_OVERVIEW_RATIO,
        ),
        Page("overview, local bodies", f"{overview}?parent=&kind=local", "computed"),
        Page("scores of a local body", f"/scores/{code}/{year}/", "computed"),
        Page("its progress dashboard", f"{plan_path}/progress/", "computed"),
        Page("its plan page", f"{plan_path}/", "computed"),
        Page("its report HTML", f"{plan_path}/report/", "computed"),
    ]
    if "computed" in RUNS:
        computed_run(computed, None, login)
    if "cached" in RUNS:
        cached_run(
            [
                computed[0],
                Page("overview, all agencies", f"{overview}?parent=", "cached"),
                Page("scores of a local body", f"/scores/{code}/{year}/", "cached"),
            ],
            login,
        )
    print_goals()


def main() -> None:
    if SCALE == "national":
        national()
    else:
        bma()


if __name__ == "__main__":
    main()
