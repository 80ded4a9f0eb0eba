"""Fault checks: the app through three failures, on a throw-away PostgreSQL cluster.

    make faults

Migrates the database, loads the demo and gives its staff account a fresh password, then:

1. The database restarts mid-run. gunicorn (2 workers, production settings) serves a signed-in
   staff member's requests for a database-backed page (/actions/) from four threads while
   PostgreSQL restarts (pg_ctl restart -m fast). Proves the app reconnects by itself: pages
   answer 200 again within RECOVERY_SECONDS of the database being back, every request after
   that succeeds, the gunicorn master and workers are the same processes, the app's database
   connections are all new ones, the session survived (no redirect to the sign-in page), and
   a progress report posted afterwards is stored exactly once.
2. An import killed half-way. `manage.py import_scores` runs in a subprocess on a wide
   workbook (FAULTS_IMPORT_ORGANIZATIONS organizations × the 2564 items; the 50 districts,
   then made-up organizations). Once its backend (found by its application_name, PGAPPNAME)
   has an open transaction holding a write lock on the scores table, the process gets SIGKILL.
   Proves an import is all or nothing: scores, assessments, import records and score history
   are exactly as before, and the backend is gone (nothing left idle in transaction). The same
   file then imports to completion: it was valid, so the kill did land mid-import.
3. An upload that fails to store. gunicorn with DJANGO_MEDIA_ROOT under a regular file (no
   folder can be made there, not even by root) takes a progress report with a PDF. Proves the
   user gets a page, not a 500: the Thai message that the file was not stored, the typed text
   still in the form; that the failure is logged; and that nothing was saved (no report, no
   history row, the action's version unchanged). The media folder is then made possible and
   the same post is stored once.

One PASS or FAIL line per check, with its figures (details above it, indented); exit status 1
if any check fails. Each check is stopped after FAULTS_CHECK_SECONDS (180) and counts as
failed. Needs what scripts/with-postgres.sh exports: DATABASE_URL and ITA_PG_BIN, ITA_PG_DATA,
ITA_PG_LOG, ITA_PG_AS. Logs (gunicorn, import) in var/faults/.
"""

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from assessments.models import (  # noqa: E402
    Assessment,
    Framework,
    ImportRecord,
    ItemScore,
    Organization,
)
from plans.demo import load_demo  # noqa: E402
from plans.models import Action, ProgressUpdate, membership_of  # noqa: E402
from scripts import liveserver  # noqa: E402
from scripts.bench_import import wide_workbook  # noqa: E402

LOGS = BASE / "var" / "faults"
PYTHON = sys.executable
STAFF = "staff"  # the demo's staff member (ฝ่ายการคลัง, เขตพระโขนง)
PAGE = "/actions/"
WEB_APP_NAME = "ita-faults-web"
IMPORT_APP_NAME = "ita-faults-import"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_STORED = "เก็บไฟล์หลักฐานไม่สำเร็จ"

CHECK_SECONDS = int(os.environ.get("FAULTS_CHECK_SECONDS", 180))
IMPORT_ORGANIZATIONS = max(50, int(os.environ.get("FAULTS_IMPORT_ORGANIZATIONS", 500)))
RECOVERY_SECONDS = 5  # the database back → a page answers 200 again within this
REQUEST_TIMEOUT = 10
POLLERS = 4


class TimedOut(Exception):
    pass


@dataclass
class Verdict:
    figures: str
    problems: list[str]


def note(text: str) -> None:
    print(f"  {text}", flush=True)


def pg_env(name: str) -> str:
    value = os.environ.get(name)
    if value is None:
        raise SystemExit(f"{name} is not set: run through scripts/with-postgres.sh (make faults)")
    return value


# --- the database and the processes -------------------------------------------------------


