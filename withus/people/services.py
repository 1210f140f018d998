"""Every write to the people register. Web, API and CLI all call these."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Membership, Organisation, Role, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role
from withus.core.audit import acting_as, on_behalf_of

from . import rules, selectors
from .models import (
    AssistedAction,
    ConsentRecord,
    DbsCheck,
    EqualityMonitoring,
    ExitInterview,
    Person,
    SensitiveRead,
    Tag,
    WellbeingPlan,
)

# Fields of Person that the person (or someone acting for them) may change.
PROFILE_FIELDS = frozenset(
    {
        "full_name",
        "preferred_name",
        "pronouns",
        "email",
        "phone",
        "address",
        "postcode",
        "local_authority",
        "perspective",
        "experience_timing",
        "other_languages",
        "experience_notes",
        "available_weekdays",
        "available_evenings",
        "available_weekends",
        "availability_notes",
        "preferred_channel",
        "opportunity_alerts",
        "needs_large_print",
        "needs_easy_read",
        "needs_audio",
        "prefers_welsh",
        "no_meetings_before_1030",
        "needs_step_free",
        "needs_hearing_loop",
        "travels_with_companion",
        "reasonable_adjustments",
        "dietary_needs",
        "does_not_use_computers",
    }
)


def is_coordinator(user: User, organisation: Organisation) -> bool:
    return has_role(user, organisation, *COORDINATING)


def current_consent(person: Person, purpose: str, organisation: Organisation | None = None) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(
        person=person, purpose=purpose, organisation=organisation, withdrawn_at__isnull=True
    ).first()


def check_may_act_for(*, actor: User, person: Person, organisation: Organisation | None) -> bool:
    """Whether ``actor`` may change ``person``'s record; True when acting for someone else.

    The person may always change their own record. A coordinator may only when
    the person shares their details with the coordinator's organisation and has
    agreed that the organisation acts for them.
    """
    if person.user_id is not None and person.user_id == actor.pk:
        return False
    if organisation is None or not is_coordinator(actor, organisation):
        raise PermissionDenied
    selectors.person_sharing_with(organisation, person)
    if current_consent(person, ConsentRecord.Purpose.ACT_ON_BEHALF, organisation) is None:
        raise PermissionDenied(_("This person has not agreed that you act for them."))
    return True


@contextlib.contextmanager
def acting_for(
    *, actor: User, person: Person, organisation: Organisation | None, kind: str = "", detail: str = ""
) -> Iterator[bool]:
    """Do something to ``person``'s record as ``actor``: by themself, or for them with their consent.

    Checks that ``actor`` may (``check_may_act_for``), authors every audited change
    inside the block to ``actor`` and, when it is done for someone else, tags those
    changes with the person and, if ``kind`` is given, records it in what was "done
    on your behalf" once the block has finished. Yields whether it is for someone else.
    """
    assisted = check_may_act_for(actor=actor, person=person, organisation=organisation)
    with acting_as(actor), on_behalf_of(person.pk if assisted else None):
        yield assisted
        if assisted and kind:
            _note_assisted(person=person, actor=actor, organisation=organisation, kind=kind, detail=detail)


def _note_assisted(
    *, person: Person, actor: User, organisation: Organisation | None, kind: str, detail: str = ""
) -> None:
    AssistedAction.objects.create(person=person, actor=actor, organisation=organisation, kind=kind, detail=detail)


def _give(
    *, person: Person, purpose: str, organisation: Organisation | None, actor: User | None, how: str, notes: str = ""
) -> ConsentRecord:
    existing = current_consent(person, purpose, organisation)
    if existing is not None:
        return existing
    return ConsentRecord.objects.create(
        person=person, purpose=purpose, organisation=organisation, recorded_by=actor, how=how, notes=notes
    )


def _share_with(*, person: Person, organisation: Organisation, actor: User | None, how: str) -> None:
    _give(
        person=person,
        purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
        organisation=organisation,
        actor=actor,
        how=how,
    )
    if person.user_id is not None:
        Membership.objects.get_or_create(user_id=person.user_id, organisation=organisation, role=Role.MEMBER)


@transaction.atomic
def register_member(
    *,
    user: User,
    full_name: str,
    perspective: str,
    organisations: Iterable[Organisation],
    keep_details: bool,
    contact_about_opportunities: bool = False,
) -> Person:
    """A member signs up: their record, their consent, and whom they share it with."""
    if not keep_details:
        raise ValidationError({"keep_details": _("We need your agreement to keep your details.")})
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisations": _("Choose at least one organisation to share your details with.")})
    if Person.objects.filter(user=user).exists():
        raise ValidationError(_("You have already signed up."))
    with acting_as(user):
        person = Person(user=user, full_name=full_name, perspective=perspective, email=user.email)
        person.full_clean()
        person.save()
        _give(
            person=person,
            purpose=ConsentRecord.Purpose.KEEP_DETAILS,
            organisation=None,
            actor=user,
            how=ConsentRecord.How.ONLINE,
        )
        for organisation in organisations:
            _share_with(person=person, organisation=organisation, actor=user, how=ConsentRecord.How.ONLINE)
        if contact_about_opportunities:
            _give(
                person=person,
                purpose=ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES,
                organisation=None,
                actor=user,
                how=ConsentRecord.How.ONLINE,
            )
    return person


@transaction.atomic
def register_assisted(
    *,
    actor: User,
    organisation: Organisation,
    fields: dict[str, Any],
    tags: Iterable[Tag] = (),
    how: str,
    keep_details: bool,
    act_on_behalf: bool,
    contact_about_opportunities: bool = False,
    notes: str = "",
) -> Person:
    """A coordinator registers someone who does not use computers, with their recorded consent."""
    if not is_coordinator(actor, organisation):
        raise PermissionDenied
    errors = {}
    if not keep_details:
        errors["keep_details"] = _("Record that the person agrees to us keeping their details.")
    if not act_on_behalf:
        errors["act_on_behalf"] = _("Record that the person agrees to you acting for them.")
    if how == ConsentRecord.How.ONLINE:
        errors["how"] = _("Say how the person gave their consent.")
    if errors:
        raise ValidationError(errors)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with acting_as(actor):
        person = Person(registered_by=actor, **fields)
        person.full_clean()
        person.save()
        with on_behalf_of(person.pk):
            person.tags.set(list(tags))
            _give(
                person=person,
                purpose=ConsentRecord.Purpose.KEEP_DETAILS,
                organisation=None,
                actor=actor,
                how=how,
                notes=notes,
            )
            _share_with(person=person, organisation=organisation, actor=actor, how=how)
            _give(
                person=person,
                purpose=ConsentRecord.Purpose.ACT_ON_BEHALF,
                organisation=organisation,
                actor=actor,
                how=how,
                notes=notes,
            )
            if contact_about_opportunities:
                _give(
                    person=person,
                    purpose=ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES,
                    organisation=None,
                    actor=actor,
                    how=how,
                )
        _note_assisted(
            person=person,
            actor=actor,
            organisation=organisation,
            kind=AssistedAction.Kind.REGISTERED,
        )
    return person


def record_brought_in(*, person: Person, organisation: Organisation, actor: User, consented: bool, notes: str) -> None:
    """Someone an organisation brought in from its earlier register: shared with it, on the basis ``notes`` gives.

    Only when the lawful basis is their consent is a consent to keep their details recorded too.
    """
    how = ConsentRecord.How.IMPORTED
    if consented:
        _give(
            person=person,
            purpose=ConsentRecord.Purpose.KEEP_DETAILS,
            organisation=None,
            actor=actor,
            how=how,
            notes=notes,
        )
    _give(
        person=person,
        purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
        organisation=organisation,
        actor=actor,
        how=how,
        notes=notes,
    )


@transaction.atomic
def update_profile(
    *,
    person: Person,
    actor: User,
    fields: dict[str, Any],
    tags: dict[str, Iterable[Tag]] | None = None,
    organisation: Organisation | None = None,
    section: str = "",
    profile_step: int | None = None,
) -> Person:
    """Change part of a person's profile, by the person or by a coordinator acting for them.

    ``tags`` maps a tag kind to the tags of that kind the person now has; other
    kinds are left as they are.
    """
    check_may_act_for(actor=actor, person=person, organisation=organisation)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with acting_for(
        actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.CHANGED_DETAILS, detail=section
    ):
        for name, value in fields.items():
            setattr(person, name, value)
        if profile_step is not None and profile_step > person.profile_step:
            person.profile_step = profile_step
        person.full_clean()
        person.save()
        if tags is not None:
            keep = [t for t in person.tags.all() if t.kind not in tags]
            chosen = [t for kind_tags in tags.values() for t in kind_tags]
            person.tags.set(keep + chosen)
    return person


@transaction.atomic
def save_wellbeing_plan(
    *,
    person: Person,
    actor: User,
    what_helps: str,
    who_to_contact: str,
    visible_to: str,
    organisation: Organisation | None = None,
) -> WellbeingPlan:
    """Save what helps when the person is unwell, and who may see it."""
    with acting_for(actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.CHANGED_WELLBEING):
        plan, _created = WellbeingPlan.objects.get_or_create(person=person)
        plan.what_helps = what_helps
        plan.who_to_contact = who_to_contact
        plan.visible_to = visible_to
        plan.full_clean()
        plan.save()
    return plan


EQUALITY_FIELDS = EqualityMonitoring.ANSWERS


@transaction.atomic
def save_equality_monitoring(
    *, person: Person, actor: User, answers: dict[str, str], organisation: Organisation | None = None
) -> EqualityMonitoring:
    """Save optional equality monitoring answers; blank means not answered."""
    with acting_for(
        actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.CHANGED_EQUALITY
    ) as assisted:
        record, _created = EqualityMonitoring.objects.get_or_create(person=person)
        for name in EQUALITY_FIELDS:
            setattr(record, name, answers.get(name, ""))
        record.full_clean()
        record.save()
        if any(answers.get(n) for n in EQUALITY_FIELDS):
            _give(
                person=person,
                purpose=ConsentRecord.Purpose.EQUALITY_MONITORING,
                organisation=None,
                actor=actor,
                how=ConsentRecord.How.ONLINE if not assisted else ConsentRecord.How.IN_PERSON,
            )
    return record


@transaction.atomic
def give_consent(
    *,
    person: Person,
    actor: User,
    purpose: str,
    organisation: Organisation | None = None,
    how: str = ConsentRecord.How.ONLINE,
    acting_organisation: Organisation | None = None,
    notes: str = "",
) -> ConsentRecord:
    """Record a consent. A coordinator may record consent to act for the person, or to share with their organisation."""
    if purpose not in ConsentRecord.Purpose.values:
        raise ValidationError({"purpose": _("Choose what the person agrees to.")})
    own = person.user_id is not None and person.user_id == actor.pk
    if not own:
        org = acting_organisation or organisation
        if org is None or not is_coordinator(actor, org):
            raise PermissionDenied
        if how == ConsentRecord.How.ONLINE:
            raise ValidationError({"how": _("Say how the person gave their consent.")})
        if purpose == ConsentRecord.Purpose.ACT_ON_BEHALF and organisation != org:
            raise PermissionDenied
        if purpose not in (ConsentRecord.Purpose.ACT_ON_BEHALF, ConsentRecord.Purpose.SHARE_WITH_ORGANISATION):
            check_may_act_for(actor=actor, person=person, organisation=org)
    with acting_as(actor), on_behalf_of(None if own else person.pk):
        if purpose == ConsentRecord.Purpose.SHARE_WITH_ORGANISATION and organisation is not None:
            _share_with(person=person, organisation=organisation, actor=actor, how=how)
            record = current_consent(person, purpose, organisation)
            assert record is not None
        else:
            record = _give(person=person, purpose=purpose, organisation=organisation, actor=actor, how=how, notes=notes)
        if not own:
            _note_assisted(
                person=person,
                actor=actor,
                organisation=acting_organisation or organisation,
                kind=AssistedAction.Kind.RECORDED_CONSENT,
                detail=record.purpose,
            )
    return record


def share_details_with(
    *,
    person: Person,
    actor: User,
    organisation: Organisation,
    how: str = ConsentRecord.How.ONLINE,
    acting_organisation: Organisation | None = None,
) -> ConsentRecord:
    """The person agrees to share their details with ``organisation``: their recorded consent.

    What the "share with another organisation" page records, and what responding to an
    organisation's opportunity records when the person agrees to it. A consent given
    already is kept as it is.
    """
    return give_consent(
        person=person,
        actor=actor,
        purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
        organisation=organisation,
        how=how,
        acting_organisation=acting_organisation,
    )


@transaction.atomic
def withdraw_consent(*, consent: ConsentRecord, actor: User, acting_organisation: Organisation | None = None) -> None:
    """Withdraw a consent. Withdrawing sharing with an organisation ends that organisation's view and membership."""
    person = consent.person
    check_may_act_for(actor=actor, person=person, organisation=acting_organisation)
    if consent.withdrawn_at is not None:
        return
    with acting_for(
        actor=actor,
        person=person,
        organisation=acting_organisation,
        kind=AssistedAction.Kind.WITHDREW_CONSENT,
        detail=consent.purpose,
    ):
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        if consent.purpose == ConsentRecord.Purpose.SHARE_WITH_ORGANISATION and consent.organisation_id:
            if person.user_id:
                Membership.objects.filter(
                    user_id=person.user_id, organisation_id=consent.organisation_id, role=Role.MEMBER
                ).delete()
            ConsentRecord.objects.filter(
                person=person,
                purpose=ConsentRecord.Purpose.ACT_ON_BEHALF,
                organisation_id=consent.organisation_id,
                withdrawn_at__isnull=True,
            ).update(withdrawn_at=consent.withdrawn_at, withdrawn_by=actor)


