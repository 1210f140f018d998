from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import ALREADY_DONE


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
