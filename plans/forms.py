"""Forms of the staff pages: the version a form was shown with travels with it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import ThaiDateField
from plans.evidence import ACCEPT, check_evidence_file
from plans.models import (
    Action,
    Division,
    Finding,
    ProgressUpdate,
    done_errors,
)


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


class DoneEvidenceForm(forms.ModelForm):
    """An action form on which the status may be set to "เสร็จสิ้น" under the one done rule.

    Progress and the completion date are the action's own fields (the model checks them, as
    the database does). The evidence lives in progress reports: a "done" report with a file,
    link or note already on the action is enough; otherwise the person closing the action
    types a note or a link here, and saving records it as a "done" report (``record_done``),
    so the evidence exists in the same place as every division's.
    """

    done_note = forms.CharField(
        label=_("ผลการดำเนินงาน (เมื่อเสร็จสิ้น)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ใส่เมื่อเปลี่ยนสถานะเป็น “เสร็จสิ้น” และยังไม่มีรายงานที่แนบหลักฐาน"),
    )
    done_evidence_url = forms.URLField(
        label=_("ลิงก์หลักฐาน (เมื่อเสร็จสิ้น)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status", self.instance.status)
        if status != Action.Status.DONE:
            # Only a done action has a completion date; reopening clears it.
            if "completed_on" in self.fields:
                cleaned["completed_on"] = None
            return cleaned
        typed = cleaned.get("done_note", "").strip() or cleaned.get("done_evidence_url")
        errors = done_errors(status, evidence=typed or self.instance.has_done_evidence())
        if "evidence" in errors:
            self.add_error("done_note", errors["evidence"])
        return cleaned

    def record_done(self, action: Action, user, today) -> ProgressUpdate | None:
        """Record the typed note or link as the action's "done" report (None if none typed
        or the action is not done)."""
        if not hasattr(self, "cleaned_data") or action.status != Action.Status.DONE:
            return None
        note = self.cleaned_data.get("done_note", "").strip()
        url = self.cleaned_data.get("done_evidence_url", "")
        if not (note or url):
            return None
        return ProgressUpdate.objects.create(
            action=action,
            author=user if user is not None and user.is_authenticated else None,
            round=action.finding.plan.current_round(today),
            progress=action.progress,
            status=Action.Status.DONE,
            note=note,
            evidence_url=url,
        )


class ActionForm(VersionedForm, DoneEvidenceForm):
    starts_on = ThaiDateField(label="เริ่มติดตาม", required=False)
    due_on = ThaiDateField(label="กำหนดเสร็จ", required=False)
    completed_on = ThaiDateField(
        label=_("วันที่แล้วเสร็จ"),
        required=False,
        help_text=_("ต้องระบุเมื่อสถานะเป็น “เสร็จสิ้น” (ว่างไว้ได้สำหรับสถานะอื่น)"),
    )

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
            "progress",
            "completed_on",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
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
        # Left empty, the progress stays as the reports have moved it.
        self.fields["progress"].required = False
        if not self.is_bound and not self.instance.completed_on:
            # Whoever marks the action done is most likely doing it the day it was done.
            self.initial["completed_on"] = timezone.localdate()

    def clean_progress(self):
        progress = self.cleaned_data.get("progress")
        return self.instance.progress if progress is None else progress

    def clean(self):
        cleaned = super().clean()
        starts_on, due_on = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", "กำหนดเสร็จต้องไม่ก่อนวันเริ่มติดตาม")
        lead = cleaned.get("lead_division")
        if lead and lead in (cleaned.get("divisions") or []):
            self.add_error("divisions", "ฝ่ายหลักไม่ต้องเลือกซ้ำในฝ่ายที่ร่วมรับผิดชอบ")
        return cleaned


class ProgressForm(forms.ModelForm):
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

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            check_evidence_file(upload)
        return upload

    def clean(self):
        # "Done" needs 100 % and evidence: ProgressUpdate.clean applies the one done rule.
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Action.Status.CANCELLED and not cleaned.get("note", "").strip():
            self.add_error("note", "โปรดระบุเหตุผลที่ยกเลิก")
        return cleaned
