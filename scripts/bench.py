"""Benchmark: the pages on the BMA-wide synthetic data set, served by gunicorn as in production.

    make bench      (on a throw-away PostgreSQL cluster)

Migrates the database, loads the demo and the synthetic data set (plans.synthetic), starts
gunicorn with DEBUG off, signs in through the real login form as a central manager (who sees
every district), then has concurrent clients request each page and prints p50/p95 per page
against the goals: each dashboard's p95 at most 3× that of the trivial page and at most
150 ms; one district's plan as PDF within 5 s. A report, not a test: it exits 0 whatever the
verdicts, and a page that errors is reported, not fatal.

Environment: BENCH_CLIENTS (8), BENCH_REQUESTS per client and page (25), BENCH_WARMUP per
client and page (2), BENCH_PDF_REQUESTS (3, one after another), BENCH_WORKERS (gunicorn, 4).
The gunicorn log is kept in var/bench/gunicorn.log.
"""

import csv
import math
import os
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
from plans.models import Membership  # noqa: E402
from plans.synthetic import generate  # noqa: E402
from scripts import liveserver  # noqa: E402

YEARS = (2564, 2565, 2566)
DASHBOARD_P95_MS = 150
DASHBOARD_RATIO = 3
PDF_MAX_S = 5
LOG = BASE / "var" / "bench" / "gunicorn.log"
BENCH_USER = "bench-central"


def env_int(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value < 0:
        raise SystemExit(f"{name} must be 0 or more")
    return value


CLIENTS = max(1, env_int("BENCH_CLIENTS", 8))
REQUESTS = max(1, env_int("BENCH_REQUESTS", 25))
WARMUP = env_int("BENCH_WARMUP", 2)
PDF_REQUESTS = max(1, env_int("BENCH_PDF_REQUESTS", 3))
WORKERS = max(1, env_int("BENCH_WORKERS", 4))


@dataclass
class Page:
    name: str
    path: str
    goal: str  # "baseline", "dashboard", "pdf" or "" (figures only)


@dataclass
class Result:
    page: Page
    times: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: dict[str, int] = field(default_factory=dict)  # status (or exception) → count

    @property
    def requests(self) -> int:
        return len(self.times) + sum(self.errors.values())

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --- data ----------------------------------------------------------------------------------


def prepare_data() -> tuple[str, int]:
    """Migrate, load the demo and the synthetic set; return (district code, assessment year)."""
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(with_users=True)
    print(f"load_demo: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    counts = generate(years=YEARS)
    seconds = time.perf_counter() - started
    print(f"generate() on {connection.vendor}: {seconds:.2f} s")
    for key, value in counts.items():
        print(f"  {key:<18} {value:>7,}")
    # A synthetic district (not the demo's Phra Khanong): the list's 10th row, middle year.
    with (BASE / "fixtures" / "bma_districts.csv").open(encoding="utf-8-sig", newline="") as f:
        code = list(csv.DictReader(f))[9]["code"].strip()
    return code, YEARS[len(YEARS) // 2]


def central_manager() -> tuple[str, str]:
    """A central manager (sees every district) with a fresh password: (username, password)."""
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "organization": Organization.objects.get(code="10"),
            "division": None,
            "role": Membership.Role.CENTRAL_MANAGER,
        },
    )
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="assessments", codename="view_all_organizations"
        )
    )
    return user.username, password


# --- clients -------------------------------------------------------------------------------


class Client(liveserver.Client):
    def timed(self, path: str, result: Result, lock: threading.Lock) -> None:
        started = time.perf_counter()
        try:
            status, _ = self.request(path)
        except OSError as error:
            status = type(error).__name__
        elapsed = time.perf_counter() - started
        with lock:
            if status == 200:
                result.times.append(elapsed)
            else:
                result.error(str(status))


def run_concurrently(clients: list[Client], page: Page) -> Result:
    """Every client requests the page WARMUP + REQUESTS times at once; the warm-ups are not
    counted (first requests fill each worker's caches and connections)."""
    result, lock = Result(page), threading.Lock()
    scratch = Result(page)
    barrier = threading.Barrier(len(clients))

    def work(client: Client) -> None:
        for _ in range(WARMUP):
            client.timed(page.path, scratch, lock)
        barrier.wait()
        for _ in range(REQUESTS):
            client.timed(page.path, result, lock)

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def run_sequentially(client: Client, page: Page) -> Result:
    result, lock = Result(page), threading.Lock()
    client.timed(page.path, Result(page), lock)  # warm-up: fonts and templates loaded once
    for _ in range(PDF_REQUESTS):
        client.timed(page.path, result, lock)
    return result


# --- report --------------------------------------------------------------------------------


