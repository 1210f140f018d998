"""What imports hold about a person: which register brought them in, when, on what lawful basis (C11)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import ImportedPerson

FIELDS = {
    "organisation": _("Organisation"),
    "file": _("Register it came from"),
    "row": _("Row"),
    "action": _("What the import did"),
    "imported_at": _("When"),
    "lawful_basis": _("Lawful basis for holding your details"),
}


def export(person: Person) -> list[Section]:
    def imported(i: ImportedPerson) -> Record:
        found = i.register_import
        return record(
            organisation=found.organisation.name,
            file=found.file_name,
            row=i.row,
            action=i.action,
            imported_at=found.imported_at,
            lawful_basis=found.get_lawful_basis_display(),
        )

    found = ImportedPerson.objects.filter(person=person).select_related("register_import__organisation")
    return [Section("imports", _("Registers your details were brought in from"), FIELDS, records(found, imported))]


def erase(person: Person) -> None:
    """The record of the import goes, with what an update changed (it held the details as they were)."""
    remove(ImportedPerson.objects.filter(person=person))
