"""The call list: members who chose phone, with what to tell them, a person's waiting calls together,
and each call's outcome recorded (reached, left a message, no answer, try again later) on the web,
the API and the command line, by the rules in ``people.outbox.rules``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from withus.accounts.models import Organisation, Role, User
from withus.people.models import CallAttempt, Channel, OutgoingMessage, Person, SensitiveRead
from withus.people.notify import notify
from withus.people.outbox import rules, selectors, services

pytestmark = pytest.mark.django_db
Status = OutgoingMessage.Status
Outcome = CallAttempt.Outcome


def _caller(org: Organisation, **fields: object) -> Person:
    defaults: dict[str, object] = {"preferred_channel": Channel.PHONE, "phone": "07700 900123"}
    return make_member(org, **{**defaults, **fields})


def _call(person: Person, org: Organisation, subject: str = "Your next meeting", **fields: object) -> OutgoingMessage:
    return OutgoingMessage.objects.create(
        person=person,
        organisation=org,
        channel=Channel.PHONE,
        status=Status.TO_CALL,
        subject=subject,
        body=fields.pop("body", "We meet on Tuesday at 2pm."),  # type: ignore[arg-type]
        **fields,
    )


def _record(actor: User | None, org: Organisation, *messages: OutgoingMessage, outcome: str, **kw: object) -> None:
    services.record_call(
        actor=actor,
        organisation=org,
        message_ids=[m.pk for m in messages],
        outcome=outcome,
        **kw,  # type: ignore[arg-type]
    )


# ---- The rules ----------------------------------------------------------------------------------


def test_only_reached_and_a_message_left_finish_a_call() -> None:
    assert {o for o in Outcome.values if rules.finishes(o)} == {Outcome.REACHED, Outcome.LEFT_MESSAGE}


def test_the_order_is_calls_due_now_longest_waiting_first_then_later_ones_soonest_first() -> None:
    now = timezone.now()
    old, new = now - timedelta(days=3), now - timedelta(hours=1)
    keys = {
        "new": rules.call_order(after=None, waiting_since=new, now=now),
        "old": rules.call_order(after=None, waiting_since=old, now=now),
        "past time": rules.call_order(
            after=now - timedelta(minutes=5), waiting_since=new + timedelta(minutes=1), now=now
        ),
        "tomorrow": rules.call_order(after=now + timedelta(days=1), waiting_since=old, now=now),
        "tonight": rules.call_order(after=now + timedelta(hours=4), waiting_since=new, now=now),
    }
    assert sorted(keys, key=keys.__getitem__) == ["old", "new", "past time", "tonight", "tomorrow"]


# ---- Each outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.REACHED, Outcome.LEFT_MESSAGE])
def test_reached_or_a_message_left_finishes_the_call_by_whom_and_when(
    org_a: Organisation, coordinator_a: User, outcome: str
) -> None:
    message = _call(_caller(org_a), org_a)
    _record(coordinator_a, org_a, message, outcome=outcome, note="  Said she will come.  ")
    message.refresh_from_db()
    assert (message.status, message.done_by) == (Status.DONE, coordinator_a)
    attempt = CallAttempt.objects.get(message=message)
    assert (attempt.outcome, attempt.note, attempt.by, attempt.at) == (
        outcome,
        "Said she will come.",
        coordinator_a,
        message.done_at,
    )
    assert selectors.call_list(org_a) == []


def test_no_answer_keeps_the_call_on_the_list_with_the_tries_counted(org_a: Organisation, coordinator_a: User) -> None:
    message = _call(_caller(org_a), org_a)
    _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER)
    _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER)
    assert OutgoingMessage.objects.get(pk=message.pk).status == Status.TO_CALL
    [call] = selectors.call_list(org_a)
    assert (len(call.attempts), call.no_answers, call.due, call.may_need_letter) == (2, 2, True, False)


def test_try_again_later_keeps_it_and_moves_it_after_the_calls_due_until_its_time(
    org_a: Organisation, coordinator_a: User
) -> None:
    later = _call(_caller(org_a, full_name="Ann Later"), org_a)
    waiting = _call(_caller(org_a, full_name="Bryn Now"), org_a)
    after = timezone.now() + timedelta(hours=3)
    _record(coordinator_a, org_a, later, outcome=Outcome.TRY_AGAIN, try_after=after, note="After school run")
    assert OutgoingMessage.objects.get(pk=later.pk).status == Status.TO_CALL
    calls = selectors.call_list(org_a)
    assert [c.messages for c in calls] == [[waiting], [later]]
    assert (calls[1].due, calls[1].try_after) == (False, after)
    # When the time comes it is due again, and first, having waited longest.
    calls = selectors.call_list(org_a, now=after + timedelta(minutes=1))
    assert [c.messages for c in calls] == [[later], [waiting]] and calls[0].due


def test_a_try_after_time_is_kept_only_with_try_again_later(org_a: Organisation, coordinator_a: User) -> None:
    message = _call(_caller(org_a), org_a)
    _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER, try_after=timezone.now() + timedelta(days=1))
    assert CallAttempt.objects.get().try_after is None
    assert selectors.call_list(org_a)[0].due


def test_a_note_longer_than_500_characters_or_an_unknown_outcome_is_refused(
    org_a: Organisation, coordinator_a: User
) -> None:
    message = _call(_caller(org_a), org_a)
    with pytest.raises(ValidationError, match="500 characters"):
        _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER, note="x" * 501)
    with pytest.raises(ValidationError):
        _record(coordinator_a, org_a, message, outcome="voicemail")
    assert not CallAttempt.objects.exists()


# ---- A person's calls together --------------------------------------------------------------------


def test_one_call_covers_the_messages_shown_together_and_not_one_that_came_after(
    org_a: Organisation, coordinator_a: User
) -> None:
    cai = _caller(org_a, full_name="Cai Caller")
    invitation = _call(cai, org_a, "Invitation")
    reminder = _call(cai, org_a, "Reminder")
    other = _call(_caller(org_a, full_name="Other Person"), org_a)
    calls = selectors.call_list(org_a)
    assert [c.message_ids for c in calls] == [[invitation.pk, reminder.pk], [other.pk]]
    shown = calls[0].message_ids
    arrived_since = _call(cai, org_a, "Outcome of the meeting")
    services.record_call(actor=coordinator_a, organisation=org_a, message_ids=shown, outcome=Outcome.REACHED)
    statuses = dict(OutgoingMessage.objects.values_list("pk", "status"))
    assert (statuses[invitation.pk], statuses[reminder.pk]) == (Status.DONE, Status.DONE)
    assert (statuses[arrived_since.pk], statuses[other.pk]) == (Status.TO_CALL, Status.TO_CALL)
    assert CallAttempt.objects.filter(message__person=cai).count() == 2
    with pytest.raises(ValidationError, match="one person"):
        _record(coordinator_a, org_a, arrived_since, other, outcome=Outcome.NO_ANSWER)
    assert CallAttempt.objects.count() == 2


def test_a_call_about_several_messages_counts_once_in_the_tries(org_a: Organisation, coordinator_a: User) -> None:
    cai = _caller(org_a)
    first, second = _call(cai, org_a), _call(cai, org_a)
    _record(coordinator_a, org_a, first, second, outcome=Outcome.NO_ANSWER)
    [call] = selectors.call_list(org_a)
    assert (len(call.attempts), call.no_answers) == (1, 1)


# ---- The third no answer -------------------------------------------------------------------------


def test_after_three_unanswered_calls_it_is_flagged_and_can_go_as_a_letter(
    org_a: Organisation, coordinator_a: User
) -> None:
    cai = _caller(org_a, address="3 Heol y Nant\nAberystwyth", postcode="SY23 1AA")
    message = _call(cai, org_a, own_batch="meetings")
    for n in range(rules.NO_ANSWERS_BEFORE_LETTER):
        assert not selectors.call_list(org_a)[0].may_need_letter, n
        _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER)
    assert selectors.call_list(org_a)[0].may_need_letter
    services.send_as_letter(actor=coordinator_a, organisation=org_a, message_ids=[message.pk])
    assert selectors.call_list(org_a) == []
    assert list(selectors.waiting(org_a, "letters")) == [message]
    assert CallAttempt.objects.filter(message=message).count() == rules.NO_ANSWERS_BEFORE_LETTER


def test_a_call_cannot_go_as_a_letter_without_an_address(org_a: Organisation, coordinator_a: User) -> None:
    message = _call(_caller(org_a, full_name="No Address", address=""), org_a)
    with pytest.raises(ValidationError, match="No postal address"):
        services.send_as_letter(actor=coordinator_a, organisation=org_a, message_ids=[message.pk])
    assert OutgoingMessage.objects.get(pk=message.pk).status == Status.TO_CALL


# ---- Finished a moment before, and who may -------------------------------------------------------


@pytest.mark.parametrize("outcome", Outcome.values)
def test_a_call_finished_a_moment_before_is_refused_with_nothing_written(
    org_a: Organisation, coordinator_a: User, outcome: str
) -> None:
    message = _call(_caller(org_a), org_a)
    second = make_staff(org_a, Role.COORDINATOR)
    _record(coordinator_a, org_a, message, outcome=Outcome.LEFT_MESSAGE)
    with pytest.raises(ValidationError, match="recorded as done already"):
        _record(second, org_a, message, outcome=outcome)
    assert CallAttempt.objects.count() == 1
    assert OutgoingMessage.objects.get(pk=message.pk).done_by == coordinator_a


def test_only_a_coordinator_of_the_organisation_records_a_call(
    org_a: Organisation, org_b: Organisation, coordinator_b: User
) -> None:
    message = _call(_caller(org_a), org_a)
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    for actor in (coordinator_b, supervisor):
        with pytest.raises(PermissionDenied):
            _record(actor, org_a, message, outcome=Outcome.REACHED)
    with pytest.raises(ValidationError):
        _record(None, org_b, message, outcome=Outcome.REACHED)
    assert not CallAttempt.objects.exists()


# ---- The page ------------------------------------------------------------------------------------


def test_the_call_list_shows_who_to_ring_what_to_tell_them_and_the_tries(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    context = {"site_url": "https://withus.example"}
    welsh = _caller(org_a, full_name="Bryn Cymraeg", prefers_welsh=True, phone="07700 900456")
    queued = notify(
        person=welsh,
        subject="Eich cyfarfod",
        template="support/messages/assigned.txt",
        context={**context, "organisation": org_a},
        organisation=org_a,
    )
    assert queued.status == Status.TO_CALL
    cai = _caller(org_a, full_name="Cai Caller")
    _call(cai, org_a, "Invitation", body="Come on Tuesday at 2pm.")
    _call(cai, org_a, "Reminder", body="Tomorrow at 2pm.")
    _record(coordinator_a, org_a, queued, outcome=Outcome.NO_ANSWER, note="Rang twice")
    _call(_caller(org_b, full_name="Other Org Person"), org_b)
    page = staff_client(coordinator_a).get(reverse("people:outbox_calls"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cai Caller" in text and "Bryn Cymraeg" in text and "Other Org Person" not in text
    assert "07700 900456" in text and "Cymraeg" in text
    assert "Come on Tuesday at 2pm." in text and "Tomorrow at 2pm." in text
    assert "Rang twice" in text and "1 with no answer" in text
    assert text.count("<fieldset") == 4  # how it went, and the time to try again, for each person
    assert re.search(r"<legend[^>]*>\s*How did the call to Cai Caller go\?", text)
    assert text.count('name="outcome"') == 2 * len(Outcome.values)
    assert SensitiveRead.objects.filter(person=cai, reader=coordinator_a, what=SensitiveRead.What.CONTACT).exists()
    assert reverse("people:outbox_calls") in staff_client(coordinator_a).get(reverse("people:outbox")).content.decode()


def test_recording_a_call_on_the_page_and_the_second_coordinator_is_told_it_was_done(
    org_a: Organisation, coordinator_a: User
) -> None:
    cai = _caller(org_a, full_name="Cai Caller")
    first, second = _call(cai, org_a), _call(cai, org_a)
    client = staff_client(coordinator_a)
    url = reverse("people:outbox_call_record")
    when = {"try_after_day": "1", "try_after_month": "1", "try_after_year": str(timezone.now().year + 1)}
    tried = client.post(
        url,
        {"messages": [first.pk, second.pk], "outcome": "try_again", "note": "Busy", **when, "try_after_time": "18:30"},
    )
    assert tried.status_code == 302
    assert CallAttempt.objects.filter(outcome=Outcome.TRY_AGAIN, note="Busy", try_after__isnull=False).count() == 2
    assert "To call later" in client.get(reverse("people:outbox_calls")).content.decode()
    missing = client.post(url, {"messages": [first.pk, second.pk]})
    assert missing.status_code == 400 and "Choose what happened" in missing.content.decode()
    done = client.post(url, {"messages": [first.pk, second.pk], "outcome": "reached"})
    assert done.status_code == 302, re.findall(r'class="error-message"[^<]*>([^<]*)', done.content.decode())
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {Status.DONE}
    other = staff_client(make_staff(org_a, Role.COORDINATOR))
    again = other.post(url, {"messages": [first.pk, second.pk], "outcome": "no_answer"})
    assert again.status_code == 400
    assert "recorded as done already" in again.content.decode()
    assert CallAttempt.objects.count() == 4


def test_the_page_sends_a_call_as_a_letter_after_three_no_answers(org_a: Organisation, coordinator_a: User) -> None:
    message = _call(_caller(org_a, address="1 Stryd Fawr", postcode="LL55 1AA"), org_a)
    client = staff_client(coordinator_a)
    for _ in range(rules.NO_ANSWERS_BEFORE_LETTER):
        client.post(reverse("people:outbox_call_record"), {"messages": [message.pk], "outcome": "no_answer"})
    assert "A letter may reach them better" in client.get(reverse("people:outbox_calls")).content.decode()
    response = client.post(reverse("people:outbox_call_letter"), {"messages": [message.pk]})
    assert response.status_code == 302
    assert OutgoingMessage.objects.get(pk=message.pk).status == Status.TO_PRINT


def test_who_may_open_the_call_list_and_record_on_it(
    org_a: Organisation, coordinator_b: User, member_a: Person
) -> None:
    message = _call(_caller(org_a, full_name="Cai Caller"), org_a)
    assert member_client(member_a).get(reverse("people:outbox_calls")).status_code in (302, 403)
    supervisor = staff_client(make_staff(org_a, Role.SUPERVISOR))
    assert supervisor.get(reverse("people:outbox_calls")).status_code == 403
    refused = supervisor.post(reverse("people:outbox_call_record"), {"messages": [message.pk], "outcome": "reached"})
    assert refused.status_code == 403
    elsewhere = staff_client(coordinator_b)
    assert "Cai Caller" not in elsewhere.get(reverse("people:outbox_calls")).content.decode()
    posted = elsewhere.post(reverse("people:outbox_call_record"), {"messages": [message.pk], "outcome": "reached"})
    assert posted.status_code == 400
    assert not CallAttempt.objects.exists()
    assert OutgoingMessage.objects.get(pk=message.pk).status == Status.TO_CALL


def test_the_call_list_costs_the_same_queries_however_many_calls_and_tries(
    org_a: Organisation, coordinator_a: User
) -> None:
    client = staff_client(coordinator_a)

    def add(n: int) -> None:
        for _ in range(n):
            person = _caller(org_a)
            first, second = _call(person, org_a), _call(person, org_a)
            _record(coordinator_a, org_a, first, second, outcome=Outcome.NO_ANSWER)
            _record(
                coordinator_a, org_a, first, outcome=Outcome.TRY_AGAIN, try_after=timezone.now() + timedelta(days=1)
            )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("people:outbox_calls")).status_code == 200
        return len(queries)

    add(2)
    few = cost()
    add(8)
    assert cost() == few


# ---- The API ------------------------------------------------------------------------------------


def test_the_api_lists_calls_with_their_tries_and_records_each_one(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    message = _call(_caller(org_a, full_name="Cai Caller"), org_a)
    api = api_as(coordinator_a, org_a)
    url = f"/api/outbox/calls/{message.pk}/attempts"
    after = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    tried = api.post(url, {"outcome": "try_again", "note": "In a meeting", "try_after": after.isoformat()})
    assert tried.status_code == 200, tried.content
    state = tried.json()
    assert (state["status"], state["no_answers"], len(state["attempts"])) == ("to_call", 0, 1)
    assert datetime.fromisoformat(state["try_after"]) == after
    assert state["attempts"][0]["note"] == "In a meeting" and state["attempts"][0]["by"]
    [item] = api.get("/api/outbox", {"kind": "calls"}).json()["items"]
    assert item["id"] == message.pk and item["attempts"][0]["outcome"] == "try_again"
    assert datetime.fromisoformat(item["try_after"]) == after and item["may_need_letter"] is False
    assert_error(api.post(url, {"outcome": "voicemail"}), 422, "invalid")
    assert_error(api.post(url, {"outcome": "no_answer", "note": "x" * 501}), 422, "invalid")
    # Another organisation's coordinator does not find it.
    assert_error(api_as(coordinator_b, org_b).post(url, {"outcome": "reached"}), 404, "not_found")
    done = api.post(url, {"outcome": "reached"}).json()
    assert (
        done["status"] == "done"
        and done["done_at"]
        and [a["outcome"] for a in done["attempts"]]
        == [
            "try_again",
            "reached",
        ]
    )
    assert_error(api.post(url, {"outcome": "no_answer"}), 422, "invalid")
    assert CallAttempt.objects.count() == 2
    assert api.get("/api/outbox", {"kind": "calls"}).json()["count"] == 0


def test_members_and_roles_that_do_not_coordinate_cannot_record_calls_by_api(
    org_a: Organisation, member_a: Person
) -> None:
    message = _call(_caller(org_a), org_a)
    url = f"/api/outbox/calls/{message.pk}/attempts"
    assert_error(member_api(member_a, org_a).post(url, {"outcome": "reached"}), 403, "forbidden")
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    assert_error(api_as(supervisor, org_a, Role.SUPERVISOR).post(url, {"outcome": "reached"}), 403, "forbidden")
    assert not CallAttempt.objects.exists()


# ---- The command line ------------------------------------------------------------------------------


def test_the_command_records_calls_and_lists_the_tries(org_a: Organisation, coordinator_a: User) -> None:
    message = _call(_caller(org_a, full_name="Cai Caller"), org_a)
    options = ["--organisation", org_a.slug, "--as", coordinator_a.email]
    out = StringIO()
    call_command(
        "outbox", "call", str(message.pk), "--outcome", "no_answer", "--note", "Rang at 10", *options, stdout=out
    )
    assert "still to call" in out.getvalue()
    assert CallAttempt.objects.get().by == coordinator_a
    out = StringIO()
    call_command("outbox", "list", "--kind", "calls", "--organisation", org_a.slug, stdout=out)
    assert "Cai Caller" in out.getvalue() and "1 tries, 1 no answer" in out.getvalue()
    with pytest.raises(CommandError, match="--try-after"):
        call_command("outbox", "call", str(message.pk), "--outcome", "try_again", "--try-after", "soon", *options)
    out = StringIO()
    call_command("outbox", "call", str(message.pk), "--outcome", "reached", *options, stdout=out)
    assert "done" in out.getvalue() and OutgoingMessage.objects.get(pk=message.pk).status == Status.DONE
    with pytest.raises(CommandError, match="recorded as done already"):
        call_command("outbox", "call", str(message.pk), "--outcome", "left_message", *options)
    assert CallAttempt.objects.count() == 2


def test_the_calls_and_their_notes_are_in_the_persons_download_and_go_on_erasure(
    org_a: Organisation, coordinator_a: User
) -> None:
    from withus.core import privacy

    person = _caller(org_a)
    message = _call(person, org_a, subject="Your invitation")
    _record(coordinator_a, org_a, message, outcome=Outcome.NO_ANSWER, note="Rang at 10")
    section = next(s for s in privacy.sections(person) if s.key == "calls")
    assert [(r["subject"], r["note"]) for r in section.records] == [("Your invitation", "Rang at 10")]  # type: ignore[index]
    privacy.erase(person)
    assert not CallAttempt.objects.exists()
