"""Forms of stories. They check what was typed; the services check the consent and who may."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import DateField, needed_sometimes
from withus.core.uploads import FILE_TYPES, labels
from withus.people import selectors as people_selectors
from withus.people.models import Person

from .models import Story
from .rules import ACCEPTED_FILES, Place

# For the file picker only: the content is still checked (``services.file_problem``).
FILE_ACCEPT = ",".join(sorted({FILE_TYPES[k].extension for k in ACCEPTED_FILES}))


def story_file_field(required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("The file"),
        help_text=_("A recording, a document, slides or a picture (%(types)s), up to 50 MB.")
        % {"types": labels(ACCEPTED_FILES)},
        required=required,
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
        error_messages={"required": _("Choose the file.")},
    )


class StoryForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Whose story"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("What it is"), choices=Story.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What it is about"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    places = forms.MultipleChoiceField(
        label=_("Where the member agreed it may be used"),
        choices=Place.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    campaign = forms.CharField(label=_("The campaign"), max_length=200, required=False)
    until = DateField(label=_("It may be used until"), required=False)
    named = forms.BooleanField(label=_("The member agreed to be named with it"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["file"] = story_file_field(required=False)
        fields["file"].help_text = _("If it has one: %(what)s If this page shows a problem, choose the file again.") % {
            "what": fields["file"].help_text
        }
        fields["person"].queryset = people_selectors.people_sharing_with(organisation).order_by("full_name")
        needed_sometimes(fields["places"], fields["until"], fields["campaign"])


class UseForm(forms.Form):
    place = forms.ChoiceField(label=_("Where it is used"), choices=Place.choices, widget=forms.RadioSelect)
    campaign = forms.CharField(label=_("The campaign"), max_length=200, required=False)
    used_on = DateField(label=_("Used on"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    member_present = forms.BooleanField(label=_("The member is there"), required=False)
    fee = forms.DecimalField(
        label=_("A fee for this use (£)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Offered through payments when the member is not there; the benefits guard applies."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["campaign"])


class StoryFileForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = story_file_field(required=True)
