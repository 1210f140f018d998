"""Rules of the engagement pathway, responding and selection, as pure functions.

The built-in defaults follow the Engagement Pathway (001 appendix 2) and the reward
guidance (001 §How is payment amount decided): receiving information and open
consultations carry no fee; taking part in activity is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Application, ApplicationProcess, Level


@dataclass(frozen=True)
class PathwayDefault:
    level: int
    time_commitment: str
    application_process: str
    reward: str

    @property
    def process_label(self) -> str:
        return str(ApplicationProcess(self.application_process).label)


BUILT_IN_DEFAULTS: dict[int, PathwayDefault] = {
    Level.INFORMED: PathwayDefault(
        Level.INFORMED,
        str(gettext_lazy("None specified")),
        ApplicationProcess.NONE,
        str(gettext_lazy("No fee: receiving information")),
    ),
    Level.CONSULTED: PathwayDefault(
        Level.CONSULTED,
        str(gettext_lazy("None specified")),
        ApplicationProcess.NONE,
        str(gettext_lazy("No fee: open consultation")),
    ),
    Level.ENGAGED: PathwayDefault(
        Level.ENGAGED,
        str(gettext_lazy("A one-off activity, usually one day or less")),
        ApplicationProcess.NONE,
        str(gettext_lazy("A fee for your time, and expenses")),
    ),
    Level.INFLUENCING: PathwayDefault(
        Level.INFLUENCING,
        str(gettext_lazy("A one-off activity, usually one day or less")),
        ApplicationProcess.EXPRESSION_OF_INTEREST,
        str(gettext_lazy("A fee for your time, and expenses")),
    ),
    Level.CO_PRODUCING: PathwayDefault(
        Level.CO_PRODUCING,
        str(gettext_lazy("Regular meetings, attended as required")),
        ApplicationProcess.EXPRESSION_OF_INTEREST,
        str(gettext_lazy("A fee for your time, including preparation, and expenses")),
    ),
    Level.LEADING: PathwayDefault(
        Level.LEADING,
        str(gettext_lazy("Regular meetings, attended as required")),
        ApplicationProcess.APPLICATION_FORM,
        str(gettext_lazy("A fee for your time, including preparation, and expenses")),
    ),
}


def built_in_default(level: int) -> PathwayDefault:
    """The guidance's default for a level, in the active language."""
    d = BUILT_IN_DEFAULTS[Level(level)]
    # Re-translate at call time: the table is built once, the language changes per request.
    return PathwayDefault(d.level, _(d.time_commitment), d.application_process, _(d.reward))


def pathway_default(level: int, overrides: dict[int, PathwayDefault] | None = None) -> PathwayDefault:
    """The organisation's default for ``level`` where it set one, else the built-in default."""
    if overrides and level in overrides:
        return overrides[level]
    return built_in_default(level)


def closing_date_problem(closes_on: date | None, *, today: date) -> str | None:
    if closes_on is not None and closes_on < today:
        return _("The closing date must be today or later.")
    return None


def dates_problem(starts_on: date | None, ends_on: date | None) -> str | None:
    if starts_on and ends_on and ends_on < starts_on:
        return _("The end date must be on or after the start date.")
    return None


def venue_problem(location: str | None, venue: str | None) -> str | None:
    """People judge the journey from the venue, so an in-person opportunity must say where."""
    if location in ("in_person", "both") and not (venue or "").strip():
        return _("Say where it happens, so people can judge the journey.")
    return None


def places_problem(places: int | None) -> str | None:
    if places is None or places < 1:
        return _("An opportunity needs at least one place.")
    return None


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""


def can_respond(
    *, status: str, closes_on: date | None, today: date, already_responded: bool, person_status: str
) -> Eligibility:
    """Whether a person may respond to an opportunity now, and if not, why (in plain words)."""
    if status != "published":
        return Eligibility(False, _("This opportunity is not open."))
    if closes_on is not None and closes_on < today:
        return Eligibility(False, _("This opportunity closed on %(date)s.") % {"date": closes_on.strftime("%d/%m/%Y")})
    if already_responded:
        return Eligibility(False, _("You have already responded to this opportunity."))
    if person_status == "left":
        return Eligibility(False, _("Come back to WithUs from 'My details' to respond."))
    return Eligibility(True)


