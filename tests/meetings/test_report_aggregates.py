"""Attendance by pathway level, for the annual report: the figures a hand count gives, in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.meetings.factories import AttendanceFactory, SessionFactory, london
from tests.opportunities.factories import OpportunityFactory
from tests.people.factories import PersonFactory
from withus.accounts.models import Organisation
from withus.meetings import selectors
from withus.meetings.models import Attendance
from withus.meetings.selectors import LevelAttendance

pytestmark = pytest.mark.django_db

YEAR = (london(2030, 4, 1, 0, 0), london(2031, 4, 1, 0, 0))


def _sessions(org: Organisation, people: list, level: int | None, count: int) -> None:
    """``count`` sessions at ``level``, each attended by every one of ``people`` (one sent apologies)."""
    opportunity = OpportunityFactory(organisation=org, level=level) if level else None
    for i in range(count):
        session = SessionFactory(organisation=org, opportunity=opportunity, starts_at=YEAR[0] + timedelta(days=7 * i))
        for person in people:
            AttendanceFactory(session=session, person=person)
        AttendanceFactory(session=session, status=Attendance.Status.APOLOGIES)


def _read(org: Organisation) -> tuple[list[LevelAttendance], int]:
    with CaptureQueriesContext(connection) as captured:
        found = selectors.attendance_by_level(org, start=YEAR[0], end=YEAR[1])
    return found, len(captured.captured_queries)


def test_attendance_by_level_is_what_a_hand_count_gives_in_one_query_however_much(org_a, org_b):
    alaw, bryn, ceri = PersonFactory(), PersonFactory(), PersonFactory()
    _sessions(org_a, [alaw, bryn], 2, 3)  # 6 attendances by 2 people at level 2
    _sessions(org_a, [ceri], 4, 2)  # 2 by 1 at level 4
    _sessions(org_a, [alaw], None, 1)  # a session for no opportunity
    _sessions(org_b, [alaw, bryn, ceri], 2, 2)  # another organisation's: not counted
    # Outside the year: not counted.
    AttendanceFactory(session=SessionFactory(organisation=org_a, starts_at=YEAR[1]), person=alaw)
    small, small_queries = _read(org_a)
    assert small == [LevelAttendance(2, 6, 2), LevelAttendance(4, 2, 1), LevelAttendance(None, 1, 1)]

    _sessions(org_a, [PersonFactory() for _ in range(5)], 5, 4)  # 20 attendances by 5 people at level 5
    large, large_queries = _read(org_a)
    assert large == [*small[:2], LevelAttendance(5, 20, 5), small[2]]
    assert small_queries == large_queries == 1
