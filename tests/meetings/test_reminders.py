"""Reminders: when each is due (pure rules, clock changes included), what is sent to whom, and that a
reminder is never sent twice (two workers at once) nor lost (a send that fails half-way)."""

from __future__ import annotations

import dataclasses
import signal
import smtplib
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tests.meetings.factories import london, make_contact, make_invitation, make_person, make_session
from withus.meetings import reminders
from withus.meetings.models import Action, Invitation, MeetingStandards, SentReminder, Session
from withus.meetings.reminders import (
    ACTION_DUE,
    ACTION_OVERDUE,
    action_reminder,
    papers_reminder_due,
    send_due_reminders,
    session_reminder_due,
)
from withus.meetings.tasks import send_reminders_task
from withus.people.models import OutgoingMessage

START = london(2030, 6, 12, 10, 30)  # a Wednesday


# ---- Helpers ------------------------------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """The locmem backend, except that it refuses the addresses in ``FAILING`` as a mail server would."""

    FAILING: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            refused = [r for r in message.recipients() if r in self.FAILING]
            if refused:
                raise smtplib.SMTPRecipientsRefused({r: (550, b"mailbox unavailable") for r in refused})
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.meetings.test_reminders.FlakyBackend"
    FlakyBackend.FAILING = set()
    yield FlakyBackend.FAILING
    FlakyBackend.FAILING = set()


def emailed(name: str, email: str, **fields):
    return make_person(full_name=name, email=email, preferred_channel="email", **fields)


def invite(session: Session, person=None, **fields) -> Invitation:
    fields.setdefault("sent_at", session.starts_at - timedelta(days=20))
    return make_invitation(session, person, **fields)


def recipients() -> list[str]:
    return sorted(r for m in mail.outbox for r in m.to)


def sent_keys() -> set[str]:
    return set(SentReminder.objects.values_list("key", flat=True))


def no_counts(**counts: int) -> dict[str, int]:
    result = {"session": 0, "papers": 0, "action_due": 0, "action_overdue": 0, "failed": 0}
    result.update(counts)
    return result


def add_action(session: Session, due_on: date, **fields) -> Action:
    values = {"text": "Write to the estates team about the lift", "owner_name": "Owain Staff"}
    values.update(fields)
    return Action.objects.create(session=session, due_on=due_on, **values)


# ---- When: pure rules ---------------------------------------------------------------------------

INVITED = START - timedelta(days=20)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (london(2030, 6, 10, 23, 59), False),  # two local days ahead
        (london(2030, 6, 11, 0, 0), True),  # the day before, from midnight
        (london(2030, 6, 11, 23, 59), True),
        (london(2030, 6, 12, 9, 0), True),  # the day itself (the day before was missed), before the start
        (START, False),  # it has started
        (london(2030, 6, 13, 9, 0), False),
    ],
)
def test_the_session_reminder_is_due_the_local_day_before(now, due):
    assert session_reminder_due(starts_at=START, invited_at=INVITED, now=now) is due


def test_nobody_is_reminded_on_the_day_they_were_invited_or_if_never_invited():
    now = london(2030, 6, 11, 15, 0)
    assert session_reminder_due(starts_at=START, invited_at=london(2030, 6, 11, 9, 0), now=now) is False
    assert session_reminder_due(starts_at=START, invited_at=None, now=now) is False
    assert session_reminder_due(starts_at=START, invited_at=london(2030, 6, 10, 23, 0), now=now) is True


