"""Every page, walked from the URL configuration: who may open it, and what everyone else gets.

- anonymous visitors are sent to the sign-in page (staff and member pages);
- members get 403 on staff pages;
- staff of another organisation get 404 for anything that belongs to this one;
- members get 404 for what belongs to another member;
- staff who have not entered their authenticator code this session are asked for it.

A new page with an id in its address must say here what the id is (``OWNED``), or the
walk fails: nobody can add a page that skips these checks by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.accounts.factories import MembershipFactory
from tests.concerns.factories import raise_one
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.factories import AttendanceFactory, DebriefFactory, InvitationFactory, PaperFactory, SessionFactory
from tests.opportunities.factories import ApplicationFactory, OpportunityFactory
from tests.rewards.factories import (
    BenefitDeclarationFactory,
    BudgetFactory,
    CashFloatFactory,
    IncomeLineFactory,
    PaymentBatchFactory,
)
from tests.support.factories import (
    CallRequestFactory,
    DevelopmentGoalFactory,
    MentoringFactory,
    SupervisionFactory,
    SupervisionGroupFactory,
)
from tests.support.leaving.factories import LeavingOfferFactory
from tests.support.localhelp.factories import make_entry
from tests.support.preparation.factories import make_preparation
from tests.support.training.factories import CourseFactory
from withus.accounts.models import ApiToken, Organisation, Role
from withus.concerns.independence.models import IndependenceRisk
from withus.concerns.models import ProtectedDecision
from withus.groups.models import Ballot, BallotVoter, Group
from withus.impact.contributions.models import Contribution, FollowUp
from withus.impact.stories.models import Story
from withus.impact.surveys.models import Question, Survey
from withus.opportunities.models import Draw
from withus.people.models import ConsentRecord, ExitInterview, Person
from withus.reports.models import AnnualReport
from withus.support.training.models import LoggedLearning, RequiredTraining

pytestmark = pytest.mark.django_db

# Pages open to everyone, or reached only by a link with its own secret in it.
PUBLIC_PREFIXES = ("opportunities/", "o/", "calendar/", "i18n/", "accounts/", "api/", "django-admin/")


@dataclass
class Route:
    path: str  # the pattern, e.g. "staff/people/<int:pk>/"
    name: str

    @property
    def staff(self) -> bool:
        return self.path.startswith("staff/")

    @property
    def member(self) -> bool:
        return self.path.startswith("me/")


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                yield Route(prefix + str(pattern.pattern), name)

    for route in walk(get_resolver().url_patterns, "", ""):
        if route.staff or route.member:
            yield route


@dataclass
class World:
    """Organisation A with one of everything, a member of A, and staff of B."""

    org_a: Organisation
    org_b: Organisation
    member: Person
    other_member: Person
    objects: dict[str, Any]


# For each page with ids in its address: how to make what the ids name, in organisation A
# (and for member pages, belonging to ``world.member``). Keyword -> maker.
Maker = Callable[["World"], dict[str, Any]]


def _once(world: World, key: str, make: Callable[[], Any]) -> Any:
    if key not in world.objects:
        world.objects[key] = make()
    return world.objects[key]


def _annual_report(world: World) -> Any:
    def make() -> Any:
        report = AnnualReport.objects.create(organisation=world.org_a, year=2026)
        report.invited.add(world.member)
        return report

    return _once(world, "annual_report", make)


def _planned(world: World) -> Any:
    def make() -> Any:
        from withus.support.planning.models import PlannedSupervision, SupervisionInvitation

        plan = PlannedSupervision.objects.create(
            organisation=world.org_a,
            kind="one_to_one",
            person=world.member,
            supervisor=make_staff(world.org_a, Role.SUPERVISOR),
            starts_at=timezone.now() + timezone.timedelta(days=3),
            minutes=60,
            where="Room 1",
        )
        SupervisionInvitation.objects.create(plan=plan, person=world.member)
        return plan

    return _once(world, "planned", make)


def _interest(world: World) -> Any:
    from withus.concerns.interests.models import Interest

    return _once(world, "interest", lambda: Interest.objects.create(person=world.member, kind="role", body="Afon"))


def _staff_interest(world: World) -> Any:
    from withus.concerns.interests.models import Interest

    def make() -> Any:
        return Interest.objects.create(user=make_staff(world.org_a, Role.COORDINATOR), kind="role", body="Afon")

    return _once(world, "staff_interest", make)


def _session(world: World) -> Any:
    return _once(world, "session", lambda: SessionFactory(organisation=world.org_a))


def _application(world: World) -> Any:
    return _once(
        world, "application", lambda: ApplicationFactory(person=world.member, opportunity__organisation=world.org_a)
    )


def _draw(world: World) -> Any:
    def make() -> Any:
        application = _application(world)
        return Draw.objects.create(
            opportunity=application.opportunity,
            seed="seed",
            places=1,
            inputs={"candidates": [], "strata_by": []},
            result={"selected": [application.pk], "waiting_list": []},
        )

    return _once(world, "draw", make)


def _contribution(world: World) -> Any:
    """A contribution of the member's, answered and due its follow-up."""

    def make() -> Any:
        contribution = Contribution.objects.create(
            organisation=world.org_a,
            project=Group.objects.create(organisation=world.org_a, name="Project"),
            text="Said",
            perspective="carer",
            answer_due_on=timezone.localdate(),
        )
        contribution.contributors.create(person=world.member)
        FollowUp.objects.create(contribution=contribution)
        return contribution

    return _once(world, "contribution", make)


