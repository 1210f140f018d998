from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import AccessibleModelForm

from .models import (
    LARGEST_SMALL_NUMBER_THRESHOLD,
    SMALL_NUMBER_THRESHOLD_RANGE,
    SMALLEST_SMALL_NUMBER_THRESHOLD,
    Organisation,
    Role,
)


class OrganisationForm(AccessibleModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_cy",
            "contact_email",
            "contact_phone",
            "welfare_adviser",
            "welfare_adviser_contact",
            "expenses_need_agreement",
        ]
        error_messages = {"name": {"required": _("Enter the organisation's name.")}}


class SmallNumberThresholdForm(forms.Form):
    """The organisation's small-number threshold. ``services.set_small_number_threshold`` saves it, not the form."""

    small_number_threshold = forms.IntegerField(
        label=_("Hide any count below"),
        min_value=SMALLEST_SMALL_NUMBER_THRESHOLD,
        max_value=LARGEST_SMALL_NUMBER_THRESHOLD,
        # Text, not type="number": what was typed comes back as typed, and no spinner to nudge by mistake.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "A number from 2 to 50. Any count from 1 up to one below it is hidden in survey results, presence, "
            "the concerns summary and the annual report: on the page, in downloads and in the API."
        ),
        error_messages={
            "required": _("Enter the smallest count that may be shown, a number from 2 to 50."),
            "invalid": _("Enter a whole number from 2 to 50, like 5."),
            "min_value": SMALL_NUMBER_THRESHOLD_RANGE,
            "max_value": SMALL_NUMBER_THRESHOLD_RANGE,
        },
    )


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the person's e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        choices=[c for c in Role.choices if c[0] != Role.MEMBER],
        error_messages={"required": _("Choose a role.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=100,
        help_text=_("For example, 'finance system'."),
        error_messages={"required": _("Give the token a name.")},
    )
    membership = forms.ChoiceField(
        label=_("Role and organisation"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role the token acts in.")},
    )


class SignInForm(LoginForm):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's sign-in form, its labels in WithUs's words (as on the rest of the site)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