# Checks staff stepping a member out must pass, filled by apps above this one (withus.concerns: a member
# who raised a concern is not stepped out without a reviewed reason). Each raises ValidationError to refuse.
STEP_OUT_CHECKS: list[Callable[[User, Person, Organisation | None], None]] = []


@transaction.atomic
def step_out(
    *,
    person: Person,
    actor: User,
    until: date | None,
    organisation: Organisation | None = None,
    today: date | None = None,
) -> Person:
    """Pause involvement for a while without losing one's place (002 §8).

    Staff stepping someone out pass each of ``STEP_OUT_CHECKS`` first; a member stepping out is their choice.
    """
    check_may_act_for(actor=actor, person=person, organisation=organisation)
    problem = rules.step_out_date_problem(until, today=today or timezone.localdate())
    if problem:
        raise ValidationError({"until": problem})
    if person.user_id != actor.pk:
        for check in STEP_OUT_CHECKS:
            check(actor, person, organisation)
    with acting_for(actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.STEPPED_OUT):
        person.status = Person.Status.STEPPED_OUT
        person.stepped_out_until = until
        person.save(update_fields=["status", "stepped_out_until", "updated_at"])
    return person


@transaction.atomic
def come_back(*, person: Person, actor: User, organisation: Organisation | None = None) -> Person:
    with acting_for(actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.CAME_BACK):
        person.status = Person.Status.ACTIVE
        person.stepped_out_until = None
        person.left_at = None
        person.save(update_fields=["status", "stepped_out_until", "left_at", "updated_at"])
    return person