# Sunday 30 March 2025 the clocks went forward (01:00 GMT -> 02:00 BST); Sunday 26 October 2025
# they went back. Saturday 00:30 BST is still Friday in UTC, and Friday 23:30 BST is Friday 22:30 UTC.
@pytest.mark.parametrize(
    ("starts_at", "now", "due"),
    [
        (london(2025, 3, 30, 10, 30), datetime(2025, 3, 28, 23, 30, tzinfo=UTC), False),  # Fri 23:30 GMT
        (london(2025, 3, 30, 10, 30), datetime(2025, 3, 29, 0, 30, tzinfo=UTC), True),  # Sat 00:30 GMT
        (london(2025, 3, 30, 10, 30), datetime(2025, 3, 30, 9, 29, tzinfo=UTC), True),  # Sun 10:29 BST
        (london(2025, 3, 30, 10, 30), datetime(2025, 3, 30, 9, 30, tzinfo=UTC), False),  # Sun 10:30 BST: started
        (london(2025, 10, 26, 10, 30), datetime(2025, 10, 24, 22, 59, tzinfo=UTC), False),  # Fri 23:59 BST
        (london(2025, 10, 26, 10, 30), datetime(2025, 10, 24, 23, 30, tzinfo=UTC), True),  # Sat 00:30 BST
        (london(2025, 10, 26, 10, 30), datetime(2025, 10, 26, 10, 29, tzinfo=UTC), True),  # Sun 10:29 GMT
    ],
)
def test_the_session_reminder_follows_local_dates_across_clock_changes(starts_at, now, due):
    assert session_reminder_due(starts_at=starts_at, invited_at=starts_at - timedelta(days=14), now=now) is due


@pytest.mark.parametrize(
    ("now", "papers_sent_at", "due"),
    [
        (london(2030, 6, 2, 23, 59), None, False),  # the deadline (5 June, 7 days ahead) is 3 days away
        (london(2030, 6, 3, 0, 0), None, True),  # 2 local days before the deadline
        (london(2030, 6, 5, 12, 0), None, True),  # the deadline
        (london(2030, 6, 11, 12, 0), None, True),  # late: still worth a nudge
        (START, None, False),  # the session has started
        (london(2030, 6, 4, 12, 0), london(2030, 6, 1), False),  # sent
    ],
)
def test_the_papers_reminder_runs_from_two_days_before_the_deadline(now, papers_sent_at, due):
    assert papers_reminder_due(starts_at=START, papers_days=7, papers_sent_at=papers_sent_at, now=now) is due


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [
        (date(2030, 7, 7), False, None),  # 3 days ahead
        (date(2030, 7, 8), False, ACTION_DUE),  # 2 days ahead
        (date(2030, 7, 10), False, ACTION_DUE),  # the due date
        (date(2030, 7, 11), False, ACTION_OVERDUE),
        (date(2030, 8, 7), False, ACTION_OVERDUE),  # 28 days late
        (date(2030, 8, 8), False, None),  # 29 days late: for the coordinator to chase
        (date(2030, 7, 9), True, None),  # done
        (date(2030, 7, 12), True, None),
    ],
)
def test_action_reminders_come_two_days_before_and_once_overdue(today, done, expected):
    assert action_reminder(due_on=date(2030, 7, 10), done=done, today=today) == expected


def test_keys_are_the_documented_ones():
    assert reminders.session_key(3, 7) == "session:3:7:day-before"
    assert reminders.papers_key(3) == "papers:3"
    assert reminders.action_key(5, ACTION_DUE) == "action:5:due"
    assert reminders.action_key(5, ACTION_OVERDUE) == "action:5:overdue"


# ---- What is sent to whom -----------------------------------------------------------------------


@pytest.mark.django_db
def test_session_reminders_go_to_everyone_invited_except_apologies(org_a):
    session = make_session(org_a, starts_at=START, papers_sent_at=START - timedelta(days=10))
    coming = invite(session, emailed("Alaw", "alaw@example.org"), reply=Invitation.Reply.COMING)
    no_reply = invite(session, emailed("Bryn", "bryn@example.org"))
    invite(session, emailed("Carys", "carys@example.org"), reply=Invitation.Reply.APOLOGIES)
    invite(session, emailed("Dafydd", "dafydd@example.org"), sent_at=None)  # never actually invited
    by_post = invite(session, make_person(full_name="Eirlys"))
    guest = invite(session, name="Ffion Staff", email="ffion@example.org", role=Invitation.Role.STAFF)
    cancelled = make_session(org_a, starts_at=START, status=Session.Status.CANCELLED)
    invite(cancelled, emailed("Gwen", "gwen@example.org"))

    counts = send_due_reminders(now=london(2030, 6, 11, 9, 0))

    assert counts == no_counts(session=4)
    assert recipients() == ["alaw@example.org", "bryn@example.org", "ffion@example.org"]
    assert all(m.subject == f"Reminder: {session.title}" for m in mail.outbox)
    assert all(any(a[0] == "invitation.ics" for a in m.attachments) for m in mail.outbox)
    letter = OutgoingMessage.objects.get(person=by_post.person)
    # A posted reminder would arrive too late: the coordinator is asked to phone instead.
    assert letter.status == OutgoingMessage.Status.TO_CALL
    assert sent_keys() == {f"session:{session.pk}:{i.pk}:day-before" for i in (coming, no_reply, by_post, guest)}

    # Run again, the same day and the next morning: nothing more.
    assert send_due_reminders(now=london(2030, 6, 11, 17, 0)) == no_counts()
    assert send_due_reminders(now=london(2030, 6, 12, 8, 0)) == no_counts()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_no_session_reminder_two_days_ahead(org_a):
    session = make_session(org_a, starts_at=START, papers_sent_at=START - timedelta(days=10))
    invite(session, emailed("Alaw", "alaw@example.org"))
    assert send_due_reminders(now=london(2030, 6, 10, 23, 0)) == no_counts()
    assert mail.outbox == []


