"""Forms of the cash float pages: issuing a float, repaying in cash, closing with the count.

They check only the shape of what was typed; the rules (who may issue or repay, the
£100 limit, the balance) live in ``services`` and come back as field errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Membership, Organisation, User
from withus.accounts.roles import HOLDING_FLOATS
from withus.people.models import Person
from withus.rewards.fees.forms import DECIMAL, RECEIPT_ACCEPT, activity_date_field
from withus.rewards.finance.forms import UserChoiceField
from withus.rewards.models import Budget, ExpenseCategory

AMOUNT_ERRORS = {
    "required": _("Give the amount in pounds and pence, for example 4.50."),
    "invalid": _("Give the amount in pounds and pence, for example 4.50."),
    "max_decimal_places": _("Give pounds and pence: no more than 2 decimal places."),
    "max_digits": _("That amount is too large."),
    "max_whole_digits": _("That amount is too large."),
}


if TYPE_CHECKING:
    _PersonField = forms.ModelChoiceField[Person]
else:  # Django's form fields are not generic at run time
    _PersonField = forms.ModelChoiceField


class PersonChoiceField(_PersonField):
    def label_from_instance(self, obj: Person) -> str:
        return str(obj.full_name)


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages=AMOUNT_ERRORS,
    )


class IssueFloatForm(forms.Form):
    budget = forms.ModelChoiceField(
        label=_("Budget the cash comes from"),
        queryset=Budget.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the budget the cash comes from."),
            "invalid_choice": _("Choose an open budget you hold."),
        },
    )
    held_by = UserChoiceField(
        label=_("Who holds the cash"),
        help_text=_("A coordinator or an admin of your organisation. Only they can repay from the float."),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose who holds the cash."),
            "invalid_choice": _("Choose a coordinator or an admin of your organisation."),
        },
    )
    amount = _money(_("Cash issued (£)"), _("For example, 50.00"))

    def __init__(self, *args: Any, organisation: Organisation, budgets: QuerySet[Budget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        budget = self.fields["budget"]
        held_by = self.fields["held_by"]
        assert isinstance(budget, forms.ModelChoiceField) and isinstance(held_by, forms.ModelChoiceField)
        budget.queryset = budgets
        holders = Membership.objects.filter(organisation=organisation, role__in=HOLDING_FLOATS).values("user_id")
        held_by.queryset = User.objects.filter(pk__in=holders).order_by("email")


class RepayForm(forms.Form):
    person = PersonChoiceField(
        label=_("Who are you repaying?"),
        queryset=Person.objects.none(),
        error_messages={
            "required": _("Choose who you are repaying."),
            "invalid_choice": _("Choose someone who shares their details with your organisation."),
        },
    )
    category = forms.ChoiceField(
        label=_("What is the expense for?"),
        choices=ExpenseCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the expense is for."),
            "invalid_choice": _("Choose what the expense is for."),
        },
    )
    amount = _money(_("Amount repaid in cash (£)"), _("At most £100. For example, 4.50"))
    activity_date = activity_date_field()
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A photo (JPEG, PNG or HEIC) or a PDF, up to 10 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.sharing_with(organisation).order_by("full_name")


class CloseFloatForm(forms.Form):
    counted_cash = forms.DecimalField(
        label=_("Cash counted (£)"),
        help_text=_("Count the cash left in the float. Any difference from the balance is recorded."),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages={
            "required": _("Give the cash counted in pounds and pence, for example 12.50."),
            "invalid": _("Give the cash counted in pounds and pence, for example 12.50."),
            "max_decimal_places": _("Give pounds and pence: no more than 2 decimal places."),
            "max_digits": _("That amount is too large."),
            "max_whole_digits": _("That amount is too large."),
        },
    )
