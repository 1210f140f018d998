"""Forms of "you said, we did". They check what was typed; the services check the rules and who may."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ANSWERING_CONTRIBUTIONS
from withus.core.forms import DateField, needed_sometimes, set_choices
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import Contribution, ContributorPerspective, ImpactSettings

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class RecordForm(forms.Form):
    """What a coordinator or a session's note-taker records."""

    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    opportunity = forms.ModelChoiceField(label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project or group"), queryset=Group.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("What was it?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect, initial="said"
    )
    text = forms.CharField(
        label=_("What was said or asked"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the person's own words where you can. Record each view on its own: never merge two."),
        error_messages={"required": _("Write what was said or asked.")},
    )
    contributors = forms.ModelMultipleChoiceField(
        label=_("Who said it"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One person or several. Leave empty when a group said it and choose the group below."),
    )
    publish = forms.ModelMultipleChoiceField(
        label=_("Of those, who agreed to it being published on the public page"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It is published only when everyone who said it agreed."),
    )
    named = forms.ModelMultipleChoiceField(
        label=_("Of those, who agreed to be named on the public page"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    view = forms.ChoiceField(
        label=_("Whose view was it?"), choices=Contribution.View.choices, widget=forms.RadioSelect, initial="personal"
    )
    on_behalf_of = forms.ModelChoiceField(
        label=_("The group it speaks for"), queryset=Group.objects.none(), required=False
    )
    perspective = forms.ChoiceField(
        label=_("The contributors' perspective"),
        choices=ContributorPerspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the contributors' perspective.")},
    )
    minority_view = forms.BooleanField(
        label=_("This is a minority view"),
        required=False,
        help_text=_("Others present disagreed. It is kept as it was said and answered like any other."),
    )
    service = forms.CharField(label=_("The service it is about"), max_length=200, required=False)
    decision_maker = StaffChoiceField(label=_("Who will answer it"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["session"].queryset = Session.objects.filter(organisation=organisation).order_by("-starts_at")
        fields["opportunity"].queryset = Opportunity.objects.filter(organisation=organisation)
        fields["project"].queryset = Group.objects.filter(organisation=organisation)
        fields["on_behalf_of"].queryset = Group.objects.filter(organisation=organisation)
        people = people_selectors.people_sharing_with(organisation).order_by("full_name")
        for name in ("contributors", "publish", "named"):
            fields[name].queryset = people
        fields["decision_maker"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__role__in=ANSWERING_CONTRIBUTIONS
        ).distinct()


class SubmitForm(forms.Form):
    """What a member sends after a session they attended."""

    kind = forms.ChoiceField(
        label=_("What was it?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect, initial="said"
    )
    text = forms.CharField(
        label=_("What you said or asked"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write what you said or asked.")},
    )
    on_behalf_of = forms.ModelChoiceField(
        label=_("I was speaking for a group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("No, it was my own view"),
    )
    agrees_to_publish = forms.BooleanField(
        label=_("It may be published on the organisation's public “you said, we did” page"), required=False
    )
    agrees_to_be_named = forms.BooleanField(label=_("My name may be shown with it"), required=False)

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = groups  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The decision"),
        choices=rules.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    reason = forms.CharField(
        label=_("Why, in plain words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The people who said it will read this."),
        error_messages={"required": _("Give the reason for the decision, in plain words.")},
    )
    decided_by = forms.CharField(
        label=_("Who decided"),
        max_length=200,
        required=False,
        help_text=_("A person or a body, such as the board. Leave empty if you decided."),
    )
    action_text = forms.CharField(
        label=_("An action that will be taken"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_owner_name = forms.CharField(label=_("Who owns the action"), max_length=150, required=False)
    action_owner_email = forms.EmailField(label=_("Their e-mail"), required=False)
    action_due_on = DateField(label=_("When the action is due"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Needed once there is an action: the service says so when one is missing.
        needed_sometimes(self.fields["action_owner_name"], self.fields["action_due_on"])


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply or question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your reply or question.")},
    )
    question = forms.BooleanField(label=_("This is a question I would like answered"), required=False)


class FollowUpForm(forms.Form):
    changed = forms.TypedChoiceField(
        label=_("Has anything changed because of what was said?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether anything changed.")},
    )
    what_changed = forms.CharField(
        label=_("What changed"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when something changed. The people who said it will read this."),
    )
    intended_outcomes = forms.CharField(
        label=_("1. What was the involvement meant to achieve?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    difference_made = forms.CharField(
        label=_("2. What difference did the service users and carers involved make?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_it_felt = forms.CharField(
        label=_("3. How did everyone feel about taking part?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    end_result = forms.CharField(
        label=_("4. Did their involvement change the end result?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    beyond = forms.CharField(
        label=_(
            "5. Did it make a difference beyond the activity: to services, the organisation's culture, "
            "or people's recovery and wellbeing?"
        ),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["what_changed"])  # when something changed


class ImpactSettingsForm(forms.ModelForm[ImpactSettings]):
    follow_up_after_months = forms.TypedChoiceField(
        label=_("Check again what changed after"),
        choices=[],
        coerce=int,
    )

    class Meta:
        model = ImpactSettings
        fields = ["answer_within_days", "follow_up_after_months"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["follow_up_after_months"],
            [(m, gettext("%(count)d months") % {"count": m}) for m in rules.FOLLOW_UP_MONTHS],
        )
