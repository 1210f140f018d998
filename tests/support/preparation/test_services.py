from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.conftest import make_member, make_staff
from tests.meetings.factories import make_session
from withus.accounts.models import Organisation, Role, User
from withus.meetings import documents
from withus.meetings import services as meetings_services
from withus.meetings.documents import Letter
from withus.people.models import Person
from withus.support.preparation import selectors, services
from withus.support.preparation.models import Preparation, PreparationAnswer

from .factories import NOW, STARTS, invited, make_preparation, regular

pytestmark = pytest.mark.django_db
BRIEFING, MEET = Preparation.Kind.BRIEFING, Preparation.Kind.MEET_AND_GREET


def _arrange(actor: User, session: object, **fields: object) -> Preparation:
    values: dict[str, object] = {
        "kind": BRIEFING,
        "at": STARTS - timedelta(days=2),
        "how": Preparation.How.PHONE,
        "where": "01970 123456",
        "now": NOW,
    }
    values.update(fields)
    return services.arrange(actor=actor, session=session, **values)  # type: ignore[arg-type]


def test_a_coordinator_arranges_a_briefing_given_by_staff(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    preparation = _arrange(coordinator_a, session, by_staff=supervisor)
    assert (preparation.kind, preparation.by_staff, preparation.where) == (BRIEFING, supervisor, "01970 123456")
    # Arranging again changes it rather than adding a second.
    _arrange(coordinator_a, session, by_staff=supervisor, where="Video: https://meet.example.org/x")
    assert Preparation.objects.get().where == "Video: https://meet.example.org/x"


def test_a_member_acting_as_supporter_can_give_it(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    session = make_session(org_a)
    preparation = _arrange(coordinator_a, session, kind=MEET, at=STARTS - timedelta(minutes=30), by_person=member_a)
    assert preparation.supporter_name == member_a.display_name


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"at": STARTS + timedelta(minutes=5)}, "at", "A briefing must be before the session starts."),
        ({"at": NOW - timedelta(days=1)}, "at", "Choose a time that has not passed."),
        ({"where": "  "}, "where", "Say where it is, or the phone number or video link."),
        ({"how": "pigeon"}, "how", "Choose in person, by phone or by video."),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_written(
    org_a: Organisation, coordinator_a: User, fields: dict[str, object], field: str, message: str
) -> None:
    session = make_session(org_a)
    with pytest.raises(ValidationError) as refused:
        _arrange(coordinator_a, session, by_staff=coordinator_a, **fields)
    assert refused.value.message_dict[field] == [message]
    assert not Preparation.objects.exists()


def test_a_supporter_from_another_organisation_is_refused(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User, member_b: Person
) -> None:
    session = make_session(org_a)
    with pytest.raises(ValidationError) as refused:
        _arrange(coordinator_a, session, by_staff=coordinator_b)
    assert refused.value.message_dict["by_staff"] == ["Choose someone on your organisation's staff."]
    with pytest.raises(ValidationError) as refused:
        _arrange(coordinator_a, session, by_person=member_b)
    assert refused.value.message_dict["by_person"] == [
        "Choose a member who shares their details with your organisation."
    ]
    with pytest.raises(ValidationError):
        _arrange(coordinator_a, session)  # nobody
    assert not Preparation.objects.exists()


