from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, make_staff, run_worker
from withus.accounts.models import Organisation, Role, User
from withus.imports import rules, services
from withus.imports.models import ImportedPerson, ImportMapping, RegisterImport
from withus.people.models import ConsentRecord, OutgoingMessage, Person

from .helpers import as_csv, as_xlsx, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN, "admin-a@example.org")


def registered(org: Organisation, **fields: Any) -> Person:
    """Someone the organisation already has, with these details."""
    person = make_member(org, full_name=fields.pop("full_name", "Registered Person"))
    Person.objects.filter(pk=person.pk).update(**fields)
    person.refresh_from_db()
    return person


def _checked(admin: User, org: Organisation, data: bytes, **kwargs: object) -> RegisterImport:
    found = services.upload(actor=admin, organisation=org, data=data, file_name="register.csv")
    return services.set_mapping(
        actor=admin,
        register_import=found,
        mapping=found.column_mapping,
        lawful_basis=str(kwargs.pop("lawful_basis", "consent")),
        **kwargs,  # type: ignore[arg-type]
    )


def test_columns_are_guessed_from_their_names(admin_a: User, org_a: Organisation) -> None:
    found = services.upload(actor=admin_a, organisation=org_a, data=as_csv([good_row(1)]), file_name="r.csv")
    assert found.column_mapping == {
        0: "full_name",
        1: "email",
        2: "phone",
        3: "address",
        4: "address",
        5: "postcode",
        6: "perspective",
        7: "preferred_channel",
        8: "prefers_welsh",
    }


def test_a_dry_run_writes_nothing_and_counts_what_would_happen(admin_a: User, org_a: Organisation) -> None:
    rows = [good_row(n) for n in range(1, 21)]
    rows[3][1] = "not-an-email"
    rows[7][6] = "visitor"
    found = _checked(admin_a, org_a, as_csv(rows))
    assert found.status == RegisterImport.Status.CHECKED
    assert found.counts["added"] == 18 and found.counts["problems"] == 2
    assert Person.objects.count() == 0
    problems = {c["row"]: c["problems"] for c in found.checks if c["problems"]}
    assert set(problems) == {5, 9}
    assert "not a valid e-mail address" in problems[5][0]
    assert "visitor" in problems[9][0]