@pytest.mark.django_db
def test_papers_not_sent_remind_the_contact_once_by_the_organisations_threshold(org_a):
    MeetingStandards.objects.create(organisation=org_a, papers_days=10)  # deadline 2 June 2030
    contact = make_contact(email="nia@example.org")
    session = make_session(org_a, contact=contact, starts_at=START, title="Carers' group")
    sent = make_session(org_a, starts_at=START, papers_sent_at=london(2030, 5, 20))
    gone = make_session(org_a, starts_at=START, status=Session.Status.CANCELLED)

    assert send_due_reminders(now=london(2030, 5, 30, 23, 0)) == no_counts()  # 3 days before the deadline
    counts = send_due_reminders(now=london(2030, 5, 31, 8, 0))
    assert counts == no_counts(papers=1)
    [message] = mail.outbox
    assert message.to == ["nia@example.org"]
    assert message.subject == "Papers not sent yet: Carers' group"
    assert "Sunday 2 June 2030" in message.body
    assert "10 days" in message.body
    assert f"/staff/sessions/{session.pk}/" in message.body
    assert sent_keys() == {f"papers:{session.pk}"}
    assert f"papers:{sent.pk}" not in sent_keys() and f"papers:{gone.pk}" not in sent_keys()

    assert send_due_reminders(now=london(2030, 6, 5, 8, 0)) == no_counts()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_actions_due_and_overdue_each_reminded_once(org_a):
    session = make_session(org_a, starts_at=london(2030, 6, 1), status=Session.Status.HELD)
    by_email = add_action(session, date(2030, 7, 10), owner_email="owain@example.org")
    member = emailed("Alaw", "alaw@example.org")
    by_person = add_action(session, date(2030, 7, 10), owner_name="Alaw", owner_person=member)
    add_action(session, date(2030, 7, 10), owner_email="done@example.org", done_at=london(2030, 7, 1))
    add_action(session, date(2030, 7, 10), owner_name="Nobody we can reach")

    assert send_due_reminders(now=london(2030, 7, 7, 9, 0)) == no_counts()
    assert send_due_reminders(now=london(2030, 7, 8, 9, 0)) == no_counts(action_due=2)
    assert recipients() == ["alaw@example.org", "owain@example.org"]
    staff_mail = next(m for m in mail.outbox if m.to == ["owain@example.org"])
    assert staff_mail.subject == f"An action is due on 10/07/2030: {session.title}"
    assert "Write to the estates team about the lift" in staff_mail.body
    assert "Dear Owain Staff," in staff_mail.body
    assert OutgoingMessage.objects.get(person=member).status == OutgoingMessage.Status.SENT

    assert send_due_reminders(now=london(2030, 7, 10, 9, 0)) == no_counts()  # due today: already reminded
    mail.outbox.clear()
    assert send_due_reminders(now=london(2030, 7, 11, 9, 0)) == no_counts(action_overdue=2)
    assert recipients() == ["alaw@example.org", "owain@example.org"]
    assert all("was due on Wednesday 10 July 2030" in m.body for m in mail.outbox)
    assert send_due_reminders(now=london(2030, 7, 20, 9, 0)) == no_counts()
    assert sent_keys() == {
        f"action:{by_email.pk}:due",
        f"action:{by_person.pk}:due",
        f"action:{by_email.pk}:overdue",
        f"action:{by_person.pk}:overdue",
    }


