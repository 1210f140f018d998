"""The shipped frameworks as data: the recruitment strategy checklists (001 §2.1 to §2.5) and the engagement
evaluation framework (001 Appendix 1) beside the first four, each item in English and Welsh with its source."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.api.helpers import api_as
from tests.conftest import make_member, staff_client
from withus.accounts.models import Organisation, User
from withus.assessments import selectors, services
from withus.assessments.models import Agreement, Framework, Item, ScaleStep
from withus.assessments.shipped import FRAMEWORKS, MET3, YES_NO, ship

pytestmark = pytest.mark.django_db

RECRUITMENT, EVALUATION = "recruitment-strategy", "engagement-evaluation"
SHIPPED = {data["code"]: data for data in FRAMEWORKS}


def shipped(code: str) -> Framework:
    return Framework.objects.get(organisation=None, code=code)


def everything_shipped() -> list[tuple[Any, ...]]:
    """Every row ``ship`` writes, with its primary key: equal lists mean nothing changed."""
    frameworks = Framework.objects.filter(organisation=None)
    return (
        list(frameworks.order_by("pk").values_list())
        + list(ScaleStep.objects.filter(framework__in=frameworks).order_by("pk").values_list())
        + list(Item.objects.filter(framework__in=frameworks).order_by("pk").values_list())
    )


def test_both_new_frameworks_are_there_after_the_migrations_with_all_their_items() -> None:
    assert set(Framework.objects.filter(organisation=None).values_list("code", flat=True)) == {
        "4pi",
        "good-practice-checklist",
        "leadership-spectrum",
        "minimum-expectations",
        RECRUITMENT,
        EVALUATION,
    }
    recruitment, evaluation = shipped(RECRUITMENT), shipped(EVALUATION)
    assert (recruitment.name, recruitment.name_cy) == (
        "Recruitment strategy checklists",
        SHIPPED[RECRUITMENT]["name_cy"],
    )
    assert [(s.value, s.label, s.label_cy) for s in recruitment.steps.all()] == [(0, "No", "Na"), (1, "Yes", "Ie")]
    assert [s.label for s in evaluation.steps.all()] == ["Not met", "Part met", "Met"]
    assert recruitment.items.count() == len(SHIPPED[RECRUITMENT]["items"]) == 35
    assert evaluation.items.count() == len(SHIPPED[EVALUATION]["items"]) == 88
    # Grouped by section, in the guidance's order, as the other frameworks group items by standard.
    assert list(dict.fromkeys(recruitment.items.values_list("standard", flat=True))) == [
        "Where the organisation is now",
        "Where the organisation wants to be",
        "How the organisation will get there",
        "Delivering the strategy",
        "Reviewing and updating the strategy",
    ]
    assert list(dict.fromkeys(evaluation.items.values_list("standard", flat=True))) == [
        "Process",
        "Outcomes and impact",
        "Context",
    ]
    assert [i.code for i in recruitment.items.all()][:3] == ["RS1", "RS2", "RS3"]
    assert evaluation.items.values_list("code", flat=True)[0] == "EP1"


def test_every_section_of_the_guidance_has_its_items() -> None:
    recruitment = set(shipped(RECRUITMENT).items.values_list("source", flat=True))
    for section in ("001 §2.1", "001 §2.2", "001 §2.3", "001 §2.4", "001 §2.5"):
        assert any(s.startswith(f"{section}.") for s in recruitment), section
    evaluation = set(shipped(EVALUATION).items.values_list("source", flat=True))
    assert all(s.startswith("001 Appendix 1 §") for s in evaluation)
    for section in (
        "Planning",
        "Fair",
        "Ending of activities",
        "Quality of decision-making",
        "Power of service users and carers",
    ):
        assert f"001 Appendix 1 §{section}" in evaluation, section
    assert len(evaluation) == 45  # every heading of the appendix, from planning to the power of service users


def test_every_shipped_item_has_english_welsh_and_a_source_and_codes_are_unique() -> None:
    for data in FRAMEWORKS:
        assert data["name_cy"] and data["description_cy"] and data["source"], data["code"]
        assert all(label and label_cy for label, label_cy in data["scale"])
        codes = [code for _s, _c, code, _t, _tc, _src in data["items"]]
        # ``ship`` finds an item by its code: a code used twice would silently overwrite the first item.
        assert len(codes) == len(set(codes)), data["code"]
        for standard, standard_cy, code, text, text_cy, source in data["items"]:
            assert standard and standard_cy and code and text and text_cy and source, code
            assert len(code) <= 20 and len(standard) <= 120 and len(standard_cy) <= 120 and len(source) <= 200
            assert text != text_cy, code
    assert SHIPPED[RECRUITMENT]["scale"] is YES_NO and SHIPPED[EVALUATION]["scale"] is MET3
    items = Item.objects.filter(framework__organisation=None)
    assert not items.filter(text_cy="").exists() and not items.filter(standard_cy="").exists()
    assert not items.filter(source="").exists()


def test_each_item_reads_in_welsh_when_the_page_is_in_welsh() -> None:
    item = shipped(EVALUATION).items.get(code="EP4")
    with translation.override("cy"):
        assert item.wording.startswith("Mae gan bawb gyfle cyfartal i gyfrannu")
        assert item.standard_title == "Proses"
        assert shipped(RECRUITMENT).title == "Rhestrau gwirio'r strategaeth recriwtio"
    assert item.wording.startswith("Everyone has an equal chance to contribute")
    assert item.source == "001 Appendix 1 §Fair"


def test_shipping_again_changes_nothing() -> None:
    before = everything_shipped()
    ship()
    ship()
    assert everything_shipped() == before


def test_the_migration_ships_them_to_an_installation_that_had_only_the_first_four() -> None:
    Framework.objects.filter(organisation=None, code__in=[RECRUITMENT, EVALUATION]).delete()
    four_pi = everything_shipped()[0]
    migration = importlib.import_module("withus.assessments.migrations.0003_recruitment_and_evaluation_frameworks")
    migration.ship_frameworks(apps, None)
    assert shipped(RECRUITMENT).items.count() == 35 and shipped(EVALUATION).items.count() == 88
    assert everything_shipped()[0] == four_pi  # the first four keep their rows


@pytest.mark.parametrize(("code", "top"), [(RECRUITMENT, 1), (EVALUATION, 2)])
def test_an_assessment_is_opened_on_each_and_scored_on_its_scale(
    org_a: Organisation, coordinator_a: User, code: str, top: int
) -> None:
    framework = shipped(code)
    assert framework in selectors.frameworks_for(org_a)
    assessment = services.open_assessment(
        actor=coordinator_a,
        organisation=org_a,
        framework=framework,
        title=f"{framework.name} 2026",
        period_start=date(2026, 4, 6),
        period_end=date(2027, 4, 5),
    )
    member = make_member(org_a)
    assert member.user is not None
    services.invite_scorer(actor=coordinator_a, assessment=assessment, user=member.user, side="member")
    services.invite_scorer(actor=coordinator_a, assessment=assessment, user=coordinator_a, side="staff")
    first, second = list(framework.items.all())[:2]
    services.record_score(actor=member.user, assessment=assessment, item=first, value=top, evidence="we do")
    services.record_score(actor=coordinator_a, assessment=assessment, item=first, value=0, evidence="not yet")
    with pytest.raises(ValidationError) as error:
        services.record_score(actor=member.user, assessment=assessment, item=second, value=top + 1)
    assert "value" in error.value.message_dict
    services.close_scoring(actor=coordinator_a, assessment=assessment)
    services.agree_score(actor=coordinator_a, assessment=assessment, item=first, value=0)
    assert Agreement.objects.get(assessment=assessment, item=first).value == 0
    # Below the top of its scale, the item is a gap an action can be planned for.
    action = services.create_action(
        actor=coordinator_a,
        assessment=assessment,
        item=first,
        description="Co-produce the role descriptions",
        owner=coordinator_a,
        due_on=date(2027, 1, 31),
        monitoring="At the involvement group each quarter",
    )
    assert action.item == first


def test_the_api_and_the_page_offer_both(org_a: Organisation, coordinator_a: User) -> None:
    listed = api_as(coordinator_a, org_a).get("/api/frameworks", {"limit": 100}).json()["items"]
    by_code = {f["code"]: f for f in listed}
    assert len(by_code[RECRUITMENT]["items"]) == 35 and len(by_code[EVALUATION]["items"]) == 88
    page = staff_client(coordinator_a).get(reverse("assessments:staff_open")).content.decode()
    assert "Recruitment strategy checklists" in page and "Engagement evaluation framework" in page
