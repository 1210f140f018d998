"""Forms for the people register. Validation messages say what to do, in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import AccessibleModelForm, DateField, set_choices

from . import rules, selectors
from .models import (
    ConsentRecord,
    DbsCheck,
    EqualityMonitoring,
    LocalAuthority,
    Person,
    Perspective,
    Tag,
    WellbeingPlan,
)
from .selectors import PeopleFilter


def tag_field(kind: str, label: Any, help_text: Any = "") -> forms.ModelMultipleChoiceField[Tag]:
    return forms.ModelMultipleChoiceField(
        queryset=Tag.objects.filter(kind=kind),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=label,
        help_text=help_text,
    )


class MemberSignupForm(forms.Form):
    """Extra questions on allauth's sign-up page; allauth calls ``signup`` after saving the user."""

    full_name = forms.CharField(
        label=_("Your name"), max_length=150, error_messages={"required": _("Enter your name.")}
    )
    perspective = forms.ChoiceField(
        label=_("Which describes you?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you are a service user, a carer or both.")},
        help_text=_("A carer is family, a friend or a partner who supports someone."),
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Who can see your details?"),
        help_text=_("Choose the organisations you want to get involved with. You can change this later."),
        error_messages={
            "required": _("Choose at least one organisation."),
            "invalid_choice": _("Choose organisations from the list."),
        },
    )
    keep_details = forms.BooleanField(
        label=_("I agree that WithUs keeps my details so that I can be involved"),
        help_text=_("You can see, change or delete your details at any time."),
        error_messages={"required": _("Tick the box to agree to us keeping your details, or we cannot sign you up.")},
    )
    contact_about_opportunities = forms.BooleanField(
        label=_("Tell me about opportunities that might suit me"), required=False
    )

    field_order = [
        "full_name",
        "email",
        "password1",
        "perspective",
        "organisations",
        "keep_details",
        "contact_about_opportunities",
    ]

    def signup(self, request: Any, user: Any) -> None:
        from .services import register_member

        register_member(
            user=user,
            full_name=self.cleaned_data["full_name"],
            perspective=self.cleaned_data["perspective"],
            organisations=self.cleaned_data["organisations"],
            keep_details=self.cleaned_data["keep_details"],
            contact_about_opportunities=self.cleaned_data["contact_about_opportunities"],
        )


