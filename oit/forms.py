"""The edit form of one OIT item's readiness: its addresses are typed one per line."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oit.models import PublishedUrl, Readiness
from oit.readiness import url_problem
from plans.forms import VersionedForm
from plans.models import Division


class ReadinessForm(VersionedForm):
    urls = forms.CharField(
        label=gettext_lazy("ที่อยู่ที่เผยแพร่ (URL)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("หนึ่งที่อยู่ต่อหนึ่งบรรทัด ขึ้นต้นด้วย http:// หรือ https://"),
    )

    class Meta:
        model = Readiness
        fields = ["status", "division", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, may_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(
            organization_id=self.instance.organization_id
        )
        # Staff answer for their division's items; handing one to another division is the
        # plan owner's call.
        self.fields["division"].disabled = not may_assign
        if not self.is_bound:
            self.initial["urls"] = "\n".join(url.url for url in self.instance.urls.all())

    def clean_urls(self) -> list[str]:
        urls, errors = [], []
        for number, line in enumerate(self.cleaned_data["urls"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            if problem := url_problem(text):
                errors.append(
                    _("บรรทัด %(line)s: %(problem)s") % {"line": number, "problem": problem}
                )
            elif text not in urls:
                urls.append(text)
        if errors:
            raise ValidationError(errors)
        return urls

    def save_to(self, target: Readiness) -> None:
        """Copy the fields onto the locked row and set its addresses (kept ones keep their
        latest check)."""
        self.save_fields(target)
        set_urls(target, self.cleaned_data["urls"])


def set_urls(readiness: Readiness, urls: list[str]) -> None:
    readiness.urls.exclude(url__in=urls).delete()
    kept = {row.url: row for row in readiness.urls.all()}
    for order, url in enumerate(urls):
        row = kept.get(url)
        if row is None:
            PublishedUrl.objects.create(readiness=readiness, url=url, order=order)
        elif row.order != order:
            row.order = order
            row.save(update_fields=["order"])
