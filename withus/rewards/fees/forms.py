"""Forms for rate cards, offering a fee (by hand, or the fee an attendance earns) and expense claims.

They check only the shape of what was typed; the rules (overlapping cards, the Real
Living Wage, receipts, amounts in range) live in ``fees`` and come back as field errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import AccessibleModelForm, DateField, needed_sometimes
from withus.opportunities.models import Level
from withus.rewards.models import RECEIPT_TYPES, ExpenseCategory, IncomeLine, RateCard

from .services import RATE_CARD_FIELDS

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}
NUMBER = {"inputmode": "numeric", "autocomplete": "off"}
# What services.receipt_kind accepts, for the file picker (the content is still checked).
RECEIPT_ACCEPT = ",".join(t.content_type for t in RECEIPT_TYPES.values())


def activity_date_field() -> DateField:
    """The date of the activity an expense is for (claimed, or repaid in cash)."""
    return DateField(
        label=_("Date of the activity"),
        error_messages={"required": _("Give the date of the activity.")},
    )


class RateCardForm(AccessibleModelForm):
    """A new dated rate card for one activity, for one pathway level or every level."""

    level = forms.TypedChoiceField(
        label=_("Pathway level"),
        help_text=_("Leave as “every level” unless this rate is for one level only."),
        choices=[("", _("Every level")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = RateCard
        fields = list(RATE_CARD_FIELDS)
        widgets = {
            "activity_type": forms.RadioSelect,
            "hourly_rate": forms.TextInput(attrs=DECIMAL),
            "preparation_ratio": forms.TextInput(attrs=DECIMAL),
            "travel_time_over_minutes": forms.TextInput(attrs=NUMBER),
            "chair_uplift_percent": forms.TextInput(attrs=DECIMAL),
        }
        labels = {
            "activity_type": _("Activity"),
            "hourly_rate": _("Rate per hour (£)"),
            "preparation_ratio": _("Paid preparation hours for each meeting hour (representative roles)"),
            "travel_time_over_minutes": _("Pay travel time for journeys over (minutes, one way)"),
            "chair_uplift_percent": _("Uplift for chairing (%)"),
            "valid_from": _("From"),
            "valid_to": _("To"),
        }
        help_texts = {
            "hourly_rate": _("At least the Real Living Wage."),
            "valid_to": _("Leave blank if the card has no end date yet."),
        }


class ExpenseClaimForm(forms.Form):
    """A member's expense claim: what for, how much (or how far), when, and the receipt."""

    category = forms.ChoiceField(
        label=_("What is the expense for?"),
        choices=ExpenseCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the expense is for.")},
    )
    amount = forms.DecimalField(
        label=_("Amount you paid (£)"),
        help_text=_("Not for mileage: give the miles instead."),
        required=False,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages={
            "invalid": _("Give the amount in pounds and pence, for example 4.50."),
            "max_decimal_places": _("Give the amount in pounds and pence, for example 4.50."),
            "max_digits": _("Give the amount in pounds and pence, for example 4.50."),
            "max_whole_digits": _("Give the amount in pounds and pence, for example 4.50."),
        },
    )
    miles = forms.DecimalField(
        label=_("Miles, there and back"),
        help_text=_("For mileage only, from your home."),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages={
            "invalid": _("Give the miles as a number, for example 12.5."),
            "max_decimal_places": _("Give the miles to one decimal place, for example 12.5."),
            "max_digits": _("Give the miles there and back, more than 0 and at most 500."),
            "max_whole_digits": _("Give the miles there and back, more than 0 and at most 500."),
        },
    )
    passengers = forms.IntegerField(
        label=_("Passengers you took"),
        help_text=_("For mileage only."),
        required=False,
        min_value=0,
        max_value=8,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={
            "invalid": _("Give the number of passengers, from 0 to 8."),
            "min_value": _("Give the number of passengers, from 0 to 8."),
            "max_value": _("Give the number of passengers, from 0 to 8."),
        },
    )
    activity_date = activity_date_field()
    organisation = forms.ModelChoiceField(
        label=_("Which organisation is this claim for?"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organisation."), "invalid_choice": _("Choose the organisation.")},
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A photo (JPEG, PNG or HEIC) or a PDF, up to 10 MB. Not needed for mileage."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )
    agreed_beforehand = forms.BooleanField(
        label=_("This expense was agreed with the organisation beforehand"),
        help_text=_("A taxi or accommodation must be agreed first."),
        required=False,
    )

    # Asked only when the claim looks like one already made (services.PossibleDuplicate); hidden until then.
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is another journey or another cost: send it"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        # An amount and a receipt are needed unless the claim is for mileage, the miles only then.
        needed_sometimes(self.fields["amount"], self.fields["miles"], self.fields["receipt"])

    def ask_to_confirm_duplicate(self) -> None:
        """Show the box that sends a claim that looks like one already made."""
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        assert data is not None
        if data.get("category") == ExpenseCategory.MILEAGE:
            if data.get("miles") is None and "miles" not in self.errors:
                self.add_error("miles", _("Give the miles there and back, more than 0 and at most 500."))
        elif data.get("category") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount you paid, for example 4.50."))
        return data


class OfferFeeForm(forms.Form):
    """The coordinator's "Offer the fee" button, with the travel time there and back."""

    travel_minutes = forms.IntegerField(
        label=_("Travel time there and back (minutes)"),
        min_value=0,
        max_value=24 * 60,
        initial=0,
        required=False,
        error_messages={
            "invalid": _("Give the travel time there and back, in minutes, from 0."),
            "min_value": _("Give the travel time there and back, in minutes, from 0."),
            "max_value": _("Give the travel time there and back, in minutes, from 0."),
        },
    )


class OfferForm(forms.Form):
    """A coordinator offers a fee or a voucher for an activity."""

    kind = forms.ChoiceField(
        label=_("What are you offering?"),
        choices=[
            (IncomeLine.Kind.FEE, _("A fee")),
            (IncomeLine.Kind.VOUCHER, _("A voucher (vouchers count as income for benefits too)")),
        ],
        initial=IncomeLine.Kind.FEE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a fee or a voucher."), "invalid_choice": _("Choose a fee or a voucher.")},
    )
    description = forms.CharField(
        label=_("What is it for?"),
        help_text=_("For example, the recruitment panel on 12 June. The member sees this."),
        max_length=300,
        error_messages={
            "required": _("Say what the fee is for."),
            "max_length": _("Keep it to 300 characters or fewer."),
        },
    )
    amount = forms.DecimalField(
        label=_("Amount in pounds"),
        help_text=_("For example, 60.00"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Give the amount in pounds, for example 60.00."),
            "invalid": _("Give the amount in pounds, for example 60.00."),
            "max_decimal_places": _("Give the amount in pounds and pence, for example 60.50."),
            "max_digits": _("Give an amount from £0 to £5000.00."),
            "max_whole_digits": _("Give an amount from £0 to £5000.00."),
        },
    )
    hours = forms.DecimalField(
        label=_("Paid hours"),
        help_text=_("The hours the fee pays for, for example 2 or 2.5"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Give the paid hours, from 0 to 24."),
            "invalid": _("Give the paid hours as a number, for example 2.5."),
            "max_decimal_places": _("Give the paid hours to two decimal places at most, for example 2.25."),
            "max_digits": _("Give the paid hours, from 0 to 24."),
            "max_whole_digits": _("Give the paid hours, from 0 to 24."),
        },
    )
    activity_date = DateField(
        label=_("Date of the activity"),
        error_messages={"required": _("Give the date of the activity.")},
    )
