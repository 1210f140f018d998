"""What a fee is for, in words, worked out when it is read (PRODUCT C5, §4).

A fee keeps what was offered as data (``IncomeLine.terms``), not as a sentence written
once in whoever's language the server had at the time: the member reads it in Welsh,
the coordinator in English, and after the member takes part for fewer hours or asks
for a lower fee it says what is offered now. Dates are written the UK way (11 June 2025).

``terms`` may hold:

- ``"fee"``: a fee for an attendance, with everything its lines are worked out from
  (``fee_terms``): the session's title in both languages, the day, the rate card's
  figures, the role, whether the view is representative, the travel time and the
  minutes taken part. The lines are worked out again from these by ``rules.fee_for``.
- ``"change"``: what the member changed (``"fewer_hours"`` or ``"lower_fee"``) and what
  was first offered (``offered_amount``, ``offered_hours``).

A line without terms (an expense, a fee offered by hand and accepted as it was) is
described by what was typed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import rules

LINE_LABELS = {
    "meeting": gettext_lazy("meeting time"),
    "preparation": gettext_lazy("preparation"),
    "travel": gettext_lazy("travel time"),
    "chairing": gettext_lazy("chairing uplift"),
}
UK_DATE = "j F Y"


class Described(Protocol):
    """What a description is made from: an ``IncomeLine``."""

    description: str
    terms: Any
    amount: Decimal
    hours: Decimal


def hours_text(hours: Decimal) -> str:
    """Hours without trailing zeros: 2, 1.5, 20 (never 2E+1)."""
    text = f"{hours.quantize(rules.PENNY):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def hours_count(hours: Decimal) -> int:
    """The count that chooses a plural form for ``hours``: 1 hour, 1.5 hours, 2 hours."""
    return int(hours) if hours == hours.to_integral_value() else 2


def fee_terms(
    *,
    title: str,
    title_cy: str,
    day: date,
    card: rules.CardLike,
    rate: Decimal,
    role: str,
    representative: bool,
    travel_minutes: int,
    minutes: int,
) -> dict[str, Any]:
    """The data a fee for an attendance is worked out and described from (kept as ``terms["fee"]``)."""
    return {
        "title": title,
        "title_cy": title_cy,
        "date": day.isoformat(),
        "activity_type": card.activity_type,
        "rate": str(rate),
        "preparation_ratio": str(card.preparation_ratio),
        "travel_time_over_minutes": card.travel_time_over_minutes,
        "chair_uplift_percent": str(card.chair_uplift_percent),
        "role": role,
        "representative": representative,
        "travel_minutes": travel_minutes,
        "minutes": minutes,
    }


def breakdown(fee: dict[str, Any]) -> rules.FeeBreakdown:
    """A fee's lines, worked out from its ``terms["fee"]`` by the same rule that offered it."""
    day = date.fromisoformat(fee["date"])
    card = rules.Card(
        activity_type=fee["activity_type"],
        hourly_rate=Decimal(fee["rate"]),
        valid_from=day,
        preparation_ratio=Decimal(fee["preparation_ratio"]),
        travel_time_over_minutes=int(fee["travel_time_over_minutes"]),
        chair_uplift_percent=Decimal(fee["chair_uplift_percent"]),
    )
    return rules.fee_for(
        int(fee["minutes"]),
        rate=card.hourly_rate,
        role=fee["role"],
        representative=bool(fee["representative"]),
        travel_minutes=int(fee["travel_minutes"]),
        card=card,
    )


def hours_taking_part(line: Described) -> Decimal:
    """The hours the member takes part for: the attendance's minutes for a fee worked out from one, else its hours."""
    fee = (line.terms or {}).get("fee")
    if fee:
        return (Decimal(int(fee["minutes"])) / 60).quantize(rules.PENNY)
    return line.hours


def _lines(fee_lines: rules.FeeBreakdown) -> str:
    parts = []
    for line, pounds in fee_lines.shown():
        label = str(LINE_LABELS[line.key])
        if line.key == "chairing":
            parts.append(_("%(label)s £%(amount)s") % {"label": label, "amount": pounds})
        else:
            parts.append(
                _("%(label)s %(hours)s h £%(amount)s")
                % {"label": label, "hours": hours_text(line.hours), "amount": pounds}
            )
    return "; ".join(parts)


def _title(fee: dict[str, Any]) -> str:
    title = str(fee["title"])
    if get_language() == "cy" and fee.get("title_cy"):
        title = str(fee["title_cy"])
    return _("%(title)s, %(date)s") % {"title": title, "date": date_format(date.fromisoformat(fee["date"]), UK_DATE)}


def describe(line: Described) -> str:
    """What ``line`` is for, as it is now, in the active language (the reader's)."""
    terms = line.terms or {}
    fee = terms.get("fee")
    change = terms.get("change") or {}
    what = _title(fee) if fee else str(change.get("description", line.description))
    amount = f"{line.amount:.2f}"
    if change.get("choice") == "lower_fee":
        return _("%(what)s: a lower fee of £%(amount)s for %(hours)s h (first offered: £%(offered)s)") % {
            "what": what,
            "amount": amount,
            "hours": hours_text(line.hours),
            "offered": f"{Decimal(change['offered_amount']):.2f}",
        }
    if fee:
        text = _("%(what)s: %(lines)s") % {"what": what, "lines": _lines(breakdown(fee))}
        if change.get("choice") == "fewer_hours":
            text = _("%(text)s (taking part for fewer hours than first offered: %(hours)s h)") % {
                "text": text,
                "hours": hours_text(Decimal(change["offered_taking_part"])),
            }
        return text
    if change.get("choice") == "fewer_hours":
        return _("%(what)s: taking part for %(hours)s h, £%(amount)s (first offered for %(offered)s h)") % {
            "what": what,
            "hours": hours_text(line.hours),
            "amount": amount,
            "offered": hours_text(Decimal(change["offered_hours"])),
        }
    return what
