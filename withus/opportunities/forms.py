from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import CONTACTS
from withus.core.forms import AccessibleModelForm, set_choices
from withus.groups.models import Group
from withus.people.models import LocalAuthority, Perspective, Tag

from . import rules
from .draw import STRATA_LABELS
from .models import (
    AdvertisingChannel,
    ApplicationProcess,
    Level,
    Opportunity,
    Referral,
    SelectionMethod,
)
from .services import OPPORTUNITY_FIELD_ORDER


class OpportunityForm(AccessibleModelForm):
    level_change_reason = forms.CharField(
        label=_("Why are you changing the level?"),
        required=False,
        max_length=500,
        help_text=_("Only needed if people have already responded. They will be told."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Opportunity
        fields = list(OPPORTUNITY_FIELD_ORDER)
        widgets = {
            "view": forms.RadioSelect,
            "level": forms.RadioSelect,
            "location": forms.RadioSelect,
            "reward": forms.RadioSelect,
            "where": forms.RadioSelect,
            "role_offered": forms.RadioSelect,
            "tags": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "purpose",
                    "purpose_cy",
                    "intended_outcomes",
                    "intended_outcomes_cy",
                    "influence",
                    "influence_cy",
                    "accessibility",
                    "accessibility_cy",
                )
            },
            **{
                name: forms.Textarea(attrs={"rows": 8})
                for name in (
                    "role_description",
                    "role_description_cy",
                    "person_specification",
                    "person_specification_cy",
                )
            },
        }
        help_texts = {
            "purpose": _("Why this is happening, in plain words."),
            "intended_outcomes": _("What should be different because people took part? You will check this later."),
            "influence": _("Be honest about what can and cannot change."),
            "application_process": _("Leave as the level's default unless there is a reason."),
            "time_commitment": _("Leave blank to use the level's default."),
            "closes_on": _("Leave blank if it stays open."),
            "reserves": _("Extra people who can step in, including deputies."),
            "role_description": _("What the role involves. Start from the template below."),
        }
        error_messages = {
            "title": {"required": _("Give the opportunity a title.")},
            "purpose": {"required": _("Say what the opportunity is for.")},
            "intended_outcomes": {"required": _("Say what you hope will change.")},
            "influence": {"required": _("Say what influence it has, and its limits.")},
            "level": {"required": _("Choose a level on the engagement pathway.")},
            "places": {
                "required": _("Say how many places there are."),
                "min_value": _("An opportunity needs at least one place."),
            },
            "contact": {"required": _("Choose the one contact person for this opportunity.")},
            "where": {"required": _("Choose where the involvement happens.")},
            "role_offered": {"required": _("Choose the role offered.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["application_process"].required = False
        self.fields["time_commitment"].required = False
        set_choices(
            self.fields["application_process"], [("", _("The level's default"))] + list(ApplicationProcess.choices)
        )
        set_choices(self.fields["local_authority"], [("", _("Anywhere"))] + list(LocalAuthority.choices))
        staff = (
            User.objects.filter(
                memberships__organisation=organisation,
                memberships__role__in=CONTACTS,
            )
            .distinct()
            .order_by("email")
        )
        self.fields["contact"].queryset = staff  # type: ignore[attr-defined]
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["places"].widget.attrs["min"] = 1

    def clean_closes_on(self) -> Any:
        value = self.cleaned_data.get("closes_on")
        unchanged = self.instance.pk and value == self.instance.closes_on
        if not unchanged and (problem := rules.closing_date_problem(value, today=timezone.localdate())):
            raise forms.ValidationError(problem)
        return value

    def clean_places(self) -> Any:
        value = self.cleaned_data.get("places")
        if problem := rules.places_problem(value):
            raise forms.ValidationError(problem)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if problem := rules.dates_problem(data.get("starts_on"), data.get("ends_on")):
            self.add_error("ends_on", problem)
        if problem := rules.venue_problem(data.get("location"), data.get("venue")):
            self.add_error("venue", problem)
        return data

    def opportunity_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=[("", _("Any"))] + list(Level.choices)
    )
    local_authority = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("Anywhere"))] + list(LocalAuthority.choices)
    )
    location = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("Either")), ("online", _("Online")), ("in_person", _("In person"))],
    )
    reward = forms.ChoiceField(
        label=_("Reward"), required=False, choices=[("", _("Any"))] + list(Opportunity.Reward.choices)
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    closing_soon = forms.BooleanField(label=_("Closing in the next two weeks"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["organisation"], [("", _("Any"))] + [(o.pk, str(o)) for o in Organisation.objects.all()]
        )


class RespondForm(forms.Form):
    """What a member writes; which fields show depends on the opportunity's process."""

    why = forms.CharField(
        label=_("Why are you interested?"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    experience = forms.CharField(
        label=_("What would you bring?"),
        required=False,
        max_length=3000,
        help_text=_("Your experience, skills or ideas. Lived experience counts."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    support_needed = forms.CharField(
        label=_("What support would help you take part?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, process: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        if process == ApplicationProcess.NONE:
            del self.fields["why"]
            del self.fields["experience"]
        if process == ApplicationProcess.APPLICATION_FORM:
            for i in range(2):
                n = i + 1
                self.fields[f"reference_{i}_name"] = forms.CharField(
                    label=_("Referee %(n)s: name") % {"n": n}, required=False, max_length=150
                )
                self.fields[f"reference_{i}_relationship"] = forms.CharField(
                    label=_("Referee %(n)s: how they know you") % {"n": n}, required=False, max_length=200
                )
                self.fields[f"reference_{i}_email"] = forms.EmailField(
                    label=_("Referee %(n)s: e-mail") % {"n": n}, required=False, max_length=254
                )
                self.fields[f"reference_{i}_phone"] = forms.CharField(
                    label=_("Referee %(n)s: phone") % {"n": n}, required=False, max_length=40
                )


class ShareToRespondForm(forms.Form):
    """Before responding to an organisation the person does not share their details with: do they agree to?"""

    share = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"organisation": organisation}
        field = self.fields["share"]
        field.label = _("Do you want to share your details with %(organisation)s?") % names
        set_choices(
            field,
            [
                ("yes", _("Yes, share my details with %(organisation)s and go on to respond") % names),
                ("no", _("No, do not share my details. I will not respond")),
            ],
        )
        field.error_messages["required"] = (
            _("Choose yes to share your details with %(organisation)s, or no to stop here.") % names
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Move to"),
        widget=forms.RadioSelect,
        choices=[
            ("shortlisted", _("Shortlisted")),
            ("selected", _("Selected")),
            ("not_selected", _("Not selected")),
            ("waiting_list", _("Waiting list")),
            ("withdrawn", _("Withdrawn")),
            ("received", _("Received")),
        ],
        error_messages={"required": _("Choose where to move the application.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Needed for 'not selected' and 'withdrawn'. The person can ask to see it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the person"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the feedback.")},
    )


class SelectionForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Selection method"),
        choices=SelectionMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the method used.")},
    )
    adaptations = forms.CharField(
        label=_("How was it adapted to people's needs?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    criteria_co_produced = forms.BooleanField(label=_("The scoring criteria were co-produced"), required=False)
    observer_present = forms.BooleanField(label=_("An independent observer was present"), required=False)
    observer_name = forms.CharField(label=_("Observer's name"), required=False, max_length=150)


class CriterionForm(forms.Form):
    text = forms.CharField(label=_("Criterion"), max_length=300, error_messages={"required": _("Write the criterion.")})
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100, initial=5)


class ScoreForm(forms.Form):
    panel_member = forms.CharField(
        label=_("Panel member"), max_length=150, error_messages={"required": _("Give the panel member's name.")}
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.text} (0–{c.max_score})", min_value=0, max_value=c.max_score, required=False
            )


class DrawForm(forms.Form):
    places = forms.IntegerField(
        label=_("Places to draw"),
        min_value=1,
        error_messages={"required": _("Say how many places to draw."), "min_value": _("Draw at least one place.")},
    )
    strata_by = forms.MultipleChoiceField(
        label=_("Keep a fair share for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(STRATA_LABELS.items()),
    )
    under_represented = forms.MultipleChoiceField(
        label=_("Applicants from under-represented groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    seed = forms.CharField(
        label=_("Seed (leave blank for a new draw)"),
        required=False,
        max_length=64,
        help_text=_("Give an earlier draw's seed to show anyone that it gives the same result."),
    )


class LevelDefaultForm(forms.Form):
    time_commitment = forms.CharField(label=_("Time commitment"), max_length=200)
    time_commitment_cy = forms.CharField(label=_("Time commitment in Welsh"), max_length=200, required=False)
    application_process = forms.ChoiceField(
        label=_("Application process"), choices=ApplicationProcess.choices, widget=forms.RadioSelect
    )
    reward = forms.CharField(label=_("Reward offered"), max_length=200)
    reward_cy = forms.CharField(label=_("Reward offered in Welsh"), max_length=200, required=False)


class ChannelForm(AccessibleModelForm):
    class Meta:
        model = AdvertisingChannel
        fields = ["channel", "notes", "used_on"]


class ReferralForm(AccessibleModelForm):
    class Meta:
        model = Referral
        fields = [
            "person_name",
            "contact",
            "preferred_channel",
            "interests",
            "referred_by_name",
            "referred_by_role",
            "consent_given",
            "consent_how",
            "notes",
        ]
        widgets = {
            "preferred_channel": forms.RadioSelect,
            "consent_how": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "person_name": {"required": _("Give the person's name.")},
            "contact": {"required": _("Say how the team can contact them.")},
            "referred_by_name": {"required": _("Give your name.")},
            "referred_by_role": {"required": _("Give your team or role.")},
            "consent_how": {"required": _("Say how the person agreed.")},
            "preferred_channel": {"required": _("Say how they would like to be contacted.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_given"].required = True
        self.fields["consent_given"].error_messages["required"] = _("Only refer someone who has agreed to it.")


PERSPECTIVE_CHOICES = Perspective.choices


class UnderRepresentedForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Groups we count as under-represented"),
        help_text=_("People with any of these get a fair share of places when you stratify a draw by them."),
    )
