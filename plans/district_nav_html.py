"""A district page's bar of sibling pages and years (``plans.navigation.district_nav``) as
HTML.

Through the template engine the bar cost an inclusion tag, an include and three loops of
lookups on every district page (about 1 ms of a dashboard); here its links are written with
the labels translated once. The markup is the one ``includes/district_nav.html`` had (the
same text, whitespace aside); the "simulated data" badge is still its template's."""

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from plans.navigation import DistrictNav, Link


def district_nav_html(nav: DistrictNav) -> SafeString:
    organization = nav.organization
    toolbar = " toolbar" if nav.current == "report" else ""
    badge = ""
    if organization.is_simulated:
        badge = render_to_string("includes/simulated.html", {"organization": organization})
    parts = [
        f'<nav class="district-nav{toolbar}" aria-label="{escape(gettext("หน้าของหน่วยงาน"))}">'
        f'\n  <p class="district-nav-name"><strong>{escape(organization.name_th)}</strong> '
        f"{badge}</p>"
    ]
    if nav.siblings:
        parts.append(
            f'\n  <p class="district-nav-pages">{_links(nav.siblings, nav.current, page=True)}</p>'
        )
    for title, links, year in (
        (gettext("แผนปี"), nav.plan_years, nav.plan_year),
        (gettext("ผลการประเมินปี"), nav.assessment_years, nav.assessment_year),
    ):
        if links:
            parts.append(
                f'\n  <p class="district-nav-years">{escape(title)}:\n    '
                f"{_links(links, str(year), page=False)}</p>"
            )
    parts.append("\n</nav>\n")
    return SafeString("".join(parts))


def _links(links: list[Link], current: str, *, page: bool) -> str:
    """The links joined by " · ", the current one (a sibling by its key, a year by its
    label) in bold instead of linked."""
    marked = ' aria-current="page"' if page else ""
    return " · ".join(
        f"<strong{marked}>{escape(link.label)}</strong>"
        if (link.key if page else link.label) == current
        else f'<a href="{escape(link.url)}">{escape(link.label)}</a>'
        for link in links
    )
