"""Reads of the outbox: what an organisation still has to print and post, phone, or text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from withus.accounts.models import Organisation

from ..models import CallAttempt, OutgoingMessage, Person
from . import rules

Status = OutgoingMessage.Status
# What waits for a person at the organisation, by what they do about it.
WAITING = {"letters": Status.TO_PRINT, "calls": Status.TO_CALL, "texts": Status.TO_TEXT}
# Letters in one PDF: a morning's printing, and a file an old office computer opens.
LETTER_BATCH = 200


def waiting(organisation: Organisation, kind: str | None = None) -> QuerySet[OutgoingMessage]:
    """The organisation's messages still to print, phone or text (``kind``: letters, calls or texts), oldest first.

    Letters that a fuller batch of their own prints (``own_batch``: a session's letters, for example)
    are left out, so that nobody is posted the same thing twice.
    """
    statuses = [WAITING[kind]] if kind else list(WAITING.values())
    found = OutgoingMessage.objects.filter(organisation=organisation, status__in=statuses).exclude(
        status=Status.TO_PRINT, own_batch__gt=""
    )
    return found.select_related("person").order_by("created_at", "pk")


def letter_batch(organisation: Organisation, upto: int | None = None) -> list[int]:
    """The ids of the letters in the next batch: the oldest waiting, up to ``LETTER_BATCH``, none newer
    than ``upto`` (the last letter of the page that offered the batch, so the batch is what it said)."""
    letters = waiting(organisation, "letters")
    if upto is not None:
        letters = letters.filter(pk__lte=upto)
    return list(letters.values_list("pk", flat=True)[:LETTER_BATCH])


def counts(organisation: Organisation) -> dict[str, int]:
    """How many letters, calls and texts wait, in one query."""
    by_status = dict(
        waiting(organisation).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {kind: by_status.get(status, 0) for kind, status in WAITING.items()}


def waiting_message(organisation: Organisation, pk: int) -> OutgoingMessage:
    """One waiting message of the organisation's; another organisation's, or one done, is not found."""
    return waiting(organisation).get(pk=pk)


def done_lately(organisation: Organisation, limit: int = 20) -> QuerySet[OutgoingMessage]:
    """The messages most recently printed, phoned or texted, and by whom, newest first."""
    return (
        OutgoingMessage.objects.filter(organisation=organisation, status=Status.DONE, done_at__isnull=False)
        .select_related("person", "done_by")
        .order_by("-done_at", "-pk")[:limit]
    )


def attempts() -> Prefetch[Any]:
    """Read each message's call attempts, and who made them, with it: ``prefetch_related(attempts())``."""
    return Prefetch("call_attempts", queryset=CallAttempt.objects.select_related("by").order_by("at", "pk"))


def waiting_calls(organisation: Organisation) -> QuerySet[OutgoingMessage]:
    """The organisation's calls still to make, each with its attempts so far (and who made them) read with it."""
    return waiting(organisation, "calls").prefetch_related(attempts())


@dataclass
class CallToMake:
    """One person to phone, and everything waiting to be told them: one call covers all of it."""

    person: Person
    messages: list[OutgoingMessage]
    # The calls made so far, once each: a call about several messages is an attempt on each.
    attempts: list[CallAttempt]
    waiting_since: datetime
    try_after: datetime | None
    due: bool
    no_answers: int
    may_need_letter: bool

    @property
    def message_ids(self) -> list[int]:
        return [m.pk for m in self.messages]


def attempts_once(messages: list[OutgoingMessage]) -> list[CallAttempt]:
    """The attempts on these messages (prefetched), a call recorded for several of them counted once."""
    seen: dict[tuple[datetime, str, int | None], CallAttempt] = {}
    for message in messages:
        for attempt in message.call_attempts.all():
            seen.setdefault((attempt.at, attempt.outcome, attempt.by_id), attempt)
    return sorted(seen.values(), key=lambda a: (a.at, a.pk))


def call_list(organisation: Organisation, *, now: datetime | None = None) -> list[CallToMake]:
    """The organisation's call list: a row per person with all their waiting calls, in ``rules.call_order``.

    Two queries however many wait (the messages with their people, then the attempts).
    """
    now = now or timezone.now()
    by_person: dict[int, list[OutgoingMessage]] = {}
    for message in waiting_calls(organisation):
        by_person.setdefault(message.person_id, []).append(message)
    calls = []
    for messages in by_person.values():
        attempts = attempts_once(messages)
        after = rules.try_after(attempts)
        calls.append(
            CallToMake(
                person=messages[0].person,
                messages=messages,
                attempts=attempts,
                waiting_since=messages[0].created_at,
                try_after=after,
                due=rules.is_due(after, now),
                no_answers=rules.no_answers(attempts),
                may_need_letter=rules.may_need_letter(attempts),
            )
        )
    calls.sort(key=lambda c: rules.call_order(after=c.try_after, waiting_since=c.waiting_since, now=now))
    return calls


@dataclass(frozen=True)
class LetterSending:
    """Another way than printing to send the waiting letters: the form to post them to, and its words."""

    url_name: str
    button: str | Promise
    explanation: str | Promise


# Apps that send letters another way register a finder here: given the organisation, it answers how
# it sends them, or None to print them (``withus.channels`` registers GOV.UK Notify's letters).
LETTER_SENDERS: list[Callable[[Organisation], LetterSending | None]] = []


def letter_sending(organisation: Organisation) -> LetterSending | None:
    """How the organisation sends its waiting letters other than by printing them, if it does."""
    for finder in LETTER_SENDERS:
        found = finder(organisation)
        if found is not None:
            return found
    return None
