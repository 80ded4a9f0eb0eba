"""Forms of the staff pages: the version a form was shown with travels with it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from assessments.forms import ThaiDateField
from plans.evidence import ACCEPT, check_evidence_file
from plans.models import Action, Division, Finding, ProgressUpdate


class VersionedForm(forms.ModelForm):
    """Carries the row's version as shown; the view refuses it if the row moved on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def save_fields(self, target) -> None:
        """Copy the cleaned form fields onto ``target`` (the freshly locked row)."""
        for name in self._meta.fields:
            if name not in self.cleaned_data:
                continue
            if self.instance._meta.get_field(name).many_to_many:
                getattr(target, name).set(self.cleaned_data[name])
            else:
                setattr(target, name, self.cleaned_data[name])


class FindingForm(VersionedForm):
    class Meta:
        model = Finding
        fields = ["analysis", "issues"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


class ActionForm(VersionedForm):
    starts_on = ThaiDateField(label="เริ่มติดตาม", required=False)
    due_on = ThaiDateField(label="กำหนดเสร็จ", required=False)

    class Meta:
        model = Action
        fields = [
            "text",
            "lead_division",
            "divisions",
            "all_divisions",
            "starts_on",
            "due_on",
            "follow_up_method",
            "status",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "follow_up_method": forms.Textarea(attrs={"rows": 2}),
            "divisions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = Division.objects.filter(organization=organization)
        self.fields["lead_division"].queryset = divisions
        self.fields["divisions"].queryset = divisions
        if not self.instance.pk:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        starts_on, due_on = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", "กำหนดเสร็จต้องไม่ก่อนวันเริ่มติดตาม")
        lead = cleaned.get("lead_division")
        if lead and lead in (cleaned.get("divisions") or []):
            self.add_error("divisions", "ฝ่ายหลักไม่ต้องเลือกซ้ำในฝ่ายที่ร่วมรับผิดชอบ")
        return cleaned


class EvidenceCheckMixin:
    """An evidence file uploaded with the form passes ``check_evidence_file``; one already
    stored (an admin page showing a saved report) is kept as it is."""

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if isinstance(upload, UploadedFile):
            check_evidence_file(upload)
        return upload


class ProgressForm(EvidenceCheckMixin, forms.ModelForm):
    """A progress report; ``version`` is the action's, as the reporter saw it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    evidence_url = forms.URLField(
        label="ลิงก์หลักฐาน",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="เช่น ลิงก์หน้าเว็บที่เผยแพร่แล้ว",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["progress", "status", "note", "evidence_url", "evidence_file"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "evidence_file": forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        }

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                version=action.version, progress=action.progress, status=action.status
            )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        has_evidence = cleaned.get("evidence_url") or cleaned.get("evidence_file")
        if status == Action.Status.DONE:
            if not (has_evidence or cleaned.get("note", "").strip()):
                raise ValidationError(
                    "การรายงานว่าเสร็จสิ้นต้องแนบหลักฐาน (ไฟล์หรือลิงก์) หรือเขียนรายละเอียดผลการดำเนินงาน"
                )
            if cleaned.get("progress") is not None and cleaned["progress"] < 100:
                self.add_error("progress", "งานที่เสร็จสิ้นต้องมีความก้าวหน้าร้อยละ 100")
        if status == Action.Status.CANCELLED and not cleaned.get("note", "").strip():
            self.add_error("note", "โปรดระบุเหตุผลที่ยกเลิก")
        return cleaned
