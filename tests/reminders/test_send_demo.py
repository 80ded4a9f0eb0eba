"""End to end on the demo, with the real digest builder (reminders.digests): what the issue
promises for `send_reminders --dry-run --date 2022-06-20`."""

import re
from io import StringIO

from django.core.management import call_command

from plans.demo import load_demo
from reminders.models import Digest


def test_the_demo_shows_real_digests_of_the_seed_plan(db):
    load_demo(with_users=True)
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2022-06-20", stdout=out)
    printed = out.getvalue()
    # 20 June 2022 is a Monday: the daily digests and the managers' weekly summaries.
    assert re.search(r"^staff <[^>]+@example\.org> daily", printed, re.MULTILINE), printed
    assert re.search(r"^owner <[^>]+@example\.org> daily", printed, re.MULTILINE), printed
    assert re.search(r"^manager <[^>]+@example\.org> weekly", printed, re.MULTILINE), printed
    # Buddhist-Era dates of the FY 2565 plan.
    assert "2565" in printed
    assert Digest.objects.count() == 0
