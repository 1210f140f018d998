from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.opportunities.factories import make_opportunity
from withus.accounts.models import Role
from withus.groups.models import Appointment, Group
from withus.opportunities import services
from withus.opportunities.models import Application, Draw, MatchNotice, Opportunity
from withus.people.models import ConsentRecord, DbsCheck, OutgoingMessage

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def fields(**overrides):
    base = {
        "title": "Crisis leaflet panel",
        "purpose": "Rewrite the crisis leaflet",
        "intended_outcomes": "Clearer",
        "influence": "The words, not the service",
        "level": 4,
        "places": 3,
        "where": "operational",
        "role_offered": "expert_by_experience",
        "closes_on": TODAY + timedelta(days=10),
    }
    base.update(overrides)
    return base


def test_create_uses_level_defaults(org_a, coordinator_a):
    o = services.create_opportunity(actor=coordinator_a, organisation=org_a, fields=fields(contact=coordinator_a))
    assert o.status == "draft"
    assert o.application_process == "expression_of_interest"
    assert o.time_commitment
    assert len(o.short_code) == 6


def test_organisation_defaults_win(org_a, coordinator_a):
    admin = make_staff(org_a, Role.ADMIN)
    services.set_level_default(
        actor=admin,
        organisation=org_a,
        level=4,
        time_commitment="Two hours",
        application_process="none",
        reward="£30 voucher",
    )
    o = services.create_opportunity(actor=coordinator_a, organisation=org_a, fields=fields(contact=coordinator_a))
    assert o.application_process == "none" and o.time_commitment == "Two hours"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_on": TODAY - timedelta(days=1)}, "closes_on"),
        ({"places": 0}, "places"),
        ({"starts_on": TODAY + timedelta(days=5), "ends_on": TODAY + timedelta(days=4)}, "ends_on"),
    ],
)
def test_bad_opportunity_is_refused_and_nothing_saved(org_a, coordinator_a, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.create_opportunity(
            actor=coordinator_a, organisation=org_a, fields=fields(contact=coordinator_a, **overrides)
        )
    assert field in error.value.message_dict
    assert not Opportunity.objects.exists()


def test_only_coordinators_of_the_organisation_create(org_a, org_b, coordinator_b):
    with pytest.raises(PermissionDenied):
        services.create_opportunity(actor=coordinator_b, organisation=org_a, fields=fields(contact=coordinator_b))


def test_contact_must_be_staff_of_the_organisation(org_a, coordinator_a, coordinator_b):
    with pytest.raises(ValidationError) as error:
        services.create_opportunity(actor=coordinator_a, organisation=org_a, fields=fields(contact=coordinator_b))
    assert "contact" in error.value.message_dict


def test_publish_close_archive(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a, status="draft")
    services.set_status(actor=coordinator_a, opportunity=o, status="published")
    assert o.published_at is not None and o.channels.filter(channel="board").exists()
    services.set_status(actor=coordinator_a, opportunity=o, status="closed")
    services.set_status(actor=coordinator_a, opportunity=o, status="archived")
    with pytest.raises(ValidationError):
        services.set_status(actor=coordinator_a, opportunity=o, status="published")


def test_respond_registers_interest_and_refuses_twice(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="none")
    a = services.respond(actor=member.user, person=member, opportunity=o)
    assert a.status == "received" and a.submitted_at
    with pytest.raises(ValidationError, match="already responded"):
        services.respond(actor=member.user, person=member, opportunity=o)
    assert Application.objects.count() == 1


def test_cannot_respond_after_closing(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, closes_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="closed"):
        services.respond(actor=member.user, person=member, opportunity=o, why="I care")
    assert not Application.objects.exists()


def test_draft_then_submit_with_references(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="application_form", level=6)
    draft = services.respond(actor=member.user, person=member, opportunity=o, why="", submit=False)
    assert draft.status == "draft"
    with pytest.raises(ValidationError) as error:
        services.respond(
            actor=member.user,
            person=member,
            opportunity=o,
            why="Because",
            references=[services.ReferenceData(name="Ann Referee", relationship="Peer worker")],
        )
    assert "reference_0_email" in error.value.message_dict
    assert Application.objects.get().status == "draft"
    services.respond(
        actor=member.user,
        person=member,
        opportunity=o,
        why="Because",
        references=[services.ReferenceData(name="Ann Referee", relationship="Peer worker", phone="01632 960001")],
    )
    application = Application.objects.get()
    assert application.status == "received" and application.references.get().phone == "01632 960001"


def test_coordinator_responds_on_behalf_only_with_consent(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="none")
    with pytest.raises(PermissionDenied):
        services.respond(actor=coordinator_a, person=member, opportunity=o, organisation=org_a)
    ConsentRecord.objects.create(person=member, purpose="act_on_behalf", organisation=org_a, how="phone")
    a = services.respond(actor=coordinator_a, person=member, opportunity=o, organisation=org_a)
    assert a.status == "received"


def test_selection_moves_notify_by_channel_and_free_places_go_to_waiting_list(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a, places=1, application_process="none")
    first, second = make_member(org_a), make_member(org_a, preferred_channel="post", address="1 Stryd")
    a1 = services.respond(actor=first.user, person=first, opportunity=o)
    a2 = services.respond(actor=second.user, person=second, opportunity=o)
    services.move_application(actor=coordinator_a, application=a1, status="selected")
    services.move_application(actor=coordinator_a, application=a2, status="waiting_list")
    a2.refresh_from_db()
    assert a2.waiting_position == 1
    assert len(mail.outbox) == 1  # the first prefers e-mail
    assert OutgoingMessage.objects.filter(person=second, status="to_print").count() == 1
    with pytest.raises(ValidationError):
        services.move_application(actor=coordinator_a, application=a1, status="withdrawn", reason="")
    services.withdraw(actor=first.user, application=a1)
    a2.refresh_from_db()
    assert a2.status == "selected" and a2.waiting_position is None


def test_feedback_reaches_the_person(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="none")
    a = services.respond(actor=member.user, person=member, opportunity=o)
    with pytest.raises(ValidationError):
        services.request_feedback(actor=member.user, application=a)
    services.move_application(actor=coordinator_a, application=a, status="not_selected", reason="Too many people")
    services.request_feedback(actor=member.user, application=a)
    services.give_feedback(actor=coordinator_a, application=a, feedback="Your answers were strong; apply again.")
    assert "apply again" in mail.outbox[-1].body


def test_draw_is_recorded_and_reproducible(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a, places=2, application_process="none")
    people = [make_member(org_a, perspective="carer" if i % 2 else "service_user") for i in range(6)]
    for p in people:
        services.respond(actor=p.user, person=p, opportunity=o)
    record = services.run_draw(actor=coordinator_a, opportunity=o, places=2, strata_by=["perspective"], seed="abc123")
    selected = set(o.applications.filter(status="selected").values_list("pk", flat=True))
    assert selected == set(record.result["selected"])
    assert o.applications.filter(status="waiting_list").count() == 4
    perspectives = {a.person.perspective for a in o.applications.filter(status="selected")}
    assert perspectives == {"carer", "service_user"}
    from withus.opportunities import draw

    again = draw.draw(
        [draw.Candidate(**c) for c in record.inputs["candidates"]], 2, seed="abc123", strata_by=["perspective"]
    )
    assert list(again.selected) == record.result["selected"]


def test_draw_with_more_places_than_people_is_refused(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a, places=5, application_process="none")
    p = make_member(org_a)
    services.respond(actor=p.user, person=p, opportunity=o)
    with pytest.raises(ValidationError) as error:
        services.run_draw(actor=coordinator_a, opportunity=o, places=3)
    assert "places" in error.value.message_dict
    assert not Draw.objects.exists()
    assert o.applications.get().status == "received"


def test_appointment_needs_dbs_where_required(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Partnership Board", makes_decisions=True)
    o = make_opportunity(org_a, coordinator_a, requires_dbs=True, application_process="none", group=group)
    member = make_member(org_a)
    a = services.respond(actor=member.user, person=member, opportunity=o)
    services.move_application(actor=coordinator_a, application=a, status="selected")
    args = {
        "actor": coordinator_a,
        "group": group,
        "person": member,
        "opportunity": o,
        "term_start": TODAY,
        "planned_end": TODAY + timedelta(days=3 * 365),
    }
    with pytest.raises(ValidationError, match="DBS"):
        services.appoint(**args)
    DbsCheck.objects.create(person=member, organisation=org_a, status="clear", checked_on=TODAY - timedelta(days=30))
    appointment = services.appoint(**args)
    assert appointment.seat == "member"


def test_appointment_term_must_make_sense(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Panel")
    member = make_member(org_a)
    with pytest.raises(ValidationError) as error:
        services.appoint(
            actor=coordinator_a,
            group=group,
            person=member,
            term_start=TODAY,
            planned_end=TODAY,
            review_on=TODAY + timedelta(days=400),
        )
    assert {"planned_end", "review_on"} <= set(error.value.message_dict)
    assert not Appointment.objects.exists()


def test_level_change_after_responses_tells_applicants(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a, application_process="none")
    member = make_member(org_a)
    services.respond(actor=member.user, person=member, opportunity=o)
    with pytest.raises(ValidationError) as error:
        services.update_opportunity(actor=coordinator_a, opportunity=o, fields={"level": 6})
    assert "level_change_reason" in error.value.message_dict
    o.refresh_from_db()
    assert o.level == 4
    services.update_opportunity(
        actor=coordinator_a, opportunity=o, fields={"level": 6}, level_change_reason="It became a board seat"
    )
    assert "It became a board seat" in mail.outbox[-1].body
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(o).latest("timestamp")
    assert entry.additional_data == {"reason": "It became a board seat"}
    assert "level" in entry.changes_dict


def test_alerts_go_weekly_to_consenting_members_of_the_offering_organisation(org_a, org_b, coordinator_a):
    keen = make_member(org_a)
    ConsentRecord.objects.create(person=keen, purpose="contact_about_opportunities")
    make_member(org_a)  # did not agree to hear about opportunities
    elsewhere = make_member(org_b)
    ConsentRecord.objects.create(person=elsewhere, purpose="contact_about_opportunities")
    make_opportunity(org_a, coordinator_a)
    assert services.send_opportunity_alerts(today=TODAY) == 1
    assert mail.outbox[-1].to == [keen.email]
    make_opportunity(org_a, coordinator_a)
    assert services.send_opportunity_alerts(today=TODAY) == 0  # not again within the week
    assert services.send_opportunity_alerts(today=TODAY + timedelta(days=7)) == 1
    assert MatchNotice.objects.filter(person=keen).count() == 2


def test_draw_keeps_a_share_for_groups_the_organisation_marks(org_a, coordinator_a):
    from withus.people.models import Tag

    welsh = Tag.objects.get(kind="language", slug="welsh")
    services.set_under_represented(actor=coordinator_a, organisation=org_a, tags=[welsh])
    o = make_opportunity(org_a, coordinator_a, places=2, application_process="none")
    speakers = [make_member(org_a) for _ in range(2)]
    for p in speakers:
        p.tags.add(welsh)
    others = [make_member(org_a) for _ in range(6)]
    for p in speakers + others:
        services.respond(actor=p.user, person=p, opportunity=o)
    for seed in ("s1", "s2", "s3", "s4"):
        o.applications.update(status="received", waiting_position=None)
        services.run_draw(actor=coordinator_a, opportunity=o, places=2, strata_by=["under_represented"], seed=seed)
        chosen = set(o.applications.filter(status="selected").values_list("person_id", flat=True))
        # 2 of 8 people are marked: their quota is 1 of the 2 places, every time.
        assert len(chosen & {p.pk for p in speakers}) == 1


def _applied(opportunity, count):
    return [
        Application.objects.create(
            opportunity=opportunity, person=make_member(opportunity.organisation), status="received"
        )
        for _ in range(count)
    ]


def test_no_more_are_selected_than_there_are_places(org_a, coordinator_a):
    opportunity = make_opportunity(org_a, coordinator_a, places=1)
    first, second = _applied(opportunity, 2)
    services.move_application(actor=coordinator_a, application=first, status="selected")
    with pytest.raises(ValidationError, match=r"The one place is filled\. Put them on the waiting list"):
        services.move_application(actor=coordinator_a, application=second, status="selected")
    second.refresh_from_db()
    assert second.status != "selected"
    assert opportunity.applications.filter(status="selected").count() == 1
    # The waiting list is still open to them, and the place goes to them if it is freed.
    services.move_application(actor=coordinator_a, application=second, status="waiting_list")
    services.move_application(actor=coordinator_a, application=first, status="withdrawn", reason="Moved away")
    second.refresh_from_db()
    assert second.status == "selected"


@pytest.mark.django_db(transaction=True)
def test_coordinators_selecting_at_the_same_moment_never_fill_more_than_the_places(org_a):
    import threading

    from django.db import connections

    coordinator = make_staff(org_a, Role.COORDINATOR, "coord-race@example.org")
    opportunity = make_opportunity(org_a, coordinator, places=2)
    applications = _applied(opportunity, 5)
    start = threading.Barrier(len(applications))
    outcomes: list[str] = []
    lock = threading.Lock()

    def select(application_id: int) -> None:
        try:
            start.wait()
            services.move_application(
                actor=coordinator, application=Application.objects.get(pk=application_id), status="selected"
            )
            result = "selected"
        except ValidationError as error:
            result = "refused" if "places are filled" in " ".join(error.messages) else f"other: {error}"
        except Exception as error:  # reported by the assertion below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=select, args=(a.pk,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 3 + ["selected"] * 2, outcomes
    assert opportunity.applications.filter(status="selected").count() == 2
