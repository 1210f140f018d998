"""The outbox: every letter, call and text waiting for someone who does not use e-mail, printed,
phoned or sent and recorded once, by whom, on the web, the API and the command line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from withus.accounts.models import Organisation, User
from withus.people.models import Channel, OutgoingMessage, Person, SensitiveRead
from withus.people.notify import notify
from withus.people.outbox import documents, selectors, services

pytestmark = pytest.mark.django_db
Status = OutgoingMessage.Status


def _post(org: Organisation, **fields: object) -> Person:
    return make_member(
        org,
        preferred_channel=Channel.POST,
        address="3 Heol y Nant\nAberystwyth",
        postcode="SY23 1AA",
        **fields,
    )


def _waiting(person: Person, org: Organisation, status: str = Status.TO_PRINT, **fields: object) -> OutgoingMessage:
    defaults: dict[str, object] = {"subject": "Your next meeting", "body": "We meet on Tuesday.\n\nBring a friend."}
    defaults.update(fields)
    return OutgoingMessage.objects.create(
        person=person, organisation=org, channel=Channel.POST, status=status, **defaults
    )


# ---- What waits ---------------------------------------------------------------------------------


def test_a_message_to_someone_who_prefers_post_waits_unless_a_fuller_batch_prints_it(org_a: Organisation) -> None:
    posted = _post(org_a, full_name="Siân Post")
    emailed = make_member(org_a, full_name="Ed Mail")
    context = {"person": posted, "organisation": org_a, "site_url": "https://withus.example"}
    kept = notify(
        person=posted, subject="A change", template="support/messages/assigned.txt", context=context, organisation=org_a
    )
    notify(
        person=posted,
        subject="Fuller",
        template="support/messages/assigned.txt",
        context=context,
        organisation=org_a,
        own_batch="meetings",
    )
    notify(person=emailed, subject="E-mailed", template="support/messages/assigned.txt", context=context)
    assert list(selectors.waiting(org_a)) == [kept]
    assert selectors.counts(org_a) == {"letters": 1, "calls": 0, "texts": 0}


def test_calls_and_texts_wait_too_and_each_kind_can_be_shown_alone(org_a: Organisation) -> None:
    person = make_member(org_a, phone="07700 900123")
    letter = _waiting(person, org_a)
    call = _waiting(person, org_a, Status.TO_CALL)
    text = _waiting(person, org_a, Status.TO_TEXT)
    _waiting(person, org_a, Status.DONE)
    assert list(selectors.waiting(org_a)) == [letter, call, text]
    assert list(selectors.waiting(org_a, "calls")) == [call]
    assert selectors.counts(org_a) == {"letters": 1, "calls": 1, "texts": 1}


# ---- Recording what was done ----------------------------------------------------------------------


def test_done_is_recorded_once_with_who_and_when(org_a: Organisation, coordinator_a: User) -> None:
    message = _waiting(_post(org_a), org_a)
    services.mark_done(actor=coordinator_a, organisation=org_a, message_ids=[message.pk, message.pk])
    message.refresh_from_db()
    assert (message.status, message.done_by) == (Status.DONE, coordinator_a)
    assert message.done_at is not None
    with pytest.raises(Exception) as refused:
        services.mark_done(actor=coordinator_a, organisation=org_a, message_ids=[message.pk])
    assert "done already" in str(refused.value)


def test_done_lately_lists_a_message_nobody_marked_by_hand(org_a: Organisation, coordinator_a: User) -> None:
    """A text a provider sent (GOV.UK Notify), or a letter the command line sent, is done without a ``done_by``."""
    message = _waiting(_post(org_a, full_name="Nia Provider"), org_a, subject="Sent for us")
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.DONE, done_at=timezone.now(), done_by=None)
    response = staff_client(coordinator_a).get("/staff/outbox/")
    assert response.status_code == 200
    assert "Sent for us, to Nia Provider: done" in response.content.decode()


def test_nothing_is_marked_when_one_of_them_is_not_waiting_here(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    ours = _waiting(_post(org_a), org_a)
    theirs = _waiting(_post(org_b), org_b)
    with pytest.raises(Exception, match="done already"):
        services.mark_done(actor=coordinator_a, organisation=org_a, message_ids=[ours.pk, theirs.pk])
    assert OutgoingMessage.objects.filter(status=Status.DONE).count() == 0


def test_only_a_coordinator_of_the_organisation_may_record_it(org_a: Organisation, coordinator_b: User) -> None:
    from django.core.exceptions import PermissionDenied

    message = _waiting(_post(org_a), org_a)
    with pytest.raises(PermissionDenied):
        services.mark_done(actor=coordinator_b, organisation=org_a, message_ids=[message.pk])


# ---- Letters --------------------------------------------------------------------------------------


def test_each_letter_is_in_its_readers_language_and_format_with_their_address(org_a: Organisation) -> None:
    english = _waiting(_post(org_a, full_name="Ann English"), org_a, subject="Your next meeting")
    welsh = _waiting(
        _post(org_a, full_name="Bryn Cymraeg", prefers_welsh=True, needs_large_print=True),
        org_a,
        subject="Eich cyfarfod nesaf",
        body="Rydym yn cwrdd &amp; yn siarad.",
    )
    found = list(selectors.waiting(org_a, "letters").select_related("organisation"))
    html = documents.render_letters_html(found)
    assert html.count('class="letter') == 2
    assert "Your next meeting" in html and "Eich cyfarfod nesaf" in html
    assert "3 Heol y Nant" in html and "SY23 1AA" in html
    assert 'class="letter large-print" lang="cy"' in html
    # A body escaped once by its template is shown as written, not as "&amp;amp;".
    assert "cwrdd &amp; yn" in html and "&amp;amp;" not in html
    assert documents.letters_pdf(found).startswith(b"%PDF")
    assert {english.pk, welsh.pk} == {m.pk for m in found}


# ---- The page ------------------------------------------------------------------------------------


def test_the_page_shows_what_waits_here_only_and_the_pdf_and_posting_cover_the_same_letters(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    caller = make_member(org_a, full_name="Cai Caller", phone="07700 900123")
    first = _waiting(_post(org_a, full_name="Ann Letter"), org_a)
    call = _waiting(caller, org_a, Status.TO_CALL, subject="Ring about Tuesday")
    _waiting(_post(org_b, full_name="Other Org Person"), org_b, subject="Not yours")
    client = staff_client(coordinator_a)
    page = client.get(reverse("people:outbox"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ann Letter" in text and "Ring about Tuesday" in text and "07700 900123" in text
    assert "Other Org Person" not in text and "Not yours" not in text
    assert SensitiveRead.objects.filter(person=caller, reader=coordinator_a).exists()
    # A letter added after the page was shown is not in its PDF, nor posted by its button.
    later = _waiting(_post(org_a, full_name="Late Letter"), org_a)
    pdf = client.get(reverse("people:outbox_letters"), {"upto": first.pk})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    posted = client.post(reverse("people:outbox_done"), {"messages": [first.pk]})
    assert posted.status_code == 302
    statuses = dict(OutgoingMessage.objects.values_list("pk", "status"))
    assert statuses[first.pk] == Status.DONE
    assert (statuses[later.pk], statuses[call.pk]) == (Status.TO_PRINT, Status.TO_CALL)
    assert "done" in client.get(reverse("people:outbox")).content.decode()


def test_posting_nothing_or_something_already_done_says_so_and_marks_nothing(
    org_a: Organisation, coordinator_a: User
) -> None:
    message = _waiting(_post(org_a), org_a)
    other = _waiting(_post(org_a), org_a)
    client = staff_client(coordinator_a)
    empty = client.post(reverse("people:outbox_done"), {})
    assert empty.status_code == 400
    assert "Tick at least one" in empty.content.decode()
    services.mark_done(actor=coordinator_a, organisation=org_a, message_ids=[message.pk])
    again = client.post(reverse("people:outbox_done"), {"messages": [message.pk, other.pk]})
    assert again.status_code == 400
    assert "done already" in again.content.decode()
    assert OutgoingMessage.objects.get(pk=other.pk).status == Status.TO_PRINT


def test_a_member_cannot_open_the_outbox(org_a: Organisation, member_a: Person) -> None:
    response = member_client(member_a).get(reverse("people:outbox"))
    assert response.status_code in (302, 403)


def test_the_page_reads_in_welsh(org_a: Organisation, coordinator_a: User) -> None:
    _waiting(_post(org_a), org_a)
    client = staff_client(coordinator_a)
    client.cookies["withus_language"] = "cy"
    text = client.get(reverse("people:outbox")).content.decode()
    assert "Llythyrau, galwadau a negeseuon testun i'w hanfon" in text
    assert "Letters, calls and texts to send" not in text


def test_the_page_costs_the_same_queries_however_many_wait(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("people:outbox")).status_code == 200
        return len(queries)

    for _ in range(2):
        _waiting(make_member(org_a, phone="07700 900001"), org_a, Status.TO_CALL)
    few = cost()
    for _ in range(10):
        _waiting(make_member(org_a, phone="07700 900002"), org_a, Status.TO_CALL)
        _waiting(_post(org_a), org_a)
    assert cost() == few


# ---- The API ------------------------------------------------------------------------------------


def test_the_api_lists_what_waits_and_records_it_done_once(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    caller = make_member(org_a, full_name="Cai Caller", phone="07700 900123")
    letter = _waiting(_post(org_a, full_name="Ann Letter"), org_a)
    call = _waiting(caller, org_a, Status.TO_CALL)
    api = api_as(coordinator_a, org_a)
    body = api.get("/api/outbox").json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[letter.pk]["kind"] == "letters" and "SY23 1AA" in by_id[letter.pk]["address_lines"]
    assert by_id[letter.pk]["phone"] == ""
    assert by_id[call.pk]["kind"] == "calls" and by_id[call.pk]["phone"] == "07700 900123"
    assert SensitiveRead.objects.filter(person=caller, via=SensitiveRead.Via.API).exists()
    assert [i["id"] for i in api.get("/api/outbox", {"kind": "calls"}).json()["items"]] == [call.pk]
    assert_error(api.get("/api/outbox", {"kind": "parcels"}), 422, "invalid")
    # Another organisation's coordinator neither sees nor marks it.
    other = api_as(coordinator_b, org_b)
    assert other.get("/api/outbox").json()["count"] == 0
    assert_error(other.post("/api/outbox/done", {"messages": [letter.pk]}), 422, "invalid")
    done = api.post("/api/outbox/done", {"messages": [letter.pk]})
    assert done.status_code == 200 and done.json()["done"] == 1
    assert_error(api.post("/api/outbox/done", {"messages": [letter.pk]}), 422, "invalid")
    assert_error(api.post("/api/outbox/done", {"messages": []}), 422, "invalid")
    assert OutgoingMessage.objects.get(pk=letter.pk).done_by == coordinator_a


def test_a_member_token_cannot_read_the_outbox(org_a: Organisation, member_a: Person) -> None:
    assert_error(member_api(member_a, org_a).get("/api/outbox"), 403, "forbidden")


# ---- The command line ------------------------------------------------------------------------------


def test_the_command_lists_writes_the_letters_and_records_them_posted(
    org_a: Organisation, coordinator_a: User, tmp_path: Path
) -> None:
    letter = _waiting(_post(org_a, full_name="Ann Letter"), org_a)
    call = _waiting(make_member(org_a, full_name="Cai Caller", phone="07700 900123"), org_a, Status.TO_CALL)
    out = StringIO()
    call_command("outbox", "list", "--organisation", org_a.slug, stdout=out)
    assert "Ann Letter" in out.getvalue() and "call 07700 900123" in out.getvalue()
    target = tmp_path / "letters.pdf"
    out = StringIO()
    call_command(
        "outbox", "letters", "--organisation", org_a.slug, "-o", str(target), "--posted",
        "--as", coordinator_a.email, stdout=out,
    )  # fmt: skip
    assert target.read_bytes().startswith(b"%PDF")
    assert "Wrote 1 letters" in out.getvalue()
    assert OutgoingMessage.objects.get(pk=letter.pk).done_by == coordinator_a
    call_command("outbox", "done", str(call.pk), "--organisation", org_a.slug, stdout=StringIO())
    assert OutgoingMessage.objects.get(pk=call.pk).status == Status.DONE
    with pytest.raises(CommandError, match="done already"):
        call_command("outbox", "done", str(call.pk), "--organisation", org_a.slug)
    with pytest.raises(CommandError, match="No organisation"):
        call_command("outbox", "list", "--organisation", "nowhere")
