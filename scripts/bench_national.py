"""Benchmark: the national data set (``BENCH_SCALE=national``) and its score import.

    DJANGO_ENV_FILE= DJANGO_SECRET_KEY=... \
        scripts/with-postgres.sh .venv/bin/python scripts/bench_national.py

Migrates, loads the demo if needed, creates the national hierarchy (plans.synthetic_national),
writes two wide score files — the 50 districts (4,400 scores) and every other organization
(about 726,000) — imports each with ``manage.py import_scores`` in its own process (history
kept, as in production), adds the plans of one agency in ten, and prints a table with
PASS/FAIL: the big file's scores per second at least the small file's (the cost grows
linearly, no worse), and the import's peak memory (the process's max RSS) at most 1 GB.

The functions are what ``scripts/bench.py`` calls under ``BENCH_SCALE=national``:
``prepare_organizations()``, ``write_score_files(directory)``, ``measure_import(path)``,
``add_plans()``, ``import_goals(small, big)``. BENCH_NATIONAL_SCALE (1) shrinks every count.
A report, not a test: it exits 0 whatever the verdicts.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assessments.models import Organization  # noqa: E402
from plans import synthetic_national  # noqa: E402

PEAK_MB_GOAL = 1024
DIRECTORY = BASE / "var" / "bench" / "national"
SCALE = float(os.environ.get("BENCH_NATIONAL_SCALE", "1"))
COUNTS = re.compile(r"new (\d+), updated (\d+), unchanged (\d+)")


@dataclass
class ImportFigures:
    """One ``manage.py import_scores`` run: scores in the file, wall seconds, their rate,
    peak memory of the process (MB) and what it did."""

    scores: int
    seconds: float
    rate: float
    peak_mb: float
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def prepare_organizations(scale: float = SCALE) -> dict[str, int]:
    """The national hierarchy and its edition (after migrate + load_demo); the counts created."""
    counts = synthetic_national.generate_organizations(scale=scale)
    synthetic_national.edition()
    return counts


def write_score_files(directory: Path = DIRECTORY) -> tuple[Path, Path, int, int]:
    """Write the districts' file and everyone else's; return (small path, big path, small
    scores, big scores)."""
    directory.mkdir(parents=True, exist_ok=True)
    small, big = directory / "districts.csv", directory / "national.csv"
    small_count = synthetic_national.write_score_file(small, synthetic_national.district_codes())
    big_count = synthetic_national.write_score_file(big, synthetic_national.national_codes())
    return small, big, small_count, big_count


def measure_import(path: Path, scores: int | None = None) -> ImportFigures:
    """Run ``manage.py import_scores path`` in a subprocess with this process's environment
    (so the same database); return its figures. Peak memory is the child's own max RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(BASE / "manage.py"), "import_scores", str(path)],
            cwd=BASE,
            stdout=out,
            stderr=err,
        )
        # Reaped with wait4 for the child's own resource usage (RUSAGE_CHILDREN would give
        # the largest child so far).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"import_scores {path.name} failed:\n{err.decode()[-2000:]}")
    found = COUNTS.search(out.decode())
    created, updated, unchanged = (int(n) for n in found.groups()) if found else (0, 0, 0)
    total = scores if scores is not None else created + updated + unchanged
    return ImportFigures(
        scores=total,
        seconds=seconds,
        rate=total / seconds,
        peak_mb=usage.ru_maxrss / 1024,  # KB on Linux
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


def add_plans() -> dict[str, int]:
    """Plans of about 30 actions for one agency in ten (after the scores are in)."""
    return synthetic_national.add_plans()


def import_goals(small: ImportFigures, big: ImportFigures) -> list[tuple[str, str, bool]]:
    """(goal, figure, passed) for the table: linear cost and the memory cap."""
    return [
        (
            "big import rate ≥ small import rate",
            f"{big.rate:,.0f} vs {small.rate:,.0f} scores/s ({big.rate / small.rate:.1f}×)",
            big.rate >= small.rate,
        ),
        (
            f"big import peak ≤ {PEAK_MB_GOAL} MB",
            f"{big.peak_mb:,.0f} MB",
            big.peak_mb <= PEAK_MB_GOAL,
        ),
    ]


def _ensure_demo() -> None:
    from plans.demo import load_demo

    if not Organization.objects.filter(kind=Organization.Kind.DISTRICT).exists():
        started = time.perf_counter()
        load_demo(with_users=True)
        print(f"load_demo: {time.perf_counter() - started:.2f} s")


def main() -> None:
    begun = time.perf_counter()
    call_command("migrate", verbosity=0)
    _ensure_demo()
    started = time.perf_counter()
    counts = prepare_organizations()
    print(f"database: {connection.vendor}; scale {SCALE:g}")
    print(
        f"organizations: {time.perf_counter() - started:.2f} s — "
        + ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
        + f"; {Organization.objects.count():,} in all"
    )
    started = time.perf_counter()
    small_path, big_path, small_count, big_count = write_score_files()
    print(
        f"score files: {time.perf_counter() - started:.2f} s — {small_path.name} {small_count:,}"
        f" scores, {big_path.name} {big_count:,} scores ({big_path.stat().st_size / 1e6:.1f} MB)"
    )
    small = measure_import(small_path, small_count)
    big = measure_import(big_path, big_count)
    again = measure_import(big_path, big_count)
    started = time.perf_counter()
    plans = add_plans()
    plan_seconds = time.perf_counter() - started
    print(
        f"plans: {plan_seconds:.2f} s — "
        + ", ".join(f"{key} {value:,}" for key, value in plans.items() if value)
    )
    print()
    print(f"{'import':<26}{'scores':>10}{'seconds':>10}{'scores/s':>11}{'peak MB':>9}  done")
    for name, figures in (
        ("districts (small)", small),
        ("national (big)", big),
        ("national again (0 change)", again),
    ):
        print(
            f"{name:<26}{figures.scores:>10,}{figures.seconds:>10.2f}{figures.rate:>11,.0f}"
            f"{figures.peak_mb:>9,.0f}  new {figures.created:,}, updated {figures.updated:,},"
            f" unchanged {figures.unchanged:,}"
        )
    print()
    for goal, figure, passed in import_goals(small, big):
        print(f"{'PASS' if passed else 'FAIL'}  {goal}: {figure}")
    print(f"whole preparation: {time.perf_counter() - begun:.1f} s")


if __name__ == "__main__":
    main()