@pytest.mark.django_db
def test_an_action_done_before_its_reminder_is_not_reminded(org_a):
    session = make_session(org_a, starts_at=london(2030, 6, 1), status=Session.Status.HELD)
    action = add_action(session, date(2030, 7, 10), owner_email="owain@example.org")
    Action.objects.filter(pk=action.pk).update(done_at=london(2030, 7, 8, 8, 0))
    assert send_due_reminders(now=london(2030, 7, 8, 9, 0)) == no_counts()
    assert mail.outbox == []


# ---- Clocks changing ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "saturday"),
    [(london(2025, 3, 30, 10, 30), date(2025, 3, 29)), (london(2025, 10, 26, 10, 30), date(2025, 10, 25))],
    ids=["clocks-forward", "clocks-back"],
)
def test_a_sunday_session_when_the_clocks_change_is_reminded_once_on_the_saturday(org_a, starts_at, saturday):
    session = make_session(org_a, starts_at=starts_at, papers_sent_at=starts_at - timedelta(days=10))
    invite(session, emailed("Alaw", "alaw@example.org"))
    # A worker running every half hour (in real, UTC, time) from Thursday noon until after the start.
    now = datetime.combine(saturday - timedelta(days=2), datetime.min.time(), UTC) + timedelta(hours=12)
    sent_at: list[datetime] = []
    while now < starts_at + timedelta(hours=2):
        if send_due_reminders(now=now)["session"]:
            sent_at.append(now)
        now += timedelta(minutes=30)
    assert len(mail.outbox) == 1
    assert len(sent_at) == 1
    # The first run of the local Saturday: just after local midnight, whatever the offset is.
    assert reminders.rules.local(sent_at[0]).date() == saturday
    assert reminders.rules.local(sent_at[0] - timedelta(minutes=30)).date() < saturday


# ---- Never lost: a send that fails half-way ----------------------------------------------------


@pytest.mark.django_db
def test_a_send_that_fails_half_way_loses_nothing_and_is_retried(org_a, flaky_mail):
    session = make_session(org_a, starts_at=START, papers_sent_at=START - timedelta(days=10))
    first = invite(session, emailed("Alaw", "alaw@example.org"))
    failing = invite(session, emailed("Bryn", "bryn@example.org"))
    last = invite(session, emailed("Carys", "carys@example.org"))
    invited_at = failing.sent_at
    flaky_mail.add("bryn@example.org")

    counts = send_due_reminders(now=london(2030, 6, 11, 9, 0))

    assert counts == no_counts(session=2, failed=1)
    assert recipients() == ["alaw@example.org", "carys@example.org"]
    assert sent_keys() == {reminders.session_key(session.pk, i.pk) for i in (first, last)}
    # Everything the failed send wrote was rolled back with its SentReminder row.
    assert not OutgoingMessage.objects.filter(person=failing.person).exists()
    failing.refresh_from_db()
    assert failing.sent_at == invited_at

    flaky_mail.clear()
    mail.outbox.clear()
    assert send_due_reminders(now=london(2030, 6, 11, 10, 0)) == no_counts(session=1)
    assert recipients() == ["bryn@example.org"]
    assert reminders.session_key(session.pk, failing.pk) in sent_keys()
    assert send_due_reminders(now=london(2030, 6, 11, 11, 0)) == no_counts()


@pytest.mark.django_db
def test_a_failed_email_to_a_member_action_owner_is_retried(org_a, flaky_mail):
    # notify() records a failed e-mail instead of raising: the reminder must still be retried.
    session = make_session(org_a, starts_at=london(2030, 6, 1), status=Session.Status.HELD)
    member = emailed("Alaw", "alaw@example.org")
    action = add_action(session, date(2030, 7, 10), owner_name="Alaw", owner_person=member)
    flaky_mail.add("alaw@example.org")

    assert send_due_reminders(now=london(2030, 7, 8, 9, 0)) == no_counts(failed=1)
    assert sent_keys() == set()
    assert not OutgoingMessage.objects.filter(person=member).exists()

    flaky_mail.clear()
    assert send_due_reminders(now=london(2030, 7, 8, 10, 0)) == no_counts(action_due=1)
    assert recipients() == ["alaw@example.org"]
    assert sent_keys() == {f"action:{action.pk}:due"}


