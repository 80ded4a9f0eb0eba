"""The simulated users of `make loadtest`: district staff reporting progress, managers reading
dashboards. Started by scripts/loadtest.py, which prepares the accounts; not meant to be run on
its own.

    .venv/bin/locust -f scripts/locustfile.py --headless --host http://127.0.0.1:<port> …

LOADTEST_ACCOUNTS names the JSON file written by loadtest.py: the district and years, the
accounts (with the actions each staff member may report on) and the folder for the outcomes.
Only a server on http://127.0.0.1:<port> is accepted as --host.

Every request is written to ``requests-<pid>.jsonl`` in that folder (name, time, error).
Every progress report carries a unique marker ``[load <uuid>]`` in its note; each report sent
is written, with its outcome, to ``outcomes-<pid>.jsonl`` there, one JSON line each:
``sent`` before the POST, then ``accepted`` (302 to the action page), ``refused`` (the app
declined it on purpose: 409 stale version, or the form shown again with an error) or
``failed`` (anything else). A refusal is not a server failure: it is a success in locust's
statistics and counted apart by loadtest.py.

After a 409 the user does what a person does: reads the latest values the page now shows
beside theirs and saves once more, with the form as it came back (the version it now carries,
the same marker): ``resent``, then the retry's own outcome.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text(encoding="utf-8"))
OUTPUT = Path(ACCOUNTS["outcomes_dir"])
# Line-buffered: every line is on disk as soon as it is written, even if the run is killed.
OUTCOMES = (OUTPUT / f"outcomes-{os.getpid()}.jsonl").open("a", encoding="utf-8", buffering=1)
REQUESTS = (OUTPUT / f"requests-{os.getpid()}.jsonl").open("a", encoding="utf-8", buffering=1)
REQUEST_TIMEOUT = 60  # seconds; a request slower than this is a failure

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# An action's version, or a division's latest report on a "ทุกฝ่าย" action ("d12-345").
VERSION_FIELD = re.compile(r'name="version" value="([^"]+)"')
FORM_ERROR = re.compile(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', re.S)

NOTES = (
    "ประชาสัมพันธ์ผ่านเว็บไซต์สำนักงานเขตและเพจเฟซบุ๊กแล้ว",
    "จัดประชุมชี้แจงบุคลากรในฝ่ายเรียบร้อย มีผู้เข้าร่วม 24 คน",
    "เผยแพร่ข้อมูลบนเว็บไซต์ตามแบบ OIT แล้ว อยู่ระหว่างตรวจทานความครบถ้วน",
    "ปรับปรุงคู่มือการปฏิบัติงานและส่งให้หัวหน้าฝ่ายพิจารณา",
    "รวบรวมข้อร้องเรียนไตรมาสนี้และรายงานผู้อำนวยการเขตแล้ว",
)


@events.init.add_listener
def refuse_other_hosts(environment, **_kwargs):
    """Load is only ever put on a server of our own on the loopback."""
    host = urlsplit(environment.host or "")
    if host.scheme != "http" or host.hostname != "127.0.0.1" or not host.port or host.path:
        raise SystemExit(f"refusing --host {environment.host!r}: only http://127.0.0.1:<port>")


@events.request.add_listener
def log_request(request_type, name, response_time, exception=None, **_kwargs):
    """Every request, including those of the users finishing their task after the time limit
    (locust's CSV stops counting at the limit)."""
    entry = {"method": request_type, "name": name, "ms": response_time, "end": time.time()}
    if exception is not None:
        entry["error"] = str(exception)[:300]
    REQUESTS.write(json.dumps(entry, ensure_ascii=False) + "\n")


def record(**entry) -> None:
    """One line of a report's fate."""
    entry["time"] = time.time()
    OUTCOMES.write(json.dumps(entry, ensure_ascii=False) + "\n")


def think() -> None:
    time.sleep(random.uniform(0.5, 2))  # gevent-patched: yields to the other users


class SignedInUser(HttpUser):
    """A browser that signs in through the login form; its accounts come from ``pool``."""

    abstract = True
    wait_time = between(0.5, 2)
    pool: list[dict] = []
    _next: itertools.count

    def on_start(self):
        self.account = self.pool[next(self._next) % len(self.pool)]
        self.signed_in = False
        self.sign_in()

    def page(self, path: str, name: str | None = None):
        """GET a page that must answer 200 (a redirect to sign-in is a failure too)."""
        with self.client.get(
            path,
            name=name,
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(describe(response))
                return None
            return response.text

    def sign_in(self) -> None:
        html = self.page("/accounts/login/")
        token = CSRF_FIELD.search(html or "")
        if not token:
            return
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and "/accounts/login/" not in location:
                self.signed_in = True
            elif response.status_code == 429:
                response.failure("sign-in locked out (429)")
            else:
                response.failure(f"sign-in refused: {describe(response)}")

    def ensure_signed_in(self) -> bool:
        if not self.signed_in:
            self.sign_in()
        return self.signed_in


def describe(response) -> str:
    if response.status_code == 0:
        return f"no answer: {type(response.error).__name__}: {response.error}"
    if response.status_code in (301, 302, 303):
        return f"HTTP {response.status_code} to {response.headers.get('Location', '?')}"
    return f"HTTP {response.status_code}"


class StaffUser(SignedInUser):
    """District staff: my actions, one of them, its report form, then a report."""

    weight = 6
    pool = ACCOUNTS["staff"]
    _next = itertools.count()

    @task
    def report_progress(self):
        if not self.ensure_signed_in():
            return
        if self.page("/actions/") is None:
            return
        think()
        pk = random.choice(self.account["actions"])
        if self.page(f"/actions/{pk}/", name="/actions/[pk]/") is None:
            return
        think()
        form = self.page(f"/actions/{pk}/report/", name="/actions/[pk]/report/")
        if form is None:
            return
        token, version = CSRF_FIELD.search(form), VERSION_FIELD.search(form)
        if not (token and version):
            record(event="form_unusable", action=pk, user=self.account["username"])
            return
        think()
        self.post_report(pk, token.group(1), version.group(1))

    def post_report(self, pk: int, token: str, version: str) -> None:
        marker = f"[load {uuid.uuid4()}]"
        roll = random.random()
        if roll < 0.15:
            status, progress, url = "done", 100, "https://www.bangkok.go.th/phrakhanong"
        elif roll < 0.2:
            status, progress, url = "not_started", 0, ""
        else:
            status, progress, url = "in_progress", random.randrange(5, 100, 5), ""
        data = {
            "csrfmiddlewaretoken": token,
            "version": version,
            "progress": str(progress),
            "status": status,
            "note": f"{random.choice(NOTES)} {marker}",
            "evidence_url": url,
        }
        who = {"marker": marker, "action": pk, "user": self.account["username"]}
        record(event="sent", **who)
        stale = self.send(pk, data, who, retry=False)
        if stale is None:
            return
        think()  # reads the latest values beside theirs
        token, version = CSRF_FIELD.search(stale), VERSION_FIELD.search(stale)
        if not (token and version):
            record(event="form_unusable", action=pk, user=self.account["username"])
            return
        record(event="resent", **who)
        self.send(
            pk,
            {**data, "csrfmiddlewaretoken": token.group(1), "version": version.group(1)},
            who,
            retry=True,
        )

    def send(self, pk: int, data: dict, who: dict, *, retry: bool) -> str | None:
        """POST the report; return the 409 page (to try once more from) or None."""
        # As a browser sends this form: multipart, with an empty file field.
        files = {"evidence_file": ("", b"", "application/octet-stream")}
        with self.client.post(
            f"/actions/{pk}/report/",
            name="/actions/[pk]/report/ (retry)" if retry else "/actions/[pk]/report/",
            data=data,
            files=files,
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and urlsplit(location).path == f"/actions/{pk}/":
                response.success()
                record(event="accepted", retry=retry, **who)
            elif response.status_code == 409:
                response.success()
                kind = "stale version on the retry (409)" if retry else "stale version (409)"
                record(event="refused", kind=kind, **who)
                return response.text
            elif response.status_code == 200 and (error := FORM_ERROR.search(response.text)):
                response.success()
                text = re.sub(r"<[^>]+>", "", error.group(1)).strip()[:120]
                record(event="refused", kind=f"form error (200): {text}", **who)
            else:
                response.failure(f"report: {describe(response)}")
                record(event="failed", status=response.status_code, **who)
        return None


class ManagerUser(SignedInUser):
    """A district manager: the district's dashboards, plan and report."""

    abstract = True
    district = ACCOUNTS["district"]
    scores = f"/scores/{district}/{ACCOUNTS['assessment_year']}/"
    plan = f"/plans/{district}/{ACCOUNTS['plan_year']}/"

    @task(3)
    def scores_dashboard(self):
        if self.ensure_signed_in():
            self.page(self.scores)

    @task(3)
    def progress_dashboard(self):
        if self.ensure_signed_in():
            self.page(f"{self.plan}progress/")

    @task(2)
    def plan_page(self):
        if self.ensure_signed_in():
            self.page(self.plan)

    @task(1)
    def report_page(self):
        if self.ensure_signed_in():
            self.page(f"{self.plan}report/")


class DistrictManagerUser(ManagerUser):
    weight = 1
    pool = ACCOUNTS["district_managers"]
    _next = itertools.count()


class CentralManagerUser(ManagerUser):
    """A central manager: the same pages, and the BMA-wide overview."""

    weight = 1
    pool = ACCOUNTS["central_managers"]
    _next = itertools.count()

    @task(3)
    def overview(self):
        if self.ensure_signed_in():
            self.page(f"/overview/{ACCOUNTS['assessment_year']}/")
