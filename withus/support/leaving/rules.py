"""What makes an offer to someone leaving sensible, as pure functions."""

from __future__ import annotations

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MENTOR = "mentor"
SEAT_ROLES = ("deputy", "alternate")
# The seat each step-down role on a group is, in groups' words: an alternate sits in reserve.
SEAT_OF = {"deputy": "deputy", "alternate": "reserve"}


def offer_problems(
    *,
    step_down: str,
    person_id: int,
    served_from: date | None,
    served_until: date | None,
    today: date,
    new_member_id: int | None = None,
    review_on: date | None = None,
    group_id: int | None = None,
    term_start: date | None = None,
    planned_end: date | None = None,
) -> dict[str, Promise]:
    """What is wrong with an offer, by field; empty when nothing is.

    The thanks needs the dates of the role served, in order and begun by today. A mentor needs
    a new member who is someone else and a review date after today; a deputy or an alternate
    needs the group and the seat's term (whose order ``groups.rules`` checks, as for any seat).
    """
    problems: dict[str, Promise] = {}
    if served_from is None:
        problems["served_from"] = _("Enter when they started in the role.")
    elif served_from > today:
        problems["served_from"] = _("The role must have started by today.")
    if served_until is None:
        problems["served_until"] = _("Enter when their time in the role ended or ends.")
    elif served_from is not None and served_until < served_from:
        problems["served_until"] = _("The end of their time in the role must be on or after its start.")
    if step_down == MENTOR:
        if new_member_id is None:
            problems["new_member"] = _("Choose the new member they would mentor.")
        elif new_member_id == person_id:
            problems["new_member"] = _("Choose someone else: nobody mentors themself.")
        if review_on is None:
            problems["review_on"] = _("Enter when to review how the mentoring is going.")
        elif review_on <= today:
            problems["review_on"] = _("The review date must be after today.")
    if step_down in SEAT_ROLES:
        if group_id is None:
            problems["group"] = _("Choose the group of the seat.")
        if term_start is None:
            problems["term_start"] = _("Enter when the term starts.")
        if planned_end is None:
            problems["planned_end"] = _("Enter when the term is planned to end.")
    return problems


def answer_refusal(*, waiting: bool) -> Promise | None:
    if not waiting:
        return _("This offer has already been answered.")
    return None
