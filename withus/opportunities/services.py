"""Every write about opportunities, responses, selection, and appointing from an opportunity."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, CONTACTS, COORDINATING
from withus.accounts.selectors import has_role, require
from withus.core.audit import acting_as, because, on_behalf_of
from withus.groups import services as group_services
from withus.groups.models import Appointment, Group
from withus.people import selectors as people_selectors
from withus.people import services as people_services
from withus.people.models import ConsentRecord, Person
from withus.people.notify import notify
from withus.people.services import check_may_act_for

from . import draw as fair_draw
from . import rules, selectors
from .models import (
    AdvertisingChannel,
    Application,
    ApplicationProcess,
    Draw,
    LevelDefault,
    MatchNotice,
    Opportunity,
    PanelScore,
    Reference,
    Referral,
    ScoringCriterion,
    Selection,
    UnderRepresentedTag,
)

# What an opportunity records, in the order a coordinator fills it in (the form follows it).
OPPORTUNITY_FIELD_ORDER = (
    "title",
    "title_cy",
    "purpose",
    "purpose_cy",
    "intended_outcomes",
    "intended_outcomes_cy",
    "influence",
    "influence_cy",
    "view",
    "level",
    "application_process",
    "time_commitment",
    "time_commitment_cy",
    "starts_on",
    "ends_on",
    "closes_on",
    "location",
    "venue",
    "local_authority",
    "accessibility",
    "accessibility_cy",
    "reward",
    "reward_details",
    "reward_details_cy",
    "places",
    "reserves",
    "requires_dbs",
    "required_training",
    "contact",
    "group",
    "role_description",
    "role_description_cy",
    "person_specification",
    "person_specification_cy",
    "co_produced",
    "tags",
    "where",
    "role_offered",
)
OPPORTUNITY_FIELDS = frozenset(OPPORTUNITY_FIELD_ORDER)


def _in_language_of(person: Person, text: Any) -> str:
    """A system-written reason, stored in the language the person reads."""
    with translation.override("cy" if person.prefers_welsh else "en"):
        return str(text)


def _new_short_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0, i)
    return "".join(secrets.choice(alphabet) for _ in range(6))


def _check_opportunity(fields: dict[str, Any], *, today: date, creating: bool) -> None:
    errors: dict[str, str] = {}
    if "level" in fields and fields["level"] is None:
        # Every opportunity sits at a level: refuse null here, before update_opportunity compares levels.
        errors["level"] = _("Choose a level on the engagement pathway.")
    if "closes_on" in fields and (problem := rules.closing_date_problem(fields["closes_on"], today=today)):
        errors["closes_on"] = problem
    if "places" in fields and (problem := rules.places_problem(fields["places"])):
        errors["places"] = problem
    if problem := rules.dates_problem(fields.get("starts_on"), fields.get("ends_on")):
        errors["ends_on"] = problem
    if ("location" in fields or "venue" in fields) and (
        problem := rules.venue_problem(fields.get("location", "in_person"), fields.get("venue", ""))
    ):
        errors["venue"] = problem
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_level_default(
    *,
    actor: User,
    organisation: Organisation,
    level: int,
    time_commitment: str,
    application_process: str,
    reward: str,
    time_commitment_cy: str = "",
    reward_cy: str = "",
) -> LevelDefault:
    """An organisation admin changes its default for one pathway level."""
    require(actor, organisation, ADMINISTERING)
    with acting_as(actor):
        default, _created = LevelDefault.objects.update_or_create(
            organisation=organisation,
            level=level,
            defaults={
                "time_commitment": time_commitment,
                "time_commitment_cy": time_commitment_cy,
                "application_process": application_process,
                "reward": reward,
                "reward_cy": reward_cy,
            },
        )
    return default


@transaction.atomic
def create_opportunity(
    *, actor: User, organisation: Organisation, fields: dict[str, Any], today: date | None = None
) -> Opportunity:
    """A coordinator drafts an opportunity. Unset process and time commitment come from the level's defaults."""
    require(actor, organisation, COORDINATING)
    unknown = set(fields) - OPPORTUNITY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_opportunity(fields, today=today or timezone.localdate(), creating=True)
    level = fields.get("level")
    if level:
        default = selectors.level_defaults(organisation)[int(level)]
        fields.setdefault("application_process", default.application_process)
        if not fields.get("application_process"):
            fields["application_process"] = default.application_process
        if not fields.get("time_commitment"):
            fields["time_commitment"] = default.time_commitment
    _check_group(fields.get("group"), organisation)
    _check_contact(fields.get("contact"), organisation)
    return _saved_new(actor, organisation, dict(fields))


