from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.concerns.factories import raise_one
from tests.conftest import make_staff, member_client, staff_client
from tests.support.localhelp.factories import make_entry
from withus.accounts.models import Organisation, Role, User
from withus.concerns import rules, services
from withus.concerns.models import Concern
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def test_anyone_raises_an_anonymous_concern_and_follows_it_up_by_pin(org_a: Organisation, coordinator_a: User) -> None:
    client = Client()
    page = client.get(reverse("concerns:raise", args=[org_a.slug]))
    assert page.status_code == 200 and b"Keep me anonymous" in page.content
    refused = client.post(
        reverse("concerns:raise", args=[org_a.slug]), {"about": "process", "text": "", "anonymous": "on"}
    )
    assert refused.status_code == 400 and b"Tell us what your concern is about." in refused.content
    assert not Concern.objects.exists()
    sent = client.post(
        reverse("concerns:raise", args=[org_a.slug]),
        {"kind": "complaint", "about": "staff", "text": "I was spoken to rudely.", "anonymous": "on"},
    )
    assert sent.status_code == 200
    concern = Concern.objects.get()
    pin = re.search(rb'PIN: <span class="panel-code">(\d+)</span>', sent.content)
    assert pin is not None and concern.anonymous and concern.raised_by is None
    services.move(
        actor=coordinator_a, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thank you for telling us."
    )
    followed = client.post(
        reverse("concerns:follow_up"), {"reference": concern.reference, "pin": pin.group(1).decode()}
    )
    assert followed.status_code == 200 and b"Thank you for telling us." in followed.content
    written = client.post(
        reverse("concerns:follow_up"),
        {
            "reference": concern.reference,
            "pin": pin.group(1).decode(),
            "action": "message",
            "text": "It was on Tuesday.",
        },
    )
    assert b"It was on Tuesday." in written.content
    assert concern.messages.get().text == "It was on Tuesday."


def test_wrong_pins_are_limited_and_then_even_the_right_one_waits(org_a: Organisation) -> None:
    raised = raise_one(org_a, anonymous=True)
    client = Client()
    for _i in range(5):
        wrong = client.post(reverse("concerns:follow_up"), {"reference": raised.concern.reference, "pin": "12345678"})
        assert wrong.status_code == 400 and b"not right" in wrong.content
    limited = client.post(reverse("concerns:follow_up"), {"reference": raised.concern.reference, "pin": raised.pin})
    assert limited.status_code == 429 and b"Too many wrong PINs" in limited.content


def test_staff_never_see_a_concern_about_themselves(org_a: Organisation, coordinator_a: User) -> None:
    colleague = make_staff(org_a, Role.COORDINATOR, "colleague@example.org")
    concern = raise_one(org_a, about="staff").concern
    services.name_subject(actor=coordinator_a, concern=concern, about_staff=colleague)
    assert staff_client(coordinator_a).get(reverse("concerns:staff_detail", args=[concern.pk])).status_code == 200
    theirs = staff_client(colleague)
    assert theirs.get(reverse("concerns:staff_detail", args=[concern.pk])).status_code == 404
    assert concern.reference.encode() not in theirs.get(reverse("concerns:staff_list")).content
    posted = theirs.post(
        reverse("concerns:staff_act", args=[concern.pk, "move"]), {"move-stage": "acknowledged", "move-told": "Hidden"}
    )
    assert posted.status_code == 404 and not concern.steps.filter(told="Hidden").exists()


def test_a_budget_holder_does_not_see_concerns(org_a: Organisation) -> None:
    raise_one(org_a)
    budget = make_staff(org_a, Role.BUDGET_HOLDER, "budget@example.org")
    assert staff_client(budget).get(reverse("concerns:staff_list")).status_code == 403


