from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import AccessibleModelForm

from .models import Interest


class InterestForm(AccessibleModelForm):
    """A standing declaration, as declared or brought up to date."""

    class Meta:
        model = Interest
        fields = ["kind", "body", "description", "starts_on", "ends_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "body": _("For example the health board, the charity or the company, or the person's name."),
            "ends_on": _("Leave empty while it continues."),
        }
        error_messages = {
            "kind": {"required": _("Say what kind of interest it is.")},
            "body": {"required": _("Say which body or person the interest concerns.")},
        }


class ForMemberInterestForm(InterestForm):
    """A member's declaration given by phone, by letter or in person, recorded by a coordinator."""

    how = forms.ChoiceField(
        label=_("How they declared it"),
        choices=[(value, label) for value, label in Interest.How.choices if value != Interest.How.SELF],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the member declared it.")},
    )

    class Meta(InterestForm.Meta):
        fields = ["kind", "body", "description", "starts_on", "ends_on", "how"]