def _saved_new(actor: User, organisation: Organisation, fields: dict[str, Any]) -> Opportunity:
    tags = fields.pop("tags", None)
    with acting_as(actor):
        for _attempt in range(5):
            opportunity = Opportunity(organisation=organisation, short_code=_new_short_code(), **fields)
            opportunity.full_clean()
            try:
                with transaction.atomic():
                    opportunity.save()
                break
            except IntegrityError:  # pragma: no cover - a short code clash, try another
                continue
        if tags is not None:
            opportunity.tags.set(tags)
    return opportunity


@transaction.atomic
def bring_in_opportunity(
    *, actor: User, organisation: Organisation, fields: dict[str, Any], closed: bool
) -> Opportunity:
    """An opportunity the organisation ran before WithUs, from an import of its history.

    Checked as a new one is, except that its closing date may have passed: it comes in closed when it
    has ended, otherwise as a draft for a coordinator to finish. An import never publishes anything.
    """
    require(actor, organisation, COORDINATING)
    unknown = set(fields) - OPPORTUNITY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_opportunity({k: v for k, v in fields.items() if k != "closes_on"}, today=timezone.localdate(), creating=True)
    default = selectors.level_defaults(organisation)[int(fields["level"])]
    fields = dict(fields)
    fields["application_process"] = fields.get("application_process") or default.application_process
    fields["time_commitment"] = fields.get("time_commitment") or default.time_commitment
    fields.setdefault("contact", actor)
    _check_group(fields.get("group"), organisation)
    _check_contact(fields.get("contact"), organisation)
    fields["status"] = Opportunity.Status.CLOSED if closed else Opportunity.Status.DRAFT
    return _saved_new(actor, organisation, fields)


def _check_group(group: Group | None, organisation: Organisation) -> None:
    if group is not None and group.organisation_id != organisation.pk:
        raise ValidationError({"group": _("Choose one of your organisation's groups.")})


def _check_contact(contact: User | None, organisation: Organisation) -> None:
    if contact is not None and not has_role(contact, organisation, *CONTACTS):
        raise ValidationError({"contact": _("The contact person must be a member of your organisation's staff.")})


LEVEL_CHANGED_SUBJECT = gettext_lazy("An opportunity you responded to has changed")


