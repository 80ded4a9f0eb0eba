"""Print an assessment's figures: indicators, tools, total, level and data-quality warnings."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments import scoring
from assessments.editions import EditionError, add_edition_argument, find_assessment
from assessments.rollup import score_report


def _plain(weight):
    """Return a weight without trailing zeros: 40.00 → "40"."""
    return format(weight.normalize(), "f")


def _number(value):
    return None if value is None else float(value)


class Command(BaseCommand):
    help = "Print the computed and reported scores of one organization's assessment."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="organization code, e.g. 1009")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (B.E.), e.g. 2564")
        add_edition_argument(parser)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, organization, year, edition=None, **options):
        try:
            assessment = find_assessment(organization, year, edition)
        except EditionError as error:
            raise CommandError(str(error)) from error
        report = score_report(assessment)
        item_scores = dict(assessment.scores.values_list("item__code", "score"))
        gap = scoring.level_gap(report.spec, item_scores)
        if options["json"]:
            self.stdout.write(self._as_json(report, gap))
        else:
            self._print_table(report, gap)

    def _reported_by(self, report, scope):
        figures = {}
        for figure in report.reported:
            if figure.scope == scope:
                figures.setdefault(figure.key, []).append(figure)
        return figures

    def _as_json(self, report, gap) -> str:
        summary = report.summary
        reported_indicators = self._reported_by(report, "indicator")
        reported_tools = self._reported_by(report, "tool")

        def reported(figures):
            return [
                {"value": float(f.value), "basis": f.basis, "source": f.source} for f in figures
            ]

        data = {
            "organization": report.assessment.organization.code,
            "fiscal_year": report.assessment.framework.fiscal_year,
            "framework": report.assessment.framework.name,
            "indicators": {
                str(ind.number): {
                    "name": ind.name,
                    "tool": ind.tool_code,
                    "computed": _number(summary.indicators[ind.number]),
                    "reported": reported(reported_indicators.get(ind.number, [])),
                }
                for ind in report.spec.indicators
            },
            "tools": {
                tool.code: {
                    "name": tool.name,
                    "weight": float(tool.weight),
                    "computed": _number(summary.tools[tool.code]),
                    "reported": reported(reported_tools.get(tool.code, [])),
                }
                for tool in report.spec.tools
            },
            "total": _number(summary.total),
            "level": summary.level,
            "pass_mark": float(report.spec.pass_mark),
            "warnings": [warning.message for warning in report.warnings],
            "edition": report.assessment.framework.edition,
            "issuer": report.assessment.framework.issuer,
            "levels": [
                {
                    "label": band.label,
                    "min_score": float(band.min_score),
                    "min_each_tool": _number(band.min_each_tool),
                }
                for band in scoring.ranked(report.spec.bands)
            ],
            "next_level": self._gap_json(gap),
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def _gap_json(self, gap):
        """The next level up and what stands between: None at the top."""
        if gap is None:
            return None
        return {
            "label": gap.band.label,
            "min_score": float(gap.band.min_score),
            "min_each_tool": _number(gap.band.min_each_tool),
            "total_shortfall": float(gap.total_shortfall),
            "tools": [
                {
                    "tool": tool.code,
                    "score": float(tool.score),
                    "minimum": float(tool.minimum),
                    "shortfall": float(tool.shortfall),
                    "items": [
                        {
                            "item": step.gain.code,
                            "score": float(step.gain.score),
                            "target": float(step.gain.target),
                            "tool_rise": float(scoring.round_score(step.rise)),
                        }
                        for step in tool.steps
                    ],
                }
                for tool in gap.tools
            ],
        }

    def _row(self, label, computed, figures, weight):
        """Write one line: label, computed figure, and each reported figure as printed."""
        printed = ", ".join(
            f"{f.value}/{_plain(weight)}" if f.basis == "points" else f"{f.value}" for f in figures
        )
        shown = computed if computed is not None else "—"
        self.stdout.write(f"  {label:<34} {shown:>7}    {printed}")

    def _print_table(self, report, gap):
        summary = report.summary
        self.stdout.write(f"{report.assessment.organization} — {report.assessment.framework}")
        self.stdout.write(f"\n{'ตัวชี้วัด (indicators)':<36} {'คำนวณ':>7}    ประกาศ")
        reported = self._reported_by(report, "indicator")
        for ind in report.spec.indicators:
            label = f"{ind.number:>2} {ind.name[:31]}"
            self._row(
                label, summary.indicators[ind.number], reported.get(ind.number, []), ind.weight
            )
        self.stdout.write("\nเครื่องมือ (tools)")
        reported = self._reported_by(report, "tool")
        for tool in report.spec.tools:
            label = f"{tool.code} (น้ำหนัก {_plain(tool.weight)})"
            self._row(label, summary.tools[tool.code], reported.get(tool.code, []), tool.weight)
        total = summary.total if summary.total is not None else "—"
        self.stdout.write(f"\nคะแนนรวม (total): {total}   ระดับ (level): {summary.level or '—'}")
        if gap is not None:
            needs = [f"คะแนนรวม +{gap.total_shortfall}"] if gap.total_shortfall else []
            for tool in gap.tools:
                items = ", ".join(step.gain.code for step in tool.steps)
                needs.append(f"{tool.code} +{tool.shortfall} ({items})")
            self.stdout.write(
                f"ระดับถัดไป (next level): {gap.band.label}"
                + (f" — ยังขาด {'; '.join(needs)}" if needs else "")
            )
        if report.warnings:
            self.stdout.write(f"\nข้อสังเกตคุณภาพข้อมูล (warnings): {len(report.warnings)}")
            for warning in report.warnings:
                self.stdout.write(f"  - {warning.message}")
        else:
            self.stdout.write("\nไม่มีข้อสังเกตคุณภาพข้อมูล (no warnings)")
