"""Who is offered a briefing or a meet-and-greet, and when one may be held: pure rules.

A member is *new* for a session when they have never attended a session with the
organisation before it, or began sharing their details with the organisation less than
``NEW_FOR_DAYS`` days before it starts: the guidance asks that new representatives get
more support, and both the first time and the first few months are when it matters.

Recorded needs ask for preparation too. Papers in easy read or audio mean the papers are
worth going through together first (a briefing); needing step-free access or a hearing
loop, or travelling with a companion, means being met on arrival helps (a meet-and-greet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

BRIEFING = "briefing"
MEET_AND_GREET = "meet_and_greet"
KINDS = (BRIEFING, MEET_AND_GREET)

# A member who began sharing their details less than this long before a session is new for it.
NEW_FOR_DAYS = 90
# A meet-and-greet is on arrival: no earlier than this before the session starts.
ARRIVAL_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class Needs:
    """The recorded needs that bear on preparation (from the person's profile)."""

    easy_read: bool = False
    audio: bool = False
    step_free: bool = False
    hearing_loop: bool = False
    companion: bool = False


def is_new_member(*, sessions_attended_before: int, joined_at: datetime | None, session_starts_at: datetime) -> bool:
    """New for this session: no session attended with the organisation before it, or joined recently."""
    if sessions_attended_before == 0:
        return True
    return joined_at is not None and session_starts_at - joined_at < timedelta(days=NEW_FOR_DAYS)


def needs_ask_for(kind: str, needs: Needs) -> bool:
    """Whether the person's recorded needs ask for this kind of preparation."""
    if kind == BRIEFING:
        return needs.easy_read or needs.audio
    if kind == MEET_AND_GREET:
        return needs.step_free or needs.hearing_loop or needs.companion
    raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def is_offered(kind: str, *, new_member: bool, needs: Needs) -> bool:
    """A briefing or meet-and-greet is offered to every new member and to anyone whose needs ask for it."""
    return new_member or needs_ask_for(kind, needs)


def timing_problem(kind: str, *, at: datetime, starts_at: datetime, ends_at: datetime) -> str | None:
    """What is wrong with holding this preparation at ``at``, or None.

    A briefing is before the session starts. A meet-and-greet is on arrival: in the two
    hours before the session starts, or as it starts.
    """
    if kind == BRIEFING:
        if at >= starts_at:
            return _("A briefing must be before the session starts.")
        return None
    if kind == MEET_AND_GREET:
        if at > starts_at:
            return _("A meet-and-greet must be no later than the session starts.")
        if at < starts_at - ARRIVAL_WINDOW:
            return _("A meet-and-greet is on arrival: no more than two hours before the session starts.")
        return None
    raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
