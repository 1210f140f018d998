"""What makes a seat's term sensible, as pure functions (001 §Terms of office)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _


def appointment_problems(
    *, person_id: int, term_start: date, planned_end: date, review_on: date | None, deputy_id: int | None
) -> dict[str, str]:
    """What is wrong with a seat's term and deputy, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    if planned_end <= term_start:
        problems["planned_end"] = _("The term must end after it starts.")
    if review_on and not term_start <= review_on <= planned_end:
        problems["review_on"] = _("The review date must fall within the term.")
    if deputy_id is not None and deputy_id == person_id:
        problems["deputy"] = _("A person cannot be their own deputy.")
    return problems


def end_problem(*, term_start: date, ended_on: date) -> str | None:
    if ended_on < term_start:
        return _("The end date cannot be before the term started.")
    return None


# ---- Ballots (002 §2: "an anonymous, open-to-scrutiny voting system") -------------------------------

# Below this many people on the roll, a result can show how each person voted (everyone but one
# chose the same, or the count is small enough to guess): the ballot warns before it opens.
SECRECY_THRESHOLD = 5

# Receipts are read aloud and copied from paper: no 0/O, 1/I/L or U (Crockford's base 32).
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 16  # 80 random bits


def format_receipt(raw: str) -> str:
    """A receipt as it is printed and shown: four groups of four characters."""
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_receipt(typed: str) -> str:
    """A receipt as typed (any case, spaces or dashes, O for 0, I or L for 1) in its one stored form."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    return text.translate(str.maketrans("OIL", "011"))


def receipt_hash(*, ballot_id: int, receipt: str) -> str:
    """The hash stored in the ballot box and published: SHA-256 of the ballot and the normalised receipt."""
    return hashlib.sha256(f"withus-ballot:{ballot_id}:{normalise_receipt(receipt)}".encode()).hexdigest()


def count_votes(choices: Iterable[int], options: Sequence[int]) -> dict[int, int]:
    """How many ballots chose each option, every option listed (with 0 when nobody chose it).

    The same count the ballot's page shows is the one anyone can make from the published
    list. A choice that is not one of the options is an error, never silently dropped.
    """
    tally = dict.fromkeys(options, 0)
    for choice in choices:
        if choice not in tally:
            raise ValueError(f"{choice} is not one of this ballot's options")
        tally[choice] += 1
    return tally


def secrecy_warning(*, eligible: int) -> str | None:
    """The warning a ballot gives before it opens in a group so small the result would reveal votes."""
    if eligible < SECRECY_THRESHOLD:
        return _(
            "Only %(count)s people can vote. With fewer than %(threshold)s, the result may show how each "
            "person voted. Open it only if the group has agreed to this."
        ) % {"count": eligible, "threshold": SECRECY_THRESHOLD}
    return None


def ballot_problems(
    *,
    question: str,
    options: Sequence[str],
    first_observer_id: int | None,
    second_observer_id: int | None,
    roll_ids: Iterable[int],
) -> dict[str, str]:
    """What is wrong with a ballot before it can be saved, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    if not question.strip():
        problems["question"] = _("Write the question the group is voting on.")
    labels = [o.strip() for o in options if o.strip()]
    if len(labels) < 2:
        problems["options"] = _("Give at least two choices, one on each line.")
    elif len(set(labels)) != len(labels):
        problems["options"] = _("Each choice must be different.")
    roll = set(roll_ids)
    if first_observer_id is None:
        problems["first_observer"] = _("Choose the first observer.")
    elif first_observer_id not in roll:
        problems["first_observer"] = _("The observers must be members of the group.")
    if second_observer_id is None:
        problems["second_observer"] = _("Choose the second observer.")
    elif second_observer_id not in roll:
        problems["second_observer"] = _("The observers must be members of the group.")
    elif second_observer_id == first_observer_id:
        problems["second_observer"] = _("Choose two different people as observers.")
    return problems


# ---- The structure of representation (001 appendix 3) -------------------------------------------------


def speaks_for_problem(*, seat_group_id: int, speaks_for_id: int, links: Iterable[tuple[int, int]]) -> str | None:
    """Why a seat on one group cannot represent another: itself, or a loop in the structure.

    ``links`` are the (group spoken for, group the seat is on) pairs that exist already.
    A local group sends representatives up to boards and boards to forums; a forum that
    ends up representing a group below it would make the structure a loop.
    """
    if seat_group_id == speaks_for_id:
        return _("A seat cannot represent the group it is on.")
    above: dict[int, set[int]] = {}
    for lower, upper in links:
        above.setdefault(lower, set()).add(upper)
    # The new link is lower=speaks_for -> upper=seat_group: a loop if speaks_for is reachable above seat_group.
    seen, stack = set(), [seat_group_id]
    while stack:
        current = stack.pop()
        if current == speaks_for_id:
            return _("That would make a loop: this group already sends representatives, directly or not, to it.")
        if current not in seen:
            seen.add(current)
            stack.extend(above.get(current, ()))
    return None


def view_problems(*, text: str) -> dict[str, str]:
    if not text.strip():
        return {"text": _("Write your view for your representative.")}
    return {}


def marking_problems(*, raised: bool | None, outcome: str) -> dict[str, str]:
    if raised is None:
        return {"raised": _("Say whether you raised it.")}
    if raised and not outcome.strip():
        return {"outcome": _("Say what came of it, even if the answer was to wait.")}
    return {}