class AboutForm(AccessibleModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "preferred_name", "pronouns", "phone", "address", "postcode", "local_authority"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})}
        help_texts = {
            "preferred_name": _("For example, a shorter name or a nickname."),
            "pronouns": _("For example, she/her, he/him or they/them."),
            "phone": _("We only use it in the ways you tell us."),
        }
        error_messages = {"full_name": {"required": _("Enter your full name.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        set_choices(self.fields["local_authority"], [("", _("Choose an area"))] + list(LocalAuthority.choices))


class AssistedAboutForm(AboutForm):
    class Meta(AboutForm.Meta):
        fields = ["full_name", "preferred_name", "pronouns", "email", "phone", "address", "postcode", "local_authority"]


class ExperienceForm(AccessibleModelForm):
    areas = tag_field(Tag.Kind.AREA, _("Services or areas you know about"))
    experience = tag_field(
        Tag.Kind.EXPERIENCE, _("What you have done before"), _("It is fine if you have not done any of these yet.")
    )

    class Meta:
        model = Person
        fields = ["perspective", "experience_timing", "experience_notes"]
        widgets = {
            "perspective": forms.RadioSelect,
            "experience_timing": forms.RadioSelect,
            "experience_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"perspective": _("Which describes you?"), "experience_timing": _("Is that now or in the past?")}
        error_messages = {
            "perspective": {"required": _("Choose whether you are a service user, a carer or both.")},
            "experience_timing": {"required": _("Choose whether that is now or in the past.")},
        }

    tag_kinds = {"areas": Tag.Kind.AREA, "experience": Tag.Kind.EXPERIENCE}


class SkillsForm(AccessibleModelForm):
    skills = tag_field(Tag.Kind.SKILL, _("Your skills"), _("Everyone has something to offer."))
    interests = tag_field(Tag.Kind.INTEREST, _("What you are interested in"))
    languages = tag_field(Tag.Kind.LANGUAGE, _("Languages you speak"))

    class Meta:
        model = Person
        fields = [
            "other_languages",
            "available_weekdays",
            "available_evenings",
            "available_weekends",
            "availability_notes",
        ]
        labels = {
            "available_weekdays": _("I can usually take part on weekday daytimes"),
            "available_evenings": _("I can usually take part in the evenings"),
            "available_weekends": _("I can usually take part at weekends"),
        }

    tag_kinds = {"skills": Tag.Kind.SKILL, "interests": Tag.Kind.INTEREST, "languages": Tag.Kind.LANGUAGE}


class ContactForm(AccessibleModelForm):
    class Meta:
        model = Person
        fields = [
            "preferred_channel",
            "opportunity_alerts",
            "needs_large_print",
            "needs_easy_read",
            "needs_audio",
            "prefers_welsh",
        ]
        widgets = {"preferred_channel": forms.RadioSelect, "opportunity_alerts": forms.RadioSelect}
        labels = {
            "preferred_channel": _("How should we contact you?"),
            "needs_large_print": _("Send me papers in large print"),
            "needs_easy_read": _("Send me papers in easy read"),
            "needs_audio": _("Send me papers as audio"),
            "prefers_welsh": _("Send me papers in Welsh"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("preferred_channel")
        person = self.instance
        if channel in ("phone", "text") and not person.phone:
            self.add_error(
                "preferred_channel", _("Add a phone number under 'About you' before choosing phone or text.")
            )
        if channel == "post" and not person.address:
            self.add_error("preferred_channel", _("Add a postal address under 'About you' before choosing post."))
        if channel == "email" and not person.email:
            self.add_error("preferred_channel", _("Add an e-mail address before choosing e-mail."))
        return data


class NeedsForm(AccessibleModelForm):
    class Meta:
        model = Person
        fields = [
            "no_meetings_before_1030",
            "needs_step_free",
            "needs_hearing_loop",
            "travels_with_companion",
            "reasonable_adjustments",
            "dietary_needs",
        ]
        widgets = {
            "reasonable_adjustments": forms.Textarea(attrs={"rows": 4}),
            "dietary_needs": forms.TextInput(),  # one line, though stored (encrypted) as text
        }
        labels = {
            "no_meetings_before_1030": _("I cannot come to meetings that start before 10:30"),
            "needs_step_free": _("I need a step-free venue"),
            "needs_hearing_loop": _("I need a hearing loop"),
            "travels_with_companion": _("I travel with a companion (for example, by taxi)"),
        }
        help_texts = {"reasonable_adjustments": _("Anything else that would make it easier for you to take part.")}


class WellbeingForm(AccessibleModelForm):
    class Meta:
        model = WellbeingPlan
        fields = ["what_helps", "who_to_contact", "visible_to"]
        widgets = {
            "what_helps": forms.Textarea(attrs={"rows": 5}),
            "who_to_contact": forms.Textarea(attrs={"rows": 2}),
            "visible_to": forms.RadioSelect,
        }
        help_texts = {
            "what_helps": _("Write this while you are well. For example, what you would like us to do, or not do."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what_helps"].validators.append(MaxLengthValidator(4000))
        self.fields["who_to_contact"].validators.append(MaxLengthValidator(1000))


class EqualityForm(AccessibleModelForm):
    class Meta:
        model = EqualityMonitoring
        fields = list(EqualityMonitoring.ANSWERS)
        widgets = {name: forms.RadioSelect for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            # RadioSelect on a blank-allowed field offers a "------" choice; drop it.
            set_choices(field, [c for c in field.choices if c[0] != ""])  # type: ignore[attr-defined]


ASSISTED_FIELDS = [
    "full_name",
    "preferred_name",
    "perspective",
    "email",
    "phone",
    "address",
    "postcode",
    "local_authority",
    "preferred_channel",
    "needs_large_print",
    "needs_easy_read",
    "prefers_welsh",
    "does_not_use_computers",
]


class AssistedRegistrationForm(AccessibleModelForm):
    """What a coordinator needs to register someone who does not use computers."""

    how = forms.ChoiceField(
        label=_("How did the person give their consent?"),
        choices=[c for c in ConsentRecord.How.choices if c[0] != ConsentRecord.How.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the person gave their consent.")},
    )
    keep_details = forms.BooleanField(
        label=_("The person agrees that we keep their details so they can be involved"),
        error_messages={"required": _("Record that the person agrees to us keeping their details.")},
    )
    act_on_behalf = forms.BooleanField(
        label=_("The person agrees that our coordinators act for them on WithUs"),
        help_text=_("Everything you do for them is recorded as done on their behalf, and they can see it."),
        error_messages={"required": _("Record that the person agrees to you acting for them.")},
    )
    contact_about_opportunities = forms.BooleanField(
        label=_("The person wants to hear about opportunities"), required=False
    )
    consent_notes = forms.CharField(
        label=_("Notes about the consent"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Person
        fields = ASSISTED_FIELDS
        widgets = {
            "perspective": forms.RadioSelect,
            "preferred_channel": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "perspective": _("Which describes them?"),
            "preferred_channel": _("How should we contact them?"),
            "does_not_use_computers": _("They do not use computers"),
        }
        error_messages = {
            "full_name": {"required": _("Enter the person's full name.")},
            "perspective": {"required": _("Choose whether they are a service user, a carer or both.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["local_authority"], [("", _("Choose an area"))] + list(LocalAuthority.choices))
        self.fields["does_not_use_computers"].initial = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("preferred_channel")
        if channel in ("phone", "text") and not data.get("phone"):
            self.add_error("phone", _("Enter a phone number, as they want to be contacted by phone or text."))
        if channel == "post" and not data.get("address"):
            self.add_error("address", _("Enter a postal address, as they want to be contacted by post."))
        if channel == "email" and not data.get("email"):
            self.add_error("email", _("Enter an e-mail address, as they want to be contacted by e-mail."))
        return data


class ConsentForm(forms.Form):
    """A coordinator records a consent the person gave offline."""

    purpose = forms.ChoiceField(
        label=_("What does the person agree to?"),
        choices=[
            (ConsentRecord.Purpose.ACT_ON_BEHALF, ConsentRecord.Purpose.ACT_ON_BEHALF.label),
            (
                ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES,
                ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES.label,
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the person agrees to.")},
    )
    how = forms.ChoiceField(
        label=_("How did they give it?"),
        choices=[c for c in ConsentRecord.How.choices if c[0] != ConsentRecord.How.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the person gave their consent.")},
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        label=_("Share my details with"),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose an organisation."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only organisations the person does not already share with: choosing one twice does nothing.
        self.choices = Organisation.objects.exclude(
            pk__in=selectors.organisations_shared_with(person).values("pk")
        ).order_by("name")
        self.fields["organisation"].queryset = self.choices  # type: ignore[attr-defined]


class DbsForm(AccessibleModelForm):
    class Meta:
        model = DbsCheck
        fields = ["status", "level", "checked_on"]
        widgets = {"status": forms.RadioSelect}
        help_texts = {"checked_on": _("Leave blank if there is no certificate yet.")}
        error_messages = {
            "status": {"required": _("Choose the status of the check.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["level"], [("", _("Not known"))] + list(DbsCheck.Level.choices))

    def clean_checked_on(self) -> Any:
        value = self.cleaned_data.get("checked_on")
        problem = rules.certificate_date_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value


class StepOutForm(forms.Form):
    until = DateField(
        label=_("When do you think you might come back?"),
        required=False,
        help_text=_("Leave this blank if you are not sure. We will keep your place."),
    )

    def clean_until(self) -> Any:
        value = self.cleaned_data.get("until")
        problem = rules.step_out_date_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value


class ExitInterviewForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why are you leaving?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    went_well = forms.CharField(
        label=_("What went well?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    could_be_better = forms.CharField(
        label=_("What could have been better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_conversation = forms.BooleanField(label=_("I would like to talk to someone about leaving"), required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    perspective = forms.ChoiceField(label=_("Lived experience"), required=False)
    local_authority = forms.ChoiceField(label=_("Local authority area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    tag = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        label=_("Areas, skills, interests and languages"),
        widget=forms.CheckboxSelectMultiple,
    )
    need = forms.MultipleChoiceField(
        label=_("Needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("large_print", _("Large print")),
            ("easy_read", _("Easy read")),
            ("audio", _("Audio")),
            ("welsh", _("Welsh")),
            ("no_early", _("No meetings before 10:30")),
            ("step_free", _("Step-free venue")),
            ("hearing_loop", _("Hearing loop")),
            ("companion", _("Travels with a companion")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["perspective"], [("", _("Any"))] + list(Perspective.choices))
        set_choices(self.fields["local_authority"], [("", _("Any"))] + list(LocalAuthority.choices))
        set_choices(self.fields["status"], [("", _("Any"))] + list(Person.Status.choices))

    def people_filter(self) -> PeopleFilter:
        """What the staff asked for, for ``selectors.filter_people``: the list and its CSV read it the same way."""
        d = self.cleaned_data
        return PeopleFilter(
            q=d["q"],
            perspective=d["perspective"],
            local_authority=d["local_authority"],
            status=d["status"],
            tags=tuple(t.pk for t in d["tag"]),
            needs=tuple(d["need"]),
        )


class EraseForm(forms.Form):
    """Erasing one's own details: said plainly, confirmed on purpose, and the choice about money owed."""

    unpaid = forms.ChoiceField(
        label=_("Money we still owe you"),
        choices=[
            ("pay_first", _("Pay me first, then erase my details")),
            ("waive", _("I give it up: erase my details now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether we pay you first or you give the money up")},
    )
    understood = forms.BooleanField(
        label=_("I understand that my details will be erased and that this cannot be undone"),
        error_messages={"required": _("Tick the box to say you understand that this cannot be undone")},
    )

    def __init__(self, *args: Any, owes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not owes:
            del self.fields["unpaid"]

    @property
    def waives(self) -> bool:
        return bool(self.cleaned_data.get("unpaid") == "waive")