def _concern(world: World) -> Any:
    """A concern the member raised, under their name."""
    return _once(world, "concern", lambda: raise_one(world.org_a, raised_by=world.member).concern)


def _story(world: World) -> Any:
    return _once(
        world,
        "story",
        lambda: Story.objects.create(
            organisation=world.org_a,
            person=world.member,
            title="My story",
            places=["training"],
            until=timezone.localdate() + timezone.timedelta(days=30),
        ),
    )


def _attendance(world: World) -> Any:
    return _once(world, "attendance", lambda: AttendanceFactory(session=_session(world), person=world.member))


def _survey(world: World) -> Any:
    def make() -> Any:
        survey = Survey.objects.create(organisation=world.org_a, title="Our service", status=Survey.Status.OPEN)
        Question.objects.create(survey=survey, kind=Question.Kind.TEXT, text="What should change?")
        return survey

    return _once(world, "survey", make)


def _course(world: World) -> Any:
    return _once(world, "course", lambda: CourseFactory(organisation=world.org_a))


def _line(world: World, **fields: Any) -> Any:
    return IncomeLineFactory(person=world.member, organisation=world.org_a, **fields)


def _ballot(world: World) -> Any:
    def make() -> Any:
        group = Group.objects.create(organisation=world.org_a, name="Hafan group", kind="network")
        AppointmentFactory(group=group, person=world.member)
        ballot = Ballot.objects.create(group=group, question="Q", status=Ballot.Status.PUBLISHED)
        BallotVoter.objects.create(ballot=ballot, person=world.member)
        return ballot

    return _once(world, "ballot", make)


def _representative(world: World) -> Any:
    return _once(
        world,
        "representative",
        lambda: AppointmentFactory(
            group__organisation=world.org_a, person=world.member, speaks_for=_ballot(world).group
        ),
    )


def _mentoring(world: World) -> Any:
    return _once(world, "mentoring", lambda: MentoringFactory(organisation=world.org_a, new_member=world.member))


def _leaving_offer(world: World) -> Any:
    return _once(world, "leaving_offer", lambda: LeavingOfferFactory(person=world.member, organisation=world.org_a))


def _assessment(world: World) -> Any:
    def make() -> Any:
        from withus.assessments.models import Assessment, Framework, Scorer

        coordinator = make_staff(world.org_a)
        assessment = Assessment.objects.create(
            organisation=world.org_a,
            framework=Framework.objects.get(organisation=None, code="4pi"),
            title="4PI",
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
            opened_by=coordinator,
        )
        Scorer.objects.create(assessment=assessment, user=world.member.user, side="member")
        return assessment

    return _once(world, "assessment", make)


def _assessment_action(world: World) -> Any:
    from withus.assessments.models import Action

    assessment = _assessment(world)
    return Action.objects.create(
        organisation=world.org_a,
        assessment=assessment,
        item=assessment.framework.items.first(),
        description="d",
        owner=assessment.opened_by,
        due_on=timezone.localdate(),
        monitoring="m",
    )


def _own_framework(world: World) -> Any:
    def make() -> Any:
        from withus.assessments.models import Framework, Item, ScaleStep

        framework = Framework.objects.create(organisation=world.org_a, code="own-1", name="Our charter")
        ScaleStep.objects.bulk_create([ScaleStep(framework=framework, value=v, label=f"{v}") for v in (0, 1)])
        Item.objects.create(framework=framework, standard="Pay", code="C1", text="We pay on the day")
        return framework

    return _once(world, "own_framework", make)


