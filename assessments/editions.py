"""Which edition of the framework a fiscal year (and optionally an edition name) means.

Several editions may share a fiscal year (the BMA district edition and NACC's national one).
Every command that takes ``--year`` takes ``--edition NAME`` too, and resolves the pair here:
one edition found is the answer; none, or several without a name, is a Thai message that
lists what there is.
"""

from django.utils.translation import gettext as _

from assessments.models import Assessment, Framework


class EditionError(ValueError):
    """No edition, or more than one, answers the year (and name) given."""


def _names(frameworks) -> str:
    return ", ".join(f"“{framework.name}”" for framework in frameworks)


def find_framework(fiscal_year: int, edition: str | None = None) -> Framework:
    """Return the one edition of ``fiscal_year`` (named ``edition`` when given)."""
    frameworks = list(Framework.objects.filter(fiscal_year=fiscal_year).order_by("name"))
    if edition:
        named = [framework for framework in frameworks if framework.name == edition]
        if named:
            return named[0]
        if frameworks:
            raise EditionError(
                _("ปีงบประมาณ %(year)s ไม่มีชุดการประเมินชื่อ “%(name)s” (มี %(names)s)")
                % {"year": fiscal_year, "name": edition, "names": _names(frameworks)}
            )
        raise EditionError(_("ยังไม่มีชุดการประเมินของปีงบประมาณ %(year)s") % {"year": fiscal_year})
    if not frameworks:
        raise EditionError(_("ยังไม่มีชุดการประเมินของปีงบประมาณ %(year)s") % {"year": fiscal_year})
    if len(frameworks) > 1:
        raise EditionError(
            _("ปีงบประมาณ %(year)s มีชุดการประเมิน %(count)s ชุด: %(names)s — ระบุ --edition")
            % {"year": fiscal_year, "count": len(frameworks), "names": _names(frameworks)}
        )
    return frameworks[0]


def find_assessment(
    organization_code: str, fiscal_year: int, edition: str | None = None, queryset=None
) -> Assessment:
    """Return the organization's one assessment of ``fiscal_year`` (of ``edition`` if given)."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    found = list(
        queryset.filter(organization__code=organization_code, framework__fiscal_year=fiscal_year)
        .select_related("organization", "framework")
        .order_by("framework__name")
    )
    if edition:
        found = [assessment for assessment in found if assessment.framework.name == edition]
    if not found:
        raise EditionError(
            _("ไม่พบผลการประเมินของหน่วยงาน %(code)s ปีงบประมาณ %(year)s")
            % {"code": organization_code, "year": fiscal_year}
        )
    if len(found) > 1:
        raise EditionError(
            _("หน่วยงาน %(code)s มีผลการประเมินปี %(year)s มากกว่าหนึ่งชุด: %(names)s — ระบุ --edition")
            % {
                "code": organization_code,
                "year": fiscal_year,
                "names": _names(assessment.framework for assessment in found),
            }
        )
    return found[0]


def add_edition_argument(parser) -> None:
    """The ``--edition NAME`` option, the same in every command that takes ``--year``."""
    parser.add_argument(
        "--edition",
        default=None,
        help="edition name, when several editions share the fiscal year "
        "(e.g. 'ITA ของสำนักงานเขต กรุงเทพมหานคร')",
    )


def earlier_edition(framework: Framework) -> Framework | None:
    """The edition an edition follows: the latest of an earlier fiscal year, preferring one of
    the same name, then one of the same issuer (the BMA edition follows the BMA one)."""
    earlier = list(
        Framework.objects.filter(fiscal_year__lt=framework.fiscal_year).order_by(
            "-fiscal_year", "name"
        )
    )
    for same in (
        lambda other: other.name == framework.name,
        lambda other: bool(framework.issuer) and other.issuer == framework.issuer,
        lambda other: True,
    ):
        for other in earlier:
            if same(other):
                return other
    return None
