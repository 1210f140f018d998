from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import CONTACTS
from withus.core.forms import AccessibleModelForm, DateField, needed_sometimes, set_choices
from withus.groups.models import Group
from withus.opportunities.models import Opportunity
from withus.people.models import Person

from . import rules
from .models import AgendaItem, Attendance, Debrief, Invitation, MeetingStandards, Session, Venue


class VenueForm(AccessibleModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "name_cy",
            "address",
            "step_free",
            "public_transport",
            "parking",
            "hearing_loop",
            "notes",
            "notes_cy",
        ]
        widgets = {name: forms.RadioSelect for name in ("step_free", "public_transport", "parking", "hearing_loop")}
        widgets["address"] = forms.Textarea(attrs={"rows": 3})  # type: ignore[assignment]
        widgets["notes"] = forms.Textarea(attrs={"rows": 3})  # type: ignore[assignment]
        widgets["notes_cy"] = forms.Textarea(attrs={"rows": 3})  # type: ignore[assignment]
        error_messages = {
            "name": {"required": _("Give the venue a name.")},
            "address": {"required": _("Give the venue's address.")},
            "step_free": {"required": _("Say whether there is step-free access throughout.")},
            "public_transport": {"required": _("Say whether there is public transport at the start and end.")},
            "parking": {"required": _("Say whether there is parking.")},
            "hearing_loop": {"required": _("Say whether there is a hearing loop.")},
        }


class SessionForm(AccessibleModelForm):
    online_link = forms.URLField(
        label=_("online link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, like https://meet.example.org/abc.")},
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("One item a line. The standing item on involvement is added for you."),
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "title_cy",
            "kind",
            "group",
            "opportunity",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "refreshments",
            "high_level",
            "contact",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "refreshments": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": _("Give the session a title.")},
            "starts_at": {"required": _("Give the start date and time.")},
            "ends_at": {"required": _("Give the end date and time.")},
            "contact": {"required": _("Choose the one contact person.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["opportunity"].queryset = Opportunity.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )
        self.fields["venue"].queryset = Venue.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["contact"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation,
            memberships__role__in=CONTACTS,
        ).distinct()
        # A session needs a venue or an online link: neither is optional on its own.
        needed_sometimes(self.fields["venue"], self.fields["online_link"])
        if self.instance.pk:
            del self.fields["agenda"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if problem := rules.dates_problem(data.get("starts_at"), data.get("ends_at")):
            self.add_error("ends_at", problem)
        if not data.get("venue") and not data.get("online_link"):
            self.add_error("venue", _("Choose a venue, or give an online link."))
        return data

    def session_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class InviteForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("People to invite"), required=False
    )
    role = forms.ChoiceField(
        label=_("Invite them as"),
        choices=Invitation.Role.choices[:2],
        widget=forms.RadioSelect,
        initial=Invitation.Role.MEMBER,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, error_messages={"required": _("Give their name.")})
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, error_messages={"required": _("Give their e-mail address.")}
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[c for c in Invitation.Role.choices if c[0] in ("staff", "other")],
        widget=forms.RadioSelect,
        initial="staff",
    )


class OverrideForm(forms.Form):
    standard = forms.ChoiceField(
        label=pgettext_lazy("meeting standard", "Standard"), choices=list(rules.STANDARD_NAMES.items())
    )
    reason = forms.CharField(
        label=_("Why go ahead anyway?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you are going ahead with this standard unmet.")},
    )


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Give the paper a title.")})
    file = forms.FileField(
        label=_("Document (PDF, Word or ODT)"), error_messages={"required": _("Choose a file to upload.")}
    )


class ChangeNoteForm(forms.Form):
    note = forms.CharField(
        label=_("What changed, in a sentence (sent to everyone invited)"), required=False, max_length=500
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the session is cancelled: people will be told.")},
    )


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices, widget=forms.RadioSelect)
    role = forms.ChoiceField(
        label=_("Role"), choices=Attendance.Role.choices, widget=forms.RadioSelect, initial=Attendance.Role.MEMBER
    )
    minutes_present = forms.IntegerField(
        label=_("Minutes present"), required=False, min_value=0, help_text=_("Leave blank for the whole session.")
    )
    stood_in_for = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Standing in for"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["stood_in_for"].queryset = people  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=8,
        help_text=_("The code shown at the session, for example K7QP2M."),
        error_messages={"required": _("Enter the code shown at the session.")},
    )


class DeclarationForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), label=_("Agenda item"))
    declared_by = forms.CharField(label=_("Who declared it"), max_length=150)
    interest = forms.CharField(label=_("The interest"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda.all()  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    minutes_file = forms.FileField(label=_("Or upload the minutes (PDF, Word or ODT)"), required=False)


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the action.")},
    )
    owner_name = forms.CharField(
        label=_("Owner"), max_length=150, error_messages={"required": _("Give the owner's name.")}
    )
    owner_email = forms.EmailField(label=_("Owner's e-mail (for reminders)"), required=False)
    due_on = DateField(
        label=_("Due"),
        error_messages={"required": _("Give the due date.")},
    )


class DebriefForm(AccessibleModelForm):
    class Meta:
        model = Debrief
        fields = ["feeling", "comments", "wants_call"]
        widgets = {"feeling": forms.RadioSelect, "comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feeling"].required = False
        set_choices(self.fields["feeling"], Debrief.Feeling.choices)


class StandardsForm(AccessibleModelForm):
    """The thresholds, labelled as the model labels them. ``services.set_standards`` saves them, not the form."""

    class Meta:
        model = MeetingStandards
        fields = [f.name for f in dataclass_fields(rules.Thresholds)]
        widgets = {"earliest_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class AttendanceDownloadForm(forms.Form):
    """Which sessions' attendance to take away: those starting between two days, both included."""

    start = DateField(label=_("From"), required=False, help_text=_("Leave empty for every session so far."))
    end = DateField(label=_("To"), required=False)
    file_format = forms.ChoiceField(
        label=_("File type"),
        choices=[("xlsx", _("Excel workbook (XLSX)")), ("csv", "CSV")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must be on or after the first."))
        return data
