from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import AccessibleModelForm

from .models import PlannedSupervision


class PlanForm(AccessibleModelForm):
    """When, how long, and where or how to join. The service checks the rules."""

    class Meta:
        model = PlannedSupervision
        fields = ["starts_at", "minutes", "how", "where"]
        widgets = {"how": forms.RadioSelect}
        help_texts = {"minutes": _("For example, 60 for an hour.")}
        error_messages = {
            "starts_at": {"required": _("Enter the date and time.")},
            "minutes": {"required": _("Enter how long it is, in minutes.")},
            "where": {"required": _("Say where it is, or the phone number or video link.")},
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        max_length=300,
        help_text=_("The members are told this."),
        error_messages={"required": _("Say why, so that the members know.")},
    )


class HeldForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone who was there can read it, and add to it."),
    )


class ComingForm(forms.Form):
    coming = forms.TypedChoiceField(
        label=_("Can you come?"),
        choices=[("yes", _("Yes, I can come")), ("no", _("No, I cannot come"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you can come.")},
    )


class StaffComingForm(ComingForm):
    """The answer a member gave by phone or letter, recorded for them."""

    coming = forms.TypedChoiceField(
        label=_("What did they say?"),
        choices=[("yes", _("They can come")), ("no", _("They cannot come"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether they can come.")},
    )
