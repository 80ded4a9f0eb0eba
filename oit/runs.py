"""One run of the link checker: fetch an organization's (or every organization's) published
OIT addresses of a fiscal year, record what was found, and mark each address's latest check.

The fetching happens outside any transaction (it takes seconds to minutes); the findings are
then written at once, so a page never shows half a run.
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from assessments.models import Framework, Item, Organization
from oit.checker import Checker, Limits
from oit.models import CheckRun, LinkCheck, PublishedUrl, Result


def published_urls(
    fiscal_year: int,
    organization: Organization | None = None,
    framework: Framework | None = None,
):
    """Return the addresses published for the OIT items of ``fiscal_year`` (of one
    organization, and of one edition, when given)."""
    urls = PublishedUrl.objects.filter(
        readiness__item__framework__fiscal_year=fiscal_year,
        readiness__item__kind=Item.Kind.CHECKLIST,
    )
    if organization is not None:
        urls = urls.filter(readiness__organization=organization)
    if framework is not None:
        urls = urls.filter(readiness__item__framework=framework)
    return urls.select_related("readiness__item__framework").order_by(
        "readiness__organization__code", "readiness__item__order", "order", "id"
    )


def run_checks(
    organization: Organization | None = None,
    *,
    fiscal_year: int,
    framework: Framework | None = None,
    user=None,
    limits: Limits | None = None,
) -> CheckRun:
    """Check every address of ``organization`` (all when None) for ``fiscal_year`` and return
    the recorded run; each address is judged against its item's edition's fiscal year."""
    published = list(published_urls(fiscal_year, organization, framework))
    run = CheckRun.objects.create(
        organization=organization, fiscal_year=fiscal_year, user=user, urls=len(published)
    )
    with Checker(limits) as checker:
        verdicts = checker.check_many(
            (address.url, address.readiness.item.framework.fiscal_year) for address in published
        )
    with transaction.atomic():
        # An address deleted on the page while the run was fetching is not recorded.
        alive = set(
            PublishedUrl.objects.filter(pk__in=[address.pk for address in published]).values_list(
                "pk", flat=True
            )
        )
        published = [address for address in published if address.pk in alive]
        checks = LinkCheck.objects.bulk_create(
            LinkCheck(
                run=run,
                published=address,
                **verdicts[(address.url, address.readiness.item.framework.fiscal_year)].as_fields(),
            )
            for address in published
        )
        for address, check in zip(published, checks, strict=True):
            address.latest = check
        PublishedUrl.objects.bulk_update(published, ["latest"])
        counted = Counter(check.result for check in checks)
        run.counts = {result.value: counted.get(result.value, 0) for result in Result}
        run.urls = len(checks)
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "urls", "finished_at"])
    return run
