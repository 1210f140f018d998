"""Forms for reward choice and thanks.

They check only the shape of what was typed; the rules (a sort code of 6 numbers, an
account number of 8, a charity named when donating) live in ``services`` and come
back as field errors, so each rule is written once for the web, the API and the CLI.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.rewards.models import RewardMethod


class RewardPreferenceForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How do you want to be rewarded, usually?"),
        help_text=_("You can choose differently for any activity when it is offered to you."),
        choices=RewardMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to be rewarded."),
            "invalid_choice": _("Choose how you want to be rewarded."),
        },
    )
    charity_name = forms.CharField(
        label=_("The charity to donate to"),
        help_text=_("Only if you choose a donation to a charity."),
        required=False,
        max_length=200,
    )
    group_name = forms.CharField(
        label=_("The group to pay instead"),
        help_text=_("Only if you choose to pay your group."),
        required=False,
        max_length=200,
    )
    account_name = forms.CharField(
        label=_("Name on the account"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sort_code = forms.CharField(
        label=_("Sort code"),
        help_text=_("6 numbers, for example 30-90-12."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    account_number = forms.CharField(
        label=_("Account number"),
        help_text=_("8 numbers, for example 00733445."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def service_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class ThanksForm(forms.Form):
    contribution = forms.CharField(
        label=_("What are you thanking them for?"),
        help_text=_("For example: reviewing the new leaflet, or chairing the March panel."),
        max_length=300,
        error_messages={"required": _("Say what the thanks is for.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        help_text=_("They will see this on WithUs and in the record they can download for a CV."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your message of thanks.")},
    )
