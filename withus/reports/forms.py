from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.people.models import LocalAuthority

from . import selectors


class PopulationForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=LocalAuthority.choices)
    category = forms.ChoiceField(
        label=_("Equality category"),
        help_text=_("Leave as “everyone” for the area's total population."),
        required=False,
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=0, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year the figure describes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Everyone in the area")), *selectors.equality_categories()]


class DraftForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), help_text=_("The tax year it starts: 2026 for April 2026 to April 2027."), min_value=2000
    )


class NarrativeForm(forms.Form):
    text = forms.CharField(label=_("What this section says"), widget=forms.Textarea, max_length=10000, required=False)
    text_cy = forms.CharField(
        label=_("What this section says, in Welsh"), widget=forms.Textarea, max_length=10000, required=False
    )


class InviteForm(forms.Form):
    person = forms.IntegerField(label=_("Member's number in the register"), min_value=1)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea, max_length=4000)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
