from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PeopleFileForm(forms.Form):
    """The people list as a file made in the background: which format, with the list's filters carried."""

    file_format = forms.ChoiceField(
        label=_("Which kind of file"),
        choices=[
            ("xlsx", _("XLSX, for Excel or LibreOffice: dates and numbers typed")),
            ("csv", _("CSV: plain text any program opens")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose CSV or XLSX.")},
    )
    filters = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
