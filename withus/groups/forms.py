from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import AccessibleModelForm, DateField
from withus.people.models import Person

from .models import Appointment, Group


class GroupForm(AccessibleModelForm):
    class Meta:
        model = Group
        fields = ["name", "name_cy", "kind", "makes_decisions"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"name": {"required": _("Give the group a name.")}}


class AppointForm(AccessibleModelForm):
    """A seat on one of the organisation's groups; the deputy and buddy come from ``people``."""

    class Meta:
        model = Appointment
        fields = ["group", "seat", "term_start", "planned_end", "review_on", "deputy", "buddy"]
        widgets = {"seat": forms.RadioSelect}
        help_texts = {"planned_end": _("Terms of at least three years, with reviews, are recommended.")}
        error_messages = {
            "group": {"required": _("Choose the group.")},
            "term_start": {"required": _("Give the start date.")},
            "planned_end": {"required": _("Give the planned end date.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = people  # type: ignore[attr-defined]
        self.fields["buddy"].queryset = people  # type: ignore[attr-defined]


class ReportBackForm(forms.Form):
    reported_to = forms.CharField(label=_("The group you reported back to"), max_length=200)
    summary = forms.CharField(label=_("What you reported"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = DateField(label=_("Date"), required=False)
