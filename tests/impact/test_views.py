from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_member, member_client, staff_client
from tests.impact.conftest import attended
from withus.accounts.models import Organisation, User
from withus.impact.contributions import services
from withus.impact.contributions.models import Answer, Contribution, Step
from withus.meetings.models import Session
from withus.people.models import Person

pytestmark = pytest.mark.django_db

Choice = services.ContributorChoice


def make(org: Organisation, actor: User, session: Session, *people: Person, **fields: object) -> Contribution:
    values: dict[str, object] = {
        "text": "Please start meetings later in the day.",
        "perspective": "carer",
        "session": session,
        "service": "Community mental health team",
        "contributors": [Choice(p, True, True) for p in people],
    }
    values.update(fields)
    return services.record_contribution(actor=actor, organisation=org, **values)  # type: ignore[arg-type]


def test_a_coordinator_records_a_minority_view_at_a_session(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    client = staff_client(coordinator_a)
    page = client.get(reverse("impact:record") + f"?session={held_session.pk}")
    assert page.status_code == 200
    response = client.post(
        reverse("impact:record"),
        {
            "session": held_session.pk,
            "kind": "said",
            "text": "Keep the evening meetings.",
            "contributors": [member_a.pk],
            "publish": [member_a.pk],
            "view": "personal",
            "perspective": "service_user",
            "minority_view": "on",
        },
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("impact:timeline", args=[contribution.pk])
    assert contribution.minority_view and contribution.contributors.get().agrees_to_publish
    assert not contribution.contributors.get().agrees_to_be_named


def test_a_form_with_mistakes_says_what_is_wrong_and_keeps_what_was_typed(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    response = staff_client(coordinator_a).post(
        reverse("impact:record"),
        {"kind": "said", "text": "Typed words stay", "view": "representative", "perspective": "carer"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Say which session, opportunity or project it was said at." in body
    assert "A representative view speaks for a group: choose the group." in body
    assert "Typed words stay" in body
    assert not Contribution.objects.exists()


def test_an_answer_with_no_reason_is_refused_on_the_page(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = make(org_a, coordinator_a, held_session, member_a)
    response = staff_client(decider_a).post(
        reverse("impact:answer", args=[contribution.pk]), {"decision": "adopted", "reason": ""}
    )
    assert response.status_code == 200
    assert "Give the reason for the decision, in plain words." in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_partly_with_an_action_shows_on_the_timeline(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = make(org_a, coordinator_a, held_session, member_a)
    client = staff_client(decider_a)
    response = client.post(
        reverse("impact:answer", args=[contribution.pk]),
        {
            "decision": "partly",
            "reason": "Some meetings will start at 11.",
            "action_text": "Move the board meeting",
            "action_owner_name": "Nia Rhys",
            "action_due_on_day": "1",
            "action_due_on_month": "9",
            "action_due_on_year": "2030",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("impact:timeline", args=[contribution.pk])).content.decode()
    assert "Partly adopted" in page and "Some meetings will start at 11." in page
    assert "Move the board meeting" in page


def test_a_member_sees_their_own_timeline_replies_and_adds_what_they_said(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = make(org_a, coordinator_a, held_session, member_a)
    client = member_client(member_a)
    assert client.get(reverse("impact:timeline", args=[contribution.pk])).status_code == 200
    response = client.post(reverse("impact:timeline", args=[contribution.pk]), {"text": "Thank you", "question": ""})
    assert response.status_code == 302
    assert contribution.steps.filter(kind=Step.Kind.REPLY, by_person=member_a).exists()
    attended(held_session, member_a)
    mine = client.get(reverse("impact:me")).content.decode()
    assert "Please start meetings later in the day." in mine
    assert reverse("impact:me_submit", args=[held_session.pk]) in mine
    response = client.post(
        reverse("impact:me_submit", args=[held_session.pk]), {"kind": "asked", "text": "Who decides the dates?"}
    )
    assert response.status_code == 302
    assert Contribution.objects.filter(kind="asked", source="member").exists()


def test_another_member_gets_a_404(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = make(org_a, coordinator_a, held_session, member_a)
    other = make_member(org_a)
    assert member_client(other).get(reverse("impact:timeline", args=[contribution.pk])).status_code == 404


def _timeline_queries(client: Client, contribution: Contribution) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("impact:timeline", args=[contribution.pk])).status_code == 200
    return len(queries)


def test_the_timeline_costs_the_same_queries_however_long_it_is(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session
) -> None:
    people = [make_member(org_a) for _ in range(6)]
    short = make(org_a, coordinator_a, held_session, people[0])
    long = make(org_a, coordinator_a, held_session, *people)
    for n in range(4):
        services.answer_contribution(
            actor=decider_a,
            contribution=long,
            decision="pending",
            reason=f"Still thinking {n}",
            action_text=f"Ask the board {n}",
            action_owner_name="Nia",
            action_due_on=date(2030, 9, 1),
        )
        services.reply(actor=decider_a, contribution=long, text=f"More news {n}")
    client = staff_client(coordinator_a)
    _timeline_queries(client, short)  # the first request fills the session's caches
    few, many = _timeline_queries(client, short), _timeline_queries(client, long)
    assert few == many
    assert many <= 14


def _public_queries(client: Client, org: Organisation, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("impact:public", args=[org.slug]) + query)
        assert response.status_code == 200
    return len(queries)


def test_the_public_page_shows_what_was_agreed_and_names_only_who_agreed(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    shy = make_member(org_a, full_name="Siân Shy")
    shown = make(org_a, coordinator_a, held_session, member_a)
    services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Not for publishing",
        perspective="carer",
        session=held_session,
        contributors=[Choice(shy, False, False)],
    )
    anonymous = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Published without a name",
        perspective="other",
        session=held_session,
        contributors=[Choice(shy, True, False)],
        service="Crisis team",
    )
    services.answer_contribution(actor=decider_a, contribution=shown, decision="adopted", reason="Agreed: from May")
    services.answer_contribution(actor=decider_a, contribution=anonymous, decision="not_adopted", reason="No money")
    page = Client().get(reverse("impact:public", args=[org_a.slug])).content.decode()
    assert "Please start meetings later in the day." in page and "Agreed: from May" in page
    assert "Published without a name" in page
    assert "Not for publishing" not in page
    assert member_a.display_name in page and "Siân" not in page
    filtered = Client().get(reverse("impact:public", args=[org_a.slug]) + "?outcome=not_adopted").content.decode()
    assert "Published without a name" in filtered and "Please start meetings" not in filtered
    by_service = Client().get(reverse("impact:public", args=[org_a.slug]) + "?service=Crisis+team").content.decode()
    assert "Published without a name" in by_service and "Please start meetings" not in by_service
    welsh = Client(headers={"accept-language": "cy"}).get(reverse("impact:public", args=[org_a.slug]))
    assert welsh.status_code == 200 and 'lang="cy"' in welsh.content.decode()
    feed = Client().get(reverse("impact:feed_atom", args=[org_a.slug])).content.decode()
    assert "Agreed: from May" in feed and "Not for publishing" not in feed and "Siân" not in feed
    rss = Client().get(reverse("impact:feed_rss", args=[org_a.slug]) + "?lang=cy")
    assert rss.status_code == 200 and rss.headers["Content-Language"] == "cy"


def test_the_public_page_costs_the_same_queries_at_two_sizes(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            people = [make_member(org_a) for _ in range(2)]
            c = make(org_a, coordinator_a, held_session, *people)
            services.answer_contribution(actor=decider_a, contribution=c, decision="adopted", reason="Yes")

    add(1)
    few = _public_queries(Client(), org_a, "?page=1")
    add(6)
    many = _public_queries(Client(), org_a, "?page=1&x=1")
    assert few == many
    assert many <= 7  # the kept-page version, the organisation, the count, the services, the page, names, answers


def test_the_staff_list_shows_overdue(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    import time_machine

    with time_machine.travel("2030-01-01 12:00 +00:00", tick=False):
        make(org_a, coordinator_a, held_session, member_a)
    with time_machine.travel("2030-03-01 12:00 +00:00", tick=False):
        page = staff_client(coordinator_a).get(reverse("impact:staff_list")).content.decode()
    assert "Overdue" in page
