"""A member's download holds their seats, as holder, deputy or buddy, and their report-backs."""

import json
from datetime import date

import pytest

from tests.accounts.factories import OrganisationFactory
from tests.groups.factories import AppointmentFactory, GroupFactory, ReportBackFactory
from tests.people.factories import PersonFactory
from withus.core import privacy

pytestmark = pytest.mark.django_db


def test_the_download_has_every_seat_the_person_is_part_of():
    person = PersonFactory(full_name="Alaw Jones")
    holder = PersonFactory(full_name="Bedwyr Huws")
    board = GroupFactory(name="Partnership board", organisation=OrganisationFactory(name="Afon"))
    AppointmentFactory(
        person=person, group=board, seat="chair", term_start=date(2026, 4, 1), planned_end=date(2029, 3, 31)
    )
    AppointmentFactory(person=holder, group=board, deputy=person)
    AppointmentFactory(person=holder, group=GroupFactory(name="Crisis panel"), buddy=person)
    AppointmentFactory(person=holder, group=board)  # nothing to do with them

    document = privacy.subject_access(person)

    seats = document["appointments"]
    assert [(s["group"], s["part"]) for s in seats] == [
        ("Partnership board", "holder"),
        ("Partnership board", "deputy"),
        ("Crisis panel", "buddy"),
    ]
    assert seats[0] | {"review_on": None} == {
        "part": "holder",
        "group": "Partnership board",
        "organisation": "Afon",
        "seat": "chair",
        "term_start": "2026-04-01",
        "planned_end": "2029-03-31",
        "review_on": None,
        "ended_on": None,
        "holder": "Alaw Jones",
        "deputy": None,
        "buddy": None,
    }
    labels = document["labels"]["appointments"]
    assert labels["title"] and set(labels["fields"]) == set(seats[0])
    json.dumps(document)  # machine-readable all the way down


def test_the_download_has_the_report_backs_the_person_gave():
    person = PersonFactory()
    ReportBackFactory(person=person, reported_to="Hafan group", summary="We were heard.", reported_on=date(2030, 6, 13))
    ReportBackFactory()  # someone else's

    document = privacy.subject_access(person)

    [report] = document["report_backs"]
    assert (report["reported_to"], report["summary"], report["reported_on"]) == (
        "Hafan group",
        "We were heard.",
        "2030-06-13",
    )
    assert set(document["labels"]["report_backs"]["fields"]) == set(report)