def test_a_handler_takes_a_concern_through_every_stage_on_its_page(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    recorded = client.post(
        reverse("concerns:record"),
        {"channel": "phone", "kind": "concern", "about": "process", "text": "Rang about papers", "anonymous": "on"},
    )
    assert recorded.status_code == 200 and b"Read the reference and the PIN" in recorded.content
    concern = Concern.objects.get()
    url = reverse("concerns:staff_detail", args=[concern.pk])

    def act(action: str, data: dict[str, str]) -> int:
        prefixed = {f"{action}-{name}": value for name, value in data.items()}
        return client.post(reverse("concerns:staff_act", args=[concern.pk, action]), prefixed).status_code

    assert act("move", {"stage": "acknowledged", "told": ""}) == 400
    assert act("move", {"stage": "acknowledged", "told": "Thanks"}) == 302
    refused = client.post(
        reverse("concerns:staff_act", args=[concern.pk, "extend"]),
        {
            "extend-respond_by_day": "1",
            "extend-respond_by_month": "12",
            "extend-respond_by_year": "2099",
            "extend-reason": "Busy",
        },
    )
    assert refused.status_code == 400 and b"Give the date the extension was agreed" in refused.content
    assert not concern.extensions.exists()
    assert act("ask", {"asked": "Which papers?"}) == 302
    assert b"Paused: waiting for the person" in client.get(url).content
    mediation = make_entry(org_a, kind="mediation", name="Mid Wales Mediation")
    services.answer(concern=concern, text="The board papers")
    assert act("mediation", {"service": str(mediation.pk), "told": "We suggest mediation"}) == 302
    assert act("mediation-outcome", {"outcome": "Agreed a way forward"}) == 302
    assert act("move", {"stage": "response", "told": "Our response"}) == 302
    assert act("outcome", {"outcome": "well_founded", "learning": ""}) == 400
    assert act("outcome", {"outcome": "well_founded", "learning": "Papers a week ahead"}) == 302
    assert (
        act(
            "learning-action",
            {
                "text": "Send papers a week ahead",
                "owner": str(coordinator_a.pk),
                "due_on_day": "1",
                "due_on_month": "1",
                "due_on_year": "2030",
            },
        )
        == 302
    )
    assert act("move", {"stage": "closed", "told": "Closed"}) == 302
    page = client.get(url)
    assert b"Public Services Ombudsman for Wales" in page.content and b"Send papers a week ahead" in page.content
    concern.refresh_from_db()
    assert concern.stage == "closed" and concern.mediator == mediation


def test_a_member_sees_their_own_concerns_and_appeals(
    org_a: Organisation, member_a: Person, coordinator_a: User
) -> None:
    concern = raise_one(org_a, raised_by=member_a).concern
    services.move(actor=coordinator_a, concern=concern, stage="acknowledged", told="Thanks")
    services.move(actor=coordinator_a, concern=concern, stage="response", told="Our answer")
    client = member_client(member_a)
    page = client.get(reverse("concerns:mine"))
    assert b"Our answer" in page.content and concern.reference.encode() in page.content
    client.post(reverse("concerns:my_message", args=[concern.pk]), {"action": "appeal", "grounds": "Not fair"})
    concern.refresh_from_db()
    assert concern.stage == "appeal"


def test_the_pages_speak_welsh(org_a: Organisation, coordinator_a: User) -> None:
    raise_one(org_a)
    client = staff_client(coordinator_a)
    client.cookies["django_language"] = "cy"
    for url in (reverse("concerns:staff_list"), reverse("concerns:summary"), reverse("concerns:settings")):
        response = client.get(url, headers={"accept-language": "cy"})
        assert response.status_code == 200
        assert response["Content-Language"] == "cy"
    public = Client().get(reverse("concerns:raise", args=[org_a.slug]), headers={"accept-language": "cy"})
    assert public.status_code == 200


def test_a_pin_from_an_address_that_cannot_be_told_is_refused_as_too_many_tries(org_a: Organisation) -> None:
    raised = raise_one(org_a, anonymous=True)
    response = Client().post(
        reverse("concerns:follow_up"), {"reference": raised.concern.reference, "pin": raised.pin}, REMOTE_ADDR=""
    )
    assert response.status_code == 429


def test_every_page_leads_to_raising_a_concern_with_any_organisation(org_a: Organisation, org_b: Organisation) -> None:
    client = Client()
    home = client.get("/").content.decode()
    assert f'href="{reverse("concerns:choose")}"' in home and f'href="{reverse("concerns:follow_up")}"' in home
    choose = client.get(reverse("concerns:choose")).content.decode()
    for organisation in (org_a, org_b):
        assert f'href="{reverse("concerns:raise", args=[organisation.slug])}"' in choose


def test_one_address_raises_ten_concerns_an_hour_on_the_web_and_the_api_together(org_a: Organisation) -> None:
    client = Client()
    url = reverse("concerns:raise", args=[org_a.slug])
    fields = {"kind": "concern", "about": "process", "text": "The papers came late.", "anonymous": "on"}
    for _ in range(9):
        assert client.post(url, fields).status_code == 200
    api = client.post(
        f"/api/concerns/raise/{org_a.slug}", fields | {"anonymous": True}, content_type="application/json"
    )
    assert api.status_code == 201
    refused = client.post(url, fields)
    assert refused.status_code == 429
    assert (
        "Nothing you typed is lost" in refused.content.decode() and "The papers came late." in refused.content.decode()
    )
    api = client.post(
        f"/api/concerns/raise/{org_a.slug}", fields | {"anonymous": True}, content_type="application/json"
    )
    assert api.status_code == 429 and api.json()["code"] == "too_many_requests"
    assert Concern.objects.count() == 10