@pytest.mark.django_db
def test_remind_command_prints_counts_and_fails_when_a_reminder_failed(org_a, flaky_mail, time_machine):
    time_machine.move_to(london(2030, 7, 8, 9, 0))
    session = make_session(org_a, starts_at=london(2030, 6, 1), status=Session.Status.HELD)
    add_action(session, date(2030, 7, 10), owner_email="owain@example.org")
    add_action(session, date(2030, 7, 9), owner_email="bad@example.org")
    flaky_mail.add("bad@example.org")
    out = StringIO()
    with pytest.raises(CommandError, match="1 reminders could not be sent"):
        call_command("remind", stdout=out)
    assert "actions due: 1" in out.getvalue()
    assert "failed (tried again next run): 1" in out.getvalue()

    flaky_mail.clear()
    out = StringIO()
    call_command("remind", stdout=out)
    assert "actions due: 1" in out.getvalue()
    assert recipients() == ["bad@example.org", "owain@example.org"]


# ---- Never twice: two workers at once -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_exactly_once(org_a, monkeypatch):
    session = make_session(org_a, starts_at=START, contact=make_contact(email="nia@example.org"))
    people = [emailed(f"Person {n}", f"p{n}@example.org") for n in range(5)]
    for person in people:
        invite(session, person)
    add_action(session, date(2030, 6, 12), owner_email="owain@example.org")
    now = london(2030, 6, 11, 9, 0)  # the day before; the papers (due out 5 June) are late
    expected = sorted([f"p{n}@example.org" for n in range(5)] + ["nia@example.org", "owain@example.org"])

    # Both workers choose their reminders before either sends any, so both believe all seven are theirs
    # to send: only the unique key can stop the second one. Each send is slowed down, to give a second
    # worker every chance to send the same reminder while the first is still sending it.
    selection = reminders.due_reminders
    both_chosen = threading.Barrier(2, timeout=30)
    chosen: list[set[str]] = []
    lock = threading.Lock()
    sending: Counter[str] = Counter()
    most_at_once: Counter[str] = Counter()

    def slowed(due: reminders.Due) -> reminders.Due:
        def send() -> bool:
            with lock:
                sending[due.key] += 1
                most_at_once[due.key] = max(most_at_once[due.key], sending[due.key])
            try:
                time.sleep(0.1)
                return due.send()
            finally:
                with lock:
                    sending[due.key] -= 1

        return dataclasses.replace(due, send=send)

    def choose_then_wait(at):
        due = selection(at)
        chosen.append({d.key for d in due})
        both_chosen.wait()
        return [slowed(d) for d in due]

    monkeypatch.setattr(reminders, "due_reminders", choose_then_wait)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def worker():
        try:
            results.append(send_due_reminders(now=now))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(chosen) == 2 and chosen[0] == chosen[1] and len(chosen[0]) == 7
    assert set(most_at_once.values()) == {1}  # never two workers inside the same reminder's send
    assert recipients() == expected  # each exactly once
    assert sum(r["session"] + r["papers"] + r["action_due"] for r in results) == 7
    assert sum(r["failed"] for r in results) == 0
    assert SentReminder.objects.count() == 7


# ---- The task and the worker --------------------------------------------------------------------


def test_the_task_uses_the_database_queue():
    assert isinstance(send_reminders_task.get_backend(), DatabaseBackend)


@pytest.mark.django_db
def test_remind_enqueue_puts_the_task_on_the_queue():
    out = StringIO()
    call_command("remind", "--enqueue", stdout=out)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "withus.meetings.tasks.send_reminders_task"
    assert str(queued.id) in out.getvalue()
    assert mail.outbox == []  # queued, not run


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queued_task(org_a, time_machine):
    time_machine.move_to(london(2030, 7, 8, 9, 0))
    session = make_session(org_a, starts_at=london(2030, 6, 1), status=Session.Status.HELD)
    action = add_action(session, date(2030, 7, 10), owner_email="owain@example.org")
    result = send_reminders_task.enqueue()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--batch", stdout=StringIO())
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == no_counts(action_due=1)
    assert recipients() == ["owain@example.org"]
    assert sent_keys() == {f"action:{action.pk}:due"}
