"""A national synthetic data set (``BENCH_SCALE=national``): every kind of Thai agency ITA assesses.

About 8,300 organizations in a hierarchy — ministries → departments, provinces → local bodies,
the BMA central office ("10") → the 50 districts load_demo brings — one edition (the demo's
2564 framework copied to ``NATIONAL_YEAR``), one wide score file per set of organizations, and
a plan of about 30 actions for one agency in ten.

Everything is invented and says so: codes carry a letter prefix no real agency code has, names
say "ตัวอย่าง" (sample), and every generated organization is ``is_simulated``. Rows are written
with plain ``bulk_create`` (no history: nobody edited them); the scores themselves go in through
the real importer (``import_scores``), which is what the national benchmark measures. The same
seed gives the same data; each organization draws from its own generator. ``scale`` shrinks
every count (tests run at 1/100 in seconds); a second run adds nothing.
"""

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from assessments import headlines
from assessments.models import Assessment, Framework, Item, ItemScore, Organization
from plans import synthetic
from plans.models import Division, Plan

NATIONAL_YEAR = 2567
SEED = 2567
BMA_CODE = "10"

# The full-scale counts: 20 + 150 + 76 + 8,003 + the BMA office + 50 districts = 8,300.
MINISTRIES = 20
DEPARTMENTS = 150
PROVINCES = 76
LOCAL_BODIES = 8_003
PLAN_SHARE = 10  # one agency in ten has a plan
FINDINGS_PER_PLAN = 10
ACTIONS_PER_FINDING = 3  # about 30 actions a plan
REPORTS_PER_ACTION = 1  # a few progress reports, not a year's worth

# Local bodies of a province: one provincial administration, a few municipalities, the rest
# subdistrict administrations (as in the real count, where อบต. are about two thirds).
LOCAL_KINDS = (
    ("เทศบาลนครตัวอย่าง", "Sample City Municipality", 1),
    ("เทศบาลเมืองตัวอย่าง", "Sample Town Municipality", 4),
    ("เทศบาลตำบลตัวอย่าง", "Sample Subdistrict Municipality", 30),
    ("องค์การบริหารส่วนตำบลตัวอย่าง", "Sample Subdistrict Administrative Organization", 65),
)
NATIONAL_DIVISIONS = (
    "สำนักงานเลขานุการ",
    "กองกลาง",
    "กองคลัง",
    "กองยุทธศาสตร์และแผนงาน",
    "กลุ่มตรวจสอบภายใน",
)


@dataclass(frozen=True)
class Shape:
    """How many organizations of each kind, for a ``scale`` (1 = the national picture)."""

    ministries: int
    departments: int
    provinces: int
    local_bodies: int

    @classmethod
    def of(cls, scale: float = 1.0) -> "Shape":
        ministries = max(2, round(MINISTRIES * scale))
        provinces = max(2, round(PROVINCES * scale))
        return cls(
            ministries=ministries,
            departments=max(ministries, round(DEPARTMENTS * scale)),
            provinces=provinces,
            local_bodies=max(provinces, round(LOCAL_BODIES * scale)),
        )

    @property
    def total(self) -> int:
        return self.ministries + self.departments + self.provinces + self.local_bodies


