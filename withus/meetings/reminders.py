"""Reminders: sessions coming up, papers not yet sent, actions due and overdue (C4).

When each is sent (always by *local calendar dates* in Europe/London, never by
"24 hours before", so a change of the clocks neither moves a reminder to another
day nor sends it twice):

- **session** (key ``session:<session>:<invitation>:day-before``): one reminder to
  each person invited who has not sent apologies, on the local day before the
  session. If that day was missed (the worker was down, or the session was planned
  late) it goes on the day itself, until the session starts. Nobody is reminded on
  the day their invitation (or a change notice) reached them: they have just had
  the details.
- **papers** (key ``papers:<session>``): to the session's contact person, once, from
  two local days before the papers deadline (``rules.deadline(starts_at,
  papers_days)``) until the session starts, while the papers are not sent.
- **actions**: to the action's owner, by their channel when they are a member
  (``owner_person``), otherwise by e-mail (``owner_email``): once when the action is
  due within two local days (key ``action:<action>:due``), and once when it is
  overdue (key ``action:<action>:overdue``), for up to four weeks after the due date.

Never twice, never lost. Each reminder is sent in its own transaction that first
inserts its ``SentReminder`` row (the key is unique) and only then sends:

- a second worker choosing the same reminder at the same moment cannot insert the
  key: on PostgreSQL its INSERT waits for the first transaction and then fails; on
  SQLite (``transaction_mode=IMMEDIATE``) its transaction cannot even begin until the
  first has committed. It gets an IntegrityError and skips the reminder;
- if sending raises, the transaction rolls back, the row with it, and the reminder
  is tried again on the next run; the others in the same run still go.

The one case left is a crash after the mail server accepted a message but before the
COMMIT: that reminder is sent again on the next run. Choosing the other way round
(commit, then send) would lose it instead, and a missed reminder does more harm to a
member than a repeated one.

Call ``send_due_reminders`` outside any transaction (from ``withus remind`` or the
task): inside one, the rows are not committed until the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from withus.people.models import OutgoingMessage, Person
from withus.people.notify import notify

from . import rules, selectors, services
from .models import Action, Invitation, MeetingStandards, SentReminder, Session

logger = logging.getLogger(__name__)

# Papers and actions are reminded about from this many local days before their date.
LEAD_DAYS = 2
# An action overdue for longer is for the coordinator to chase, not for an automatic e-mail
# (and a worker started after a long stop does not flood owners with old actions).
OVERDUE_FOR_UP_TO_DAYS = 28

SESSION, PAPERS, ACTION_DUE, ACTION_OVERDUE = "session", "papers", "action_due", "action_overdue"
KINDS = (SESSION, PAPERS, ACTION_DUE, ACTION_OVERDUE)

PAPERS_SUBJECT = gettext_lazy("Papers not sent yet: %(title)s")
ACTION_DUE_SUBJECT = gettext_lazy("An action is due on %(date)s: %(title)s")
ACTION_OVERDUE_SUBJECT = gettext_lazy("An action is overdue: %(title)s")


# ---- When: pure rules ---------------------------------------------------------------------------


def session_reminder_due(*, starts_at: datetime, invited_at: datetime | None, now: datetime) -> bool:
    """The day-before reminder: due on the local day before the session, or on the day before it starts
    if the day before was missed; never on the local day the person's invitation went out."""
    if invited_at is None or starts_at <= now:
        return False
    today = rules.local(now).date()
    days_ahead = (rules.local(starts_at).date() - today).days
    return days_ahead in (0, 1) and rules.local(invited_at).date() < today


def papers_reminder_due(
    *, starts_at: datetime, papers_days: int, papers_sent_at: datetime | None, now: datetime
) -> bool:
    """Papers not sent: due from LEAD_DAYS local days before the papers deadline until the session starts."""
    if papers_sent_at is not None or starts_at <= now:
        return False
    return rules.local(now).date() >= rules.deadline(starts_at, papers_days) - timedelta(days=LEAD_DAYS)


def action_reminder(*, due_on: date, done: bool, today: date) -> str | None:
    """Which reminder an action needs today: ``ACTION_DUE``, ``ACTION_OVERDUE`` or none."""
    if done:
        return None
    if today > due_on:
        return ACTION_OVERDUE if (today - due_on).days <= OVERDUE_FOR_UP_TO_DAYS else None
    if (due_on - today).days <= LEAD_DAYS:
        return ACTION_DUE
    return None