@transaction.atomic
def update_opportunity(
    *,
    actor: User,
    opportunity: Opportunity,
    fields: dict[str, Any],
    level_change_reason: str = "",
    today: date | None = None,
) -> Opportunity:
    """Change an opportunity. Changing the level after people responded needs a reason, and they are told."""
    organisation = opportunity.organisation
    require(actor, organisation, COORDINATING)
    unknown = set(fields) - OPPORTUNITY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    checked = dict(fields)
    if "location" in checked or "venue" in checked:
        checked.setdefault("location", opportunity.location)
        checked.setdefault("venue", opportunity.venue)
    if checked.get("closes_on") == opportunity.closes_on:
        checked.pop("closes_on", None)  # an unchanged closing date that has passed is not an error
    _check_opportunity(checked, today=today or timezone.localdate(), creating=False)
    _check_group(fields.get("group"), organisation)
    _check_contact(fields.get("contact"), organisation)
    responses = list(
        opportunity.applications.exclude(
            status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]
        ).select_related("person")
    )
    new_level = int(fields.get("level", opportunity.level))
    problem = rules.level_change_problem(
        old_level=opportunity.level, new_level=new_level, responses=len(responses), reason=level_change_reason
    )
    if problem:
        raise ValidationError({"level_change_reason": problem})
    level_changed = new_level != opportunity.level
    fields = dict(fields)
    tags = fields.pop("tags", None)
    with acting_as(actor), because(level_change_reason if level_changed else ""):
        for name, value in fields.items():
            setattr(opportunity, name, value)
        opportunity.full_clean()
        opportunity.save()
        if tags is not None:
            opportunity.tags.set(tags)
        if level_changed:
            for application in responses:
                notify(
                    person=application.person,
                    subject=LEVEL_CHANGED_SUBJECT,
                    template="opportunities/messages/level_changed.txt",
                    context={"opportunity": opportunity, "reason": level_change_reason},
                    organisation=organisation,
                )
    return opportunity


@transaction.atomic
def set_status(*, actor: User, opportunity: Opportunity, status: str) -> Opportunity:
    """Publish, close, reopen or archive an opportunity."""
    require(actor, opportunity.organisation, COORDINATING)
    allowed = {
        Opportunity.Status.DRAFT: {Opportunity.Status.PUBLISHED, Opportunity.Status.ARCHIVED},
        Opportunity.Status.PUBLISHED: {Opportunity.Status.CLOSED, Opportunity.Status.ARCHIVED},
        Opportunity.Status.CLOSED: {Opportunity.Status.PUBLISHED, Opportunity.Status.ARCHIVED},
        Opportunity.Status.ARCHIVED: set(),
    }
    if status not in allowed[Opportunity.Status(opportunity.status)]:
        raise ValidationError(_("This opportunity cannot be changed to that state."))
    if status == Opportunity.Status.PUBLISHED:
        problem = rules.closing_date_problem(opportunity.closes_on, today=timezone.localdate())
        if problem:
            raise ValidationError({"closes_on": problem})
    with acting_as(actor):
        opportunity.status = status
        if status == Opportunity.Status.PUBLISHED and opportunity.published_at is None:
            opportunity.published_at = timezone.now()
        opportunity.save(update_fields=["status", "published_at", "updated_at"])
        if status == Opportunity.Status.PUBLISHED and not opportunity.channels.filter(channel="board").exists():
            AdvertisingChannel.objects.create(opportunity=opportunity, channel=AdvertisingChannel.Channel.BOARD)
    return opportunity


@transaction.atomic
def record_channel(
    *, actor: User, opportunity: Opportunity, channel: str, notes: str = "", used_on: date | None = None
) -> AdvertisingChannel:
    require(actor, opportunity.organisation, COORDINATING)
    record = AdvertisingChannel(
        opportunity=opportunity, channel=channel, notes=notes, used_on=used_on or timezone.localdate()
    )
    record.full_clean()
    record.save()
    return record


# ---- Responding -----------------------------------------------------------------------------


class SharingNeeded(PermissionDenied):
    """A response to an organisation the person does not share their details with, without their agreement.

    The organisation could not see the response, or contact the person about it, so it
    is not sent: the person is asked first whether to share their details with it.
    """

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.message = _(
            "To respond, you need to share your details with %(organisation)s. Their involvement team will "
            "then see your profile and your response, and can contact you about it. Nothing is sent unless "
            "you agree. You can stop sharing at any time."
        ) % {"organisation": organisation}
        super().__init__(self.message)


@dataclass
class ReferenceData:
    name: str
    relationship: str
    email: str = ""
    phone: str = ""


