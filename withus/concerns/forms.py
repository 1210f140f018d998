"""Forms for concerns; what makes an answer acceptable is in ``rules`` and ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import User
from withus.core.forms import DateField, needed_sometimes
from withus.support.forms import StaffChoiceField
from withus.support.localhelp.models import HelpEntry

from . import rules
from .models import Concern, ConcernPolicy


class MediationServiceField(forms.ModelChoiceField[HelpEntry]):
    def label_from_instance(self, obj: HelpEntry) -> str:
        return f"{obj} ({obj.phone or obj.email or obj.website})"


class RaiseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is this a concern or a complaint?"),
        choices=Concern.Kind.choices,
        widget=forms.RadioSelect,
        initial=Concern.Kind.CONCERN,
        help_text=_("A concern can often be sorted out quickly; a complaint is looked into formally."),
    )
    about = forms.ChoiceField(
        label=_("Who or what is it about?"),
        choices=Concern.About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who or what the concern is about.")},
    )
    about_detail = forms.CharField(
        label=_("Who or what, in your words"),
        max_length=200,
        required=False,
        help_text=_("For example a name, a group or a meeting."),
    )
    text = forms.CharField(
        label=_("What happened?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tell us what your concern is about.")},
    )
    wanted = forms.CharField(
        label=_("What would you like to happen?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(
        label=_("Keep me anonymous"),
        required=False,
        help_text=_(
            "We will not know who you are. You get a reference and a PIN to follow your concern up and read our "
            "replies. We cannot contact you, and we may not be able to look into everything without asking you."
        ),
    )
    raiser_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    raiser_contact = forms.CharField(
        label=_("How can we reach you?"),
        max_length=200,
        required=False,
        help_text=_("A phone number, e-mail or address."),
    )

    def __init__(
        self, *args: Any, signed_in: bool = False, agreements: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if agreements:
            # Shown to members and staff only: a visitor is not shown the organisation's groups.
            self.fields["agreement"] = forms.TypedChoiceField(
                label=_("Is it about a group's ground rules?"),
                choices=[("", _("No, or I am not sure")), *agreements],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.order_fields([*[f for f in self.fields if f != "agreement"][:3], "agreement"])
        if signed_in:
            # A member raising it under their own name is reached as their record says.
            del self.fields["raiser_name"]
            del self.fields["raiser_contact"]
        else:
            needed_sometimes(self.fields["raiser_name"], self.fields["raiser_contact"])


class RecordForm(RaiseForm):
    """Staff writing down a concern raised by phone, letter or in person."""

    channel = forms.ChoiceField(
        label=_("How did it come?"),
        choices=[c for c in Concern.Channel.choices if c[0] != Concern.Channel.WEB],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the concern came.")},
    )
    field_order = ["channel"]


class FollowUpForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=12, error_messages={"required": _("Give your reference.")}
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=20,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Give your PIN.")},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your message.")},
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why do you think the response is wrong?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you think the response is wrong.")},
    )


class MoveForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "move"
    stage = forms.ChoiceField(label=_("Move it to"), widget=forms.RadioSelect)
    told = forms.CharField(
        label=_("What the person is told"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the person who raised it is told.")},
    )
    note = forms.CharField(
        label=_("Note for staff"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    holder = StaffChoiceField(label=_("Who holds it now"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, stage: str, holders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(rules.Stage.CHOICES)
        self.fields["stage"].choices = [(s, labels[s]) for s in rules.NEXT_STAGES.get(stage, ())]  # type: ignore[attr-defined]
        self.fields["holder"].queryset = holders  # type: ignore[attr-defined]


class AskForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "ask"
    asked = forms.CharField(
        label=_("What do you need to ask?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The clock stops until they answer."),
        error_messages={"required": _("Say what you are asking.")},
    )


class ExtensionForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "extend"
    agreed_on = DateField(
        label=_("Date it was agreed with them"),
        required=False,
        error_messages={
            "required": _("Give the date the extension was agreed with the person who raised the concern.")
        },
    )
    respond_by = DateField(label=_("New response date"), required=False)
    reason = forms.CharField(
        label=_("Why more time is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["agreed_on"], self.fields["respond_by"])
        self.fields["reason"].error_messages["required"] = _("Say why more time is needed.")


class MediationForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "mediation"
    service = MediationServiceField(
        label=_("Mediation service"),
        queryset=HelpEntry.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a mediation service from your directory of local help.")},
    )
    told = forms.CharField(
        label=_("What the person is told"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the person who raised it is told.")},
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["service"].empty_label = None  # type: ignore[attr-defined]


class MediationOutcomeForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "mediation-outcome"
    outcome = forms.CharField(
        label=_("What came of mediation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what came of mediation.")},
    )


class ReviewerForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "reviewer"
    reviewer = StaffChoiceField(
        label=_("Who reviews the appeal"),
        queryset=User.objects.none(),
        help_text=_("Someone who has not been involved in this concern before."),
        error_messages={"required": _("Choose who reviews the appeal.")},
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "outcome"
    outcome = forms.ChoiceField(
        label=_("Was it well founded?"),
        choices=Concern.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the concern was well founded.")},
    )
    learning = forms.CharField(
        label=_("What we are doing differently"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["learning"])


class ActionForm(forms.Form):
    # Several forms share the concern\'s page: each names its fields apart.
    prefix = "learning-action"
    text = forms.CharField(
        label=_("What will be done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what will be done.")},
    )
    owner = StaffChoiceField(
        label=_("Who owns it"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who owns the action.")},
    )
    due_on = DateField(label=_("Due"), error_messages={"required": _("Give the date it is due.")})

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class PolicyForm(forms.ModelForm[ConcernPolicy]):
    class Meta:
        model = ConcernPolicy
        fields = ["rule_set", "nation", "acknowledge_days", "respond_days", "protection_months"]
        widgets = {"rule_set": forms.RadioSelect, "nation": forms.RadioSelect}


class DecisionForm(forms.Form):
    what = forms.ChoiceField(
        label=_("The decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
        help_text=_("Members who raised a concern lately, with their seats and the places they applied for."),
    )
    reason = forms.CharField(
        label=_("The reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member will be told it, and how to appeal."),
        error_messages={"required": _("Give the reason for the decision.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = choices  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Does the reason stand?"),
        choices=[("yes", _("Yes: it can be carried out")), ("no", _("No: it is not carried out"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the reason stands.")},
    )
    note = forms.CharField(
        label=_("What you found"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you found.")},
    )
