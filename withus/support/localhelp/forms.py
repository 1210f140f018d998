"""The form for an entry of local help; the rules (a way to reach them, a check date) are in ``rules``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import AccessibleModelForm

from .models import HelpEntry


class HelpEntryForm(AccessibleModelForm):
    website = forms.URLField(
        label=_("website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, like https://example.org.")},
    )

    class Meta:
        model = HelpEntry
        fields = [
            "kind",
            "name",
            "name_cy",
            "description",
            "description_cy",
            "opening_hours",
            "opening_hours_cy",
            "languages",
            "languages_cy",
            "phone",
            "text_number",
            "email",
            "website",
            "address",
            "reviewed_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_cy": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "opening_hours": _("For example: Monday to Friday, 9am to 5pm."),
            "languages": _("For example: English and Welsh; British Sign Language by arrangement."),
            "reviewed_on": _("When someone last checked these details are right. Check them at least once a year."),
        }
        error_messages = {
            "kind": {"required": _("Choose the kind of help.")},
            "name": {"required": _("Give the name of the service.")},
            "reviewed_on": {"required": _("Give the date the details were last checked.")},
            "email": {"invalid": _("Enter an e-mail address, like name@example.org.")},
            "website": {"invalid": _("Enter a full web address, like https://example.org.")},
        }

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