def _aim(world: World) -> Any:
    from withus.assessments.models import Aim, Strategy

    strategy = Strategy.objects.create(organisation=world.org_a, title="Strategy")
    return Aim.objects.create(strategy=strategy, text="Reach more carers", owner=make_staff(world.org_a))


def _register_import(world: World) -> Any:
    from withus.imports.models import RegisterImport

    return _once(
        world,
        "register_import",
        lambda: RegisterImport.objects.create(
            organisation=world.org_a, file_name="r.csv", file_type="csv", headers=["Name"], rows_data="[]"
        ),
    )


def _prepared_file(world: World) -> Any:
    from withus.downloads.models import PreparedFile

    return _once(
        world,
        "prepared_file",
        lambda: PreparedFile.objects.create(
            organisation=world.org_a,
            requested_by=make_staff(world.org_a, Role.ADMIN),
            kind=PreparedFile.Kind.PEOPLE,
            file_format="csv",
            file_name="people.csv",
        ),
    )


OWNED: dict[str, Maker] = {
    **{f"downloads:{name}": (lambda w: {"pk": _prepared_file(w).pk}) for name in ("detail", "download")},
    **{
        f"imports:{name}": (lambda w: {"pk": _register_import(w).pk})
        for name in ("detail", "columns", "undo", "abandon")
    },
    "accounts:remove_role": lambda w: {"pk": MembershipFactory(organisation=w.org_a, role=Role.SUPERVISOR).pk},
    "accounts:revoke_token": lambda w: {
        "pk": ApiToken.objects.create(
            user=w.member.user, organisation=w.org_a, role=Role.MEMBER, name="t", token_hash="x" * 64
        ).pk
    },
    "people:me_section": lambda w: {"slug": "about"},
    "people:me_withdraw_consent": lambda w: {"pk": w.member.consents.first().pk},
    "people:me_exit_interview": lambda w: {"pk": ExitInterview.objects.create(person=w.member).pk},
    "people:staff_person": lambda w: {"pk": w.member.pk},
    "people:staff_section": lambda w: {"pk": w.member.pk, "slug": "about"},
    "people:staff_consent": lambda w: {"pk": w.member.pk},
    "people:staff_dbs": lambda w: {"pk": w.member.pk},
    "opportunities:withdraw": lambda w: {
        "pk": ApplicationFactory(person=w.member, opportunity__organisation=w.org_a).pk
    },
    "opportunities:ask_feedback": lambda w: {
        "pk": ApplicationFactory(person=w.member, opportunity__organisation=w.org_a).pk
    },
    **{
        f"opportunities:{name}": (lambda w: {"pk": OpportunityFactory(organisation=w.org_a).pk})
        for name in (
            "staff_detail",
            "staff_edit",
            "staff_status",
            "staff_channel",
            "staff_selection",
            "staff_draw",
            "staff_responses_csv",
            "staff_responses_xlsx",
        )
    },
    "opportunities:staff_application": lambda w: {"pk": _application(w).pk},
    **{f"opportunities:{name}": (lambda w: {"pk": _draw(w).pk}) for name in ("staff_draw_record", "staff_draw_check")},
    "opportunities:staff_appoint": lambda w: {"pk": _application(w).pk},
    **{
        f"meetings:{name}": (lambda w: {"pk": _session(w).pk})
        for name in (
            "staff_detail",
            "staff_edit",
            "staff_invite",
            "staff_override",
            "staff_send",
            "staff_paper",
            "staff_cancel",
            "staff_letters",
            "staff_attendance",
            "staff_after",
        )
    },
    "meetings:my_reply": lambda w: {"pk": InvitationFactory(session=_session(w), person=w.member).pk},
    "meetings:my_paper": lambda w: {"pk": PaperFactory(session=_session(w)).pk},
    "meetings:report_back": lambda w: {"pk": _session(w).pk},
    "support:preparation_staff_session": lambda w: {"pk": _session(w).pk},
    "support:preparation_staff_arrange": lambda w: {"pk": _session(w).pk, "kind": "briefing"},
    "support:preparation_answer": lambda w: {"pk": make_preparation(_session(w)).pk},
    "meetings:debrief": lambda w: {"pk": DebriefFactory(session=_session(w), person=w.member).pk},
    "meetings:certificate": lambda w: {"pk": _attendance(w).pk},
    "rewards:me_stop": lambda w: {"pk": BenefitDeclarationFactory(person=w.member).pk},
    "rewards:me_offer": lambda w: {"pk": _line(w, status="offered").pk},
    "rewards:staff_offer": lambda w: {"pk": w.member.pk},
    "rewards:staff_offer_made": lambda w: {"pk": w.member.pk, "line_pk": _line(w, status="offered").pk},
    "rewards_claims:staff_offer_fee": lambda w: {"pk": _attendance(w).pk},
    "rewards_claims:me_expense": lambda w: {"pk": _line(w, kind="expense", status="submitted").pk},
    "rewards_finance:approve": lambda w: {"pk": _line(w, status="submitted").pk},
    "rewards_finance:return": lambda w: {"pk": _line(w, status="submitted").pk},
    "rewards_claims:staff_receipt": lambda w: {"pk": _line(w, kind="expense", status="submitted").pk},
    "rewards_finance:close_budget": lambda w: {"pk": BudgetFactory(organisation=w.org_a).pk},
    "rewards_finance:export": lambda w: {"pk": PaymentBatchFactory(organisation=w.org_a).pk},
    "rewards_finance:paid": lambda w: {"pk": PaymentBatchFactory(organisation=w.org_a).pk},
    **{
        f"rewards_cash:{name}": (lambda w: {"pk": CashFloatFactory(organisation=w.org_a).pk})
        for name in ("float", "repay", "close")
    },
    "rewards_statements:me_statement_pdf": lambda w: {"year": timezone.localdate().year},
    "rewards_statements:me_statement_csv": lambda w: {"year": timezone.localdate().year},
    "rewards_statements:me_statement_xlsx": lambda w: {"year": timezone.localdate().year},
    "rewards_statements:staff_thanks": lambda w: {"pk": w.member.pk},
    **{
        f"support:{name}": (lambda w: {"pk": _course(w).pk})
        for name in ("training_course", "training_edit", "training_run", "training_require")
    },
    "support:training_unrequire": lambda w: {
        "pk": _course(w).pk,
        "requirement": RequiredTraining.objects.create(
            course=_course(w), group=Group.objects.create(organisation=w.org_a, name="Panel")
        ).pk,
    },
    "support:training_decide": lambda w: {
        "pk": LoggedLearning.objects.create(
            person=w.member, course=_course(w), completed_on=timezone.localdate(), provider="Elsewhere"
        ).pk
    },
    "support:training_staff_person": lambda w: {"pk": w.member.pk},
    **{
        f"support:{name}": (lambda w: {"pk": _once(w, "help", lambda: make_entry(w.org_a)).pk})
        for name in ("localhelp_edit", "localhelp_checked", "localhelp_remove")
    },
    "support:localhelp_my_leaflet": lambda w: {"organisation": w.org_a.slug},
    **{
        f"support:{name}": (lambda w: {"pk": w.member.pk})
        for name in ("staff_person", "staff_assign", "staff_contact", "staff_call", "staff_supervision")
    },
    "support:staff_group": lambda w: {"pk": SupervisionGroupFactory(organisation=w.org_a).pk},
    "support:planning_staff_new": lambda w: {"pk": w.member.pk},
    "support:planning_staff_new_group": lambda w: {"pk": SupervisionGroupFactory(organisation=w.org_a).pk},
    **{
        f"support:{name}": lambda w: {"pk": _planned(w).pk}
        for name in ("planning_staff_plan", "planning_staff_move", "planning_staff_cancel", "planning_staff_held")
    },
    "support:planning_mine": lambda w: {"pk": _planned(w).invitations.get().pk},
    "support:planning_staff_answer": lambda w: {
        "pk": _planned(w).pk,
        "invitation_pk": _planned(w).invitations.get().pk,
    },
    "concerns:change_my_interest": lambda w: {"pk": _interest(w).pk},
    "groups:agreement": lambda w: {"group_id": GroupFactory(organisation=w.org_a).pk},
    "groups:staff_person_code": lambda w: {"pk": w.member.pk},
    "groups:end_seat": lambda w: {"appointment_id": AppointmentFactory(group__organisation=w.org_a).pk},
    "concerns:staff_change_interest": lambda w: {"pk": _staff_interest(w).pk},
    "concerns:staff_person_interests": lambda w: {"pk": w.member.pk},
    "concerns:staff_person_change_interest": lambda w: {"pk": w.member.pk, "interest_pk": _interest(w).pk},
    "support:me_supervision": lambda w: {"pk": SupervisionFactory(organisation=w.org_a, person=w.member).pk},
    **{
        f"support:{name}": lambda w: {"pk": _mentoring(w).pk}
        for name in ("me_mentoring", "me_end_mentoring", "staff_end_mentoring")
    },
    "support:me_goal": lambda w: {"pk": DevelopmentGoalFactory(person=w.member, organisation=w.org_a).pk},
    "support:staff_answer": lambda w: {"pk": CallRequestFactory(person=w.member, organisation=w.org_a).pk},
    **{f"impact:{name}": (lambda w: {"pk": _contribution(w).pk}) for name in ("answer", "follow_up")},
    **{
        f"impact:{name}": (lambda w: {"pk": _story(w).pk})
        for name in (
            "stories_use",
            "stories_withdraw",
            "stories_file",
            "stories_download",
            "stories_remove_file",
            "stories_me_file",
            "stories_me_remove_file",
        )
    },
    "impact:me_submit": lambda w: {
        "session_pk": AttendanceFactory(person=w.member, session=SessionFactory(organisation=w.org_a)).session.pk
    },
    "groups:new_ballot": lambda w: {"group_id": _ballot(w).group_id},
    **{
        f"groups:{name}": (lambda w: {"ballot_id": _ballot(w).pk})
        for name in ("manage_ballot", "ballot", "ballot_list_csv", "ballot_list_xlsx")
    },
    "groups:representative": lambda w: {"appointment_id": _representative(w).pk},
    "groups:structure": lambda w: {"slug": w.org_a.slug},
    "concerns:my_message": lambda w: {"pk": _concern(w).pk},
    "concerns:staff_detail": lambda w: {"pk": _concern(w).pk},
    "concerns:staff_act": lambda w: {"pk": _concern(w).pk, "action": "move"},
    "concerns:review": lambda w: {
        "pk": ProtectedDecision.objects.create(
            organisation=w.org_a,
            person=w.member,
            kind=ProtectedDecision.Kind.SEAT,
            subject_id=1,
            subject="A seat on the board",
            reason="Term ended early",
            decided_by=make_staff(w.org_a),
        ).pk
    },
    **{
        f"reports:{name}": (lambda w: {"year": _annual_report(w).year, "section": "reach"})
        for name in ("staff_section", "staff_comment")
    },
    "reports:staff_report": lambda w: {"year": _annual_report(w).year},
    "reports:me_report": lambda w: {"pk": _annual_report(w).pk},
    "reports:me_comment": lambda w: {"pk": _annual_report(w).pk, "section": "reach"},
    **{
        f"assessments:{name}": (lambda w: {"pk": _assessment(w).pk})
        for name in ("me_score", "staff_detail", "staff_invite", "staff_score", "staff_close")
    },
    **{
        f"assessments:{name}": (
            lambda w: {"pk": _assessment(w).pk, "item_pk": _assessment(w).framework.items.first().pk}
        )
        for name in ("staff_agree", "staff_action")
    },
    "assessments:staff_action_progress": lambda w: {"pk": _assessment_action(w).pk},
    "assessments:staff_milestone": lambda w: {"pk": _aim(w).pk},
    "assessments:staff_framework_copy": lambda w: {"pk": _own_framework(w).pk},
    "assessments:staff_item_wording": lambda w: {"pk": _own_framework(w).items.get().pk},
    "concerns:independence_review": lambda w: {
        "pk": IndependenceRisk.objects.create(organisation=w.org_a, title="Funding", likelihood=3, impact=3).pk
    },
    **{
        f"impact:{name}": (lambda w: {"pk": _survey(w).pk})
        for name in (
            "survey_detail",
            "survey_edit",
            "survey_question_new",
            "survey_status",
            "survey_paper",
            "survey_paper_entry",
            "survey_results",
            "survey_results_csv",
            "survey_results_xlsx",
            "survey_theme",
            "survey_answer",
        )
    },
    "impact:survey_question_change": lambda w: {"pk": _survey(w).pk, "question": _survey(w).questions.get().pk},
    "impact:evaluation_offer": lambda w: {"session": _session(w).pk},
    "support:leaving_staff_new": lambda w: {"pk": w.member.pk},
    **{
        f"support:{name}": lambda w: {"pk": _leaving_offer(w).pk}
        for name in (
            "leaving_staff_offer",
            "leaving_staff_letter",
            "leaving_staff_certificate",
            "leaving_mine",
            "leaving_answer",
            "leaving_my_certificate",
        )
    },
}
# Staff pages a member uses too: their own API tokens, and choosing an organisation to work in.
MEMBERS_TOO = {"accounts:tokens", "accounts:revoke_token", "accounts:switch_organisation"}
# Member pages whose ids name nothing another member could own.
NOT_OWNED = {
    "people:me_section",
    "rewards_statements:me_statement_pdf",
    "rewards_statements:me_statement_csv",
    "rewards_statements:me_statement_xlsx",
}


