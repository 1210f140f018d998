"""Group ballots: secret, checkable by anyone in the group, closed by two observers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import api_as, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.core.xlsx import records, sheet_of
from tests.groups.factories import AppointmentFactory, GroupFactory
from withus.accounts.models import Role
from withus.groups import rules, selectors, services
from withus.groups.models import Ballot, BallotVoter, CastBallot, PaperReceipt

pytestmark = pytest.mark.django_db


def _group_of(org, size):
    group = GroupFactory(organisation=org, name="Hafan service user group", kind="network")
    people = [make_member(org, full_name=f"Member {i:02}") for i in range(size)]
    for person in people:
        AppointmentFactory(group=group, person=person)
    return group, people


def _ballot(coordinator, group, people, *, open_it=True, accept=False):
    ballot = services.create_ballot(
        actor=coordinator,
        group=group,
        question="Who goes to the national conference?",
        options=["Alaw", "Bedwyr", ""],
        first_observer=people[0],
        second_observer=people[1],
    )
    if open_it:
        services.open_ballot(actor=coordinator, ballot=ballot, accept_small_group=accept)
    return ballot


def _option(ballot, label):
    return ballot.options.get(label=label).pk


def test_a_ballot_is_cast_secretly_closed_by_both_observers_and_recounted_from_the_list(org_a, coordinator_a):
    group, people = _group_of(org_a, 6)
    ballot = _ballot(coordinator_a, group, people)
    assert ballot.roll.count() == 6

    receipts = {}
    for person, label in zip(people[:5], ["Alaw", "Alaw", "Bedwyr", "Alaw", "Bedwyr"], strict=True):
        receipts[person.pk] = (services.vote(actor=person.user, ballot=ballot, option_id=_option(ballot, label)), label)
    assert ballot.roll.filter(has_voted=True).count() == 5

    services.close_voting(actor=coordinator_a, ballot=ballot)
    # Results stay hidden while only one observer has confirmed.
    services.confirm_close(actor=people[0].user, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert selectors.ballot_page(ballot).results is None
    with pytest.raises(PermissionDenied):
        services.confirm_close(actor=people[2].user, ballot=ballot)
    services.confirm_close(actor=people[1].user, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED

    page = selectors.ballot_page(ballot)
    assert {r.option.label: r.votes for r in page.results} == {"Alaw": 3, "Bedwyr": 2}
    # Anyone can recount the published list, and every voter finds their receipt with their own choice.
    assert page.published_list is not None
    recount = rules.count_votes([o.pk for _h, o in page.published_list], [o.pk for o in page.options])
    assert {o.label: recount[o.pk] for o in page.options} == {"Alaw": 3, "Bedwyr": 2}
    for receipt, label in receipts.values():
        _hash, option = selectors.find_receipt(ballot, receipt)
        assert option is not None and option.label == label


def test_the_raw_tables_hold_no_voter_no_time_and_no_order(org_a, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    for person in people:
        services.vote(actor=person.user, ballot=ballot, option_id=_option(ballot, "Alaw"))
    services.close_voting(actor=coordinator_a, ballot=ballot)
    services.confirm_close(actor=people[0].user, ballot=ballot)
    services.confirm_close(actor=people[1].user, ballot=ballot)

    box = CastBallot._meta.db_table
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, box)]
        cursor.execute(f"SELECT * FROM {box}")
        rows = cursor.fetchall()
    assert sorted(columns) == ["ballot_id", "option_id", "receipt_hash"]
    assert len(rows) == 5
    # Stored in hash order, not voting order (the box is written again at the close).
    assert [r[columns.index("receipt_hash")] for r in rows] == sorted(r[columns.index("receipt_hash")] for r in rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT receipt_hash FROM {box} ORDER BY rowid")
            assert [r[0] for r in cursor.fetchall()] == sorted(r[columns.index("receipt_hash")] for r in rows)
    roll = BallotVoter._meta.db_table
    with connection.cursor() as cursor:
        roll_columns = [c.name for c in connection.introspection.get_table_description(cursor, roll)]
    assert sorted(roll_columns) == ["ballot_id", "has_voted", "id", "person_id"]


def test_a_vote_after_the_close_or_a_second_time_is_refused_and_nothing_is_written(org_a, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    services.vote(actor=people[0].user, ballot=ballot, option_id=_option(ballot, "Alaw"))
    with pytest.raises(ValidationError, match="already"):
        services.vote(actor=people[0].user, ballot=ballot, option_id=_option(ballot, "Bedwyr"))
    services.close_voting(actor=coordinator_a, ballot=ballot)
    with pytest.raises(ValidationError, match="closed"):
        services.vote(actor=people[1].user, ballot=ballot, option_id=_option(ballot, "Bedwyr"))
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    assert ballot.roll.filter(has_voted=True).count() == 1
    outsider = make_member(org_a)
    with pytest.raises(ValidationError):
        services.vote(actor=outsider.user, ballot=ballot, option_id=_option(ballot, "Alaw"))


def test_someone_not_on_the_roll_cannot_vote(org_a, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    with pytest.raises(PermissionDenied):
        services.vote(actor=make_member(org_a).user, ballot=ballot, option_id=_option(ballot, "Alaw"))
    assert not CastBallot.objects.exists()


def test_paper_votes_use_receipts_printed_for_the_ballot_once_each(org_a, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    first, second = services.issue_paper_receipts(actor=coordinator_a, ballot=ballot, count=2)
    assert PaperReceipt.objects.filter(ballot=ballot).count() == 2
    services.record_paper_vote(
        actor=coordinator_a, ballot=ballot, person=people[3], receipt=first.lower(), option_id=_option(ballot, "Bedwyr")
    )
    assert BallotVoter.objects.get(ballot=ballot, person=people[3]).has_voted
    with pytest.raises(ValidationError, match="used already"):
        services.record_paper_vote(
            actor=coordinator_a, ballot=ballot, person=people[4], receipt=first, option_id=_option(ballot, "Alaw")
        )
    with pytest.raises(ValidationError, match="not a receipt"):
        services.record_paper_vote(
            actor=coordinator_a, ballot=ballot, person=people[4], receipt="AAAA-BBBB", option_id=_option(ballot, "Alaw")
        )
    with pytest.raises(ValidationError, match="voted already"):
        services.record_paper_vote(
            actor=coordinator_a, ballot=ballot, person=people[3], receipt=second, option_id=_option(ballot, "Alaw")
        )
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    assert not BallotVoter.objects.get(ballot=ballot, person=people[4]).has_voted
    assert PaperReceipt.objects.filter(ballot=ballot).count() == 1


def test_a_small_group_is_warned_and_the_ballot_opens_only_when_the_warning_is_accepted(org_a, coordinator_a):
    group, people = _group_of(org_a, 3)
    ballot = _ballot(coordinator_a, group, people, open_it=False)
    with pytest.raises(ValidationError) as refused:
        services.open_ballot(actor=coordinator_a, ballot=ballot)
    assert "accept_small_group" in refused.value.message_dict
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.DRAFT and not ballot.roll.exists()
    services.open_ballot(actor=coordinator_a, ballot=ballot, accept_small_group=True)
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN and ballot.small_group_warning_accepted


def test_observers_must_serve_on_the_group_and_only_coordinators_set_up_ballots(org_a, coordinator_a):
    group, people = _group_of(org_a, 5)
    with pytest.raises(ValidationError) as refused:
        services.create_ballot(
            actor=coordinator_a,
            group=group,
            question="Q",
            options=["Yes", "No"],
            first_observer=make_member(org_a),
            second_observer=people[0],
        )
    assert set(refused.value.message_dict) == {"first_observer"}
    with pytest.raises(PermissionDenied):
        _ballot(people[0].user, group, people)


def test_members_see_their_groups_ballots_and_the_result_only_after_publishing(org_a, org_b, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    client = member_client(people[2])
    page = client.get(f"/me/ballots/{ballot.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Member 04" in text and "Cast my vote" in text and "Every vote, to recount" not in text

    refused = client.post(f"/me/ballots/{ballot.pk}/", {"action": "vote"})
    assert "Choose one of the answers." in refused.content.decode()
    voted = client.post(f"/me/ballots/{ballot.pk}/", {"action": "vote", "option": _option(ballot, "Bedwyr")})
    receipt = voted.context["receipt"]
    assert receipt and receipt in voted.content.decode()
    again = client.post(f"/me/ballots/{ballot.pk}/", {"action": "vote", "option": _option(ballot, "Alaw")})
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    assert "Cast my vote" not in again.content.decode()

    assert member_client(make_member(org_a)).get(f"/me/ballots/{ballot.pk}/").status_code == 404
    assert member_client(make_member(org_b)).get(f"/me/ballots/{ballot.pk}/list.csv").status_code == 404
    assert client.get(f"/me/ballots/{ballot.pk}/list.csv").status_code == 404
    assert client.get(f"/me/ballots/{ballot.pk}/list.xlsx").status_code == 404

    staff = staff_client(coordinator_a)
    assert staff.post(f"/staff/ballots/{ballot.pk}/", {"action": "close"}).status_code == 302
    member_client(people[0]).post(f"/me/ballots/{ballot.pk}/", {"action": "confirm"})
    member_client(people[1]).post(f"/me/ballots/{ballot.pk}/", {"action": "confirm"})
    published = client.get(f"/me/ballots/{ballot.pk}/", {"receipt": receipt}).content.decode()
    assert "Every vote, to recount" in published and "counted for “Bedwyr”" in published
    csv = client.get(f"/me/ballots/{ballot.pk}/list.csv").content.decode()
    assert csv.splitlines()[0] == "receipt_hash,choice" and csv.count("Bedwyr") == 1
    assert "/list.xlsx" in published
    workbook = client.get(f"/me/ballots/{ballot.pk}/list.xlsx")
    assert workbook["Content-Disposition"] == f'attachment; filename="ballot-{ballot.pk}.xlsx"'
    [row] = records(sheet_of(b"".join(workbook.streaming_content)))
    assert row["choice"].value == "Bedwyr" and row["receipt_hash"].data_type == "s"
    assert member_client(make_member(org_b)).get(f"/me/ballots/{ballot.pk}/list.xlsx").status_code == 404


def test_the_ballot_page_reads_in_a_fixed_number_of_queries(org_a, coordinator_a):
    counts = []
    for size in (5, 20):
        group, people = _group_of(org_a, size)
        ballot = _ballot(coordinator_a, group, people)
        for person in people:
            services.vote(actor=person.user, ballot=ballot, option_id=_option(ballot, "Alaw"))
        services.close_voting(actor=coordinator_a, ballot=ballot)
        services.confirm_close(actor=people[0].user, ballot=ballot)
        services.confirm_close(actor=people[1].user, ballot=ballot)
        with CaptureQueriesContext(connection) as queries:
            page = selectors.ballot_page(ballot)
            [str(o) for _h, o in page.published_list or []]
            [v.person.full_name for v in page.roll]
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5


def test_a_coordinator_opens_with_the_warning_records_paper_votes_and_closes(org_a, coordinator_a):
    group, people = _group_of(org_a, 3)
    ballot = _ballot(coordinator_a, group, people, open_it=False)
    staff = staff_client(coordinator_a)
    page = staff.get(f"/staff/ballots/{ballot.pk}/").content.decode()
    assert "Only 3 people can vote" in page
    refused = staff.post(f"/staff/ballots/{ballot.pk}/", {"action": "open"})
    assert refused.status_code == 200 and "Only 3 people can vote" in refused.content.decode()
    assert not ballot.roll.exists()
    staff.post(f"/staff/ballots/{ballot.pk}/", {"action": "open", "accept_small_group": "on"})
    printed = staff.post(f"/staff/ballots/{ballot.pk}/", {"action": "papers", "count": "1"})
    (receipt,) = printed.context["receipts"]
    bad = staff.post(
        f"/staff/ballots/{ballot.pk}/",
        {"action": "paper_vote", "person": people[2].pk, "receipt": "NOPE", "option": _option(ballot, "Alaw")},
    )
    assert "This is not a receipt printed for this ballot" in bad.content.decode()
    assert 'value="NOPE"' in bad.content.decode()
    staff.post(
        f"/staff/ballots/{ballot.pk}/",
        {"action": "paper_vote", "person": people[2].pk, "receipt": receipt, "option": _option(ballot, "Alaw")},
    )
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    assert member_client(people[0]).get(f"/staff/ballots/{ballot.pk}/").status_code == 403


def test_the_api_shows_the_roll_and_the_result_only_after_the_close(org_a, org_b, coordinator_a):
    group, people = _group_of(org_a, 5)
    ballot = _ballot(coordinator_a, group, people)
    api = member_api(people[2], org_a)
    before = api.get(f"/api/groups/ballots/{ballot.pk}").json()
    assert before["status"] == "open" and before["results"] is None and before["votes"] is None
    assert len(before["roll"]) == 5
    voted = api.post(f"/api/groups/ballots/{ballot.pk}/vote", {"option": _option(ballot, "Alaw")})
    assert voted.status_code == 200 and voted.json()["receipt"]
    again = api.post(f"/api/groups/ballots/{ballot.pk}/vote", {"option": _option(ballot, "Alaw")})
    assert again.status_code == 409 and again.json()["code"] == "voted"
    assert member_api(make_member(org_a), org_a).get(f"/api/groups/ballots/{ballot.pk}").status_code == 404
    assert api_as(coordinator_a, org_a).get(f"/api/groups/ballots/{ballot.pk}").json()["results"] is None
    services.close_voting(actor=coordinator_a, ballot=ballot)
    services.confirm_close(actor=people[0].user, ballot=ballot)
    services.confirm_close(actor=people[1].user, ballot=ballot)
    after = api.get(f"/api/groups/ballots/{ballot.pk}").json()
    assert {r["option"]: r["votes"] for r in after["results"]}[_option(ballot, "Alaw")] == 1
    assert len(after["votes"]) == 1
    other = make_staff(org_b, Role.COORDINATOR)
    assert api_as(other, org_b).get(f"/api/groups/ballots/{ballot.pk}").status_code == 404
