from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agreed

HOW_RECORDED = [(value, label) for value, label in Agreed.How.choices if value != Agreed.How.SELF]


class TextForm(forms.Form):
    """A new version of ground rules or of a code of conduct, in English and, if it is written, Welsh."""

    text = forms.CharField(
        label=_("In English"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the text the members are asked to agree to.")},
    )
    text_cy = forms.CharField(
        label=_("In Welsh"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class RecordAgreedForm(forms.Form):
    """A member's agreement given on paper, by phone or in person, recorded for them."""

    person = forms.TypedChoiceField(
        label=_("Who agreed"), coerce=int, error_messages={"required": _("Choose who agreed.")}
    )
    how = forms.ChoiceField(
        label=_("How they agreed"),
        choices=HOW_RECORDED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the member agreed: on paper, by phone or in person.")},
    )

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a member")), *people]


class HowForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How they accepted it"),
        choices=HOW_RECORDED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the member agreed: on paper, by phone or in person.")},
    )