@transaction.atomic
def respond(
    *,
    actor: User,
    person: Person,
    opportunity: Opportunity,
    why: str = "",
    experience: str = "",
    support_needed: str = "",
    references: Sequence[ReferenceData] = (),
    submit: bool = True,
    share_details: bool = False,
    share_how: str = ConsentRecord.How.ONLINE,
    organisation: Organisation | None = None,
    today: date | None = None,
) -> Application:
    """A person responds the way the level asks: register interest, express interest or apply.

    ``submit=False`` keeps a draft the person can come back to: nobody else sees it. A
    response is only sent to an organisation the person shares their details with, as
    its staff could otherwise not read it: to one they do not share with yet it raises
    ``SharingNeeded``, unless ``share_details`` says they agree, when their consent to
    share with it is recorded (``people.services.give_consent``, as on the "share with
    another organisation" page: ``people.services.share_details_with``) and the response
    sent, together or not at all.

    A coordinator may respond for someone they act for (``organisation`` is the
    coordinator's), saying how the person agreed to share (``share_how``).
    """
    assisted = check_may_act_for(actor=actor, person=person, organisation=organisation)
    today = today or timezone.localdate()
    # Lock the opportunity row so that two quick clicks cannot make two applications.
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
    application = Application.objects.filter(opportunity=opportunity, person=person).first()
    already = application is not None and application.status != Application.Status.DRAFT
    eligibility = rules.can_respond(
        status=opportunity.status,
        closes_on=opportunity.closes_on,
        today=today,
        already_responded=already,
        person_status=person.status,
    )
    if not eligibility.allowed:
        raise ValidationError(eligibility.reason)
    errors: dict[str, list[str]] = {}
    process = opportunity.application_process
    if submit and process != ApplicationProcess.NONE and not why.strip():
        errors.setdefault("why", []).append(_("Tell us in a few words why you are interested."))
    refs = [r for r in references if r.name.strip() or r.email.strip() or r.phone.strip()]
    for i, ref in enumerate(refs):
        if not ref.name.strip():
            errors.setdefault(f"reference_{i}_name", []).append(_("Give the referee's name."))
        if problem := rules.reference_problem(name=ref.name or _("this referee"), email=ref.email, phone=ref.phone):
            errors.setdefault(f"reference_{i}_email", []).append(problem)
    if submit and process == ApplicationProcess.APPLICATION_FORM and len(refs) < 1:
        errors.setdefault("reference_0_name", []).append(_("Give at least one referee."))
    if errors:
        raise ValidationError(errors)
    if submit and not people_selectors.shares_with(person, opportunity.organisation):
        if not share_details:
            raise SharingNeeded(opportunity.organisation)
        people_services.share_details_with(
            person=person,
            actor=actor,
            organisation=opportunity.organisation,
            how=share_how,
            acting_organisation=organisation if assisted else None,
        )
    with acting_as(actor), on_behalf_of(person.pk if assisted else None):
        if application is None:
            application = Application(opportunity=opportunity, person=person)
        application.why = why
        application.experience = experience
        application.support_needed = support_needed
        if submit:
            application.status = Application.Status.RECEIVED
            application.submitted_at = timezone.now()
        application.full_clean()
        application.save()
        application.references.all().delete()
        Reference.objects.bulk_create(
            [
                Reference(
                    application=application, name=r.name, relationship=r.relationship, email=r.email, phone=r.phone
                )
                for r in refs
            ]
        )
    return application


@transaction.atomic
def withdraw(
    *, actor: User, application: Application, reason: str = "", organisation: Organisation | None = None
) -> Application:
    """The person withdraws. A place they held goes to the waiting list."""
    check_may_act_for(actor=actor, person=application.person, organisation=organisation)
    if application.status == Application.Status.WITHDRAWN:
        return application
    held_place = application.status == Application.Status.SELECTED
    with acting_as(actor):
        application.status = Application.Status.WITHDRAWN
        application.status_reason = reason or _in_language_of(
            application.person, gettext_lazy("Withdrawn by the person")
        )
        application.waiting_position = None
        application.save()
    if held_place:
        offer_freed_place(opportunity=application.opportunity, actor=None)
    return application