def pg_ctl(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """pg_ctl on the throw-away cluster, as the user that owns it."""
    command = [
        *shlex.split(pg_env("ITA_PG_AS")),
        f"{pg_env('ITA_PG_BIN')}/pg_ctl",
        "-D",
        pg_env("ITA_PG_DATA"),
        "-l",
        pg_env("ITA_PG_LOG"),
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def postmaster_pid() -> str:
    try:
        return (Path(pg_env("ITA_PG_DATA")) / "postmaster.pid").read_text().split("\n", 1)[0]
    except OSError:
        return "?"


def backends(application_name: str) -> dict[int, str]:
    """{pid: state} of the database sessions with this application_name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, coalesce(state, '') FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return dict(cursor.fetchall())


def process_start(pid: int) -> str | None:
    """The process's start time (clock ticks since boot): a PID and this name one process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def wait_for(
    condition: Callable[[], bool], seconds: float, since: float | None = None, step: float = 0.01
) -> float | None:
    """Seconds from ``since`` (default: now) until ``condition()`` held, or None if it did not
    within ``seconds``."""
    since = time.monotonic() if since is None else since
    while time.monotonic() - since < seconds:
        if condition():
            return time.monotonic() - since
        time.sleep(step)
    return None


def idle_in_transaction() -> int:
    """Database sessions other than this one left inside a transaction, doing nothing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


# --- the browser --------------------------------------------------------------------------

VERSION_FIELD = re.compile(rb'name="version" value="(\d+)"')


class Client(liveserver.Client):
    def copy_session(self, other: liveserver.Client) -> None:
        for cookie in other.jar:
            self.jar.set_cookie(cookie)

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
    ) -> tuple[int, bytes]:
        """POST a multipart form: ``files`` maps a field to (file name, content, type)."""
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + value.encode()
                + b"\r\n"
            )
        for name, (filename, content, kind) in files.items():
            parts.append(
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def report_form(self, action: Action) -> tuple[str, dict[str, str]]:
        """The report form's URL and its hidden fields (CSRF token, the action's version)."""
        path = f"/actions/{action.pk}/report/"
        status, html = self.request(path, timeout=REQUEST_TIMEOUT)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        version = VERSION_FIELD.search(html)
        if not version:
            raise RuntimeError(f"{path}: no version field in the form")
        token = self.csrf_token(html)
        return path, {"csrfmiddlewaretoken": token, "version": version.group(1).decode()}


class Server:
    """gunicorn on a free port for the length of a ``with`` block; its log in var/faults/."""

    def __init__(self, name: str, workers: int, extra: dict[str, str]):
        self.log_path = LOGS / f"{name}.log"
        self.extra = {"PGAPPNAME": WEB_APP_NAME, **extra}
        self.workers = workers
        self.port = liveserver.free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        self.log = self.log_path.open("w")
        self.process = liveserver.start_gunicorn(
            self.port, self.log, self.extra, workers=self.workers, timeout=30
        )
        try:
            liveserver.wait_until_up(self.base_url, self.process, self.log_path)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        liveserver.stop(self.process)
        self.log.close()

    def signed_in(self, password: str) -> Client:
        client = Client(self.base_url)
        client.sign_in(STAFF, password)
        return client

    def processes(self) -> tuple[int, str | None, set[int]]:
        """(master PID, its start time, worker PIDs)."""
        pid = self.process.pid
        return pid, process_start(pid), children(pid)

    def logged(self, text: str) -> bool:
        self.log.flush()
        return text in self.log_path.read_text(errors="replace")


def staff_action(index: int) -> Action:
    """One of the actions of the staff member's division (each check its own)."""
    division = membership_of(get_user_model().objects.get(username=STAFF)).division
    return Action.objects.filter(lead_division=division).order_by("pk")[index]


def report_counts(action: Action) -> tuple[int, int, int]:
    """(reports on the action, report history rows, the action's version)."""
    action.refresh_from_db()
    reports = ProgressUpdate.objects.filter(action=action)
    history = ProgressUpdate.history.filter(action_id=action.pk)
    return reports.count(), history.count(), action.version


# --- 1. the database restarts mid-run -------------------------------------------------------


@dataclass
class Hit:
    started: float
    ended: float
    status: int | str  # the HTTP status, or the exception's name


def keep_requesting(client: Client, stop: threading.Event, hits: list[Hit], lock) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            status, _ = client.request(PAGE, timeout=REQUEST_TIMEOUT)
        except OSError as error:  # refused, reset, timed out
            status = type(error).__name__
        with lock:
            hits.append(Hit(started, time.monotonic(), status))
        time.sleep(0.02)


