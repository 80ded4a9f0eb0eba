"""The forms of the people page: add a member, change one. The rules they apply are
``Membership.refusals`` (which role, which organization) and ``people.own_account_refusals``."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from plans.models import PLAN_EDITOR_ROLES, Membership, membership_of
from plans.people import own_account_refusals

User = get_user_model()


def offered_roles(user) -> list[tuple[str, str]]:
    """The roles the form offers: those the user may give (every one for a superuser)."""
    if user.is_superuser:
        return list(Membership.Role.choices)
    member = membership_of(user)
    allowed = (
        Membership.Role.up_to(member.role) if member and member.role in PLAN_EDITOR_ROLES else []
    )
    return [(value, label) for value, label in Membership.Role.choices if value in allowed]


class MemberForm(forms.Form):
    """A member's name, e-mail, role and division; on the add form, the username too."""

    username = forms.CharField(
        label=_("ชื่อผู้ใช้"),
        max_length=150,
        help_text=_("ใช้เข้าสู่ระบบ: ตัวอักษร ตัวเลข และ @ . + - _ เท่านั้น"),
        validators=[User.username_validator],
    )
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    email = forms.EmailField(label=_("อีเมล"), required=False)
    # Every role is accepted here so that one above the user's own is refused with the reason
    # (Membership.refusals), not as an unknown choice; the list shows only those offered.
    role = forms.ChoiceField(label=_("บทบาท"), choices=Membership.Role.choices)
    division = forms.ModelChoiceField(
        label=_("ฝ่าย"),
        queryset=None,
        required=False,
        help_text=_("ต้องระบุสำหรับเจ้าหน้าที่"),
    )

    def __init__(self, *args, assigner, organization, membership=None, **kwargs):
        self.assigner, self.organization, self.membership = assigner, organization, membership
        if membership is not None:
            user = membership.user
            kwargs.setdefault(
                "initial",
                {
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "email": user.email,
                    "role": membership.role,
                    "division": membership.division_id,
                },
            )
        super().__init__(*args, **kwargs)
        if membership is not None:
            del self.fields["username"]
        self.fields["division"].queryset = organization.divisions.all()
        self.fields["division"].empty_label = _("— ไม่สังกัดฝ่าย —")
        offered = offered_roles(assigner)
        if membership is not None and membership.role not in dict(offered):
            offered.append((membership.role, membership.get_role_display()))
        self.fields["role"].widget.choices = offered

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("มีผู้ใช้ชื่อ “%(username)s” อยู่แล้ว"), params={"username": username}
            )
        return username

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        refusals = Membership.refusals(self.assigner, self.organization, role)
        if self.membership is not None:
            refusals.update(own_account_refusals(self.assigner, self.membership, role=role))
        for field, message in refusals.items():
            self.add_error(field if field in self.fields else None, message)
        if role == Membership.Role.STAFF and not cleaned.get("division"):
            self.add_error("division", _("เจ้าหน้าที่ต้องสังกัดฝ่าย"))
        return cleaned
