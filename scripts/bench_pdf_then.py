"""The plan's PDF then and now, on this machine: "no slower than today" measured against the
code of the day that goal was set, not against a figure taken on another machine.

    make bench-pdf-then                 the code of THEN_COMMIT against this tree
    BENCH_PDF_THEN=<commit> make bench-pdf-then

Checks the older commit out beside this tree (a git worktree, removed afterwards), builds the
same synthetic BMA data for each tree in its own SQLite file (each with its own migrations,
demo and generator), then downloads the PDF of the same plan (``make bench``'s: the tenth
district's plan of 2566) through each tree's own view, alternately (then, now, then, now),
BENCH_PDF_REQUESTS times a turn after one warm-up. Prints every time, the medians, the
documents' sizes (the same data gives the same document) and PASS when now's median is no
slower than then's. A report, not a test: it exits 0 whatever the verdict.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
# The code of the day the goal "PDF of one plan: no slower than today (1.85 s)" was set.
THEN_COMMIT = "710f734"
PLAN_YEAR = 2566
TURNS = 2


def env_int(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more")
    return value


# --- inside one tree (run with that tree as the working folder) ------------------------------
# This part also runs inside the older tree, so it imports nothing of this one's scripts: the
# plan is chosen as scripts/bench.py's ``tenth_district`` chooses it, from the tree's own list.


def setup_django() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    import django

    django.setup()


def prepare() -> None:
    """Migrate, load the demo and the BMA-wide synthetic data (as ``make bench`` does)."""
    setup_django()
    from django.core.management import call_command

    from plans.demo import load_demo
    from plans.synthetic import generate

    call_command("migrate", verbosity=0)
    load_demo(with_users=True)
    generate(years=(2564, 2565, 2566))


def measure(requests: int) -> None:
    """Download the plan's PDF once, then ``requests`` times; print the seconds as JSON."""
    setup_django()
    import csv

    from django.contrib.auth import get_user_model
    from django.test import Client

    with (Path.cwd() / "fixtures" / "bma_districts.csv").open(encoding="utf-8-sig") as f:
        code = list(csv.DictReader(f))[9]["code"].strip()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    url = f"/plans/{code}/{PLAN_YEAR}/plan.pdf"

    def download() -> bytes:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return b"".join(response.streaming_content) if response.streaming else response.content

    body = download()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        body = download()
        times.append(time.perf_counter() - started)
    print(json.dumps({"url": url, "bytes": len(body), "times": times}))


# --- the driver -----------------------------------------------------------------------------


def run_in(tree: Path, database: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "0",
        # Each tree's static files straight from its folders (no collectstatic in either).
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    commit = os.environ.get("BENCH_PDF_THEN", THEN_COMMIT)
    requests = env_int("BENCH_PDF_REQUESTS", 3)
    if not os.environ.get("DJANGO_SECRET_KEY"):
        raise SystemExit("DJANGO_SECRET_KEY must be set (make bench-pdf-then sets a throw-away)")
    with tempfile.TemporaryDirectory(prefix="ita-pdf-then-") as folder:
        folder = Path(folder)
        then_tree = folder / "then"
        subprocess.run(
            ["git", "-C", str(BASE), "worktree", "add", "--detach", str(then_tree), commit],
            check=True,
            capture_output=True,
        )
        try:
            trees = {"then": then_tree, "now": BASE}
            for name, tree in trees.items():
                started = time.perf_counter()
                run_in(tree, folder / f"{name}.sqlite3", "--prepare")
                print(f"{name}: data built in {time.perf_counter() - started:.0f} s ({tree})")
            times = {name: [] for name in trees}
            sizes = {}
            for turn in range(TURNS):
                for name, tree in trees.items():
                    out = json.loads(
                        run_in(tree, folder / f"{name}.sqlite3", "--measure", str(requests))
                        .strip()
                        .splitlines()[-1]
                    )
                    times[name] += out["times"]
                    sizes[name] = out["bytes"]
                    shown = ", ".join(f"{t:.2f}" for t in out["times"])
                    print(f"turn {turn + 1} {name}: {out['url']} {shown} s")
        finally:
            subprocess.run(
                ["git", "-C", str(BASE), "worktree", "remove", "--force", str(then_tree)],
                capture_output=True,
            )
    then, now = statistics.median(times["then"]), statistics.median(times["now"])
    print(
        f"\nplan PDF, median of {len(times['now'])}: then ({commit}) {then:.2f} s, "
        f"{sizes['then']:,} bytes; now {now:.2f} s, {sizes['now']:,} bytes; "
        f"now/then {now / then:.2f}"
    )
    print(f"no slower than then: {'PASS' if now <= then else 'FAIL'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        prepare()
    elif sys.argv[1:2] == ["--measure"]:
        measure(int(sys.argv[2]))
    else:
        main()