def test_import_writes_good_rows_with_the_lawful_basis_and_sends_welcomes(
    admin_a: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [good_row(n) for n in range(1, 6)]
    rows[4][1] = ""  # no e-mail: wants e-mail, so a problem
    rows[3][1] = ""
    rows[3][7] = "letter"
    found = _checked(admin_a, org_a, as_csv(rows), lawful_basis="public_task", lawful_basis_note="Privacy notice v3")
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(actor=admin_a, register_import=found)
    found.refresh_from_db()
    assert found.status == RegisterImport.Status.IMPORTED and found.rows_data == ""
    people = list(Person.objects.sharing_with(org_a).order_by("full_name"))
    assert [p.full_name for p in people] == ["Person 001", "Person 002", "Person 003", "Person 004"]
    letter = people[3]
    assert letter.address == "4 High Street\nCardiff" and letter.preferred_channel == "post"
    assert people[3].prefers_welsh is True and people[0].prefers_welsh is False
    share = ConsentRecord.objects.get(person=people[0], purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION)
    assert (
        share.how == ConsentRecord.How.IMPORTED and "Public task" in share.notes and "Privacy notice v3" in share.notes
    )
    assert not ConsentRecord.objects.filter(person=people[0], purpose=ConsentRecord.Purpose.KEEP_DETAILS).exists()
    assert (
        len(mail.outbox) == 3 and "person001@example.org" in mail.outbox[0].to + mail.outbox[1].to + mail.outbox[2].to
    )
    assert "4 High Street" not in mail.outbox[0].body
    welcome = OutgoingMessage.objects.get(person=letter)
    assert welcome.status == OutgoingMessage.Status.TO_PRINT and "4 High Street" in welcome.body
    # The row asked for Welsh, so the letter is in Welsh.
    assert "Annwyl" in welcome.body and "Cod post: CF10 1AA" in welcome.body


def test_rows_matching_registered_people_wait_for_a_decision(admin_a: User, org_a: Organisation) -> None:
    old = registered(org_a, full_name="Old Name", email="person002@example.org", phone="")
    by_phone = registered(org_a, full_name="Phone Person", phone="+44 7700 900003", email="")
    elsewhere = registered(Organisation.objects.create(name="Other", slug="other"), email="person004@example.org")
    rows = [good_row(n) for n in range(1, 5)]
    found = _checked(admin_a, org_a, as_csv(rows))
    matches = {c["row"]: (c["match"], c["match_by"]) for c in found.checks if c["match"]}
    assert matches == {3: (old.pk, "email"), 4: (by_phone.pk, "phone")}
    assert found.counts == {"rows": 4, "added": 2, "updated": 0, "skipped": 2, "problems": 0, "matches": 2}
    found = services.confirm(actor=admin_a, register_import=found, decisions={3: "merge", 4: "keep_apart"})
    old.refresh_from_db()
    assert old.full_name == "Person 002" and old.postcode == "CF10 1AA"
    assert Person.objects.sharing_with(org_a).filter(full_name="Person 003").exists()
    by_phone.refresh_from_db()
    assert by_phone.full_name == "Phone Person"
    elsewhere.refresh_from_db()
    assert elsewhere.full_name != "Person 004"
    assert Person.objects.sharing_with(org_a).filter(full_name="Person 004").exists()
    assert found.counts["updated"] == 1 and found.counts["added"] == 3


def test_undo_removes_added_people_and_puts_merged_details_back(admin_a: User, org_a: Organisation) -> None:
    old = registered(org_a, full_name="Old Name", email="person002@example.org", postcode="")
    found = _checked(admin_a, org_a, as_csv([good_row(1), good_row(2)]))
    found = services.confirm(actor=admin_a, register_import=found, decisions={3: "merge"})
    assert Person.objects.filter(full_name="Person 001").exists()
    services.undo(actor=admin_a, register_import=found)
    found.refresh_from_db()
    assert found.status == RegisterImport.Status.UNDONE
    assert not Person.objects.filter(full_name="Person 001").exists()
    old.refresh_from_db()
    assert old.full_name == "Old Name" and old.postcode == ""
    assert not ImportedPerson.objects.exists()
    with pytest.raises(ValidationError):
        services.undo(actor=admin_a, register_import=found)


def test_undo_is_refused_after_its_period(admin_a: User, org_a: Organisation) -> None:
    found = services.confirm(actor=admin_a, register_import=_checked(admin_a, org_a, as_csv([good_row(1)])))
    later = timezone.now() + timedelta(days=services.undo_days(), minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError, match="no longer"):
        services.undo(actor=admin_a, register_import=found)
    assert Person.objects.filter(full_name="Person 001").exists()


def test_a_mapping_is_remembered_for_the_next_file(admin_a: User, org_a: Organisation) -> None:
    headers = ["Who", "Mail", "SU/carer", "Where they live"]
    data = as_csv([["Ann", "ann@example.org", "carer", "1 Road"]], headers=headers)
    found = services.upload(actor=admin_a, organisation=org_a, data=data, file_name="a.csv")
    assert 0 not in found.column_mapping
    services.set_mapping(
        actor=admin_a,
        register_import=found,
        mapping={0: "full_name", 1: "email", 2: "perspective", 3: "address"},
        lawful_basis="consent",
        mapping_name="Old register",
    )
    assert ImportMapping.objects.get(name="Old register").columns["Who"] == "full_name"
    again = services.upload(actor=admin_a, organisation=org_a, data=data, file_name="b.csv")
    assert again.mapping_name == "Old register" and again.column_mapping[2] == "perspective"


def test_a_mapping_with_a_field_twice_or_without_a_name_is_refused(admin_a: User, org_a: Organisation) -> None:
    found = services.upload(actor=admin_a, organisation=org_a, data=as_csv([good_row(1)]), file_name="r.csv")
    with pytest.raises(ValidationError) as error:
        services.set_mapping(
            actor=admin_a, register_import=found, mapping={1: "email", 2: "email", 6: "perspective"}, lawful_basis=""
        )
    messages = error.value.message_dict
    assert any("more than one column" in m for m in messages["mapping"])
    assert any("full name" in m for m in messages["mapping"])
    assert "lawful_basis" in messages


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a register", "not a CSV or XLSX"),
        ("Name,Email\nSiân,sian@example.org\n".encode("cp1252"), "UTF-8"),
        (b"\n\nName\n", "first row is empty"),
        (b"Ann Jones,ann@example.org,carer\n", "looks like someone's details"),
        (b"Name,Email,Name\nA,b@example.org,C\n", "both called"),
        (b'Name,Email\nAnn,=HYPERLINK("http://x")\n', "formula"),
        (b"Name,Phone\nAnn,@SUM(1+1)\n", "formula"),
    ],
)
def test_files_that_are_not_a_readable_register_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(rules.FileProblem, match=message):
        rules.read_table(data)


