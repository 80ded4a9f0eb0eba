"""Forms of the staff pages: the version a form was shown with travels with it."""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.forms import ThaiDateField
from oit.readiness import oit_items
from plans import pending, progress
from plans.evidence import ACCEPT, check_evidence_file
from plans.history import shown_typed
from plans.models import Action, Division, Finding, ProgressUpdate, done_errors
from plans.versions import StaleVersion

log = logging.getLogger(__name__)

TOO_LONG = gettext_lazy("ยาวเกินไป: พิมพ์ได้ไม่เกิน %(limit_value)d ตัวอักษร (ตอนนี้ %(show_value)d ตัวอักษร)")


class LimitedForm(forms.ModelForm):
    """Says in Thai how long a field may be (Django's own message has no Thai translation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = TOO_LONG


class RetryAfterConflict:
    """A refused form comes back ready to be saved over the values it now shows."""

    def shown_values(self) -> dict[str, str]:
        """The form's values as a person reads them, by model field name."""
        return {
            name: shown_typed(self.instance, name, self.cleaned_data[name])
            for name in self._meta.fields
            if name in self.cleaned_data
        }

    def conflict(self, stale: StaleVersion) -> None:
        """Show the refusal, set the latest values beside the user's, and carry the version
        they belong to, so that saving again puts the user's values over them."""
        self.add_error(None, stale.message)
        stale.compare(self.shown_values())
        self.set_hidden("version", stale.basis)

    def set_hidden(self, name: str, value) -> None:
        # The submitted data is what a bound form shows again.
        data = self.data.copy()
        data[self.add_prefix(name)] = str(value)
        self.data = data


class VersionedForm(RetryAfterConflict, LimitedForm):
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
        label=gettext_lazy("ผลการดำเนินงาน (เมื่อเสร็จสิ้น)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("ใส่เมื่อเปลี่ยนสถานะเป็น “เสร็จสิ้น” และยังไม่มีรายงานที่แนบหลักฐาน"),
    )
    done_evidence_url = forms.URLField(
        label=gettext_lazy("ลิงก์หลักฐาน (เมื่อเสร็จสิ้น)"),
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
    starts_on = ThaiDateField(label=gettext_lazy("เริ่มติดตาม"), required=False)
    due_on = ThaiDateField(label=gettext_lazy("กำหนดเสร็จ"), required=False)
    completed_on = ThaiDateField(
        label=gettext_lazy("วันที่แล้วเสร็จ"),
        required=False,
        help_text=gettext_lazy("ต้องระบุเมื่อสถานะเป็น “เสร็จสิ้น” (ว่างไว้ได้สำหรับสถานะอื่น)"),
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
            "prepares",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "follow_up_method": forms.Textarea(attrs={"rows": 2}),
            "divisions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organization, edition, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = Division.objects.filter(organization=organization)
        self.fields["lead_division"].queryset = divisions
        self.fields["divisions"].queryset = divisions
        # Only an OIT item of the edition the plan answers can be prepared by its actions.
        self.fields["prepares"].queryset = oit_items(edition)
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
        # "Due before start" is Action.clean's to say: saying it here too showed it twice.
        cleaned = super().clean()
        lead = cleaned.get("lead_division")
        if lead and lead in (cleaned.get("divisions") or []):
            self.add_error("divisions", _("ฝ่ายหลักไม่ต้องเลือกซ้ำในฝ่ายที่ร่วมรับผิดชอบ"))
        return cleaned


class EvidenceCheckMixin:
    """An evidence file uploaded with the form passes ``check_evidence_file``; one already
    stored (an admin page showing a saved report) is kept as it is."""

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if isinstance(upload, UploadedFile):
            check_evidence_file(upload)
        return upload


class ProgressForm(EvidenceCheckMixin, RetryAfterConflict, LimitedForm):
    """A progress report; ``version`` is what it is checked against when saved (``basis`` in
    plans/progress.py), as the reporter saw it; ``pending_evidence`` names an evidence file
    kept from an earlier try of the same report."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
    pending_evidence = forms.CharField(widget=forms.HiddenInput, required=False)
    evidence_url = forms.URLField(
        label=gettext_lazy("ลิงก์หลักฐาน"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("เช่น ลิงก์หน้าเว็บที่เผยแพร่แล้ว"),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["progress", "status", "note", "evidence_url", "evidence_file", "is_public"]
        labels = {"is_public": gettext_lazy("เผยแพร่รายละเอียดและหลักฐานนี้ต่อสาธารณะ")}
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "evidence_file": forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        }

    def __init__(self, *args, action: Action, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.action, self.user = action, user
        # The storage name of the file kept from an earlier try, once its token is checked.
        self.kept: str | None = None
        self._uses_kept = False
        if not self.is_bound:
            self.initial.update(
                version=progress.basis(action, progress.reporting_division(user)),
                progress=action.progress,
                status=action.status,
            )

    def _take_kept(self, cleaned) -> None:
        """Use the file kept from an earlier try when no new one was chosen; it is checked
        again, as if it had just been uploaded. A new file replaces it."""
        token = cleaned.get("pending_evidence")
        if not token:
            return
        # From here on the form offers no kept file unless it is taken below.
        self.set_hidden("pending_evidence", "")
        if cleaned.get("evidence_file") or "evidence_file" in self.errors:
            return
        try:
            self.kept = pending.kept_name(token, self.user, self.action)
            file = pending.take(self.kept)
            check_evidence_file(file)
        except ValidationError as error:
            self.add_error("evidence_file", error)
            return
        cleaned["evidence_file"], self._uses_kept = file, True
        self.set_hidden("pending_evidence", token)

    def keep_evidence(self) -> None:
        """Before a bound form is shown again: keep its checked evidence file for the next
        try (a browser does not send a file twice) and say so beside the file field."""
        if not self.is_bound or "evidence_file" in self.errors:
            return
        upload = getattr(self, "cleaned_data", {}).get("evidence_file")
        if self._uses_kept:
            name = self.kept
        elif isinstance(upload, UploadedFile):
            try:
                token = pending.keep(upload, self.user, self.action)
            except progress.STORAGE_ERRORS:
                log.warning("Evidence file %r could not be kept", upload.name, exc_info=True)
                return
            self.set_hidden("pending_evidence", token)
            name = pending.kept_name(token, self.user, self.action)
        else:
            return
        # The bound field copied its help text when the form was cleaned.
        self["evidence_file"].help_text = self.fields["evidence_file"].help_text = _(
            "ไฟล์ที่แนบไว้: %(name)s — จะใช้ไฟล์นี้เมื่อบันทึก (เลือกไฟล์ใหม่หากต้องการเปลี่ยน)"
        ) % {"name": pending.shown_name(name)}

    def clean(self):
        # "Done" needs 100 % and evidence: ProgressUpdate.clean applies the one done rule.
        cleaned = super().clean()
        self._take_kept(cleaned)
        status = cleaned.get("status")
        if status == Action.Status.CANCELLED and not cleaned.get("note", "").strip():
            self.add_error("note", _("โปรดระบุเหตุผลที่ยกเลิก"))
        return cleaned
