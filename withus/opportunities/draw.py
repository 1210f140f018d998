"""The fair draw: a recorded, reproducible lottery for places on an opportunity.

PRODUCT.md §C2 "Fairness": when more people want an opportunity's places than
there are, a coordinator can draw them by a lottery that

- is reproducible: the same seed and the same candidates give the same result,
  whatever order the candidates are passed in (they are sorted by id first);
- can be stratified by perspective (service user, carer, or both as a value of
  its own), area, and membership of a group the organisation marks as
  under-represented, so each stratum gets places in proportion to its share of
  the candidates;
- is weighted towards people who have had fewer places in the last 12 months:
  weight = 1 / (1 + previous places).

How it works
------------
1. Candidates are sorted by id. A ``random.Random(seed)`` gives each one, in that
   order, a number ``u`` in [0, 1). Only ``Random.random()`` is used: Python
   promises it keeps producing the same sequence for the same seed across
   versions, so a draw recorded today can be re-run on a later Python.
2. Each candidate's key is ``u ** (1 / weight)`` (Efraimidis and Spirakis,
   "Weighted random sampling with a reservoir", 2006); sorting by key, highest
   first, is weighted sampling without replacement and defines a whole order,
   not just the winners. We compare ``log(u) / weight`` instead, which sorts the
   same way (log is increasing) but does not underflow to a tie at 0.0 when
   someone has had many places. Equal keys (practically impossible) fall back to
   the lower application id first.
3. Not stratified: the first ``places`` people in that order are selected.
   Stratified: quotas per stratum are worked out by the largest-remainder
   method (see ``quotas_for``), then we walk the same order and take each person
   whose stratum has not yet filled its quota.
4. Leftover places: if a stratum could not fill its quota, its unfilled places go
   to the remaining people in the same weighted order, whatever their stratum.
   With proportional quotas this cannot happen (a quota is never more than the
   stratum's size when there are no more places than people), but the rule is
   written down and kept so that the number of places is always honoured.
5. The waiting list is everyone not selected, in the same weighted order. Within
   any one stratum that is also the stratum's own order, so a coordinator who
   wants to keep the balance when a place frees up can offer it to the first
   person on the list from the same stratum.

To re-run a draw later you need the seed, the places, ``strata_by`` and the
candidates *as they were at the draw* (previous places change over time), so
store those with ``DrawResult.as_dict()``. ``check`` re-runs a recorded draw
through ``draw`` itself and says whether the recorded result matches, or exactly
what differs. Candidates are sorted by id before anything is drawn, so the order
they were recorded in does not matter; each one's weight comes from its recorded
previous places.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Recorded with each draw so that a change to the method can never silently
# reinterpret an old seed.
METHOD = "efraimidis-spirakis/largest-remainder/1"

# The order here is the order of the parts of a stratum key, whatever order the
# coordinator chose them in, so that the same choice always gives the same keys.
STRATA: tuple[str, ...] = ("perspective", "area", "under_represented")
PERSPECTIVES: tuple[str, ...] = ("service_user", "carer", "both")
STRATA_LABELS = {
    "perspective": gettext_lazy("Service users and carers"),
    "area": gettext_lazy("Each area"),
    "under_represented": gettext_lazy("People from groups we mark as under-represented"),
}
UNSTRATIFIED = "all"


class DrawError(ValueError):
    """A draw that cannot be made; the message is for the coordinator, the code for the API."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Candidate:
    id: int  # application id
    perspective: str  # "service_user" | "carer" | "both"
    area: str = ""
    under_represented: bool = False
    previous_places: int = 0  # places had in the last 12 months