def test_an_xlsx_with_a_formula_is_refused_and_typed_cells_are_read(admin_a: User, org_a: Organisation) -> None:
    import datetime

    with pytest.raises(rules.FileProblem, match="B2"):
        rules.read_table(as_xlsx([["Ann", "=1+1"]], headers=["Name", "Email"]))
    table = rules.read_table(
        as_xlsx([["Ann", 7700900123, datetime.date(2026, 1, 2)]], headers=["Name", "Phone", "Since"])
    )
    assert table.file_type == "xlsx" and table.rows == [["Ann", "7700900123", "2026-01-02"]]


def test_too_large_a_file_is_refused() -> None:
    with pytest.raises(rules.FileProblem, match="larger than"):
        rules.read_table(b"Name\n" + b"a\n" * 100, max_bytes=50)


def test_the_same_person_twice_in_a_file_is_a_problem_on_the_second_row(admin_a: User, org_a: Organisation) -> None:
    first, second = good_row(1), good_row(2)
    second[1] = first[1].upper()
    found = _checked(admin_a, org_a, as_csv([first, second]))
    assert found.counts["added"] == 1
    assert "row 2" in found.checks[1]["problems"][0]


def test_only_an_admin_of_the_organisation_may_import(org_a: Organisation, coordinator_a: User) -> None:
    with pytest.raises(PermissionDenied):
        services.upload(actor=coordinator_a, organisation=org_a, data=as_csv([good_row(1)]), file_name="r.csv")


def test_a_row_that_fails_never_writes_a_partial_person(admin_a: User, org_a: Organisation) -> None:
    row = good_row(1)
    row[5] = "NOT A POSTCODE"
    found = _checked(admin_a, org_a, as_csv([row, good_row(2)]))
    services.confirm(actor=admin_a, register_import=found)
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Person 002"]


@pytest.mark.django_db(transaction=True)
def test_a_long_register_is_checked_and_imported_in_the_background_with_its_progress(
    admin_a: User, org_a: Organisation, settings: Any
) -> None:
    settings.WITHUS_IMPORT_BACKGROUND_ROWS = 3
    rows = [good_row(n) for n in range(1, 6)]
    found = services.upload(actor=admin_a, organisation=org_a, data=as_csv(rows), file_name="long.csv")
    found = services.set_mapping(
        actor=admin_a, register_import=found, mapping=found.column_mapping, lawful_basis="consent"
    )
    assert found.status == RegisterImport.Status.CHECKING and found.progress_total == 5
    run_worker()
    found.refresh_from_db()
    assert found.status == RegisterImport.Status.CHECKED and found.progress_done == 5
    assert found.counts["added"] == 5 and Person.objects.count() == 0
    found = services.confirm(actor=admin_a, register_import=found)
    assert found.status == RegisterImport.Status.IMPORTING
    run_worker()
    found.refresh_from_db()
    assert found.status == RegisterImport.Status.IMPORTED
    assert Person.objects.sharing_with(org_a).count() == 5
