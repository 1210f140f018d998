from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import AccessibleModelForm, DateField, set_choices
from withus.people.models import Person

from .models import Appointment, Group


class GroupForm(AccessibleModelForm):
    class Meta:
        model = Group
        fields = ["name", "name_cy", "kind", "makes_decisions"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"name": {"required": _("Give the group a name.")}}


class AppointForm(AccessibleModelForm):
    """A seat on one of the organisation's groups; the deputy and buddy come from ``people``."""

    class Meta:
        model = Appointment
        fields = ["group", "seat", "term_start", "planned_end", "review_on", "deputy", "buddy"]
        widgets = {"seat": forms.RadioSelect}
        help_texts = {"planned_end": _("Terms of at least three years, with reviews, are recommended.")}
        error_messages = {
            "group": {"required": _("Choose the group.")},
            "term_start": {"required": _("Give the start date.")},
            "planned_end": {"required": _("Give the planned end date.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = people  # type: ignore[attr-defined]
        self.fields["buddy"].queryset = people  # type: ignore[attr-defined]


class ReportBackForm(forms.Form):
    reported_to = forms.CharField(label=_("The group you reported back to"), max_length=200)
    summary = forms.CharField(label=_("What you reported"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = DateField(label=_("Date"), required=False)


class BallotForm(forms.Form):
    """A ballot's question, its choices (one a line) and its two observers from the group."""

    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        error_messages={"required": _("Write the question the group is voting on.")},
    )
    question_cy = forms.CharField(label=_("Question in Welsh"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Choices"),
        help_text=_("One on each line."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give at least two choices, one on each line.")},
    )
    options_cy = forms.CharField(
        label=_("Choices in Welsh"),
        help_text=_("One on each line, in the same order."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    first_observer = forms.ModelChoiceField(
        label=_("First observer"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose the first observer.")},
    )
    second_observer = forms.ModelChoiceField(
        label=_("Second observer"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose the second observer.")},
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_observer"].queryset = members  # type: ignore[attr-defined]
        self.fields["second_observer"].queryset = members  # type: ignore[attr-defined]


class OpenBallotForm(forms.Form):
    accept_small_group = forms.BooleanField(
        label=_("The group has agreed to vote even though the result may show how people voted"), required=False
    )


class VoteForm(forms.Form):
    option = forms.TypedChoiceField(
        label=_("Your vote"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers.")},
    )

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["option"], [(o.pk, str(o)) for o in options])


class PaperReceiptsForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many paper ballots to print"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Say how many papers to print."),
            "invalid": _("Give a whole number."),
            "min_value": _("Print between 1 and 500 papers."),
            "max_value": _("Print between 1 and 500 papers."),
        },
    )


class PaperVoteForm(VoteForm):
    person = forms.ModelChoiceField(
        label=_("Who handed in the paper"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose who handed in the paper.")},
    )
    receipt = forms.CharField(
        label=_("Receipt on the paper"),
        max_length=40,
        error_messages={"required": _("Type the receipt printed on the paper.")},
    )

    field_order = ["person", "receipt", "option"]

    def __init__(self, *args: Any, voters: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = voters  # type: ignore[attr-defined]
        self.order_fields(self.field_order)


class FindReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"), max_length=40, error_messages={"required": _("Type the receipt you were given.")}
    )


class SpeaksForForm(forms.Form):
    appointment = forms.ModelChoiceField(
        label=_("Seat"), queryset=Appointment.objects.none(), error_messages={"required": _("Choose the seat.")}
    )
    speaks_for = forms.ModelChoiceField(
        label=_("The group they speak for"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_("Leave empty for a seat held in the person's own right."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seats = Appointment.objects.filter(group__organisation=organisation, ended_on__isnull=True).select_related(
            "person", "group"
        )
        self.fields["appointment"].queryset = seats.order_by("group__name", "person__full_name")  # type: ignore[attr-defined]
        self.fields["speaks_for"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class SendViewForm(forms.Form):
    text = forms.CharField(
        label=_("Your view"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your view for your representative.")},
    )
    session = forms.ModelChoiceField(label=_("For the meeting"), queryset=Group.objects.none(), required=False)

    def __init__(self, *args: Any, sessions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class MarkViewForm(forms.Form):
    raised = forms.TypedChoiceField(
        label=_("Did you raise it?"),
        choices=[("yes", _("Yes, I raised it")), ("no", _("No, not this time"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you raised it.")},
    )
    outcome = forms.CharField(
        label=_("What came of it"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RepresentativeReportBackForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Group.objects.none(), error_messages={"required": _("Choose the meeting.")}
    )
    summary = forms.CharField(
        label=_("What you report back"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what you report back.")},
    )

    def __init__(self, *args: Any, sessions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class PartnerMessageForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"), max_length=200, error_messages={"required": _("Give the message a subject.")}
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your message.")},
    )
    copy_support = forms.BooleanField(label=_("Copy the organisation that supports me"), required=False)


class EndSeatForm(forms.Form):
    """The day a seat's term ends, early or as planned."""

    ended_on = DateField(
        label=_("The last day in the seat"),
        error_messages={"required": _("Enter the last day in the seat.")},
    )