@dataclass(frozen=True)
class DrawResult:
    seed: str
    places: int
    strata_by: tuple[str, ...]  # subset of STRATA, in STRATA's order
    quotas: dict[str, int]  # stratum key -> quota ("all" when not stratified)
    selected: tuple[int, ...]  # candidate ids, in draw order
    waiting_list: tuple[int, ...]  # the rest, in order

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe record of the draw, to store with it."""
        return {
            "method": METHOD,
            "seed": self.seed,
            "places": self.places,
            "strata_by": list(self.strata_by),
            "quotas": dict(self.quotas),
            "selected": list(self.selected),
            "waiting_list": list(self.waiting_list),
        }


def new_seed() -> str:
    """A fresh random seed to record with a draw (16 hex characters)."""
    return secrets.token_hex(8)


def _normalise_strata(strata_by: Iterable[str]) -> tuple[str, ...]:
    chosen = list(strata_by)
    unknown = sorted({name for name in chosen if name not in STRATA})
    if unknown:
        raise DrawError(
            _(
                "The draw cannot be grouped by %(names)s. "
                "It can be grouped by perspective, area and under-represented groups."
            )
            % {"names": ", ".join(unknown)},
            code="unknown_strata",
        )
    return tuple(name for name in STRATA if name in chosen)


def stratum_key(candidate: Candidate, strata_by: Sequence[str]) -> str:
    """The stratum a candidate belongs to, e.g. ``"perspective=carer|area=North"``; ``"all"`` when not stratified.

    Parts always come in the order of ``STRATA``. The perspective is one of three
    fixed words and the under-represented part is ``yes`` or ``no``, so two
    different strata can never share a key, whatever an area is called.
    """
    parts: list[str] = []
    for name in _normalise_strata(strata_by):
        if name == "perspective":
            parts.append(f"perspective={candidate.perspective}")
        elif name == "area":
            parts.append(f"area={candidate.area}")
        else:
            parts.append(f"under_represented={'yes' if candidate.under_represented else 'no'}")
    return "|".join(parts) if parts else UNSTRATIFIED


def _check(candidates: Sequence[Candidate], places: int) -> None:
    if places < 1:
        raise DrawError(_("There must be at least one place to draw."), code="no_places")
    if places > len(candidates):
        raise DrawError(
            _("There are more places than people in the draw: offer everyone a place instead."),
            code="more_places_than_people",
        )
    duplicates = sorted(id_ for id_, n in Counter(c.id for c in candidates).items() if n > 1)
    if duplicates:
        raise DrawError(
            _("The same application is in the draw more than once: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in duplicates)},
            code="duplicate_candidates",
        )
    for c in candidates:
        if c.previous_places < 0:
            raise DrawError(
                _("Application %(id)s has a negative number of previous places.") % {"id": c.id},
                code="negative_previous_places",
            )
        if c.perspective not in PERSPECTIVES:
            raise DrawError(
                _("Application %(id)s has no recognised perspective (service user, carer or both).") % {"id": c.id},
                code="unknown_perspective",
            )


def quotas_for(candidates: Sequence[Candidate], places: int, strata_by: Sequence[str]) -> dict[str, int]:
    """Places per stratum, proportional to its share of candidates, summing exactly to ``places``.

    Largest-remainder (Hamilton) method: each stratum first gets the whole part
    of ``places * size / total``; the places left over go one each to the strata
    with the largest fractional parts. Ties between equal fractional parts go
    first to a stratum of people the organisation marks as under-represented (the
    reason to stratify by it at all), then to the stratum whose key sorts first, so
    the result never depends on chance or on input order. Worked in integers, so
    there is no floating-point rounding.
    """
    _check(candidates, places)
    strata = _normalise_strata(strata_by)
    sizes = Counter(stratum_key(c, strata) for c in candidates)
    total = len(candidates)
    quotas = {key: places * size // total for key, size in sizes.items()}
    # Every fractional part has the same denominator (total), so compare numerators.
    remainders = {key: places * size % total for key, size in sizes.items()}
    leftover = places - sum(quotas.values())
    for key in sorted(sizes, key=lambda k: (-remainders[k], "under_represented=yes" not in k, k))[:leftover]:
        quotas[key] += 1
    return dict(sorted(quotas.items()))


def _weighted_order(candidates: Sequence[Candidate], seed: str) -> list[Candidate]:
    """Everyone in Efraimidis-Spirakis order: highest key first."""
    rng = random.Random(seed)  # noqa: S311 - a fair, reproducible lottery, not a secret
    keyed: list[tuple[float, int, Candidate]] = []
    for c in sorted(candidates, key=lambda c: c.id):
        u = rng.random()
        # weight = 1 / (1 + previous_places), so log(u ** (1 / weight)) = log(u) * (1 + previous_places).
        key = math.log(u) * (1 + c.previous_places) if u > 0 else -math.inf
        keyed.append((key, c.id, c))
    keyed.sort(key=lambda item: (-item[0], item[1]))
    return [c for _key, _id, c in keyed]


def _fill(
    order: Sequence[Candidate], places: int, quotas: dict[str, int], key_of: Callable[[Candidate], str]
) -> list[Candidate]:
    """Take people in order while their stratum has room; then, if places remain, the next people in order."""
    taken: Counter[str] = Counter()
    selected: list[Candidate] = []
    for c in order:
        if len(selected) == places:
            break
        key = key_of(c)
        if taken[key] < quotas.get(key, 0):
            taken[key] += 1
            selected.append(c)
    if len(selected) < places:
        chosen = {c.id for c in selected}
        selected.extend([c for c in order if c.id not in chosen][: places - len(selected)])
    return selected


def draw(candidates: Sequence[Candidate], places: int, *, seed: str, strata_by: Sequence[str] = ()) -> DrawResult:
    """Draw ``places`` people from ``candidates`` fairly and reproducibly; see the module docstring.

    Raises ``DrawError`` when there are no places, more places than people,
    the same application twice, an unknown stratum name or perspective, or a
    negative number of previous places.
    """
    strata = _normalise_strata(strata_by)
    quotas = quotas_for(candidates, places, strata)
    order = _weighted_order(candidates, seed)
    selected = _fill(order, places, quotas, lambda c: stratum_key(c, strata))
    chosen = {c.id for c in selected}
    return DrawResult(
        seed=seed,
        places=places,
        strata_by=strata,
        quotas=quotas,
        selected=tuple(c.id for c in selected),
        waiting_list=tuple(c.id for c in order if c.id not in chosen),
    )


# ---- Checking a recorded draw ------------------------------------------------------------

# The parts of a recorded result a check compares, in the order differences are told.
CHECKED_PARTS: tuple[str, ...] = ("method", "seed", "places", "strata_by", "quotas", "selected", "waiting_list")
PART_LABELS = {
    "method": gettext_lazy("The way of drawing"),
    "seed": gettext_lazy("The seed"),
    "places": gettext_lazy("The number of places"),
    "strata_by": gettext_lazy("Fair shares kept for"),
    "quotas": gettext_lazy("Places for each group"),
    "selected": gettext_lazy("The people drawn, in draw order"),
    "waiting_list": gettext_lazy("The waiting list, in order"),
}
_CANDIDATE_TYPES: dict[str, type] = {
    "id": int,
    "perspective": str,
    "area": str,
    "under_represented": bool,
    "previous_places": int,
}


@dataclass(frozen=True)
class Difference:
    """One part of a recorded result that re-running the draw does not give."""

    part: str  # one of CHECKED_PARTS
    recorded: Any
    recomputed: Any

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.part])


@dataclass(frozen=True)
class DrawCheck:
    """What re-running a recorded draw found.

    ``checkable`` is False when the record does not hold what a re-run needs (``code`` and
    ``reason`` say what is missing); otherwise the draw matches when nothing differs.
    """

    checkable: bool
    differences: tuple[Difference, ...] = ()
    code: str = ""  # "" | "inputs_incomplete" | "inputs_invalid" | "method_changed"
    reason: str = ""
    rerun: DrawResult | None = None

    @property
    def matches(self) -> bool:
        return self.checkable and not self.differences

    @property
    def outcome(self) -> str:
        """A fixed word for the API and scripts: matches, differs, or why it cannot be checked."""
        if not self.checkable:
            return self.code
        return "differs" if self.differences else "matches"

    @property
    def summary(self) -> str:
        """The outcome in a sentence, for the API and the command line."""
        if not self.checkable:
            return _("This draw cannot be checked. %(reason)s") % {"reason": self.reason}
        if not self.differences:
            return _(
                "The result matches: drawing again with the recorded seed over the recorded people gives the same "
                "people, in the same order, and the same waiting list."
            )
        return _("The result does not match. What differs: %(parts)s.") % {
            "parts": ", ".join(d.label for d in self.differences)
        }


def _recorded_candidates(inputs: Mapping[str, Any]) -> tuple[list[Candidate], list[str]]:
    """The candidates and strata of a recorded draw, as they were at the draw; ``DrawError`` if they are not all there.

    Every field of every candidate must have been recorded: filling a missing one with
    its default would re-run a different draw and call it the same.
    """
    if not isinstance(inputs, Mapping) or not isinstance(inputs.get("candidates"), list):
        raise DrawError(
            _("The people in this draw were not recorded, so it cannot be re-run."), code="inputs_incomplete"
        )
    strata_by = inputs.get("strata_by", None)
    if not isinstance(strata_by, list) or not all(isinstance(name, str) for name in strata_by):
        raise DrawError(
            _("Which fair shares this draw kept was not recorded, so it cannot be re-run."), code="inputs_incomplete"
        )
    names = [f.name for f in fields(Candidate)]
    candidates: list[Candidate] = []
    for recorded in inputs["candidates"]:
        if not isinstance(recorded, Mapping):
            raise DrawError(_("A person in this draw was not recorded in full."), code="inputs_incomplete")
        missing = [name for name in names if name not in recorded]
        if missing:
            raise DrawError(
                _("This draw was recorded without %(missing)s for each person, so it cannot be re-run.")
                % {"missing": ", ".join(missing)},
                code="inputs_incomplete",
            )
        for name in names:
            kind = _CANDIDATE_TYPES[name]
            value = recorded[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise DrawError(
                    _("A person in this draw has a recorded %(name)s that cannot be used.") % {"name": name},
                    code="inputs_invalid",
                )
        candidates.append(Candidate(**{name: recorded[name] for name in names}))
    return candidates, strata_by


def check(*, seed: str, places: int, inputs: Mapping[str, Any], result: Mapping[str, Any]) -> DrawCheck:
    """Re-run a recorded draw with its recorded seed over its recorded inputs, and compare the results.

    The re-run is ``draw`` itself, so a check can never disagree with how draws are made.
    A draw recorded by another ``METHOD`` is not re-run by this one: it says so instead.
    """
    recorded_method = result.get("method") if isinstance(result, Mapping) else None
    if recorded_method != METHOD:
        return DrawCheck(
            checkable=False,
            code="method_changed",
            reason=_(
                "This draw was recorded with a different way of drawing (%(method)s) from the one WithUs uses now "
                "(%(current)s), so it cannot be checked by re-running it."
            )
            % {"method": recorded_method or _("none recorded"), "current": METHOD},
        )
    try:
        candidates, strata_by = _recorded_candidates(inputs)
        rerun = draw(candidates, places, seed=seed, strata_by=strata_by)
    except DrawError as error:
        if error.code in ("inputs_incomplete", "inputs_invalid"):
            return DrawCheck(checkable=False, code=error.code, reason=error.message)
        return DrawCheck(
            checkable=False,
            code="inputs_invalid",
            reason=_("The recorded inputs cannot be drawn again: %(problem)s") % {"problem": error.message},
        )
    recomputed = rerun.as_dict()
    differences = tuple(
        Difference(part=part, recorded=result.get(part), recomputed=recomputed[part])
        for part in CHECKED_PARTS
        if result.get(part) != recomputed[part]
    )
    return DrawCheck(checkable=True, differences=differences, rerun=rerun)