def _spread(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` uneven counts (each at least 1), as agencies spread over
    provinces: a few large, most middling."""
    weights = [rng.lognormvariate(0, 0.6) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    counts = [1 + int(weight * scale) for weight in weights]
    largest = sorted(range(parts), key=lambda i: -weights[i])
    for index in range(total - sum(counts)):  # the rounding's remainder, largest first
        counts[largest[index % parts]] += 1
    return counts


def _national_rows(shape: Shape, seed: int) -> list[tuple[str, str, str, str, str | None]]:
    """(code, Thai name, English name, kind, parent code) of every organization, parents first."""
    rng = random.Random(f"{seed}:national")
    kind = Organization.Kind
    rows = []
    ministries = [f"M{m:02d}" for m in range(1, shape.ministries + 1)]
    for number, code in enumerate(ministries, start=1):
        rows.append(
            (
                code,
                f"กระทรวงตัวอย่าง {number:02d}",
                f"Sample Ministry {number:02d}",
                kind.MINISTRY,
                None,
            )
        )
    for ministry, count in zip(
        ministries, _spread(rng, shape.departments, shape.ministries), strict=True
    ):
        for number in range(1, count + 1):
            rows.append(
                (
                    f"{ministry}D{number:02d}",
                    f"กรมตัวอย่าง {ministry[1:]}-{number:02d}",
                    f"Sample Department {ministry[1:]}-{number:02d}",
                    kind.DEPARTMENT,
                    ministry,
                )
            )
    provinces = [f"P{p:02d}" for p in range(1, shape.provinces + 1)]
    for number, code in enumerate(provinces, start=1):
        rows.append(
            (
                code,
                f"จังหวัดตัวอย่าง {number:02d}",
                f"Sample Province {number:02d}",
                kind.PROVINCE,
                None,
            )
        )
    names, names_en, weights = zip(*LOCAL_KINDS, strict=True)
    for province, count in zip(
        provinces, _spread(rng, shape.local_bodies, shape.provinces), strict=True
    ):
        for number in range(1, count + 1):
            if number == 1:
                name, name_en = (
                    "องค์การบริหารส่วนจังหวัดตัวอย่าง",
                    "Sample Provincial Administrative Organization",
                )
            else:
                index = rng.choices(range(len(names)), weights)[0]
                name, name_en = names[index], names_en[index]
            label = f"{province[1:]}-{number:03d}"
            rows.append(
                (
                    f"{province}L{number:03d}",
                    f"{name} {label}",
                    f"{name_en} {label}",
                    kind.LOCAL,
                    province,
                )
            )
    return rows


@transaction.atomic
def generate_organizations(*, scale: float = 1.0, seed: int = SEED) -> dict[str, int]:
    """Create the national hierarchy (those not there yet) and hang the districts under the
    BMA office; return how many organizations of each kind were created."""
    rows = _national_rows(Shape.of(scale), seed)
    existing = dict(Organization.objects.values_list("code", "id"))
    created = dict.fromkeys(
        [k.value for k in Organization.Kind if k not in ("district", "central", "other")], 0
    )
    # Two passes: parents (ministries, provinces) first, then the children that point at them.
    for with_parent in (False, True):
        new = [
            Organization(
                code=code,
                name_th=name,
                name_en=name_en,
                kind=kind,
                parent_id=existing[parent] if parent else None,
                is_simulated=True,
            )
            for code, name, name_en, kind, parent in rows
            if (parent is not None) == with_parent and code not in existing
        ]
        Organization.objects.bulk_create(new, batch_size=synthetic.BATCH_SIZE)
        for organization in new:
            created[organization.kind] += 1
        existing.update(
            Organization.objects.filter(code__in=[o.code for o in new]).values_list("code", "id")
        )
    bma = existing.get(BMA_CODE)
    if bma is not None:
        Organization.objects.filter(kind=Organization.Kind.DISTRICT, parent=None).update(
            parent_id=bma
        )
    headlines.forget()  # written in bulk, without signals
    return created


def edition(year: int = NATIONAL_YEAR) -> Framework:
    """The national edition: the framework of ``year``, copied from the demo's 2564 one if
    there is none yet."""
    framework = Framework.objects.filter(fiscal_year=year).order_by("pk").first()
    if framework is not None:
        return framework
    template = Framework.objects.filter(fiscal_year=synthetic.TEMPLATE_YEAR).order_by("pk").first()
    if template is None:
        raise ValueError(
            f"no framework of fiscal year {synthetic.TEMPLATE_YEAR}: run load_demo first"
        )
    return synthetic._copy_framework(template, year)


def national_codes() -> list[str]:
    """Every organization of the national file: all but the districts (which have their own)."""
    return list(
        Organization.objects.exclude(kind=Organization.Kind.DISTRICT)
        .filter(is_simulated=True)
        .order_by("code")
        .values_list("code", flat=True)
    ) + list(Organization.objects.filter(code=BMA_CODE).values_list("code", flat=True))


def district_codes() -> list[str]:
    return list(
        Organization.objects.filter(kind=Organization.Kind.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)
    )


def score_of(rng: random.Random, kind: str, mean: float, oit_rate: float) -> str:
    """One score as typed in the file: OIT 0 or 100; surveys around the agency's mean."""
    if kind == Item.Kind.CHECKLIST:
        return "100" if rng.random() < oit_rate else "0"
    low = rng.random() < synthetic.LOW_SURVEY_SHARE
    value = rng.uniform(40, 70) if low else rng.gauss(mean, 6)
    return f"{min(100.0, max(0.0, value)):.2f}"


def write_score_file(
    path: Path, codes: Iterable[str], *, year: int = NATIONAL_YEAR, seed: int = SEED
) -> int:
    """Write one wide .csv (organization, fiscal_year, one column per item code) of the
    edition's scores for ``codes``; return how many scores it holds. An organization's scores
    depend only on the seed and its code."""
    items = list(edition(year).items.order_by("order", "code").values_list("code", "kind"))
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["organization", "fiscal_year", *[code for code, _ in items]])
        for code in codes:
            rng = random.Random(f"{seed}:{code}:{year}")
            mean, oit_rate = rng.uniform(78, 94), rng.uniform(0.6, 0.95)
            writer.writerow(
                [code, year, *[score_of(rng, kind, mean, oit_rate) for _, kind in items]]
            )
            count += len(items)
    return count


def planned_codes(codes: Iterable[str], seed: int = SEED) -> list[str]:
    """The one agency in ten that has a plan: chosen by a hash of the code, so the choice does
    not depend on which other agencies exist."""
    return [
        code for code in codes if random.Random(f"{seed}:plan:{code}").randrange(PLAN_SHARE) == 0
    ]


@transaction.atomic
def add_plans(
    *,
    year: int = NATIONAL_YEAR,
    seed: int = SEED,
    findings_per_plan: int = FINDINGS_PER_PLAN,
    actions_per_finding: int = ACTIONS_PER_FINDING,
    reports_per_action: int = REPORTS_PER_ACTION,
) -> dict[str, int]:
    """After the scores are in: for one simulated agency in ten with an assessment of ``year``,
    a plan of the following year with about ``findings_per_plan × actions_per_finding`` actions
    (its weakest items), rounds and a few progress reports; return the counts written."""
    counts = dict.fromkeys(synthetic.COUNT_KEYS, 0)
    framework = edition(year)
    items = {item.pk: item for item in framework.items.select_related("indicator")}
    organizations = {
        o.pk: o
        for o in Organization.objects.filter(is_simulated=True).exclude(
            kind=Organization.Kind.DISTRICT
        )
    }
    chosen = set(planned_codes(o.code for o in organizations.values()))
    assessments = {
        a.organization_id: a
        for a in Assessment.objects.filter(
            framework=framework,
            organization_id__in=[pk for pk, o in organizations.items() if o.code in chosen],
        )
    }
    planned = set(
        Plan.objects.filter(organization_id__in=assessments, fiscal_year=year + 1).values_list(
            "organization_id", flat=True
        )
    )
    todo = sorted(
        (organizations[pk] for pk in assessments if pk not in planned), key=lambda o: o.code
    )
    divisions = _ensure_divisions(todo, counts)
    scores: dict[int, list[tuple[int, Decimal]]] = {}
    for assessment_id, item_id, score in ItemScore.objects.filter(
        assessment__in=[assessments[o.pk] for o in todo]
    ).values_list("assessment_id", "item_id", "score"):
        scores.setdefault(assessment_id, []).append((item_id, score))
    rows = synthetic._Rows()
    for organization in todo:
        rng = random.Random(f"{seed}:{organization.code}:{year}:plan")
        assessment = assessments[organization.pk]
        weakest = sorted(
            scores.get(assessment.pk, []), key=lambda pair: (pair[1], items[pair[0]].order)
        )
        weak = [(items[item_id], score) for item_id, score in weakest[:findings_per_plan]]
        synthetic._plan(
            rng,
            rows,
            organization,
            assessment,
            year + 1,
            weak,
            framework.pass_mark,
            divisions[organization.pk],
            "latest",
            actions_per_finding,
            reports_per_action,
            None,
        )
    synthetic._insert(rows, counts)
    return counts


def _ensure_divisions(organizations, counts) -> dict[int, list[Division]]:
    """A few standard divisions for every planned agency (those it lacks, by name)."""
    existing = set(
        Division.objects.filter(organization__in=organizations).values_list(
            "organization_id", "name"
        )
    )
    new = [
        Division(organization=organization, name=name, order=order)
        for organization in organizations
        for order, name in enumerate(NATIONAL_DIVISIONS, start=1)
        if (organization.pk, name) not in existing
    ]
    Division.objects.bulk_create(new, batch_size=synthetic.BATCH_SIZE)
    counts["divisions"] += len(new)
    found: dict[int, list[Division]] = {}
    for division in Division.objects.filter(organization__in=organizations).order_by(
        "organization_id", "order", "name"
    ):
        found.setdefault(division.organization_id, []).append(division)
    return found