def session_key(session_pk: int, invitation_pk: int) -> str:
    return f"session:{session_pk}:{invitation_pk}:day-before"


def papers_key(session_pk: int) -> str:
    return f"papers:{session_pk}"


def action_key(action_pk: int, kind: str) -> str:
    return f"action:{action_pk}:{'overdue' if kind == ACTION_OVERDUE else 'due'}"


# ---- What is due now: reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One reminder to send. ``send`` runs inside the reminder's transaction, reads what it needs
    afresh and returns False when the reminder is no longer due (cancelled, apologies, done)."""

    kind: str
    key: str
    send: Callable[[], bool]


class NotSent(Exception):
    """A channel that reports failure instead of raising (``notify`` records a FAILED message)."""


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), rules.LONDON)


def _not_yet_sent(due: list[Due]) -> list[Due]:
    """Leave out reminders already recorded as sent: one query, so a run with nothing new does no writes.
    The unique key, not this check, is what stops two workers sending the same reminder."""
    sent = set(SentReminder.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True))
    return [d for d in due if d.key not in sent]


def due_session_reminders(now: datetime) -> list[Due]:
    until = _local_midnight(rules.local(now).date() + timedelta(days=2))
    invitations = (
        Invitation.objects.filter(session__starts_at__gt=now, session__starts_at__lt=until, sent_at__isnull=False)
        .exclude(session__status=Session.Status.CANCELLED)
        .exclude(reply=Invitation.Reply.APOLOGIES)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    return [
        Due(SESSION, session_key(i.session_id, i.pk), partial(_send_session_reminder, i.pk))
        for i in invitations
        if session_reminder_due(starts_at=i.session.starts_at, invited_at=i.sent_at, now=now)
    ]


def due_papers_reminders(now: datetime) -> list[Due]:
    longest = MeetingStandards.objects.aggregate(n=Max("papers_days"))["n"] or 0
    horizon = max(longest, rules.DEFAULT_THRESHOLDS.papers_days) + LEAD_DAYS + 1
    sessions = (
        Session.objects.filter(starts_at__gt=now, starts_at__lt=now + timedelta(days=horizon))
        .filter(papers_sent_at__isnull=True)
        .exclude(status__in=[Session.Status.CANCELLED, Session.Status.HELD])
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )
    thresholds: dict[int, rules.Thresholds] = {}
    due = []
    for session in sessions:
        if session.organisation_id not in thresholds:
            thresholds[session.organisation_id] = selectors.thresholds(session.organisation)
        days = thresholds[session.organisation_id].papers_days
        if papers_reminder_due(starts_at=session.starts_at, papers_days=days, papers_sent_at=None, now=now):
            due.append(Due(PAPERS, papers_key(session.pk), partial(_send_papers_reminder, session.pk, days, now)))
    return due


def due_action_reminders(now: datetime) -> list[Due]:
    today = rules.local(now).date()
    actions = (
        Action.objects.filter(done_at__isnull=True)
        .filter(due_on__lte=today + timedelta(days=LEAD_DAYS))
        .filter(due_on__gte=today - timedelta(days=OVERDUE_FOR_UP_TO_DAYS))
        .exclude(owner_person__isnull=True, owner_email="")
        .order_by("due_on", "pk")
    )
    due = []
    for action in actions:
        kind = action_reminder(due_on=action.due_on, done=False, today=today)
        if kind is not None:
            due.append(Due(kind, action_key(action.pk, kind), partial(_send_action_reminder, action.pk, kind)))
    return due


def due_reminders(now: datetime) -> list[Due]:
    """Every reminder due at ``now`` and not yet sent."""
    return _not_yet_sent(due_session_reminders(now) + due_papers_reminders(now) + due_action_reminders(now))


# ---- Sending ------------------------------------------------------------------------------------


def staff_language(email: str) -> str:
    """Staff have no language setting of their own; one who is also a member and asked for Welsh gets Welsh."""
    welsh = Person.objects.filter(user__email__iexact=email, prefers_welsh=True).exists() if email else False
    return "cy" if welsh else settings.LANGUAGE_CODE


def _send_session_reminder(invitation_pk: int) -> bool:
    invitation = (
        Invitation.objects.select_related(
            "person", "session", "session__organisation", "session__venue", "session__contact"
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .exclude(reply=Invitation.Reply.APOLOGIES)
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None:
        return False
    session = invitation.session
    # The calendar attachment carries the session's current SEQUENCE, so calendars do not take it for an
    # out-of-date copy of a session that has since changed.
    services._deliver(
        session=session, invitation=invitation, kind="reminder", sequence=services._next_sequence(session)
    )
    return True


def _send_papers_reminder(session_pk: int, papers_days: int, now: datetime) -> bool:
    session = (
        Session.objects.select_related("contact", "organisation")
        .filter(pk=session_pk, papers_sent_at__isnull=True)
        .exclude(status__in=[Session.Status.CANCELLED, Session.Status.HELD])
        .first()
    )
    if session is None:
        return False
    contact = session.contact
    deadline = rules.deadline(session.starts_at, papers_days)
    with translation.override(staff_language(contact.email)):
        subject = str(PAPERS_SUBJECT) % {"title": str(session)}
        body = render_to_string(
            "meetings/messages/reminder_papers.txt",
            {
                "session": session,
                "contact": contact,
                "deadline": deadline,
                "days": papers_days,
                "late": rules.local(now).date() > deadline,
                "site_url": settings.SITE_URL,
            },
        ).strip()
    send_mail(subject, body, None, [contact.email])
    return True


def _send_action_reminder(action_pk: int, kind: str) -> bool:
    action = (
        Action.objects.select_related("session", "session__organisation", "session__contact", "owner_person")
        .filter(pk=action_pk, done_at__isnull=True)
        .first()
    )
    if action is None:
        return False
    session = action.session
    overdue = kind == ACTION_OVERDUE
    context = {"action": action, "session": session, "overdue": overdue, "site_url": settings.SITE_URL}
    subject_of = ACTION_OVERDUE_SUBJECT if overdue else ACTION_DUE_SUBJECT
    person = action.owner_person
    if person is not None:
        with translation.override("cy" if person.prefers_welsh else "en"):
            subject = str(subject_of) % {"title": str(session), "date": action.due_on.strftime("%d/%m/%Y")}
        message = notify(
            person=person,
            subject=subject,
            template="meetings/messages/reminder_action.txt",
            context=context,
            organisation=session.organisation,
        )
        if message.status == OutgoingMessage.Status.FAILED:
            # notify() records a failed e-mail instead of raising; raising here rolls that record back
            # with the SentReminder row, so the reminder is tried again on the next run.
            raise NotSent(f"e-mail to person {person.pk} failed")
        return True
    with translation.override(staff_language(action.owner_email)):
        subject = str(subject_of) % {"title": str(session), "date": action.due_on.strftime("%d/%m/%Y")}
        body = render_to_string("meetings/messages/reminder_action.txt", {"person": None, **context}).strip()
    send_mail(subject, body, None, [action.owner_email])
    return True


def send_once(due: Due) -> str:
    """Send one reminder unless it has been sent: returns "sent", "already_sent" or "no_longer_due".

    The SentReminder row is inserted before sending, in the same transaction, so a second worker cannot
    send it too, and a failed send (which raises) rolls the row back so that the reminder is retried.
    """
    with transaction.atomic():
        try:
            # A savepoint of its own, so that only a clash on the key reads as "already sent": an
            # IntegrityError while sending is a failure, to be retried.
            with transaction.atomic():
                SentReminder.objects.create(key=due.key)
        except IntegrityError:
            return "already_sent"
        if not due.send():
            transaction.set_rollback(True)
            return "no_longer_due"
    return "sent"


def send_due_reminders(*, now: datetime) -> dict[str, int]:
    """Send every reminder due at ``now``, each at most once; returns how many of each kind were sent,
    and how many failed (those are tried again on the next run)."""
    counts = dict.fromkeys((*KINDS, "failed"), 0)
    for due in due_reminders(now):
        try:
            outcome = send_once(due)
        except Exception:
            logger.exception("Reminder %s could not be sent; it will be tried again on the next run", due.key)
            counts["failed"] += 1
            continue
        if outcome == "sent":
            counts[due.kind] += 1
    return counts
