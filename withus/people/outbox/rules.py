"""The call list's rules, as pure functions: which outcomes finish a call, when one may need a letter
instead, and the order the coordinator works through the list. The page, the API and ``withus outbox``
all take them from here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from ..models import CallAttempt

Outcome = CallAttempt.Outcome

# Reached them, or left a message with what to tell them: the message has been given.
FINISHING = frozenset({Outcome.REACHED, Outcome.LEFT_MESSAGE})
# After this many calls nobody answered, the person may be better told by letter.
NO_ANSWERS_BEFORE_LETTER = 3


class Attempt(Protocol):
    @property
    def outcome(self) -> str: ...
    @property
    def try_after(self) -> datetime | None: ...
    @property
    def at(self) -> datetime: ...


def finishes(outcome: str) -> bool:
    """Whether a call with this outcome is done: reached, or a message left. No answer and
    "try again later" leave it on the list."""
    return outcome in FINISHING


def no_answers(attempts: Sequence[Attempt]) -> int:
    """How many of the attempts nobody answered."""
    return sum(1 for a in attempts if a.outcome == Outcome.NO_ANSWER)


def may_need_letter(attempts: Sequence[Attempt]) -> bool:
    """After ``NO_ANSWERS_BEFORE_LETTER`` unanswered calls, the coordinator is told a letter may reach them."""
    return no_answers(attempts) >= NO_ANSWERS_BEFORE_LETTER


def try_after(attempts: Sequence[Attempt]) -> datetime | None:
    """When to call again: the time asked for by the latest attempt, if it was "try again later"."""
    if not attempts:
        return None
    latest = max(attempts, key=lambda a: a.at)
    return latest.try_after if latest.outcome == Outcome.TRY_AGAIN else None


def is_due(after: datetime | None, now: datetime) -> bool:
    """Whether a call may be made now: no "try after" time, or it has passed."""
    return after is None or after <= now


def call_order(*, after: datetime | None, waiting_since: datetime, now: datetime) -> tuple[int, datetime, datetime]:
    """The list's order: calls due now first, the longest waiting first; then those to try later,
    the soonest first."""
    if is_due(after, now):
        return (0, waiting_since, waiting_since)
    assert after is not None
    return (1, after, waiting_since)
