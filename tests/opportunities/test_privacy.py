"""A member's download holds their responses with outcomes and referees, referrals of them, and alerts."""

import json

import pytest
from django.utils import timezone

from tests.opportunities.factories import ApplicationFactory, OpportunityFactory, ReferenceFactory, ReferralFactory
from tests.people.factories import PersonFactory
from withus.core import privacy
from withus.opportunities.models import MatchNotice, PanelScore, ScoringCriterion

pytestmark = pytest.mark.django_db


def test_the_download_has_each_response_its_outcome_and_referees():
    person = PersonFactory()
    opportunity = OpportunityFactory(title="Crisis leaflet panel")
    application = ApplicationFactory(
        opportunity=opportunity, person=person, status="not_selected", status_reason="Many applied"
    )
    ReferenceFactory(application=application, name="Gwen Lloyd", relationship="Support worker", email="g@example.org")
    criterion = ScoringCriterion.objects.create(opportunity=opportunity, text="Lived experience")
    PanelScore.objects.create(application=application, criterion=criterion, panel_member="Huw", score=4)
    ApplicationFactory()  # someone else's

    document = privacy.subject_access(person)

    [response] = document["applications"]
    assert (response["opportunity"], response["status"], response["status_reason"]) == (
        "Crisis leaflet panel",
        "not_selected",
        "Many applied",
    )
    assert response["references"] == [
        {"name": "Gwen Lloyd", "relationship": "Support worker", "email": "g@example.org", "phone": ""}
    ]
    assert response["scores"] == [{"criterion": "Lived experience", "panel_member": "Huw", "score": 4, "note": ""}]
    assert set(document["labels"]["applications"]["fields"]) == set(response)
    json.dumps(document)


def test_the_download_has_referrals_of_the_person_and_alerts_sent_to_them():
    person = PersonFactory()
    ReferralFactory(person=person, person_name="Alaw", referred_by_name="Dr Rees")
    ReferralFactory()  # not (yet) anyone on the register
    MatchNotice.objects.create(person=person, opportunity=OpportunityFactory(title="Carers' forum"), channel="email")

    document = privacy.subject_access(person)

    [referral] = document["referrals"]
    assert (referral["person_name"], referral["referred_by_name"], referral["status"]) == ("Alaw", "Dr Rees", "new")
    [alert] = document["opportunity_alerts"]
    assert (alert["opportunity"], alert["channel"]) == ("Carers' forum", "email")
    assert alert["sent_at"].startswith(str(timezone.localdate().year))
    for key in ("referrals", "opportunity_alerts"):
        assert set(document["labels"][key]["fields"]) == set(document[key][0])