def failures(hits: list[Hit]) -> str:
    counts: dict[str, int] = {}
    for hit in hits:
        if hit.status != 200:
            counts[str(hit.status)] = counts.get(str(hit.status), 0) + 1
    return ", ".join(f"{status} ×{n}" for status, n in sorted(counts.items())) or "none"


def check_database_restart(password: str) -> Verdict:
    problems: list[str] = []
    action = staff_action(0)
    with (
        tempfile.TemporaryDirectory(prefix="ita-faults-media-") as media,
        Server("restart", 2, {"DJANGO_MEDIA_ROOT": media}) as server,
    ):
        main = server.signed_in(password)
        master_before = server.processes()
        clients = [Client(server.base_url) for _ in range(POLLERS)]
        for client in clients:
            client.copy_session(main)
        hits: list[Hit] = []
        lock, stop = threading.Lock(), threading.Event()
        threads = [
            threading.Thread(target=keep_requesting, args=(c, stop, hits, lock), daemon=True)
            for c in clients
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            connections_before = backends(WEB_APP_NAME)
            postmaster_before = postmaster_pid()
            connections.close_all()  # this script's own connection goes with the restart
            restart_at = time.monotonic()
            restarted = pg_ctl("-w", "restart", "-m", "fast")
            back_at = time.monotonic()
            note(
                f"pg_ctl restart -m fast: exit {restarted.returncode}, "
                f"{back_at - restart_at:.2f} s; postmaster {postmaster_before} → "
                f"{postmaster_pid()}"
            )
            if restarted.returncode != 0:
                problems.append(f"pg_ctl restart failed: {restarted.stderr.strip()}")

            def recovered() -> bool:
                with lock:
                    return any(h.started >= back_at and h.status == 200 for h in hits)

            wait_for(recovered, 4 * RECOVERY_SECONDS)
            time.sleep(3)  # requests after the recovery, to see them all succeed
        finally:
            stop.set()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT + 5)
        connections_after = backends(WEB_APP_NAME)
        master_after = server.processes()
        master_alive = server.process.poll() is None

        # A report after the recovery: stored once.
        reports_before = report_counts(action)
        path, hidden = main.report_form(action)
        status, _ = main.request(
            path,
            {**hidden, "progress": "30", "status": "in_progress", "note": "หลังฐานข้อมูลเริ่มใหม่"},
            timeout=REQUEST_TIMEOUT,
        )
        reports_after = report_counts(action)
        final_status, final_page = main.request(PAGE, timeout=REQUEST_TIMEOUT)

    hits.sort(key=lambda h: h.started)
    before = [h for h in hits if h.ended < restart_at]
    during = [h for h in hits if h.ended >= restart_at and h.started < back_at]
    after = [h for h in hits if h.started >= back_at]
    first_ok = next((h for h in after if h.status == 200), None)
    outage = [h for h in during + after if first_ok is None or h.started < first_ok.started]
    steady = [h for h in after if first_ok is not None and h.started > first_ok.started]
    failed = [h for h in outage if h.status != 200]
    recovery = first_ok.ended - back_at if first_ok else None
    note(
        f"requests to {PAGE}: before {len(before)} (failed: {failures(before)}), during "
        f"{len(during)} (failed: {failures(during)}), after {len(after)} (failed: "
        f"{failures(after)})"
    )
    note(
        f"app's database connections: before {sorted(connections_before)}, after "
        f"{sorted(connections_after)}"
    )
    note(
        f"gunicorn master {master_before[0]} (workers {sorted(master_before[2])}) → "
        f"{master_after[0]} (workers {sorted(master_after[2])}); log: {server.log_path}"
    )

    if len(before) < 5 or any(h.status != 200 for h in before):
        problems.append(f"before the restart: {len(before)} requests, {failures(before)}")
    if recovery is None:
        problems.append(f"no 200 within {4 * RECOVERY_SECONDS} s of the database being back")
    elif recovery > RECOVERY_SECONDS:
        problems.append(f"first 200 only {recovery:.2f} s after the database was back")
    if len(steady) < 5 or any(h.status != 200 for h in steady):
        problems.append(f"after the recovery: {len(steady)} requests, {failures(steady)}")
    # The outage is the database's, and the user is told so: 503 with the Thai page and
    # Retry-After (ita_tracker.middleware), not a 500 that looks like a bug. A connection
    # refused before gunicorn answers would show as an exception name, also not 503.
    if any(h.status != 503 for h in failed):
        problems.append(f"during the outage not 503: {failures(failed)}")
    if master_after[:2] != master_before[:2] or not master_alive:
        problems.append("the gunicorn master changed or stopped")
    if master_after[2] != master_before[2]:
        problems.append("gunicorn workers were replaced")
    if set(connections_before) & set(connections_after):
        problems.append("a database connection survived the restart (was it restarted?)")
    if not connections_before:
        problems.append(f"no database connection named {WEB_APP_NAME} before the restart")
    redirects = [h for h in hits if h.status == 302]
    session_kept = not redirects and final_status == 200 and b"csrfmiddlewaretoken" in final_page
    if not session_kept:
        problems.append(f"session lost: {len(redirects)} redirects, last page HTTP {final_status}")
    stored_once = (
        status == 302
        and reports_after[0] == reports_before[0] + 1
        and reports_after[2] == reports_before[2] + 1
    )
    if not stored_once:
        problems.append(
            f"report after recovery: HTTP {status}, reports {reports_before[0]} → "
            f"{reports_after[0]}, version {reports_before[2]} → {reports_after[2]}"
        )
    recovered_in = f"{recovery:.2f} s" if recovery is not None else "never"
    figures = (
        f"requests before/during/after {len(before)}/{len(during)}/{len(after)}, "
        f"{len(failed)} answered 503 during the outage, first 200 {recovered_in} after PostgreSQL "
        f"was back (limit {RECOVERY_SECONDS} s), master PID {master_before[0]} "
        f"{'unchanged' if master_after[:2] == master_before[:2] else 'CHANGED'}, "
        f"session {'kept' if session_kept else 'LOST'}, report after "
        f"{'stored once' if stored_once else 'NOT stored once'}"
    )
    return Verdict(figures, problems)