# ---- Selection -----------------------------------------------------------------------------------

DECISION_SUBJECT = gettext_lazy("News about an opportunity you applied for")
# Checks a refusal of a place must pass, filled by apps above this one (withus.concerns: a member who
# raised a concern is not refused without a reviewed reason). Each raises ValidationError to refuse.
REFUSAL_CHECKS: list[Callable[[User, Application, str], None]] = []


@transaction.atomic
def move_application(*, actor: User, application: Application, status: str, reason: str = "") -> Application:
    """A coordinator moves an application on, with a reason where the person can ask for one.

    Selecting someone takes one of the opportunity's places; when they are all taken it
    is refused (``rules.selection_problem``). The opportunity is locked while the places
    are counted, so two coordinators selecting at the same moment cannot both take the last.
    """
    opportunity = application.opportunity
    require(actor, opportunity.organisation, COORDINATING)
    problem = rules.transition_problem(application.status, status, reason=reason)
    if problem:
        raise ValidationError({"status": problem})
    if status == Application.Status.NOT_SELECTED:
        for check in REFUSAL_CHECKS:
            check(actor, application, reason)
    if status == Application.Status.SELECTED and application.status != Application.Status.SELECTED:
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        selected = opportunity.applications.filter(status=Application.Status.SELECTED).count()
        problem = rules.selection_problem(selected=selected, places=opportunity.places)
        if problem:
            raise ValidationError({"status": problem})
    with acting_as(actor):
        was_selected = application.status == Application.Status.SELECTED
        application.status = status
        application.status_reason = reason
        application.decided_at = timezone.now()
        if status == Application.Status.WAITING_LIST and application.waiting_position is None:
            last = (
                opportunity.applications.exclude(waiting_position=None)
                .order_by("-waiting_position")
                .values_list("waiting_position", flat=True)
                .first()
            )
            application.waiting_position = (last or 0) + 1
        elif status != Application.Status.WAITING_LIST:
            application.waiting_position = None
        application.save()
        if status in (Application.Status.SELECTED, Application.Status.NOT_SELECTED, Application.Status.WAITING_LIST):
            notify(
                person=application.person,
                subject=DECISION_SUBJECT,
                template="opportunities/messages/decision.txt",
                context={"application": application, "opportunity": opportunity},
                organisation=opportunity.organisation,
            )
    if was_selected and status != Application.Status.SELECTED:
        offer_freed_place(opportunity=opportunity, actor=actor)
    return application


@transaction.atomic
def offer_freed_place(*, opportunity: Opportunity, actor: User | None) -> Application | None:
    """Offer a freed place to the first person on the waiting list, if a place is free."""
    taken = opportunity.applications.filter(status=Application.Status.SELECTED).count()
    if taken >= opportunity.places:
        return None
    nxt = (
        opportunity.applications.select_for_update()
        .filter(status=Application.Status.WAITING_LIST)
        .order_by("waiting_position", "pk")
        .first()
    )
    if nxt is None:
        return None
    with acting_as(actor):
        nxt.status = Application.Status.SELECTED
        nxt.status_reason = _in_language_of(
            nxt.person, gettext_lazy("A place became free and you were next on the waiting list.")
        )
        nxt.waiting_position = None
        nxt.decided_at = timezone.now()
        nxt.save()
        notify(
            person=nxt.person,
            subject=DECISION_SUBJECT,
            template="opportunities/messages/decision.txt",
            context={"application": nxt, "opportunity": opportunity},
            organisation=opportunity.organisation,
        )
    return nxt


