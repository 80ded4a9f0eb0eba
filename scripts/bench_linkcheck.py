"""The OIT link checker over 200 addresses of a local web site: seconds, and each verdict's count.

    make bench-linkcheck          (BENCH_URLS=200 to change the number)

A mix of what offices publish (good pages and PDFs, last year's, 404s, redirect chains and
loops, images, office documents, a few slow pages and two 50 MB bodies), all on 127.0.0.1, so
the guard's ITA_LINKCHECK_ALLOW_PRIVATE is on for this run only. One host means the per-host
limit (4) governs, as it would for one district's own web server. Figures, never a test.
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent

MIX = [
    "/good",
    "/good-thai",
    "/last-year",
    "/pdf-year",
    "/pdf-old",
    "/pdf-as-binary",
    "/image",
    "/docx",
    "/missing",
    "/chain/3",
    "/chain/6",
    "/loop-a",
]


def main() -> None:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from oit.checker import Checker, Limits
    from tests.oit.web import YEAR, LocalSite

    count = int(os.environ.get("BENCH_URLS", 200))
    with LocalSite() as site:
        paths = [MIX[n % len(MIX)] for n in range(count - 6)]
        paths += ["/slow?s=1"] * 4 + ["/huge"] * 2
        # A query per address, so that each is fetched (the checker fetches a repeat once).
        pairs = [
            (site.url(f"{path}{'&' if '?' in path else '?'}n={n}"), YEAR)
            for n, path in enumerate(paths)
        ]
        limits = Limits.from_settings(allow_private=True)
        started = time.monotonic()
        with Checker(limits) as checker:
            verdicts = checker.check_many(pairs)
        seconds = time.monotonic() - started
    counts = Counter(verdict.result.value for verdict in verdicts.values())
    print(
        f"{len(verdicts)} addresses in {seconds:.2f} s "
        f"(per host {limits.per_host}, overall {limits.overall}, timeout {limits.timeout:g} s, "
        f"cap {limits.max_bytes // 1024 // 1024} MB)"
    )
    for result, number in sorted(counts.items()):
        print(f"  {result}: {number}")


if __name__ == "__main__":
    main()
