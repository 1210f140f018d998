from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.core.forms import needed_sometimes

from . import rules
from .models import Kind, LawfulBasis, RegisterImport

KIND_CHOICES = [
    (Kind.PEOPLE, _("People: the register of members and carers")),
    (Kind.OPPORTUNITIES, _("Opportunities you ran before WithUs (they come in closed, or as drafts)")),
    (Kind.ATTENDANCE, _("Past attendance: who came to which meeting (bring the people in first)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is in the file"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        initial=Kind.PEOPLE,
        required=False,  # people, unless the admin says otherwise
    )
    file = forms.FileField(
        label=_("Your register"),
        help_text=_(
            "A CSV file (saved as CSV UTF-8) or an Excel workbook (.xlsx), up to 10 MB, "
            "with a first row naming the columns."
        ),
        error_messages={"required": _("Choose the file to import.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["kind"])  # one is always chosen on the page; people if a client sends none


class MappingForm(forms.Form):
    """One choice per column of the file (what it is in WithUs, or not imported), then the lawful basis."""

    lawful_basis = forms.ChoiceField(
        label=_("On what lawful basis do you hold these people's details?"),
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        required=False,  # the service says so, with the columns' problems at once
        help_text=_("It is recorded with each person brought in, and they are told what is held about them."),
    )
    lawful_basis_note = forms.CharField(
        label=_("Where this is recorded"),
        max_length=300,
        required=False,
        help_text=_("For example your privacy notice, or the consent forms people signed."),
    )
    mapping_name = forms.CharField(
        label=_("Remember this mapping as"),
        max_length=80,
        required=False,
        help_text=_("The next file with these columns is matched the same way."),
    )
    send_welcome = forms.BooleanField(
        label=_("Send each person added a welcome that tells them what is held and how to correct it"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, register_import: RegisterImport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["lawful_basis"])
        if register_import.kind != Kind.PEOPLE:  # only people have a lawful basis and a welcome
            for name in ("lawful_basis", "lawful_basis_note", "send_welcome"):
                del self.fields[name]
        self.columns: list[str] = []
        fields = rules.fields_of(register_import.kind)
        choices = [("", _("Do not import"))] + [(k, f.label) for k, f in fields.items()]
        rows = register_import.rows[:50]
        mapping = register_import.column_mapping
        for index, header in enumerate(register_import.headers):
            samples = [r[index] for r in rows if index < len(r) and r[index]][:3]
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=_("Column %(letter)s: %(header)s") % {"letter": rules.column_letter(index), "header": header},
                choices=choices,
                required=False,
                initial=mapping.get(index, ""),
                help_text=(_("For example: %(values)s") % {"values": "; ".join(s[:40] for s in samples)})
                if samples
                else _("Empty in the first rows."),
            )
            needed_sometimes(self.fields[name])  # each may be left out, but not all: the service says which
            self.columns.append(name)
        self.order_fields([*self.columns, "lawful_basis", "lawful_basis_note", "mapping_name", "send_welcome"])
        if not self.is_bound:
            self.initial.update(
                {
                    "lawful_basis": register_import.lawful_basis,
                    "lawful_basis_note": register_import.lawful_basis_note,
                    "mapping_name": register_import.mapping_name,
                    "send_welcome": register_import.send_welcome,
                }
            )

    def service_fields(self) -> dict[str, Any]:
        """What ``services.set_mapping`` is given besides the mapping (people alone have a lawful basis and welcome)."""
        data = self.cleaned_data
        return {
            "lawful_basis": data.get("lawful_basis", ""),
            "lawful_basis_note": data.get("lawful_basis_note", ""),
            "mapping_name": data["mapping_name"],
            "send_welcome": data.get("send_welcome", False),
        }

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.columns]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.columns]

    def mapping(self) -> dict[int, str]:
        return {
            int(name.removeprefix("column_")): value for name in self.columns if (value := self.cleaned_data.get(name))
        }