# --- 2. an import killed half-way ------------------------------------------------------------

MID_WRITE = """
    SELECT a.pid, a.backend_xid::text, extract(epoch FROM now() - a.xact_start), left(a.query, 60)
    FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
    WHERE a.application_name = %s AND a.backend_xid IS NOT NULL
      AND l.locktype = 'relation' AND l.relation = %s::regclass
      AND l.mode = 'RowExclusiveLock' AND l.granted
"""


def import_counts() -> dict[str, int]:
    return {
        "scores": ItemScore.objects.count(),
        "assessments": Assessment.objects.count(),
        "imports": ImportRecord.objects.count(),
        "history": ItemScore.history.count(),
    }


def show(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {value:,}" for name, value in counts.items())


def organization_codes() -> list[str]:
    """The 50 districts, then made-up organizations up to IMPORT_ORGANIZATIONS."""
    districts = sorted(
        Organization.objects.filter(kind=Organization.Kind.DISTRICT).values_list("code", flat=True)
    )
    extra = [f"F{n:04d}" for n in range(1, IMPORT_ORGANIZATIONS - len(districts) + 1)]
    Organization.objects.bulk_create(
        [
            Organization(code=code, name_th=f"หน่วยงานทดสอบ {code}", kind=Organization.Kind.OTHER)
            for code in extra
        ],
        ignore_conflicts=True,
    )
    return districts + extra


def start_import(path: Path, log) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "import_scores", str(path)],
        cwd=BASE,
        env={**os.environ, "PGAPPNAME": IMPORT_APP_NAME},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def check_import_killed() -> Verdict:
    problems: list[str] = []
    items = list(Framework.objects.get(fiscal_year=2564).items.order_by("order"))
    codes = organization_codes()
    log_path = LOGS / "import.log"
    with tempfile.TemporaryDirectory(prefix="ita-faults-import-") as work:
        workbook = Path(work) / "scores-2564.xlsx"
        workbook.write_bytes(wide_workbook(codes, items))
        note(
            f"workbook: {len(codes)} organizations × {len(items)} items = "
            f"{len(codes) * len(items):,} scores, {workbook.stat().st_size:,} bytes"
        )
        before = import_counts()
        with log_path.open("w") as log:
            process = start_import(workbook, log)
            started = time.monotonic()
            caught = None
            try:
                while process.poll() is None and time.monotonic() - started < 120:
                    with connection.cursor() as cursor:
                        cursor.execute(MID_WRITE, [IMPORT_APP_NAME, ItemScore._meta.db_table])
                        caught = cursor.fetchone()
                    if caught:
                        process.send_signal(signal.SIGKILL)
                        killed = time.monotonic()
                        break
                    time.sleep(0.01)
                killed_at = time.monotonic() - started
            finally:
                if process.poll() is None and not caught:
                    process.kill()
                process.wait(10)
        if caught:
            pid, xid, in_transaction, query = caught
            note(
                f"caught {killed_at:.2f} s after the start: backend {pid}, transaction {xid} "
                f"open {float(in_transaction):.2f} s, running {query.split(chr(10))[0]!r}…"
            )
            note(f"import process: exit {process.returncode} (SIGKILL = -9)")
            gone = wait_for(lambda: pid not in backends(IMPORT_APP_NAME), 10, since=killed)
            left, idle = backends(IMPORT_APP_NAME), idle_in_transaction()
            after_kill = import_counts()
            note(f"counts before:         {show(before)}")
            note(f"counts after the kill: {show(after_kill)}")
            if process.returncode != -signal.SIGKILL:
                problems.append(f"the import exited by itself ({process.returncode})")
            if gone is None or left or idle:
                problems.append(f"left after the kill: backends {left}, {idle} idle in transaction")
            if after_kill != before:
                problems.append("counts changed by the killed import")
        else:
            gone, idle, after_kill = None, None, None
            problems.append(
                f"the import was not caught mid-write (exit {process.returncode} after "
                f"{killed_at:.2f} s): set FAULTS_IMPORT_ORGANIZATIONS higher"
            )

        started = time.monotonic()
        with log_path.open("a") as log:
            complete = start_import(workbook, log)
            try:
                complete.wait(300)
            finally:
                if complete.poll() is None:
                    complete.kill()
                    complete.wait()
        took = time.monotonic() - started
        full = import_counts()
    note(f"the same file to completion: exit {complete.returncode}, {took:.2f} s")
    note(f"counts after it:       {show(full)}  (log: {log_path})")
    changed = {name: full[name] - before[name] for name in before}
    if complete.returncode != 0 or changed["imports"] != 1 or changed["history"] <= 0:
        problems.append(f"the complete import did not change the counts as it should: {changed}")
    unchanged = after_kill == before
    gone_in = f"{gone * 1000:.0f} ms" if gone is not None else "not gone"
    figures = (
        f"SIGKILL {killed_at:.2f} s into an import that takes {took:.2f} s in full; counts "
        f"after the kill {'unchanged' if unchanged else 'CHANGED'} ({show(before)}); its backend "
        f"gone {gone_in} after the kill, {idle} session(s) idle in transaction; the complete run "
        "then added " + ", ".join(f"{name} {value:+,}" for name, value in changed.items())
    )
    return Verdict(figures, problems)


