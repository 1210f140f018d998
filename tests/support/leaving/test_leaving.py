"""Leaving well (001 §Terms of office): a step-down role and a thank-you for someone whose term
ended or who left, offered by staff and answered by the member on their pages, through the API
or by post; the certificate is a PDF naming the organisation, the role and the dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.test_documents import Rendered, assert_pdf
from tests.support.factories import MentoringFactory
from tests.support.test_views import date_fields
from withus.accounts.models import Organisation, User
from withus.core import pdf, privacy
from withus.groups.models import Appointment
from withus.people.models import ConsentRecord, OutgoingMessage, Person
from withus.support.leaving import documents, rules, selectors, services
from withus.support.leaving.models import LeavingOffer
from withus.support.models import Mentoring

pytestmark = pytest.mark.django_db
TODAY = date(2030, 6, 12)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Rendered:
    spy = Rendered()
    real = pdf.document

    def recording(html: str, base_url: str) -> Any:
        document = real(html, base_url)
        spy.documents.append(document)
        return document

    monkeypatch.setattr(pdf, "document", recording)
    return spy


def offer_to(person: Person, coordinator: User, organisation: Organisation, **fields: Any) -> LeavingOffer:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "served_as": "Member, Partnership Board",
        "served_from": today - timedelta(days=3 * 365),
        "served_until": today - timedelta(days=1),
        **fields,
    }
    return services.offer(actor=coordinator, organisation=organisation, person=person, **values)


# ---- Rules -------------------------------------------------------------------------------------


def test_the_role_served_has_dates_in_order_begun_by_today() -> None:
    base = {"step_down": "none", "person_id": 1, "today": TODAY}
    assert rules.offer_problems(**base, served_from=TODAY - timedelta(days=9), served_until=TODAY) == {}
    assert set(rules.offer_problems(**base, served_from=None, served_until=None)) == {"served_from", "served_until"}
    assert "served_until" in rules.offer_problems(**base, served_from=TODAY, served_until=TODAY - timedelta(days=1))
    assert "served_from" in rules.offer_problems(
        **base, served_from=TODAY + timedelta(days=1), served_until=TODAY + timedelta(days=2)
    )


def test_a_mentor_needs_someone_else_and_a_review_after_today_and_a_seat_needs_its_group_and_term() -> None:
    dates = {"person_id": 1, "today": TODAY, "served_from": TODAY, "served_until": TODAY}
    mentor = rules.offer_problems(step_down="mentor", **dates, new_member_id=1, review_on=TODAY)
    assert set(mentor) == {"new_member", "review_on"}
    assert rules.offer_problems(step_down="mentor", **dates, new_member_id=2, review_on=TODAY + timedelta(days=1)) == {}
    assert set(rules.offer_problems(step_down="deputy", **dates)) == {"group", "term_start", "planned_end"}
    assert rules.offer_problems(step_down="none", **dates, new_member_id=1) == {}
    assert rules.SEAT_OF == {"deputy": Appointment.Seat.DEPUTY, "alternate": Appointment.Seat.RESERVE}
    assert rules.answer_refusal(waiting=True) is None and rules.answer_refusal(waiting=False)


# ---- The web: staff offer, the member answers --------------------------------------------------


def test_a_coordinator_offers_mentoring_bad_input_writes_nothing_and_the_member_accepts(
    coordinator_a: User, org_a: Organisation
) -> None:
    leaver, new = make_member(org_a, full_name="Eirlys Leaver"), make_member(org_a, full_name="Newydd Member")
    seat = AppointmentFactory(person=leaver, group__organisation=org_a, group__name="Partnership Board")
    seat.ended_on = timezone.localdate() - timedelta(days=2)
    seat.save()
    client = staff_client(coordinator_a)
    url = f"/staff/support/people/{leaver.pk}/leaving/"
    page = client.get(url, {"appointment": seat.pk}).content.decode()
    assert "Member, Partnership Board" in page  # the role is filled in from the seat
    today = timezone.localdate()
    typed = {
        "appointment": seat.pk,
        "served_as": "Member, Partnership Board",
        **date_fields("served_from", seat.term_start),
        **date_fields("served_until", today - timedelta(days=2)),
        "step_down": "mentor",
        "new_member": "",
        **date_fields("review_on", today),
        "message": "Diolch o galon",
    }
    refused = client.post(url, typed)
    text = refused.content.decode()
    assert "Choose the new member they would mentor" in text and "The review date must be after today" in text
    assert "Diolch o galon" in text  # what was typed is kept
    assert not LeavingOffer.objects.exists() and not mail.outbox
    made = client.post(url, {**typed, "new_member": new.pk, **date_fields("review_on", today + timedelta(days=60))})
    assert made.status_code == 302, made.content.decode()
    offer = LeavingOffer.objects.get()
    assert (offer.person, offer.appointment, offer.new_member) == (leaver, seat, new)
    assert [m.to for m in mail.outbox] == [[leaver.email]]
    assert f"/me/support/leaving/{offer.pk}/" in mail.outbox[0].body
    again = client.post(url, {**typed, "new_member": new.pk, **date_fields("review_on", today + timedelta(days=60))})
    assert "offer waiting for their answer already" in again.content.decode()
    assert LeavingOffer.objects.count() == 1

    member = member_client(leaver)
    assert "thanks you for serving as Member, Partnership Board" in member.get("/me/support/").content.decode()
    assert "Newydd Member" in member.get(f"/me/support/leaving/{offer.pk}/").content.decode()
    assert member.post(f"/me/support/leaving/{offer.pk}/answer/", {}).status_code == 400
    assert member.post(f"/me/support/leaving/{offer.pk}/answer/", {"accept": "yes"}).status_code == 302
    offer.refresh_from_db()
    pair = Mentoring.objects.get()
    assert offer.answer == "accepted" and offer.mentoring == pair
    assert (pair.mentor, pair.new_member, pair.started_by) == (leaver, new, coordinator_a)
    assert mail.outbox[-1].to == [coordinator_a.email] and "has accepted" in mail.outbox[-1].body
    twice = member.post(f"/me/support/leaving/{offer.pk}/answer/", {"accept": "no"})
    assert twice.status_code == 400 and "already been answered" in twice.content.decode()
    assert LeavingOffer.objects.get().answer == "accepted"


def test_someone_who_left_accepts_an_alternates_seat_through_the_groups_appointment(
    coordinator_a: User, org_a: Organisation
) -> None:
    leaver = make_member(org_a, status=Person.Status.LEFT, left_at=timezone.now() - timedelta(days=5))
    group = GroupFactory(organisation=org_a, name="Recovery panel")
    today = timezone.localdate()
    offer = offer_to(
        leaver,
        coordinator_a,
        org_a,
        step_down="alternate",
        group=group,
        term_start=today,
        planned_end=today + timedelta(days=365),
    )
    services.answer(actor=leaver.user, offer=offer, accept=True)  # type: ignore[arg-type]
    seat = Appointment.objects.get()
    assert (seat.person, seat.group, seat.seat, seat.appointed_by) == (leaver, group, "reserve", coordinator_a)
    assert offer.seat == seat
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.ACTIVE  # involved again, in a lighter role


def test_a_seat_offered_with_its_term_out_of_order_or_another_organisations_group_is_refused(
    coordinator_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    leaver = make_member(org_a)
    today = timezone.localdate()
    seat = {"step_down": "deputy", "term_start": today, "planned_end": today}
    with pytest.raises(Exception) as order:
        offer_to(leaver, coordinator_a, org_a, group=GroupFactory(organisation=org_a), **seat)
    assert "planned_end" in order.value.message_dict  # type: ignore[attr-defined]
    with pytest.raises(Exception) as elsewhere:
        offer_to(
            leaver,
            coordinator_a,
            org_a,
            group=GroupFactory(organisation=org_b),
            **{**seat, "planned_end": today + timedelta(days=9)},
        )
    assert "group" in elsewhere.value.message_dict  # type: ignore[attr-defined]
    assert not LeavingOffer.objects.exists()


def test_accepting_is_refused_with_nothing_written_when_the_pairing_can_no_longer_be_made(
    coordinator_a: User, org_a: Organisation
) -> None:
    leaver, new = make_member(org_a), make_member(org_a)
    offer = offer_to(
        leaver, coordinator_a, org_a, step_down="mentor", new_member=new, review_on=timezone.localdate() + timedelta(30)
    )
    MentoringFactory(organisation=org_a, new_member=new, mentor=make_member(org_a))  # someone else got there first
    response = member_client(leaver).post(f"/me/support/leaving/{offer.pk}/answer/", {"accept": "yes"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "already has a mentor" in text and "Ask Organisation A to change the offer" in text
    offer.refresh_from_db()
    assert offer.is_waiting and Mentoring.objects.count() == 1


def test_declining_starts_nothing_and_staff_record_an_answer_by_post_only_with_consent(
    coordinator_a: User, org_a: Organisation
) -> None:
    today = timezone.localdate()
    by_post = make_member(org_a, preferred_channel="post", address="1 Stryd Fawr\nAberystwyth", postcode="sy23 1aa")
    group = GroupFactory(organisation=org_a)
    seat = {"step_down": "deputy", "group": group, "term_start": today, "planned_end": today + timedelta(days=90)}
    offer = offer_to(by_post, coordinator_a, org_a, **seat)
    letter = OutgoingMessage.objects.get(person=by_post)
    assert letter.status == OutgoingMessage.Status.TO_PRINT and "Deputy on a seat" in letter.body
    client = staff_client(coordinator_a)
    no_consent = client.post(f"/staff/support/leaving/{offer.pk}/", {"accept": "yes"})
    assert no_consent.status_code == 403
    ConsentRecord.objects.create(person=by_post, purpose=ConsentRecord.Purpose.ACT_ON_BEHALF, organisation=org_a)
    assert client.post(f"/staff/support/leaving/{offer.pk}/", {"accept": "no"}).status_code == 302
    offer.refresh_from_db()
    assert (offer.answer, offer.answer_recorded_by) == ("declined", coordinator_a)
    assert not Appointment.objects.exists()
    assert "recorded by" in client.get(f"/staff/support/leaving/{offer.pk}/").content.decode()


def test_another_organisation_and_another_member_find_nothing(
    coordinator_a: User, coordinator_b: User, org_a: Organisation, org_b: Organisation
) -> None:
    leaver = make_member(org_a)
    offer = offer_to(leaver, coordinator_a, org_a)
    other = staff_client(coordinator_b)
    for url in (
        f"/staff/support/leaving/{offer.pk}/",
        f"/staff/support/leaving/{offer.pk}/certificate.pdf",
        f"/staff/support/leaving/{offer.pk}/letter.pdf",
    ):
        assert other.get(url).status_code == 404, url
    assert other.get(f"/staff/support/people/{leaver.pk}/leaving/").status_code in (403, 404)
    someone = member_client(make_member(org_a))
    assert someone.get(f"/me/support/leaving/{offer.pk}/").status_code == 404
    assert someone.get(f"/me/support/leaving/{offer.pk}/certificate.pdf").status_code == 404
    assert someone.post(f"/me/support/leaving/{offer.pk}/answer/", {"accept": "no"}).status_code == 404
    assert LeavingOffer.objects.get().is_waiting


def test_staff_are_shown_who_to_thank_until_an_offer_is_made_in_a_fixed_number_of_queries(
    coordinator_a: User, org_a: Organisation
) -> None:
    today = timezone.localdate()

    def ended_seat() -> Appointment:
        seat: Appointment = AppointmentFactory(person=make_member(org_a), group__organisation=org_a)
        seat.ended_on = today - timedelta(days=3)
        seat.save()
        return seat

    first = ended_seat()
    left = make_member(org_a, status=Person.Status.LEFT, left_at=timezone.now() - timedelta(days=1))
    AppointmentFactory(person=make_member(org_a), group__organisation=org_a)  # still serving
    selectors.to_thank(coordinator_a, org_a, today=today)  # the role is read once, then kept
    with CaptureQueriesContext(connection) as few:
        rows = selectors.to_thank(coordinator_a, org_a, today=today)
    assert [(r.person, r.appointment) for r in rows] == [(left, None), (first.person, first)]
    for _n in range(4):
        ended_seat()
        make_member(org_a, status=Person.Status.LEFT, left_at=timezone.now() - timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.to_thank(coordinator_a, org_a, today=today)) == 10
    assert len(many) == len(few) == 3
    offer_to(left, coordinator_a, org_a)
    assert left not in [r.person for r in selectors.to_thank(coordinator_a, org_a, today=today)]
    page = staff_client(coordinator_a).get("/staff/support/leaving/").content.decode()
    assert f"/staff/support/people/{first.person.pk}/leaving/?appointment={first.pk}" in page
    assert "Member, Partnership Board" in page


# ---- The certificate and the letter ------------------------------------------------------------


def test_the_certificate_names_the_organisation_the_role_and_the_dates(
    rendered: Rendered, coordinator_a: User, org_a: Organisation
) -> None:
    leaver = make_member(org_a, full_name="Alaw Jones")
    offer = offer_to(
        leaver, coordinator_a, org_a, served_from=date(2025, 4, 1), served_until=timezone.localdate(), served_as="Chair"
    )
    response = member_client(leaver).get(f"/me/support/leaving/{offer.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_pdf(response.content)
    text = rendered.text()
    for expected in ("Thank you", "Alaw Jones", "Chair", "1 April 2025", "Organisation A"):
        assert expected in text, expected
    assert len(rendered.last.pages) == 1
    assert rendered.last.metadata.title == "Thank-you certificate: Alaw Jones – WithUs"


def test_the_letter_offers_the_role_says_how_to_answer_and_encloses_the_certificate(
    rendered: Rendered, coordinator_a: User, org_a: Organisation
) -> None:
    org_a.contact_phone = "01970 123456"
    org_a.save()
    leaver = make_member(org_a, full_name="Siôn Post", address="1 Stryd Fawr\nAberystwyth", postcode="sy23 1aa")
    new = make_member(org_a, full_name="Newydd", preferred_name="Newi")
    offer = offer_to(
        leaver, coordinator_a, org_a, step_down="mentor", new_member=new, review_on=timezone.localdate() + timedelta(9)
    )
    assert_pdf(staff_client(coordinator_a).get(f"/staff/support/leaving/{offer.pk}/letter.pdf").content)
    letter, certificate = rendered.page_texts()
    for expected in ("SY23 1AA", "Dear Siôn Post", "mentor to a new member, Newi", "How to answer", "01970 123456"):
        assert expected in letter, expected
    assert "Thank you" in certificate and "Member, Partnership Board" in certificate


# ---- The API -----------------------------------------------------------------------------------


def test_the_api_offers_lists_and_answers_with_the_same_rules(
    coordinator_a: User, coordinator_b: User, org_a: Organisation, org_b: Organisation
) -> None:
    leaver, new = make_member(org_a), make_member(org_a)
    api = api_as(coordinator_a, org_a)
    today = timezone.localdate()
    url = f"/api/support/people/{leaver.pk}/leaving-offers"
    body = {
        "served_as": "Member, Partnership Board",
        "served_from": str(today - timedelta(days=400)),
        "served_until": str(today - timedelta(days=500)),
        "step_down": "mentor",
        "new_member": new.pk,
        "review_on": str(today + timedelta(days=30)),
    }
    refused = assert_error(api.post(url, body), 422, "invalid")
    assert "served_until" in refused["fields"]
    assert not LeavingOffer.objects.exists()
    made = api.post(url, {**body, "served_until": str(today)})
    assert made.status_code == 201, made.content
    offer_id = made.json()["id"]
    assert made.json()["certificate_url"].endswith(f"/staff/support/leaving/{offer_id}/certificate.pdf")
    assert [o["id"] for o in api.get("/api/support/leaving-offers").json()["items"]] == [offer_id]
    assert api_as(coordinator_b, org_b).post(url, body).status_code == 404
    assert api_as(coordinator_b, org_b).get("/api/support/leaving-offers").json()["items"] == []

    mine = member_api(leaver, org_a)
    listed = mine.get("/api/support/me/leaving-offers").json()
    assert [o["answer"] for o in listed] == ["waiting"]
    assert listed[0]["certificate_url"].endswith(f"/me/support/leaving/{offer_id}/certificate.pdf")
    assert (
        member_api(new, org_a).post(f"/api/support/me/leaving-offers/{offer_id}/answer", {"accept": True}).status_code
        == 404
    )
    answered = mine.post(f"/api/support/me/leaving-offers/{offer_id}/answer", {"accept": True})
    assert answered.status_code == 200, answered.content
    assert answered.json()["answer"] == "accepted" and answered.json()["mentoring_id"] == Mentoring.objects.get().pk
    assert_error(mine.post(f"/api/support/me/leaving-offers/{offer_id}/answer", {"accept": False}), 422, "invalid")


def test_the_offers_are_in_the_members_download_and_go_when_they_are_erased(
    coordinator_a: User, org_a: Organisation
) -> None:
    leaver, new = make_member(org_a), make_member(org_a)
    offer_to(
        leaver, coordinator_a, org_a, step_down="mentor", new_member=new, review_on=timezone.localdate() + timedelta(9)
    )
    sections = {s.key: s for s in privacy.sections(leaver)}
    assert sections["leaving_offers"].records[0]["served_as"] == "Member, Partnership Board"
    assert not {s.key: s for s in privacy.sections(new)}["leaving_offers"].records
    privacy.erase(new)
    assert LeavingOffer.objects.get().new_member is None
    privacy.erase(leaver)
    assert not LeavingOffer.objects.exists()


def test_the_certificate_is_made_in_the_members_language(coordinator_a: User, org_a: Organisation) -> None:
    offer = offer_to(make_member(org_a, prefers_welsh=True), coordinator_a, org_a)
    assert documents.language_of(offer) == "cy"
    assert 'lang="cy"' in documents.certificate_html(offer)


def test_a_welsh_speakers_certificate_letter_and_message_are_in_welsh(
    rendered: Rendered, coordinator_a: User, org_a: Organisation
) -> None:
    org_a.name_cy = "Sefydliad A"
    org_a.save()
    leaver = make_member(org_a, full_name="Gwen Morgan", prefers_welsh=True)
    offer = offer_to(leaver, coordinator_a, org_a, served_from=date(2025, 6, 1), served_as="Cadeirydd")
    assert "Diolch am wasanaethu fel Cadeirydd" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Diolch gan Sefydliad A"
    documents.certificate_pdf(offer)
    text = rendered.text()
    assert "Gyda’n diolch i" in text and "1 Mehefin 2025" in text and "Sefydliad A" in text
    assert rendered.last.metadata.lang == "cy"
    documents.letter_pdf(offer)
    assert "Diolch, a chynnig" in rendered.page_texts()[0]
