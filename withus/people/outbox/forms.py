from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import DateTimeField, set_choices

from ..models import CallAttempt
from .services import ALREADY_DONE, CALL_NOT_WAITING, NOTE_LENGTH


class DoneForm(forms.Form):
    """The waiting messages someone has printed and posted, phoned or texted."""

    messages = forms.TypedMultipleChoiceField(
        label=_("Done"),
        coerce=int,
        error_messages={
            "required": _("Tick at least one letter, call or text you have done."),
            "invalid_choice": ALREADY_DONE,
        },
    )

    def __init__(self, *args: object, choices: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["messages"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, str(pk)) for pk in choices]


class CallOutcomeForm(forms.Form):
    """How a call to one person went, about the waiting messages shown together for them."""

    messages = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": CALL_NOT_WAITING, "invalid_choice": CALL_NOT_WAITING},
    )
    outcome = forms.ChoiceField(
        label=_("How did the call go?"),
        choices=CallAttempt.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened when you called.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_LENGTH,
        help_text=_("For example, what they said, or the best time to ring."),
    )
    try_after = DateTimeField(
        label=_("Try again after"),
        required=False,
        help_text=_("Only with “Try again later”. Leave it empty to ring again at any time."),
    )

    def __init__(self, *args: object, choices: list[int], name: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self.fields["messages"], [(pk, str(pk)) for pk in choices])
        if name:
            self.name_person(name)

    def name_person(self, name: str) -> None:
        """Name the person in the question, so that each of the list's forms says whose call it is."""
        self.fields["outcome"].label = _("How did the call to %(name)s go?") % {"name": name}