# --- 3. an upload that fails to store --------------------------------------------------------


def check_upload_not_stored(password: str) -> Verdict:
    problems: list[str] = []
    action = staff_action(1)
    typed = f"รายงานทดสอบการเก็บไฟล์ {secrets.token_hex(4)} ประชุมชี้แจงเจ้าหน้าที่ครบแล้ว"
    with tempfile.TemporaryDirectory(prefix="ita-faults-upload-") as work:
        blocker = Path(work) / "not-a-dir"
        blocker.write_text("a regular file where the media folder's parent should be\n")
        media = blocker / "media"
        with Server("upload", 1, {"DJANGO_MEDIA_ROOT": str(media)}) as server:
            client = server.signed_in(password)
            before = report_counts(action)
            path, hidden = client.report_form(action)
            fields = {**hidden, "progress": "40", "status": "in_progress", "note": typed}
            files = {"evidence_file": ("evidence-faults.pdf", PDF, "application/pdf")}
            status, page = client.post_multipart(path, fields, files)
            after = report_counts(action)
            html = page.decode(errors="replace")
            logged = server.logged("not stored")
            with_file = ProgressUpdate.objects.filter(evidence_file__contains="evidence-faults")
            dangling = with_file.count()
            note(
                f"POST {path} with a {len(PDF)}-byte PDF, media root {media}: HTTP {status}; "
                f"message shown: {NOT_STORED in html}; typed text kept: {typed in html}; "
                f"logged: {logged}"
            )
            note(
                f"reports on the action / history rows / version: {before} → {after}; "
                f"reports with the file: {dangling}"
            )
            if status not in (200, 503):
                problems.append(f"HTTP {status} (a page with the form was expected)")
            if NOT_STORED not in html:
                problems.append("no message that the file was not stored")
            if typed not in html:
                problems.append("the typed text is not in the form")
            if after != before or dangling:
                problems.append("something was saved")
            if not logged:
                problems.append(f"the storage failure is not in the log ({server.log_path})")

            # The storage works again: the same post is stored, once.
            blocker.unlink()
            blocker.mkdir()
            retry, _ = client.post_multipart(path, fields, files)
            stored = report_counts(action)
            update = ProgressUpdate.objects.filter(action=action).order_by("-pk").first()
            on_disk = (media / update.evidence_file.name) if update else None
            file_ok = bool(on_disk and on_disk.is_file() and on_disk.read_bytes() == PDF)
            note(
                f"media folder made possible, same post again: HTTP {retry}; counts {stored}; "
                f"file stored: {file_ok}"
            )
            if not (retry == 302 and stored[0] == before[0] + 1 and file_ok):
                problems.append("the same post was not stored once the storage worked")
    figures = (
        f"HTTP {status} with the Thai message {'shown' if NOT_STORED in html else 'MISSING'}, "
        f"typed text {'kept' if typed in html else 'LOST'}, reports {before[0]} → {after[0]}, "
        f"history {before[1]} → {after[1]}, version {before[2]} → {after[2]}, failure "
        f"{'logged' if logged else 'NOT logged'}; once the folder could be made: HTTP {retry}, "
        f"reports {stored[0]}"
    )
    return Verdict(figures, problems)


