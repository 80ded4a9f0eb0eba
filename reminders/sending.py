"""Send a day's digests: choose who gets what, build the content, then for each digest claim it,
send it and record how it went.

A digest is claimed by inserting its ``Digest`` row before it is sent. The unique constraint
(user, kind, day) refuses a second claim, so two servers running ``send_reminders`` at once
never send the same digest twice; a digest that failed earlier in the day is claimed back by
one conditional UPDATE, which only one run can win. A recipient's failure is recorded and
logged, and the run goes on with the others.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import get_connection
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from reminders.content import DigestContent
from reminders.mail import build_message
from reminders.models import Digest
from reminders.schedule import digest_requests

log = logging.getLogger(__name__)

# The error kept with a failed digest: enough to read the server's answer.
ERROR_MAX_CHARS = 1000

# SQLite refuses a write while another connection holds the lock longer than its busy timeout
# ("database is locked"; at once for the shared in-memory database of the tests: "database
# table is locked"). Each step below is one short statement, worth trying again: a digest
# left "sending" after its e-mail went out would never be marked sent.
LOCKED_TRIES = 20
LOCKED_PAUSE_SECONDS = 0.05


def _patiently(step):
    for attempt in range(1, LOCKED_TRIES + 1):
        try:
            return step()
        except OperationalError as error:
            retry = connection.vendor == "sqlite" and "locked" in str(error)
            if not retry or attempt == LOCKED_TRIES or connection.in_atomic_block:
                raise
            time.sleep(LOCKED_PAUSE_SECONDS * attempt)


@dataclass
class Outcome:
    sent: int = 0
    # Claimed or sent already, by this run's predecessor or a run on another server.
    skipped: int = 0
    failed: int = 0
    # Nothing due: no e-mail.
    empty: int = 0
    # Not tried: the mail server could not be reached (nothing claimed; the next run sends).
    unreached: int = 0
    # What a dry run would send.
    planned: list = field(default_factory=list)


def previous_figures(user_ids, day: date) -> dict[int, dict]:
    """The figures of each user's last sent weekly digest before ``day``, in one query."""
    last_day = (
        Digest.objects.filter(
            user=OuterRef("user"), kind=Digest.Kind.WEEKLY, status=Digest.Status.SENT, day__lt=day
        )
        .order_by("-day")
        .values("day")[:1]
    )
    rows = Digest.objects.filter(
        user_id__in=user_ids,
        kind=Digest.Kind.WEEKLY,
        status=Digest.Status.SENT,
        day=Subquery(last_day),
    ).values_list("user_id", "figures")
    return _patiently(lambda: dict(rows))


def build(day: date) -> tuple[dict, list[DigestContent]]:
    """The users due a digest on ``day`` (by id) and their digests' content."""
    # The builder decides who sees which lines; imported here, where it is used, so that this
    # module (and its tests) stand without it.
    from reminders.digests import build_digests

    requests = digest_requests(day)
    users = {user.pk: user for user, _kind in requests}
    weekly = [user.pk for user, kind in requests if kind == Digest.Kind.WEEKLY]
    previous = previous_figures(weekly, day) if weekly else {}
    return users, build_digests(requests, day, previous)


def claim(user, content: DigestContent, day: date) -> Digest | None:
    """Take the digest for this run, or None if another run has it (or sent it)."""
    recorded = {"lines": content.line_count, "figures": content.figures}
    same = {"user": user, "kind": content.kind, "day": day}

    def insert():
        # A savepoint: a refused insert leaves any surrounding transaction usable.
        with transaction.atomic():
            return Digest.objects.create(status=Digest.Status.SENDING, **same, **recorded)

    try:
        return _patiently(insert)
    except IntegrityError:
        pass
    # Taken already; a failed one is taken back by whichever run's UPDATE finds it failed.
    failed = Digest.objects.filter(status=Digest.Status.FAILED, **same)
    if _patiently(lambda: failed.update(status=Digest.Status.SENDING, **recorded)) != 1:
        return None
    return _patiently(lambda: Digest.objects.get(**same))


def _record(digest: Digest, **fields) -> None:
    mine = Digest.objects.filter(pk=digest.pk)
    _patiently(lambda: mine.update(attempts=F("attempts") + 1, **fields))


def _hang_up(mailer) -> None:
    try:
        mailer.close()
    except Exception as error:
        # Nothing left to do with a conversation that failed to end; the next one is new.
        log.info("closing the mail connection failed: %s", error)


def send_digests(day: date, *, dry_run: bool = False) -> Outcome:
    """Send (or, dry, only list) the digests due on ``day``."""
    outcome = Outcome()
    users, contents = build(day)
    due = [content for content in contents if not content.is_empty]
    outcome.empty = len(contents) - len(due)
    if dry_run:
        outcome.planned = [(users[content.user_id], content) for content in due]
        return outcome
    mailer = get_connection()
    for position, content in enumerate(due):
        user = users[content.user_id]
        try:
            # Opened once and kept for the next message (after a failure, opened anew).
            mailer.open()
        except Exception as error:
            # The server cannot be reached: every other digest would wait out the same
            # timeout. None of the rest is claimed, so the next run sends them all.
            outcome.unreached = len(due) - position
            log.error(
                "mail server unreachable, %s digests left for the next run: %s",
                outcome.unreached,
                error,
            )
            break
        digest = claim(user, content, day)
        if digest is None:
            outcome.skipped += 1
            continue
        try:
            build_message(content, user, connection=mailer).send()
        # Any error: one recipient's failure never stops the others.
        except Exception as error:
            outcome.failed += 1
            _record(
                digest,
                status=Digest.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:ERROR_MAX_CHARS],
            )
            log.warning(
                "reminder digest %s for user %s (%s) failed: %s",
                content.kind,
                user.pk,
                user.email,
                error,
            )
            # The conversation may be broken; the next message opens a new one.
            _hang_up(mailer)
        else:
            outcome.sent += 1
            _record(digest, status=Digest.Status.SENT, sent_at=timezone.now(), error="")
    _hang_up(mailer)
    return outcome
