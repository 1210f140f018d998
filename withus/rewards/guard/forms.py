"""Forms of the benefits guard: telling us a benefit, the member's choice about an offer, the reference table.

The forms check only the shape of what was typed; the rules (a Universal Credit
assessment day, overlapping rows, amounts in range) live in ``services`` and come
back as field errors, so each rule is written once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from withus.core.forms import AccessibleModelForm, set_choices
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.rewards.descriptions import hours_count, hours_text
from withus.rewards.models import Benefit, BenefitDeclaration, BenefitLimit, GuardChoice, RewardMethod

from .services import PAYING_METHODS

UC_FIELDS = ("assessment_day", "uc_housing_support", "uc_work_allowance")
LEGACY_FIELDS = ("disregard",)


class DeclareBenefitForm(AccessibleModelForm):
    """A member tells us a benefit they receive. Optional, and only shared where they tick."""

    assessment_day = forms.IntegerField(
        label=_("The day your assessment period starts"),
        help_text=_("A number from 1 to 31. It is on your Universal Credit statement."),
        required=False,
        min_value=1,
        max_value=31,
        error_messages={
            "invalid": _("Give the day as a number from 1 to 31, for example 14."),
            "min_value": _("Give the day as a number from 1 to 31, for example 14."),
            "max_value": _("Give the day as a number from 1 to 31, for example 14."),
        },
    )

    class Meta:
        model = BenefitDeclaration
        fields = ["benefit", *UC_FIELDS, *LEGACY_FIELDS, "share_with"]
        widgets = {
            "benefit": forms.RadioSelect,
            "disregard": forms.RadioSelect,
            "share_with": forms.CheckboxSelectMultiple,
        }
        labels = {
            "benefit": _("Which benefit do you get?"),
            "uc_housing_support": _("My Universal Credit includes help with housing costs"),
            "uc_work_allowance": _("I have a work allowance (I have a child, or limited capability for work)"),
            "disregard": _("Which earnings disregard do you have?"),
            "share_with": _("Which organisations may take this into account?"),
        }
        help_texts = {
            "disregard": _("It is on your award letter. If you are not sure, ask your benefits office."),
            "share_with": _(
                "Only the organisations you tick can see that you get this benefit. If you tick none, only "
                "you see the checks on this page."
            ),
        }
        error_messages = {
            "benefit": {
                "required": _("Choose the benefit you get."),
                "invalid_choice": _("Choose the benefit you get."),
            },
        }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        share_with = self.fields["share_with"]
        assert isinstance(share_with, forms.ModelMultipleChoiceField)
        share_with.queryset = people_selectors.organisations_shared_with(person)
        # AccessibleModelForm has already frozen the choices (CheckboxSelectMultiple is a RadioSelect),
        # so give the narrowed list again or every organisation would be offered.
        set_choices(share_with, list(share_with.iterator(share_with)))
        share_with.error_messages["invalid_choice"] = _("Choose only organisations you share your details with.")
        self.fields["disregard"].required = False
        current = BenefitDeclaration.objects.filter(person=person, ended_at__isnull=True)
        self.current_benefits = {str(d.benefit) for d in current}

    def clean_benefit(self) -> Any:
        benefit = self.cleaned_data.get("benefit")
        if benefit in self.current_benefits:
            # Two declarations of one benefit would count the same money twice.
            raise forms.ValidationError(
                _("You have already told us about this benefit. To change it, stop telling us, then tell us again.")
            )
        return benefit

    def service_arguments(self) -> dict[str, Any]:
        """What to pass to ``services.declare_benefit``: only the answers that belong to the chosen benefit."""
        data = self.cleaned_data
        benefit = data["benefit"]
        arguments: dict[str, Any] = {"benefit": benefit, "share_with": list(data.get("share_with") or [])}
        if benefit == Benefit.UNIVERSAL_CREDIT:
            arguments.update({name: data.get(name) for name in UC_FIELDS})
        if benefit == Benefit.LEGACY_DISREGARD:
            arguments["disregard"] = data.get("disregard") or ""
        return arguments


class ChoiceForm(forms.Form):
    """The member's answer to an offer. Every choice is allowed: the guard never decides for them."""

    choice = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=GuardChoice.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you want to do."),
            "invalid_choice": _("Choose what you want to do."),
        },
    )
    hours = forms.DecimalField(
        label=_("If you choose fewer hours: how many hours will you take part for?"),
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Give the hours as a number, for example 3 or 2.5."),
            "max_decimal_places": _("Give the hours to two decimal places at most, for example 2.25."),
            "max_digits": _("Give fewer paid hours than offered."),
            "max_whole_digits": _("Give fewer paid hours than offered."),
        },
    )
    amount = forms.DecimalField(
        label=_("If you choose a lower fee: how much, in pounds?"),
        required=False,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Give the amount in pounds, for example 60.00."),
            "max_decimal_places": _("Give the amount in pounds and pence, for example 60.50."),
            "max_digits": _("Give a fee lower than offered."),
            "max_whole_digits": _("Give a fee lower than offered."),
        },
    )
    method = forms.ChoiceField(
        label=_("If you take the fee: how should it be paid for this activity?"),
        required=False,
        help_text=_("Leave this as your usual choice unless you want something different this time."),
        error_messages={"invalid_choice": _("Choose a way of being paid from the list.")},
    )

    def __init__(
        self, *args: Any, taking_part: Decimal | None = None, least_fee: Decimal | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if taking_part is not None:
            self.fields["hours"].help_text = ngettext(
                "Every hour you take part for is paid. The offer is for %(hours)s hour of taking part.",
                "Every hour you take part for is paid. The offer is for %(hours)s hours of taking part.",
                hours_count(taking_part),
            ) % {"hours": hours_text(taking_part)}
        if least_fee is not None:
            self.fields["amount"].help_text = _(
                "At least £%(least)s: every paid hour must be paid at least the hourly minimum."
            ) % {"least": least_fee}
        set_choices(
            self.fields["method"],
            [("", _("My usual choice"))] + [(m.value, m.label) for m in RewardMethod if m.value in PAYING_METHODS],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("choice")
        if choice == GuardChoice.Choice.FEWER_HOURS and data.get("hours") is None and "hours" not in self.errors:
            self.add_error("hours", _("Give the number of hours you will take part for."))
        if choice == GuardChoice.Choice.LOWER_FEE and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the fee you want, in pounds."))
        return data


class BenefitLimitForm(AccessibleModelForm):
    """A new row of the reference table: a figure, its dates and where it comes from."""

    class Meta:
        model = BenefitLimit
        fields = [
            "rule",
            "period",
            "amount",
            "hours_limit",
            "taper_percent",
            "valid_from",
            "valid_to",
            "source",
            "source_cy",
            "notes",
            "notes_cy",
        ]
        widgets = {
            "period": forms.RadioSelect,
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "hours_limit": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "taper_percent": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }
        labels = {
            "rule": _("Rule"),
            "period": _("Period the figure is for"),
            "amount": _("Amount in pounds"),
            "hours_limit": _("Paid hours must stay under"),
            "taper_percent": _("Taper above the limit (%)"),
            "valid_from": _("From"),
            "valid_to": _("To"),
            "source": _("Source"),
            "source_cy": _("Source in Welsh"),
            "notes": _("Notes"),
            "notes_cy": _("Notes in Welsh"),
        }
        help_texts = {
            "period": _(
                "Universal Credit work allowances are for a monthly assessment period, the trading allowance for a "
                "tax year, the others for a week."
            ),
            "hours_limit": _("Only for ESA permitted work: 16. Leave blank otherwise."),
            "taper_percent": _("Only for Universal Credit: 55. Leave blank otherwise."),
            "valid_to": _("Leave blank if the figure has no end date yet."),
            "source_cy": _("Welsh readers see this instead of the source. Leave blank to show the English."),
            "notes_cy": _("Welsh readers see these notes with every warning about this figure."),
        }
        error_messages = {
            "rule": {"required": _("Choose the rule."), "invalid_choice": _("Choose the rule.")},
            "period": {"required": _("Choose the period."), "invalid_choice": _("Choose the period.")},
            "amount": {
                "required": _("Give the amount in pounds, for example 196.00."),
                "invalid": _("Give the amount in pounds, for example 196.00."),
                "max_decimal_places": _("Give the amount in pounds and pence, for example 196.50."),
                "min_value": _("The amount cannot be less than £0."),
            },
            "hours_limit": {"invalid": _("Give the hours as a number, for example 16.")},
            "taper_percent": {"invalid": _("Give the taper as a number, for example 55.")},
            "valid_from": {"required": _("Give the date the figure starts.")},
            "source": {"required": _("Say where the figure comes from.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["rule"], [("", _("Choose a rule"))] + list(BenefitLimit.Rule.choices))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: date | None = data.get("valid_from")
        ends: date | None = data.get("valid_to")
        if starts and ends and ends < starts:
            self.add_error("valid_to", _("The end date must be on or after the start date."))
        return data