@pytest.fixture
def world(org_a: Organisation, org_b: Organisation) -> World:
    member = make_member(org_a, full_name="Alaw Member")
    ConsentRecord.objects.create(person=member, purpose=ConsentRecord.Purpose.ACT_ON_BEHALF, organisation=org_a)
    other = make_member(org_b, full_name="Bedwyr Member")
    return World(org_a=org_a, org_b=org_b, member=member, other_member=other, objects={})


def address(route: Route, world: World) -> str:
    if "<" not in route.path:
        return reverse(route.name)
    maker = OWNED.get(route.name)
    assert maker is not None, f"{route.path} ({route.name}) has an id in its address: say in OWNED what it names"
    return reverse(route.name, kwargs=maker(world))


def visit(client: Client, path: str) -> tuple[int, str]:
    response = client.get(path)
    if response.status_code == 405:  # a page that only takes a form
        response = client.post(path, {})
    return response.status_code, response.get("Location", "")


def test_every_page_with_an_id_says_what_the_id_names() -> None:
    unnamed = [r.name for r in routes() if "<" in r.path and r.name not in OWNED]
    assert unnamed == []
    stale = set(OWNED) - {r.name for r in routes()}
    assert stale == set()


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    wrong = []
    for route in routes():
        status, location = visit(Client(), address(route, world))
        if not (status == 302 and location.startswith(reverse("account_login"))):
            wrong.append(f"{route.path}: {status} {location}")
    assert wrong == [], "\n".join(wrong)


