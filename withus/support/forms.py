"""Forms of support. They check what was typed; the services check the rules and who may."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.core.forms import DateField, set_choices
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors
from .models import CallRequest, Contact, DevelopmentGoal, SupportPart, SupportSettings


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class AssignForm(forms.Form):
    part = forms.ChoiceField(
        label=_("Which part"),
        choices=SupportPart.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a support contact or a supervisor.")},
    )
    staff = StaffChoiceField(
        label=_("Who"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose who."), "invalid_choice": _("Choose someone from the list.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("Kept in the member's history: for example, a new member, or a change the member asked for."),
        error_messages={"required": _("Say why, so that the member's history explains the change.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in selectors.supporting_staff(organisation)]
        ).order_by("first_name", "last_name", "email")


class HandoverForm(forms.Form):
    from_staff = StaffChoiceField(
        label=_("Whose people"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose whose people to hand over.")},
    )
    to_staff = StaffChoiceField(
        label=_("Who covers"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose who covers.")},
    )
    until = DateField(
        label=_("Cover ends on"),
        required=False,
        help_text=_(
            "If they are away, the day they are back: their people go back to them the day after. "
            "Leave blank if they have left."
        ),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        error_messages={"required": _("Say why: for example, away on leave, or has left.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(pk__in=[u.pk for u in selectors.supporting_staff(organisation)]).order_by(
            "first_name", "last_name", "email"
        )
        self.fields["from_staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["to_staff"].queryset = staff  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How"),
        choices=Contact.Kind.choices,
        widget=forms.RadioSelect,
        initial=Contact.Kind.CALL,
        error_messages={"required": _("Choose how you were in touch.")},
    )
    on = DateField(label=_("Date"), error_messages={"required": _("Enter the date of the contact.")})
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member can read this note, unless it is a safeguarding note."),
    )
    safeguarding = forms.BooleanField(
        label=_("This is a safeguarding note"),
        required=False,
        help_text=_("Only the safeguarding lead will see it; the member will not."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class StaffCallForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How did they ask?"),
        choices=[c for c in CallRequest.How.choices if c[0] != CallRequest.How.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the member asked: by letter, by phone or in person.")},
    )
    note = forms.CharField(
        label=_("What they said"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerCallForm(forms.Form):
    note = forms.CharField(
        label=_("Short note of the call"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member can read this note."),
    )


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return str(obj)


class AskCallForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Who should call you"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the organisation you would like a call from.")},
    )
    note = forms.CharField(
        label=_("Anything you want us to know before we call"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


CHECK_IN_CHOICES = [
    ("", _("No regular check-ins, thank you")),
    ("7", _("Every week")),
    ("14", _("Every two weeks")),
    ("30", _("Every month")),
    ("90", _("Every three months")),
]


class CheckInForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("From"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the organisation.")},
    )
    every_days = forms.TypedChoiceField(
        label=_("How often would you like someone to check in on how you are?"),
        choices=CHECK_IN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
        set_choices(self.fields["every_days"], CHECK_IN_CHOICES)


class SupervisionForm(forms.Form):
    on = DateField(label=_("Date it was held"), error_messages={"required": _("Enter the date it was held.")})
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone who was there can read it, and add to it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class SupervisionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add to the notes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your note.")},
    )


class PersonChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class SupervisionGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages={"required": _("Give the group a name.")})
    supervisor = StaffChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the supervisor.")},
    )
    members = PersonChoices(
        label=_("Members"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the members of the group.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in selectors.supporting_staff(organisation)]
        ).order_by("first_name", "last_name", "email")
        self.fields["members"].queryset = people_selectors.people_sharing_with(organisation).order_by(  # type: ignore[attr-defined]
            "full_name", "pk"
        )


class GoalForm(forms.Form):
    goal = forms.CharField(
        label=_("Your goal, in your words"),
        max_length=300,
        error_messages={"required": _("Write your goal, in your own words.")},
    )
    steps = forms.CharField(
        label=_("The steps to get there"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    who_helps = forms.CharField(label=_("Who helps"), required=False, max_length=300)
    review_on = DateField(
        label=_("When to look at it again"), error_messages={"required": _("Enter when to look at this goal again.")}
    )
    progress = forms.ChoiceField(
        label=_("How it is going"),
        choices=DevelopmentGoal.Progress.choices,
        initial=DevelopmentGoal.Progress.NOT_STARTED,
        widget=forms.RadioSelect,
    )
    organisation = OrganisationChoiceField(
        label=_("With"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the organisation.")},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class MentoringForm(forms.Form):
    new_member = PersonChoice(
        label=_("New member"),
        queryset=Person.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the new member.")},
    )
    mentor = PersonChoice(
        label=_("Mentor or buddy"),
        queryset=Person.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the mentor or buddy.")},
    )
    starts_on = DateField(label=_("Starts on"), error_messages={"required": _("Enter when it starts.")})
    review_on = DateField(label=_("Review on"), error_messages={"required": _("Enter when to review how it is going.")})
    agreed = forms.CharField(
        label=_("What they agreed to do"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: meet before each meeting for the first three months, and talk on the phone after."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        people = people_selectors.people_sharing_with(organisation).order_by("full_name", "pk")
        self.fields["new_member"].queryset = people  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = people  # type: ignore[attr-defined]


class MentoringCheckInForm(forms.Form):
    on = DateField(label=_("Date"), error_messages={"required": _("Enter the date.")})
    note = forms.CharField(
        label=_("How is it going?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write how it is going.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class EndMentoringForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the pairing ending?"),
        max_length=300,
        help_text=_("The other person is told, with this reason."),
        error_messages={"required": _("Say why the pairing is ending.")},
    )
    on = DateField(label=_("Ended on"), error_messages={"required": _("Enter when it ended.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class SupportSettingsForm(forms.ModelForm[SupportSettings]):
    class Meta:
        model = SupportSettings
        fields = ["contact_every_days", "supervision_every_weeks", "call_within_hours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in rules.SETTINGS_LIMITS.items():
            field = self.fields[name]
            field.widget.attrs.update({"min": low, "max": high})
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