@transaction.atomic
def leave(*, person: Person, actor: User, organisation: Organisation | None = None) -> ExitInterview:
    """Leave involvement; an exit interview is offered (001 appendix 1 §Ending)."""
    with acting_for(actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.LEFT):
        person.status = Person.Status.LEFT
        person.left_at = timezone.now()
        person.stepped_out_until = None
        person.save(update_fields=["status", "left_at", "stepped_out_until", "updated_at"])
        interview = ExitInterview.objects.filter(person=person, completed_at__isnull=True).first()
        if interview is None:
            interview = ExitInterview.objects.create(person=person)
    return interview


@transaction.atomic
def complete_exit_interview(
    *,
    interview: ExitInterview,
    actor: User,
    reasons: str,
    went_well: str,
    could_be_better: str,
    wants_conversation: bool,
    organisation: Organisation | None = None,
) -> ExitInterview:
    check_may_act_for(actor=actor, person=interview.person, organisation=organisation)
    interview.reasons = reasons
    interview.went_well = went_well
    interview.could_be_better = could_be_better
    interview.wants_conversation = wants_conversation
    interview.completed_at = timezone.now()
    interview.full_clean()
    interview.save()
    return interview


@transaction.atomic
def record_dbs_check(
    *,
    person: Person,
    organisation: Organisation,
    actor: User,
    status: str,
    level: str = "",
    checked_on: date | None = None,
    today: date | None = None,
) -> DbsCheck:
    """A coordinator records the status and date of a person's DBS check."""
    if not is_coordinator(actor, organisation):
        raise PermissionDenied
    selectors.person_sharing_with(organisation, person)
    problem = rules.certificate_date_problem(checked_on, today=today or timezone.localdate())
    if problem:
        raise ValidationError({"checked_on": problem})
    with acting_as(actor):
        check = DbsCheck(
            person=person,
            organisation=organisation,
            status=status,
            level=level,
            checked_on=checked_on,
            recorded_by=actor,
        )
        check.full_clean()
        check.save()
    return check


def record_reads(
    *,
    reader: User | None,
    organisation: Organisation | None,
    people: Iterable[Person],
    what: Iterable[str],
    via: str = SensitiveRead.Via.WEB,
) -> int:
    """Record that ``reader`` saw ``what`` (``SensitiveRead.What``) of each of ``people``; returns how many.

    One query however many people a page or a file shows. What someone reads of
    themself is not recorded.
    """
    kinds = list(dict.fromkeys(what))
    rows = [
        SensitiveRead(person_id=person.pk, reader=reader, organisation=organisation, what=kind, via=via)
        for person in people
        if reader is None or person.user_id != reader.pk
        for kind in kinds
    ]
    SensitiveRead.objects.bulk_create(rows)
    return len(rows)