@transaction.atomic
def record_selection(
    *,
    actor: User,
    opportunity: Opportunity,
    method: str,
    adaptations: str = "",
    criteria_co_produced: bool = False,
    observer_present: bool = False,
    observer_name: str = "",
) -> Selection:
    require(actor, opportunity.organisation, COORDINATING)
    if observer_present and not observer_name.strip():
        raise ValidationError({"observer_name": _("Give the independent observer's name.")})
    selection, _created = Selection.objects.update_or_create(
        opportunity=opportunity,
        defaults={
            "method": method,
            "adaptations": adaptations,
            "criteria_co_produced": criteria_co_produced,
            "observer_present": observer_present,
            "observer_name": observer_name,
            "recorded_by": actor,
        },
    )
    return selection


@transaction.atomic
def add_criterion(*, actor: User, opportunity: Opportunity, text: str, max_score: int) -> ScoringCriterion:
    require(actor, opportunity.organisation, COORDINATING)
    criterion = ScoringCriterion(opportunity=opportunity, text=text, max_score=max_score)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def record_score(
    *, actor: User, application: Application, criterion: ScoringCriterion, panel_member: str, score: int, note: str = ""
) -> PanelScore:
    require(actor, application.opportunity.organisation, COORDINATING)
    if criterion.opportunity_id != application.opportunity_id:
        raise ValidationError({"criterion": _("Choose one of this opportunity's criteria.")})
    if not 0 <= score <= criterion.max_score:
        raise ValidationError({"score": _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score}})
    record, _created = PanelScore.objects.update_or_create(
        application=application,
        criterion=criterion,
        panel_member=panel_member.strip(),
        defaults={"score": score, "note": note},
    )
    return record


@transaction.atomic
def run_draw(
    *,
    actor: User,
    opportunity: Opportunity,
    places: int,
    strata_by: Sequence[str] = (),
    under_represented_ids: Sequence[int] = (),
    seed: str | None = None,
    today: date | None = None,
) -> Draw:
    """Draw places among everyone received or shortlisted (``selectors.in_the_draw``); the rest join the
    waiting list in draw order. The seed, the inputs and the result are recorded, so ``check_draw`` can re-run it.
    """
    require(actor, opportunity.organisation, COORDINATING)
    today = today or timezone.localdate()
    pool = list(selectors.in_the_draw(opportunity).select_for_update())
    previous = selectors.places_in_last_year([a.person_id for a in pool], today=today)
    under = set(under_represented_ids) | selectors.people_in_under_represented_groups(
        opportunity.organisation, [a.person_id for a in pool]
    )
    candidates = [
        fair_draw.Candidate(
            id=a.pk,
            perspective=a.person.perspective,
            area=a.person.local_authority,
            under_represented=a.person_id in under,
            previous_places=previous[a.person_id],
        )
        for a in pool
    ]
    try:
        result = fair_draw.draw(candidates, places, seed=seed or fair_draw.new_seed(), strata_by=strata_by)
    except fair_draw.DrawError as error:
        raise ValidationError({"places": str(error)}) from None
    by_id = {a.pk: a for a in pool}
    now = timezone.now()
    with acting_as(actor):
        record = Draw.objects.create(
            opportunity=opportunity,
            seed=result.seed,
            places=places,
            inputs={"candidates": [c.__dict__ for c in candidates], "strata_by": list(strata_by)},
            result=result.as_dict(),
            drawn_by=actor,
        )
        last = (
            opportunity.applications.exclude(waiting_position=None)
            .order_by("-waiting_position")
            .values_list("waiting_position", flat=True)
            .first()
        ) or 0
        for app_id in result.selected:
            application = by_id[app_id]
            application.status = Application.Status.SELECTED
            application.status_reason = _in_language_of(application.person, gettext_lazy("Chosen in a fair draw."))
            application.decided_at = now
            application.save()
        for position, app_id in enumerate(result.waiting_list, start=last + 1):
            application = by_id[app_id]
            application.status = Application.Status.WAITING_LIST
            application.status_reason = _in_language_of(
                application.person, gettext_lazy("On the waiting list after a fair draw.")
            )
            application.waiting_position = position
            application.decided_at = now
            application.save()
        for application in pool:
            notify(
                person=application.person,
                subject=DECISION_SUBJECT,
                template="opportunities/messages/decision.txt",
                context={"application": application, "opportunity": opportunity},
                organisation=opportunity.organisation,
            )
    return record