# --- running --------------------------------------------------------------------------------


def prepare() -> str:
    """Migrate, load the demo; return a fresh password for the staff account."""
    call_command("migrate", verbosity=0)
    load_demo(with_users=True)
    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.get(username=STAFF)
    user.set_password(password)
    user.save()
    connections.close_all()
    return password


def run(number: int, title: str, check: Callable[[], Verdict]) -> bool:
    print(f"\n{number}. {title}", flush=True)

    def expire(signum, frame):
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(CHECK_SECONDS)
    try:
        verdict = check()
    except TimedOut:
        verdict = Verdict(f"stopped after {CHECK_SECONDS} s", ["time limit reached"])
    except Exception as error:
        verdict = Verdict(f"{type(error).__name__}: {error}", ["the check itself failed"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        connections.close_all()
    line = f"{'PASS' if not verdict.problems else 'FAIL'} {number}. {title}: {verdict.figures}"
    if verdict.problems:
        line += " — " + "; ".join(verdict.problems)
    print(line, flush=True)
    return not verdict.problems


def main() -> None:
    for name in ("ITA_PG_BIN", "ITA_PG_DATA", "ITA_PG_LOG", "ITA_PG_AS"):
        pg_env(name)
    if connection.vendor != "postgresql":
        raise SystemExit("DATABASE_URL must point at the throw-away PostgreSQL cluster")
    LOGS.mkdir(parents=True, exist_ok=True)
    password = prepare()
    results = [
        run(1, "database restarts mid-run", lambda: check_database_restart(password)),
        run(2, "import killed half-way", check_import_killed),
        run(3, "upload that fails to store", lambda: check_upload_not_stored(password)),
    ]
    print(f"\n{sum(results)} of {len(results)} fault checks passed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
