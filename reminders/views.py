"""The user's e-mail preferences, and the signed link that stops the digests without signing in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from reminders.links import user_from_stop_token
from reminders.models import Frequency, ReminderPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["frequency", "language"]
        labels = {
            "frequency": gettext_lazy("ความถี่ของอีเมลแจ้งเตือน"),
            "language": gettext_lazy("ภาษาของอีเมล"),
        }
        widgets = {"frequency": forms.RadioSelect}


@login_required
def preferences(request):
    preference, _created = ReminderPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("บันทึกการตั้งค่าอีเมลแจ้งเตือนแล้ว"))
        return redirect("reminder_preferences")
    return render(request, "reminders/preferences.html", {"form": form})


# The token authorises the change, so a mail client's one-click POST (RFC 8058, sent without
# a session or CSRF token) is accepted; a GET only shows the button, since mail scanners
# follow links.
@csrf_exempt
def stop(request, token: str):
    user = user_from_stop_token(token)
    if user is None:
        raise Http404(_("ลิงก์ไม่ถูกต้อง"))
    if request.method == "POST":
        ReminderPreference.objects.update_or_create(
            user=user, defaults={"frequency": Frequency.NEVER}
        )
        return render(request, "reminders/stopped.html", {"stopped_user": user})
    return render(request, "reminders/stop.html", {"stopped_user": user, "token": token})