FEEDBACK_SUBJECT = gettext_lazy("Feedback on your application")


@transaction.atomic
def request_feedback(*, actor: User, application: Application, organisation: Organisation | None = None) -> None:
    check_may_act_for(actor=actor, person=application.person, organisation=organisation)
    if application.status not in (Application.Status.NOT_SELECTED, Application.Status.WAITING_LIST):
        raise ValidationError(_("You can ask for feedback once a decision has been made."))
    if application.feedback_requested_at is None:
        application.feedback_requested_at = timezone.now()
        application.save(update_fields=["feedback_requested_at", "updated_at"])


@transaction.atomic
def give_feedback(*, actor: User, application: Application, feedback: str) -> None:
    """The coordinator answers; the answer reaches the person by their chosen channel (001 §2.1.4 f)."""
    require(actor, application.opportunity.organisation, COORDINATING)
    if not feedback.strip():
        raise ValidationError({"feedback": _("Write the feedback.")})
    with acting_as(actor):
        application.feedback = feedback
        application.feedback_sent_at = timezone.now()
        application.save(update_fields=["feedback", "feedback_sent_at", "updated_at"])
        notify(
            person=application.person,
            subject=FEEDBACK_SUBJECT,
            template="opportunities/messages/feedback.txt",
            context={"application": application, "opportunity": application.opportunity},
            organisation=application.opportunity.organisation,
        )


@transaction.atomic
def set_under_represented(*, actor: User, organisation: Organisation, tags: Sequence[Any]) -> None:
    """Mark which groups (by the register's words) the organisation counts as under-represented."""
    require(actor, organisation, COORDINATING)
    UnderRepresentedTag.objects.filter(organisation=organisation).exclude(tag__in=tags).delete()
    for tag in tags:
        UnderRepresentedTag.objects.get_or_create(organisation=organisation, tag=tag)


# ---- Appointing from an opportunity ----------------------------------------------------------

REQUIREMENT_MESSAGES = {
    "dbs": gettext_lazy("This seat needs a DBS check, and none is recorded."),
    "dbs_renewal": gettext_lazy("This seat needs a DBS check, and the one recorded needs renewing."),
}


@transaction.atomic
def appoint(
    *,
    actor: User,
    group: Group,
    person: Person,
    term_start: date,
    planned_end: date,
    seat: str = Appointment.Seat.MEMBER,
    review_on: date | None = None,
    deputy: Person | None = None,
    buddy: Person | None = None,
    opportunity: Opportunity | None = None,
    today: date | None = None,
) -> Appointment:
    """Appoint a person to a seat, from the opportunity they were selected for if there is one.

    From an opportunity, only someone selected for it. Everyone must meet the requirements of
    the opportunity and of the group (a DBS check, training the role needs:
    ``selectors.missing_requirements``). The seat itself (its term, its deputy) is the groups app's:
    ``groups.services.appoint`` makes it, refusing what is found here with its own problems.
    """
    require(actor, group.organisation, COORDINATING)
    problems: dict[str, str] = {}
    if opportunity is not None:
        if opportunity.organisation_id != group.organisation_id:
            problems["group"] = _("Choose one of your organisation's groups.")
        selected = opportunity.applications.filter(person=person, status=Application.Status.SELECTED).exists()
        if not selected:
            problems["person"] = _("Only someone selected for this opportunity can be appointed from it.")
    missing = selectors.missing_requirements(person, opportunity, group=group, today=today)
    if missing:
        problems["person"] = " ".join(str(REQUIREMENT_MESSAGES.get(code, code)) for code in missing)
    return group_services.appoint(
        actor=actor,
        group=group,
        person=person,
        term_start=term_start,
        planned_end=planned_end,
        seat=seat,
        review_on=review_on,
        deputy=deputy,
        buddy=buddy,
        opportunity_id=opportunity.pk if opportunity is not None else None,
        other_problems=problems,
    )