def test_not_for_a_session_that_has_started_and_not_by_another_organisation(
    org_a: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    session = make_session(org_a)
    with pytest.raises(ValidationError, match="This session has started"):
        _arrange(coordinator_a, session, by_staff=coordinator_a, now=STARTS + timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        _arrange(coordinator_b, session, by_staff=coordinator_b)
    assert not Preparation.objects.exists()


def test_new_members_and_those_whose_needs_ask_are_offered_it(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    newcomer = invited(session, make_member(org_a, full_name="Newydd"))
    easy_read = invited(session, regular(make_member(org_a, full_name="Hawdd", needs_easy_read=True), org_a))
    step_free = invited(session, regular(make_member(org_a, full_name="Gris", needs_step_free=True), org_a))
    invited(session, regular(make_member(org_a, full_name="Hen law"), org_a))
    briefing = make_preparation(session, BRIEFING, by_staff=coordinator_a)
    meet = make_preparation(session, MEET, by_staff=coordinator_a)
    found = selectors.session_preparation(session)
    assert [o.person for o in found.offers[briefing.pk]] == [easy_read, newcomer]
    assert [o.person for o in found.offers[meet.pk]] == [step_free, newcomer]


def test_a_member_says_yes_or_no_to_what_they_are_offered(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    newcomer = invited(session, make_member(org_a))
    old_hand = invited(session, regular(make_member(org_a), org_a))
    briefing = make_preparation(session, BRIEFING, by_staff=coordinator_a)
    services.answer(person=newcomer, preparation_pk=briefing.pk, wanted=True, now=NOW)
    services.answer(person=newcomer, preparation_pk=briefing.pk, wanted=False, now=NOW)
    assert PreparationAnswer.objects.get().wanted is False
    with pytest.raises(ValidationError, match="not something you were offered"):
        services.answer(person=old_hand, preparation_pk=briefing.pk, wanted=True, now=NOW)
    with pytest.raises(ValidationError, match="not something you were offered"):
        services.answer(person=newcomer, preparation_pk=briefing.pk, wanted=True, now=STARTS + timedelta(hours=1))
    assert PreparationAnswer.objects.count() == 1


def test_the_printed_invitation_and_the_e_mail_say_what_is_offered(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    by_post = invited(session, make_member(org_a, preferred_channel="post", address="1 Stryd", postcode="SY23 1AA"))
    regular_member = invited(session, regular(make_member(org_a, preferred_channel="post"), org_a))
    make_preparation(session, BRIEFING, by_staff=coordinator_a, how=Preparation.How.PHONE, where="01970 123456")
    html = documents.render_letters_html(
        [
            Letter(person=by_post, session=session, kind="invitation"),
            Letter(person=regular_member, session=session, kind="invitation"),
        ]
    )
    assert html.count("can go through the papers with you") == 1
    assert "by phone, 01970 123456" in html

    by_email = invited(session, make_member(org_a, preferred_channel="email"))
    invitation = session.invitations.get(person=by_email)
    mail.outbox.clear()
    meetings_services._deliver(session=session, invitation=invitation, kind="invitation")
    assert "can go through the papers with you" in mail.outbox[0].body
    assert "Tell us if you would like this" in mail.outbox[0].body
    # Plain text: what was typed is not HTML-escaped in the e-mail.
    Preparation.objects.update(where="Mair's room")
    mail.outbox.clear()
    meetings_services._deliver(session=session, invitation=invitation, kind="invitation")
    assert "Mair's room" in mail.outbox[0].body


def test_the_letter_is_in_the_readers_language(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    reader = invited(session, make_member(org_a, preferred_channel="post", prefers_welsh=True))
    make_preparation(session, MEET, by_staff=coordinator_a)
    html = documents.render_letters_html([Letter(person=reader, session=session, kind="invitation")])
    with translation.override("cy"):
        from withus.support.preparation.letters import line_for

        expected = line_for(selectors.offers_for_letters({(reader.pk, session.pk)})[(reader.pk, session.pk)][0])
    assert "eich cyfarfod pan fyddwch yn cyrraedd" in expected
    assert "eich cyfarfod pan fyddwch yn cyrraedd" in html
    assert "can meet you when you arrive" not in html


def test_a_members_answers_are_in_their_download_and_go_when_they_are_erased(org_a: Organisation) -> None:
    from withus.core import privacy

    member = make_member(org_a, full_name="Ffion Answer")
    supporter = make_member(org_a, full_name="Sam Supporter")
    session = make_session(org_a, starts_at=STARTS, agenda=())
    briefing = make_preparation(session, by_person=supporter)
    PreparationAnswer.objects.create(preparation=briefing, person=member, wanted=True)

    sections = {s.key: s for s in privacy.sections(member)}
    assert [r["wanted"] for r in sections["preparation"].records] == ["Yes"]
    given = {s.key: s for s in privacy.sections(supporter)}["preparation"].records
    assert [r["part"] for r in given] == ["Giving it"]

    privacy.erase(member)
    privacy.erase(supporter)
    assert not PreparationAnswer.objects.filter(person=member).exists()
    briefing.refresh_from_db()
    assert briefing.by_person is None
