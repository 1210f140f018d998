"""Working days: Monday to Friday, not a bank holiday of the nation. The one place they are counted.

Complaint clocks (concerns), subject access deadlines (people) and anything else that says
"within N working days" count here. The functions are pure: the bank holidays are passed
in, so rules can be tested with any calendar; ``bank_holidays`` reads them from the
``holidays`` package for a UK nation.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date, timedelta

import holidays

# The nations whose bank holidays the holidays package knows, by the subdivision it names them with.
NATIONS = {"wales": "WLS", "england": "ENG", "scotland": "SCT", "northern_ireland": "NIR"}


def bank_holidays(nation: str, years: Iterable[int]) -> Container[date]:
    """The bank holidays of ``nation`` (a key of ``NATIONS``) in ``years``."""
    return holidays.country_holidays("GB", subdiv=NATIONS[nation], years=list(years))


def is_working_day(day: date, bank_holidays: Container[date] = ()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays


def next_working_day(day: date, bank_holidays: Container[date] = ()) -> date:
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day, bank_holidays):
        day += timedelta(days=1)
    return day


def add_working_days(
    start: date,
    count: int,
    bank_holidays: Container[date] = (),
    *,
    skip: Container[date] = (),
) -> date:
    """The day ``count`` working days after ``start`` (``start`` itself is not counted).

    Days in ``skip`` do not count either: a clock that is paused on them. With ``count``
    0 the answer is ``start``.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays) and day not in skip:
            left -= 1
    return day


def working_days_between(start: date, end: date, bank_holidays: Container[date] = ()) -> int:
    """How many working days there are after ``start`` up to and including ``end`` (0 when end <= start)."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            days += 1
    return days