# ---- Referrals -----------------------------------------------------------------------------------


@transaction.atomic
def refer(*, organisation: Organisation, fields: dict[str, Any]) -> Referral:
    """Frontline staff refer someone to the involvement team; only with the person's consent."""
    if not fields.get("consent_given"):
        raise ValidationError({"consent_given": _("Only refer someone who has agreed to it.")})
    referral = Referral(organisation=organisation, **fields)
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def update_referral(*, actor: User, referral: Referral, status: str) -> Referral:
    require(actor, referral.organisation, COORDINATING)
    with acting_as(actor):
        referral.status = status
        referral.full_clean()
        referral.save(update_fields=["status"])
    return referral


# ---- Matching ------------------------------------------------------------------------------------

ALERT_SUBJECT = gettext_lazy("New opportunities that might suit you")


def send_opportunity_alerts(*, today: date | None = None) -> int:
    """Tell members of new open opportunities that fit them, by e-mail, at most as often as they asked.

    Only people who agreed to hear about opportunities, who are active, and who
    share their details with the organisation offering it. Each opportunity is told
    to each person once. Returns how many people were told. Letters follow with the
    meetings' printing batch; for now, people who prefer other channels are skipped.
    """
    from withus.people.models import Tag

    today = today or timezone.localdate()
    opportunities = list(Opportunity.objects.open().prefetch_related("tags"))
    if not opportunities:
        return 0
    candidates = (
        people_selectors.consenting_to(ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES)
        .filter(status=Person.Status.ACTIVE, preferred_channel="email")
        .exclude(email="")
        .exclude(opportunity_alerts="never")
    )
    people = list(candidates.prefetch_related("tags", "match_notices"))
    sharing = people_selectors.sharing_organisation_ids(candidates)
    told = 0
    for person in people:
        notices = list(person.match_notices.all())
        last = max((n.sent_at for n in notices), default=None)
        if not rules.due_for_alert(
            frequency=person.opportunity_alerts, last_sent=timezone.localdate(last) if last else None, today=today
        ):
            continue
        already = {n.opportunity_id for n in notices}
        shared = sharing.get(person.pk, set())
        tags = list(person.tags.all())
        profile = rules.ProfileForMatching(
            interest_tag_ids=frozenset(t.pk for t in tags if t.kind in (Tag.Kind.INTEREST, Tag.Kind.AREA)),
            local_authority=person.local_authority,
            speaks_english=not any(t.kind == Tag.Kind.LANGUAGE for t in tags)
            or any(t.kind == Tag.Kind.LANGUAGE and t.slug == "english" for t in tags),
            available_weekdays=person.available_weekdays,
            available_evenings=person.available_evenings,
            available_weekends=person.available_weekends,
        )
        fitting = [
            o
            for o in opportunities
            if o.pk not in already
            and o.organisation_id in shared
            and rules.fits(
                profile,
                rules.OpportunityForMatching(
                    tag_ids=frozenset(t.pk for t in o.tags.all()),
                    local_authority=o.local_authority,
                    online=o.location != Opportunity.Location.IN_PERSON,
                    has_welsh_text=bool(o.title_cy),
                    starts_on=o.starts_on,
                ),
            )
        ]
        if not fitting:
            continue
        with transaction.atomic():
            created = [MatchNotice(person=person, opportunity=o, channel="email") for o in fitting]
            MatchNotice.objects.bulk_create(created, ignore_conflicts=True)
            notify(
                person=person,
                subject=ALERT_SUBJECT,
                template="opportunities/messages/alert.txt",
                context={"opportunities": fitting, "site_url": settings.SITE_URL},
            )
        told += 1
    return told
