from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import User
from withus.core.forms import AccessibleModelForm
from withus.people.models import Person

from .models import Preparation


class ArrangeForm(AccessibleModelForm):
    """Who gives a briefing or meet-and-greet, when, and where or how. The service checks the rules."""

    class Meta:
        model = Preparation
        fields = ["by_staff", "by_person", "at", "how", "where"]
        widgets = {"how": forms.RadioSelect}
        labels = {"by_person": _("or given by a member acting as supporter (one of those invited)")}
        error_messages = {
            "at": {"required": _("Give the date and time.")},
            "where": {"required": _("Say where it is, or the phone number or video link.")},
        }

    def __init__(self, *args: Any, staff: QuerySet[User], people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by_staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["by_person"].queryset = people  # type: ignore[attr-defined]
        for name in ("by_staff", "by_person"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.required = False
            field.empty_label = "—"


class AnswerForm(forms.Form):
    wanted = forms.TypedChoiceField(
        label=_("Would you like this?"),
        choices=[("yes", _("Yes, please")), ("no", _("No, thank you"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say yes or no.")},
    )
