"""Every write of leaving well: staff offer a step-down role and a thank-you; the member (or staff,
for an answer given by letter or phone) accepts or declines.

Accepting a step-down role makes it through the service that owns it: a mentoring pair through
``support.services.start_mentoring``, a deputy's or an alternate's seat through
``groups.services.appoint``. Their rules refuse what they always refuse, and then nothing is
written, the answer included.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ASSIGNING_SUPPORT, COORDINATING
from withus.accounts.selectors import has_role, require
from withus.groups import rules as group_rules
from withus.groups import services as group_services
from withus.groups.models import Appointment, Group
from withus.people import selectors as people_selectors
from withus.people import services as people_services
from withus.people.models import Person
from withus.people.notify import notify

from .. import services as support_services
from . import rules
from .models import LeavingOffer

OFFERED_SUBJECT = gettext_lazy("Thank you from %(organisation)s")
ANSWERED_SUBJECT = gettext_lazy("%(name)s has answered your offer of a step-down role")


@transaction.atomic
def offer(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    served_as: str,
    served_from: date | None,
    served_until: date | None,
    step_down: str = LeavingOffer.StepDown.NONE,
    appointment: Appointment | None = None,
    new_member: Person | None = None,
    review_on: date | None = None,
    group: Group | None = None,
    term_start: date | None = None,
    planned_end: date | None = None,
    message: str = "",
    today: date | None = None,
) -> LeavingOffer:
    """Offer a member whose term ended, or who left, a step-down role and a thank-you certificate.

    They are told by their own channel (a letter for those who prefer post). Refused, with
    nothing written: dates of the role out of order or not begun, a mentor's new member missing,
    themself or not sharing with the organisation, a seat's group or term missing or out of
    order, a group or seat of another organisation, and a second offer while one waits.
    """
    require(actor, organisation, ASSIGNING_SUPPORT)
    person = people_selectors.person_sharing_with(organisation, person)
    today = today or timezone.localdate()
    if step_down not in LeavingOffer.StepDown.values:
        raise ValidationError({"step_down": _("Choose a step-down role, or none.")})
    mentor, on_seat = step_down == rules.MENTOR, step_down in rules.SEAT_ROLES
    problems: dict[str, Any] = {
        field: str(problem)
        for field, problem in rules.offer_problems(
            step_down=step_down,
            person_id=person.pk,
            served_from=served_from,
            served_until=served_until,
            today=today,
            new_member_id=new_member.pk if new_member is not None else None,
            review_on=review_on,
            group_id=group.pk if group is not None else None,
            term_start=term_start,
            planned_end=planned_end,
        ).items()
    }
    if not served_as.strip():
        problems["served_as"] = _("Say what role they served in, for the certificate.")
    if appointment is not None and (
        appointment.person_id != person.pk or appointment.group.organisation_id != organisation.pk
    ):
        problems["appointment"] = _("Choose one of their seats at %(organisation)s.") % {"organisation": organisation}
    if on_seat and group is not None and group.organisation_id != organisation.pk:
        problems["group"] = _("Choose one of %(organisation)s's groups.") % {"organisation": organisation}
    if on_seat and term_start is not None and planned_end is not None:
        for field, problem in group_rules.appointment_problems(
            person_id=person.pk, term_start=term_start, planned_end=planned_end, review_on=None, deputy_id=None
        ).items():
            problems.setdefault(field, problem)
    if (
        mentor
        and new_member is not None
        and "new_member" not in problems
        and not people_selectors.shares_with(new_member, organisation)
    ):
        problems["new_member"] = _("Choose a new member who shares their details with %(organisation)s.") % {
            "organisation": organisation
        }
    waiting = LeavingOffer.objects.filter(organisation=organisation, person=person, answer=LeavingOffer.Answer.WAITING)
    if waiting.exists():
        problems[NON_FIELD_ERRORS] = _("They have an offer waiting for their answer already.")
    if problems:
        raise ValidationError(problems)
    assert served_from is not None and served_until is not None
    made = LeavingOffer.objects.create(
        organisation=organisation,
        person=person,
        appointment=appointment,
        served_as=served_as.strip(),
        served_from=served_from,
        served_until=served_until,
        step_down=step_down,
        new_member=new_member if mentor else None,
        review_on=review_on if mentor else None,
        group=group if on_seat else None,
        term_start=term_start if on_seat else None,
        planned_end=planned_end if on_seat else None,
        message=message.strip(),
        offered_by=actor,
    )
    _tell_person(made)
    return made


def _tell_person(made: LeavingOffer) -> None:
    organisation = made.organisation
    language = "cy" if made.person.prefers_welsh else "en"
    with translation.override(language):
        subject = str(OFFERED_SUBJECT) % {"organisation": organisation.display_name(language)}
    notify(
        person=made.person,
        subject=subject,
        template="support/leaving/messages/offered.txt",
        context={"offer": made, "organisation": organisation, "site_url": settings.SITE_URL},
        organisation=organisation,
        own_batch="leaving",  # the offer's letter, with its certificate, is printed from its page
    )


@transaction.atomic
def answer(*, actor: User, offer: LeavingOffer, accept: bool) -> LeavingOffer:
    """The member accepts or declines; or a coordinator records the answer they gave by letter or phone
    (when the member agreed that the organisation acts for them).

    Accepting a step-down role starts it at once. The coordinator's offer is the decision to
    pair or appoint, so when the member accepts it themself the pair or seat is made as the
    one who offered it (who must still coordinate there). Someone who had left and takes a
    step-down role is involved again. The one who offered is told the answer.
    """
    with people_services.acting_for(actor=actor, person=offer.person, organisation=offer.organisation) as assisted:
        locked = LeavingOffer.objects.select_for_update().get(pk=offer.pk)
        if refusal := rules.answer_refusal(waiting=locked.is_waiting):
            raise ValidationError(str(refusal))
        if accept and offer.offers_a_role:
            _take_up(offer, by=actor if assisted else offer.offered_by, actor=actor)
        offer.answer = LeavingOffer.Answer.ACCEPTED if accept else LeavingOffer.Answer.DECLINED
        offer.answered_at = timezone.now()
        offer.answer_recorded_by = actor if assisted else None
        offer.save(update_fields=["answer", "answered_at", "answer_recorded_by", "mentoring", "seat"])
    _tell_staff(offer)
    return offer


def _take_up(offer: LeavingOffer, *, by: User | None, actor: User) -> None:
    organisation = offer.organisation
    role_needed = ASSIGNING_SUPPORT if offer.step_down == rules.MENTOR else COORDINATING
    if by is None or not has_role(by, organisation, *role_needed):
        raise ValidationError(
            _("This offer can no longer be arranged as it was made. Ask %(organisation)s to offer it again.")
            % {"organisation": organisation}
        )
    person = offer.person
    if person.status == Person.Status.LEFT:
        people_services.come_back(person=person, actor=actor, organisation=organisation)
    today = timezone.localdate()
    try:
        if offer.step_down == rules.MENTOR:
            offer.mentoring = support_services.start_mentoring(
                actor=by,
                organisation=organisation,
                new_member=offer.new_member,
                mentor=person,
                starts_on=today,
                review_on=offer.review_on,
                agreed=_("Mentoring as a step-down role, after serving as %(role)s.") % {"role": offer.served_as},
            )
        else:
            assert offer.group is not None and offer.term_start is not None and offer.planned_end is not None
            offer.seat = group_services.appoint(
                actor=by,
                group=offer.group,
                person=person,
                term_start=offer.term_start,
                planned_end=offer.planned_end,
                seat=rules.SEAT_OF[offer.step_down],
            )
    except ValidationError as error:
        # The member cannot change the offer: say what stands in the way, and who can.
        raise ValidationError(
            [*error.messages, _("Ask %(organisation)s to change the offer.") % {"organisation": organisation}]
        ) from error


def _tell_staff(offer: LeavingOffer) -> None:
    staff = offer.offered_by
    if staff is None:
        return
    support_services.mail_staff(
        staff,
        ANSWERED_SUBJECT,
        "support/leaving/messages/answered.txt",
        {"offer": offer},
        {"name": offer.person.display_name},
    )
