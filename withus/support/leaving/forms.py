"""Forms of leaving well. They check what was typed; the services check the rules and who may."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import DateField, needed_sometimes
from withus.groups.models import Appointment, Group
from withus.people import selectors as people_selectors
from withus.people.models import Person

from ..forms import PersonChoice
from .models import LeavingOffer


class SeatChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_seat_display()}, {obj.group} ({obj.term_start:%d/%m/%Y}–{obj.planned_end:%d/%m/%Y})"


class OfferForm(forms.Form):
    appointment = SeatChoice(
        label=_("The seat whose term ended"),
        queryset=Appointment.objects.none(),
        required=False,
        empty_label=_("Not a seat: they left"),
        error_messages={"invalid_choice": _("Choose one of their seats from the list.")},
    )
    served_as = forms.CharField(
        label=_("The role they served in"),
        max_length=200,
        help_text=_("As the certificate will name it, for example: Member of the Partnership Board."),
        error_messages={"required": _("Say what role they served in, for the certificate.")},
    )
    served_from = DateField(
        label=_("Served from"), error_messages={"required": _("Enter when they started in the role.")}
    )
    served_until = DateField(
        label=_("Served until"), error_messages={"required": _("Enter when their time in the role ended or ends.")}
    )
    step_down = forms.ChoiceField(
        label=_("Step-down role to offer"),
        choices=LeavingOffer.StepDown.choices,
        widget=forms.RadioSelect,
        initial=LeavingOffer.StepDown.NONE,
        error_messages={"required": _("Choose a step-down role, or none.")},
    )
    new_member = PersonChoice(
        label=_("For a mentor: the new member they would mentor"),
        queryset=Person.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose someone from the list.")},
    )
    review_on = DateField(label=_("For a mentor: review how it is going on"), required=False)
    group = forms.ModelChoiceField(
        label=_("For a deputy or an alternate: the group"),
        queryset=Group.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a group from the list.")},
    )
    term_start = DateField(label=_("For a deputy or an alternate: the term starts"), required=False)
    planned_end = DateField(label=_("For a deputy or an alternate: the term is planned to end"), required=False)
    message = forms.CharField(
        label=_("A word of thanks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to them with the offer."),
    )

    def __init__(self, *args: Any, organisation: Organisation, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = (  # type: ignore[attr-defined]
            Appointment.objects.filter(person=person, group__organisation=organisation)
            .select_related("group")
            .order_by("-planned_end", "pk")
        )
        self.fields["new_member"].queryset = (  # type: ignore[attr-defined]
            people_selectors.people_sharing_with(organisation).exclude(pk=person.pk).order_by("full_name", "pk")
        )
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        # Needed for a mentor, or for a seat: the service says which is missing.
        needed_sometimes(
            *(self.fields[name] for name in ("new_member", "review_on", "group", "term_start", "planned_end"))
        )


def initial_from(appointment: Appointment | None) -> dict[str, Any]:
    """What the form starts with for a seat whose term ended: the role and its dates, as the certificate names them."""
    if appointment is None:
        return {}
    return {
        "appointment": appointment.pk,
        "served_as": f"{appointment.get_seat_display()}, {appointment.group}",
        "served_from": appointment.term_start,
        "served_until": appointment.ended_on or appointment.planned_end,
    }


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("yes", _("Yes, I accept")), ("no", _("No, thank you"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