def reference_problem(*, name: str, email: str, phone: str) -> str | None:
    """A reference is only useful if the referee can be reached."""
    if name and not (email or phone):
        return _("Give an e-mail address or a phone number for %(name)s.") % {"name": name}
    return None


# Moves a coordinator may make between application states.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"shortlisted", "selected", "not_selected", "waiting_list", "withdrawn"}),
    "shortlisted": frozenset({"selected", "not_selected", "waiting_list", "withdrawn", "received"}),
    "waiting_list": frozenset({"selected", "not_selected", "withdrawn"}),
    "selected": frozenset({"withdrawn", "waiting_list", "not_selected"}),
    "not_selected": frozenset({"shortlisted", "waiting_list", "selected"}),
    "withdrawn": frozenset(),
    "draft": frozenset({"withdrawn"}),
}


def transition_problem(current: str, new: str, *, reason: str) -> str | None:
    if new not in TRANSITIONS.get(current, frozenset()):
        labels = dict(Application.Status.choices)
        return _("An application cannot move from “%(current)s” to “%(new)s”.") % {
            "current": labels.get(current, current),
            "new": labels.get(new, new),
        }
    if new in ("not_selected", "withdrawn") and not reason.strip():
        return _("Give a reason: the person can ask to see it.")
    return None


def selection_problem(*, selected: int, places: int) -> str | None:
    """No more people are selected than the opportunity has places: the rest go on the waiting list.

    Everyone selected is told they were chosen, so a place given beyond the places is a
    promise that cannot be kept (C3).
    """
    if selected >= places:
        return ngettext(
            "The one place is filled. Put them on the waiting list, or free the place first.",
            "All %(places)d places are filled. Put them on the waiting list, or free a place first.",
            places,
        ) % {"places": places}
    return None


def level_change_problem(*, old_level: int, new_level: int, responses: int, reason: str) -> str | None:
    """Changing a published opportunity's level after people responded needs a recorded reason."""
    if old_level != new_level and responses > 0 and not reason.strip():
        return _("People have already responded. Give a reason for changing the level: they will be told.")
    return None


@dataclass(frozen=True)
class ProfileForMatching:
    interest_tag_ids: frozenset[int]
    local_authority: str
    speaks_english: bool
    available_weekdays: bool
    available_evenings: bool
    available_weekends: bool


@dataclass(frozen=True)
class OpportunityForMatching:
    tag_ids: frozenset[int]
    local_authority: str
    online: bool
    has_welsh_text: bool
    starts_on: date | None


def fits(person: ProfileForMatching, opportunity: OpportunityForMatching) -> bool:
    """Whether an opportunity fits a person's interests, area, languages and availability.

    Generous on purpose: missing information never rules an opportunity out.
    """
    if opportunity.tag_ids and person.interest_tag_ids and not (opportunity.tag_ids & person.interest_tag_ids):
        return False
    if (
        opportunity.local_authority
        and not opportunity.online
        and person.local_authority
        and person.local_authority != opportunity.local_authority
    ):
        return False
    if not person.speaks_english and not opportunity.has_welsh_text:
        return False
    if opportunity.starts_on is not None and (person.available_weekdays or person.available_weekends):
        weekend = opportunity.starts_on.weekday() >= 5
        if weekend and not person.available_weekends:
            return False
        if not weekend and not (person.available_weekdays or person.available_evenings):
            return False
    return True


def due_for_alert(*, frequency: str, last_sent: date | None, today: date) -> bool:
    """Weekly alerts go at most once in seven days; 'each' goes every run; 'never' never."""
    if frequency == "never":
        return False
    if frequency == "each" or last_sent is None:
        return True
    return (today - last_sent).days >= 7
