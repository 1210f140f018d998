"""Forms of the finance pages: a new budget, returning a claim, a new payment batch.

They check only the shape of what was typed; the rules (who may hold a budget, a
reason for returning, which methods can be batched) live in ``services`` and come
back as field errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Membership, Organisation, User
from withus.accounts.roles import HOLDING_BUDGETS
from withus.groups.models import Group
from withus.rewards.models import RewardMethod

from .services import BATCH_METHODS, MAX_ALLOCATION

if TYPE_CHECKING:
    _UserField = forms.ModelChoiceField[User]
else:  # Django's form fields are not generic at run time
    _UserField = forms.ModelChoiceField


class UserChoiceField(_UserField):
    """Staff listed by name and e-mail address, so two people with one name can be told apart."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class BudgetForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the budget"),
        help_text=_("For example, the service user panel 2025 to 2026. Members of the group can see it."),
        max_length=200,
        error_messages={"required": _("Give the budget a name."), "max_length": _("Use 200 characters or fewer.")},
    )
    allocation = forms.DecimalField(
        label=_("Allocation in pounds"),
        help_text=_("For example, 1500.00"),
        min_value=Decimal("0"),
        max_value=MAX_ALLOCATION,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": _("Give the allocation in pounds and pence, for example 1500.00."),
            "invalid": _("Give the allocation in pounds and pence, for example 1500.00."),
            "min_value": _("The allocation cannot be less than £0."),
            "max_value": _("That allocation is too large."),
            "max_digits": _("That allocation is too large."),
            "max_decimal_places": _("Give pounds and pence: no more than 2 decimal places."),
        },
    )
    holder = UserChoiceField(
        label=_("Budget holder"),
        help_text=_("They approve the claims on this budget. Only people with the budget holder role are listed."),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the budget holder."),
            "invalid_choice": _("Choose someone who is a budget holder in your organisation."),
        },
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        help_text=_("The group or project it pays for. Its members can see the budget's totals."),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("No group"),
        error_messages={"invalid_choice": _("Choose one of your organisation's groups.")},
    )
    funded_by = forms.ModelChoiceField(
        label=_("Paid at arm's length for"),
        help_text=_(
            "If your organisation is the independent host paying members for another organisation's activities, "
            "choose it: it funds the budget and sees only its totals, never who was paid."
        ),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No one: our own budget"),
        error_messages={"invalid_choice": _("Choose another organisation on WithUs.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holders = Membership.objects.filter(organisation=organisation, role__in=HOLDING_BUDGETS).values("user_id")
        holder = self.fields["holder"]
        group = self.fields["group"]
        assert isinstance(holder, forms.ModelChoiceField) and isinstance(group, forms.ModelChoiceField)
        holder.queryset = User.objects.filter(pk__in=holders).order_by("email")
        group.queryset = Group.objects.filter(organisation=organisation)
        funder = self.fields["funded_by"]
        assert isinstance(funder, forms.ModelChoiceField)
        funder.queryset = Organisation.objects.exclude(pk=organisation.pk).order_by("name")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you returning it?"),
        help_text=_("The member sees this. Say what they need to change or send."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why you are returning it, so they know what to change."),
            "max_length": _("Use 500 characters or fewer."),
        },
    )


class BatchForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[(str(m), RewardMethod(m).label) for m in BATCH_METHODS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how this batch will be paid."),
            "invalid_choice": _("Choose how this batch will be paid."),
        },
    )
