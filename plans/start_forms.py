"""The two steps of starting a plan on the page: what to start from, then what to keep."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Item
from plans import starting

ITEMS_LABELS = [
    (starting.ITEMS_BELOW_PASS, gettext_lazy("ข้อที่ต่ำกว่าเกณฑ์ผ่าน เรียงตามคะแนนที่จะเพิ่มได้มากที่สุดก่อน")),
    (starting.ITEMS_ALL, gettext_lazy("ทุกข้อของชุดการประเมิน")),
    (starting.ITEMS_NONE, gettext_lazy("ไม่สร้างประเด็นล่วงหน้า")),
]


class StartForm(forms.Form):
    """Step 1: the assessment, the plan year, which items get findings, carry-over."""

    assessment = forms.ModelChoiceField(
        label=gettext_lazy("ผลการประเมินที่แผนนี้ตอบ"), queryset=Assessment.objects.none()
    )
    fiscal_year = forms.IntegerField(
        label=gettext_lazy("ปีงบประมาณของแผน (พ.ศ.)"), min_value=2400, max_value=2700
    )
    items = forms.ChoiceField(
        label=gettext_lazy("สร้างประเด็นสำหรับ"),
        choices=ITEMS_LABELS,
        initial=starting.ITEMS_BELOW_PASS,
        widget=forms.RadioSelect,
    )
    carry_over = forms.BooleanField(
        label=gettext_lazy("ยกการปรับปรุงที่ยังไม่เสร็จของแผนปีก่อนมาด้วย"), required=False, initial=True
    )
    confirm_year = forms.BooleanField(
        label=gettext_lazy("ยืนยันปีของแผน แม้ไม่ใช่ปีถัดจากปีของผลการประเมิน"), required=False
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        assessments = Assessment.objects.filter(organization=organization).select_related(
            "framework"
        )
        field = self.fields["assessment"]
        field.queryset = assessments.order_by("-framework__fiscal_year", "framework__name")
        field.label_from_instance = lambda a: f"{a.framework.fiscal_year} · {a.framework.name}"
        latest = starting.latest_assessment(organization)
        if latest is not None:
            self.fields["assessment"].initial = latest.pk
            self.fields["fiscal_year"].initial = latest.framework.fiscal_year + 1

    def preview(self) -> starting.Preview | None:
        """The preview of a valid form, or None with the reason added to the form."""
        data = self.cleaned_data
        try:
            return starting.build_preview(
                self.organization,
                assessment=data["assessment"],
                fiscal_year=data["fiscal_year"],
                items=data["items"],
                carry_over=data["carry_over"],
                confirm_year=data["confirm_year"],
            )
        except starting.YearNeedsConfirmation as error:
            self.add_error("confirm_year", str(error))
        except starting.StartError as error:
            self.add_error(None, str(error))
        return None


def _label(item: Item, scores: dict) -> str:
    score = scores.get(item.pk)
    shown = f" — {score:.2f}" if score is not None else ""
    return f"{item.code} {item.name or item.text[:80]}{shown}"


class ChoicesForm(forms.Form):
    """Step 2: the findings ticked, and where each unlinked action goes (or that it stays)."""

    findings = forms.MultipleChoiceField(
        label=gettext_lazy("ประเด็นที่จะสร้าง"), required=False, widget=forms.CheckboxSelectMultiple
    )
    more_findings = forms.MultipleChoiceField(
        label=gettext_lazy("ข้ออื่นของชุดการประเมิน"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, preview: starting.Preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        items = list(
            preview.assessment.framework.items.select_related("indicator").order_by("order")
        )
        self.items = {str(item.pk): item for item in items}
        scores = dict(preview.assessment.scores.values_list("item_id", "score"))
        chosen = {item.pk for item in preview.findings}
        self.fields["findings"].choices = [
            (str(item.pk), _label(item, scores)) for item in preview.findings
        ]
        self.fields["findings"].initial = [str(item.pk) for item in preview.findings]
        self.fields["more_findings"].choices = [
            (str(item.pk), _label(item, scores)) for item in items if item.pk not in chosen
        ]
        targets = [("", _("ไม่ยกมา"))] + [(str(item.pk), _label(item, scores)) for item in items]
        for action in preview.unlinked:
            self.fields[self.unlinked_name(action)] = forms.ChoiceField(
                label=f"{action.finding.item.code}: {action.text[:120]}",
                choices=targets,
                required=False,
            )

    @staticmethod
    def unlinked_name(action) -> str:
        return f"unlinked_{action.pk}"

    def unlinked_fields(self):
        return [self[self.unlinked_name(action)] for action in self.preview.unlinked]

    def chosen_items(self) -> list[Item]:
        picked = self.cleaned_data["findings"] + self.cleaned_data["more_findings"]
        order = {item.pk: index for index, item in enumerate(self.preview.findings)}
        items = [self.items[pk] for pk in picked]
        # The recommended items keep their order (most points first); the others follow.
        return sorted(items, key=lambda item: (order.get(item.pk, len(order)), item.order))

    def decided(self) -> dict[int, Item]:
        return {
            action.pk: self.items[value]
            for action in self.preview.unlinked
            if (value := self.cleaned_data[self.unlinked_name(action)])
        }
