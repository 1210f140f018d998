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
store those with ``DrawResult.as_dict()``.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

# Recorded with each draw so that a change to the method can never silently
# reinterpret an old seed.
METHOD = "efraimidis-spirakis/largest-remainder/1"

# The order here is the order of the parts of a stratum key, whatever order the
# coordinator chose them in, so that the same choice always gives the same keys.
STRATA: tuple[str, ...] = ("perspective", "area", "under_represented")
PERSPECTIVES: tuple[str, ...] = ("service_user", "carer", "both")
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
