from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.core.forms import AccessibleModelForm

from .models import IndependenceRisk

SCORES = [(n, str(n)) for n in range(1, 6)]


class RiskForm(AccessibleModelForm):
    """A risk as added or reviewed; on review the title and kind are kept as they were."""

    close = forms.BooleanField(label=_("This risk is no longer present: close it"), required=False)

    class Meta:
        model = IndependenceRisk
        fields = ["title", "title_cy", "kind", "likelihood", "impact", "mitigations", "owner", "review_on"]
        widgets = {
            "likelihood": forms.RadioSelect(choices=SCORES),
            "impact": forms.RadioSelect(choices=SCORES),
            "mitigations": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"review_on": _("At least once a year.")}
        error_messages = {
            "title": {"required": _("Say what the risk is.")},
            "likelihood": {"required": _("Give a number from 1 to 5.")},
            "impact": {"required": _("Give a number from 1 to 5.")},
            "review_on": {"required": _("Give the date of the next review.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, reviewing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(memberships__organisation=organisation).exclude(memberships__role="member")
        owner = self.fields["owner"]
        owner.queryset = staff.distinct().order_by("email")  # type: ignore[attr-defined]
        owner.empty_label = _("Nobody yet")  # type: ignore[attr-defined]
        if reviewing:
            del self.fields["title"], self.fields["title_cy"], self.fields["kind"]
        else:
            del self.fields["close"]