def test_members_are_refused_staff_pages(world: World) -> None:
    client = member_client(world.member)
    wrong = []
    for route in routes():
        if route.staff and route.name not in MEMBERS_TOO:
            status, _location = visit(client, address(route, world))
            if status != 403:
                wrong.append(f"{route.path}: {status}")
    assert wrong == [], "\n".join(wrong)


def test_staff_of_another_organisation_find_nothing_of_this_one(world: World) -> None:
    """With every staff role in organisation B, nothing of A's can be opened or changed."""
    staff_b = make_staff(world.org_b, Role.ADMIN)
    for role in (Role.COORDINATOR, Role.BUDGET_HOLDER, Role.SUPERVISOR, Role.DECISION_MAKER):
        MembershipFactory(user=staff_b, organisation=world.org_b, role=role)
    client = staff_client(staff_b)
    wrong = []
    for route in routes():
        if route.staff and "<" in route.path:
            status, _location = visit(client, address(route, world))
            if status != 404:
                wrong.append(f"{route.path}: {status}")
    assert wrong == [], "\n".join(wrong)


def test_members_find_nothing_of_another_members(world: World) -> None:
    client = member_client(world.other_member)
    wrong = []
    for route in routes():
        if route.member and "<" in route.path and route.name not in NOT_OWNED:
            status, _location = visit(client, address(route, world))
            if status != 404:
                wrong.append(f"{route.path}: {status}")
    assert wrong == [], "\n".join(wrong)


def test_staff_who_have_not_entered_their_code_are_asked_for_it(world: World) -> None:
    staff = make_staff(world.org_a, Role.ADMIN)
    client = Client()
    client.force_login(staff)  # a password, and no second step in this session
    wrong = []
    for route in routes():
        if route.staff:
            status, location = visit(client, address(route, world))
            if not (status == 302 and location.startswith(reverse("mfa_reauthenticate"))):
                wrong.append(f"{route.path}: {status} {location}")
    assert wrong == [], "\n".join(wrong)


def test_the_walk_covers_the_pages_it_should() -> None:
    names = {r.name for r in routes()}
    assert {"people:staff_person", "rewards_finance:approvals", "meetings:staff_detail", "people:me"} <= names
    assert len(names) > 60
    assert not any(r.path.startswith(PUBLIC_PREFIXES) for r in routes())