def verdict(result: Result, baseline_p95: float | None) -> str:
    goal = result.page.goal
    if result.errors:
        return "ERROR" if goal in ("dashboard", "pdf") else "errors"
    if goal == "dashboard":
        p95_ms = percentile(result.times, 0.95) * 1000
        ok = p95_ms <= DASHBOARD_P95_MS and (
            baseline_p95 is None or p95_ms <= DASHBOARD_RATIO * baseline_p95 * 1000
        )
        return "PASS" if ok else "FAIL"
    if goal == "pdf":
        return "PASS" if max(result.times) <= PDF_MAX_S else "FAIL"
    return "baseline" if goal == "baseline" else "-"


def print_table(results: list[Result]) -> None:
    baseline = next((r for r in results if r.page.goal == "baseline" and r.times), None)
    baseline_p95 = percentile(baseline.times, 0.95) if baseline else None
    header = f"{'page':<22} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
    header += f"{'p95/triv':>8}  verdict"
    print()
    print(header)
    print("-" * len(header))
    for result in results:
        if result.times:
            p50 = statistics.median(result.times) * 1000
            p95 = percentile(result.times, 0.95) * 1000
            ratio = f"{p95 / (baseline_p95 * 1000):.1f}×" if baseline_p95 else "-"
            figures = f"{p50:>8.1f} {p95:>8.1f} {ratio:>8}"
        else:
            figures = f"{'-':>8} {'-':>8} {'-':>8}"
        errors = sum(result.errors.values())
        print(
            f"{result.page.name:<22} {result.requests:>8} {errors:>6} {figures}  "
            f"{verdict(result, baseline_p95)}"
        )
    print()
    for result in results:
        if result.page.goal == "pdf" and result.times:
            print(
                f"PDF ({len(result.times)} one after another): median "
                f"{statistics.median(result.times):.2f} s, max {max(result.times):.2f} s "
                f"(goal: at most {PDF_MAX_S} s)"
            )
        if result.errors:
            shown = ", ".join(f"{what} ×{count}" for what, count in sorted(result.errors.items()))
            print(f"{result.page.name}: {result.page.path} answered {shown}")
    print(
        f"Goals: each dashboard p95 ≤ {DASHBOARD_RATIO}× the trivial page's p95 and "
        f"≤ {DASHBOARD_P95_MS} ms; PDF ≤ {PDF_MAX_S} s."
    )
    if any(result.errors for result in results):
        print(f"ERROR: a page failed (not 200); see {LOG.relative_to(BASE)}.")


def main() -> None:
    code, year = prepare_data()
    username, password = central_manager()
    connections.close_all()  # the server has its own connections; this process is done
    plan = f"/plans/{code}/{year + 1}"
    LOG.unlink(missing_ok=True)
    pages = [
        Page("trivial (/health/)", "/health/", "baseline"),
        Page("scores", f"/scores/{code}/{year}/", "dashboard"),
        Page("progress dashboard", f"{plan}/progress/", "dashboard"),
        Page("BMA overview", f"/overview/{year}/", "dashboard"),
        Page("plan page", f"{plan}/", ""),
        Page("report HTML", f"{plan}/report/", ""),
    ]
    pdf = Page("plan PDF", f"{plan}/plan.pdf", "pdf")
    LOG.parent.mkdir(parents=True, exist_ok=True)
    print(f"\ndistrict {code}, assessment {year}, plan {year + 1}")
    # As deployed (dashboards cached until their data changes), then with the cache off: the
    # second run measures the computing path every first visit after a change takes.
    runs = [
        ("dashboards cached until the data changes (as deployed)", {}, pdf),
        ("cache off (ITA_DASHBOARD_CACHE_SECONDS=0): every request computes", CACHE_OFF, None),
    ]
    for title, extra, pdf_page in runs:
        measure(title, pages, pdf_page, extra, (username, password))


CACHE_OFF = {"ITA_DASHBOARD_CACHE_SECONDS": "0"}


def measure(title: str, pages: list[Page], pdf: Page | None, extra: dict, login) -> None:
    """Serve the pages from a fresh gunicorn with ``extra`` settings and print the table."""
    port = liveserver.free_port()
    base_url = f"http://127.0.0.1:{port}"
    with LOG.open("a") as log:
        server = liveserver.start_gunicorn(port, log, extra, workers=WORKERS)
        try:
            liveserver.wait_until_up(base_url, server, LOG)
            print(
                f"\n== {title}\ngunicorn: {WORKERS} workers on {base_url} ({os.cpu_count()} "
                f"CPUs, shared with the clients and PostgreSQL); {CLIENTS} clients × "
                f"{REQUESTS} requests per page (after {WARMUP} warm-up each)"
            )
            clients = [Client(base_url) for _ in range(CLIENTS)]
            for client in clients:
                client.sign_in(*login)
            results = [run_concurrently(clients, page) for page in pages]
            if pdf is not None:
                results.append(run_sequentially(clients[0], pdf))
            print_table(results)
        finally:
            liveserver.stop(server)


if __name__ == "__main__":
    main()
