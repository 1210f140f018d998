"""Every write about groups, seats and report-backs."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as
from withus.people.models import Person

from . import rules, selectors
from .agreements import services as agreement_services
from .models import (
    Appointment,
    Ballot,
    BallotOption,
    BallotVoter,
    CastBallot,
    Group,
    PaperReceipt,
    PartnerMessage,
    ReportBack,
    RepresentativeView,
)


@transaction.atomic
def create_group(
    *, actor: User, organisation: Organisation, name: str, kind: str, makes_decisions: bool, name_cy: str = ""
) -> Group:
    """A coordinator adds a board, committee, panel or project people can be appointed to."""
    require(actor, organisation, COORDINATING)
    with acting_as(actor):
        group = Group(organisation=organisation, name=name, name_cy=name_cy, kind=kind, makes_decisions=makes_decisions)
        group.full_clean()
        group.save()
    return group


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
    opportunity_id: int | None = None,
    other_problems: Mapping[str, str] | None = None,
) -> Appointment:
    """Appoint a person to a seat for a term, with a deputy and a buddy if they have them.

    ``opportunity_id`` records the opportunity the person was selected from. Appointing
    from an opportunity goes through ``opportunities.services.appoint``, which checks that
    the person was selected for it and meets its requirements (a DBS check), and passes
    what it found as ``other_problems``: they are refused together with the seat's own.
    """
    require(actor, group.organisation, COORDINATING)
    problems = rules.appointment_problems(
        person_id=person.pk,
        term_start=term_start,
        planned_end=planned_end,
        review_on=review_on,
        deputy_id=deputy.pk if deputy is not None else None,
    )
    problems.update(other_problems or {})
    # A member accepts the organisation's code of conduct before taking up a seat (002 §9).
    problems.update(
        {k: v for k, v in agreement_services.code_problem(person, group.organisation).items() if k not in problems}
    )
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        appointment = Appointment(
            person=person,
            group=group,
            opportunity_id=opportunity_id,
            seat=seat,
            term_start=term_start,
            planned_end=planned_end,
            review_on=review_on,
            deputy=deputy,
            buddy=buddy,
            appointed_by=actor,
        )
        appointment.full_clean()
        appointment.save()
    return appointment


# Checks an early end of a seat must pass, filled by apps above this one (withus.concerns: a member who
# raised a concern is not removed without a reviewed reason). Each raises ValidationError to refuse.
ENDING_CHECKS: list[Callable[[User, Appointment, date], None]] = []


@transaction.atomic
def end_appointment(*, actor: User, appointment: Appointment, ended_on: date) -> Appointment:
    """The seat's term ends (early or as planned); the seat shows as held no longer.

    Each of ``ENDING_CHECKS`` may refuse it (a ``ValidationError``) before anything is written.
    """
    require(actor, appointment.group.organisation, COORDINATING)
    if problem := rules.end_problem(term_start=appointment.term_start, ended_on=ended_on):
        raise ValidationError({"ended_on": problem})
    for check in ENDING_CHECKS:
        check(actor, appointment, ended_on)
    with acting_as(actor):
        appointment.ended_on = ended_on
        appointment.save(update_fields=["ended_on"])
    return appointment


@transaction.atomic
def record_report_back(
    *, actor: User, session: Any, person: Person, reported_to: str, summary: str, reported_on: date | None = None
) -> ReportBack:
    """A representative's report-back to the group they speak for, about a session; by them or a coordinator.

    ``session`` is a meetings session (this app sits below meetings and does not import it).
    """
    if person.user_id != actor.pk:
        require(actor, session.organisation, COORDINATING)
    report = ReportBack(
        session=session,
        person=person,
        reported_to=reported_to,
        summary=summary,
        reported_on=reported_on or timezone.localdate(),
    )
    report.full_clean()
    report.save()
    return report


# ---- Ballots -------------------------------------------------------------------------------------------


def _new_receipt() -> str:
    return "".join(secrets.choice(rules.RECEIPT_ALPHABET) for _ in range(rules.RECEIPT_LENGTH))


def _locked(ballot: Ballot) -> Ballot:
    """The ballot read again under a row lock, so a vote and the close never cross."""
    return Ballot.objects.select_for_update().select_related("group__organisation").get(pk=ballot.pk)


@transaction.atomic
def create_ballot(
    *,
    actor: User,
    group: Group,
    question: str,
    options: Sequence[str],
    first_observer: Person | None,
    second_observer: Person | None,
    question_cy: str = "",
    options_cy: Sequence[str] = (),
) -> Ballot:
    """A coordinator sets up a ballot for a group: its question, its choices and two observers from the group.

    The observers are members serving on the group now; they confirm the close before anything
    is published. ``options_cy`` are the choices in Welsh, in the same order, if given.
    """
    require(actor, group.organisation, COORDINATING)
    labels = [o.strip() for o in options if o.strip()]
    labels_cy = [o.strip() for o in options_cy if o.strip()]
    problems = rules.ballot_problems(
        question=question,
        options=labels,
        first_observer_id=first_observer.pk if first_observer else None,
        second_observer_id=second_observer.pk if second_observer else None,
        roll_ids=[a.person_id for a in selectors.serving_on(group)],
    )
    if labels_cy and len(labels_cy) != len(labels) and "options" not in problems:
        problems["options_cy"] = _("Give the same number of choices in Welsh as in English, or none.")
    if problems:
        raise ValidationError(problems)
    assert first_observer is not None and second_observer is not None
    ballot = Ballot.objects.create(
        group=group,
        question=question.strip(),
        question_cy=question_cy.strip(),
        first_observer=first_observer,
        second_observer=second_observer,
        created_by=actor,
    )
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, label=label, label_cy=labels_cy[i] if labels_cy else "", position=i)
        for i, label in enumerate(labels)
    )
    return ballot


@transaction.atomic
def open_ballot(*, actor: User, ballot: Ballot, accept_small_group: bool = False) -> Ballot:
    """Open voting: the roll is everyone serving on the group today, published to the group.

    In a group below ``rules.SECRECY_THRESHOLD`` the ballot opens only when the coordinator
    accepts the warning that the result may show how people voted.
    """
    require(actor, ballot.group.organisation, COORDINATING)
    ballot = _locked(ballot)
    if ballot.status != Ballot.Status.DRAFT:
        raise ValidationError(_("This ballot has been opened already."), code="not_draft")
    people = sorted({a.person_id for a in selectors.serving_on(ballot.group)})
    warning = rules.secrecy_warning(eligible=len(people))
    if warning and not accept_small_group:
        raise ValidationError({"accept_small_group": warning})
    BallotVoter.objects.bulk_create(BallotVoter(ballot=ballot, person_id=pk) for pk in people)
    ballot.status = Ballot.Status.OPEN
    ballot.small_group_warning_accepted = bool(warning)
    ballot.opened_on = timezone.localdate()
    ballot.save(update_fields=["status", "small_group_warning_accepted", "opened_on"])
    return ballot


def _option_of(ballot: Ballot, option_id: int | None) -> BallotOption:
    option = BallotOption.objects.filter(ballot=ballot, pk=option_id).first() if option_id else None
    if option is None:
        raise ValidationError({"option": _("Choose one of the answers.")})
    return option


def _mark_voted(ballot: Ballot, person: Person) -> None:
    """Tick the person off the roll, once: refused if they are not on it or have voted already."""
    if ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("Voting on this ballot has closed."), code="closed")
    roll = BallotVoter.objects.filter(ballot=ballot, person=person)
    if not roll.exists():
        raise PermissionDenied
    # One conditional update: two votes at once cannot both find has_voted false.
    if not roll.filter(has_voted=False).update(has_voted=True):
        raise ValidationError(_("You have voted in this ballot already."), code="voted")


@transaction.atomic
def vote(*, actor: User, ballot: Ballot, option_id: int | None) -> str:
    """A member on the roll votes; the answer is their receipt, shown to them once and stored only as a hash.

    Refused, with nothing written, after the close, for someone not on the roll, or a second time.
    """
    ballot = _locked(ballot)
    person = Person.objects.filter(user=actor).first()
    if person is None:
        raise PermissionDenied
    option = _option_of(ballot, option_id)
    _mark_voted(ballot, person)
    receipt = _new_receipt()
    CastBallot.objects.create(
        receipt_hash=rules.receipt_hash(ballot_id=ballot.pk, receipt=receipt), ballot=ballot, option=option
    )
    return rules.format_receipt(receipt)


@transaction.atomic
def issue_paper_receipts(*, actor: User, ballot: Ballot, count: int) -> list[str]:
    """Receipts for paper ballots, printed once and handed to members who vote on paper.

    Only their hashes are kept, given to nobody in particular: staff record the paper
    vote with the receipt written on it (``record_paper_vote``).
    """
    require(actor, ballot.group.organisation, COORDINATING)
    ballot = _locked(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("Voting on this ballot has closed."), code="closed")
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("Print between 1 and 500 papers.")})
    receipts = [_new_receipt() for _ in range(count)]
    PaperReceipt.objects.bulk_create(
        PaperReceipt(receipt_hash=rules.receipt_hash(ballot_id=ballot.pk, receipt=r), ballot=ballot) for r in receipts
    )
    return [rules.format_receipt(r) for r in receipts]


@transaction.atomic
def record_paper_vote(*, actor: User, ballot: Ballot, person: Person, receipt: str, option_id: int | None) -> None:
    """Staff record a paper vote: the voter is ticked off the roll, and the paper's receipt is spent.

    A receipt that is spent already, or not one printed for this ballot, is refused with
    nothing written.
    """
    require(actor, ballot.group.organisation, COORDINATING)
    ballot = _locked(ballot)
    option = _option_of(ballot, option_id)
    hashed = rules.receipt_hash(ballot_id=ballot.pk, receipt=receipt)
    if not PaperReceipt.objects.filter(pk=hashed, ballot=ballot).exists():
        if CastBallot.objects.filter(pk=hashed, ballot=ballot).exists():
            raise ValidationError({"receipt": _("This receipt has been used already.")})
        raise ValidationError({"receipt": _("This is not a receipt printed for this ballot. Check what was typed.")})
    if not BallotVoter.objects.filter(ballot=ballot, person=person).exists():
        raise ValidationError({"person": _("This person is not on the ballot's roll.")})
    try:
        _mark_voted(ballot, person)
    except ValidationError as error:
        if getattr(error, "code", None) == "voted":
            raise ValidationError({"person": _("This person has voted already.")}) from error
        raise
    PaperReceipt.objects.filter(pk=hashed).delete()
    CastBallot.objects.create(receipt_hash=hashed, ballot=ballot, option=option)


@transaction.atomic
def close_voting(*, actor: User, ballot: Ballot) -> Ballot:
    """A coordinator closes voting; the result stays hidden until both observers confirm."""
    require(actor, ballot.group.organisation, COORDINATING)
    ballot = _locked(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("Only an open ballot can be closed."), code="not_open")
    PaperReceipt.objects.filter(ballot=ballot).delete()
    ballot.status = Ballot.Status.CLOSED
    ballot.save(update_fields=["status"])
    return ballot


@transaction.atomic
def confirm_close(*, actor: User, ballot: Ballot) -> Ballot:
    """An observer confirms the close; when both have, the result and the full list are published.

    Publishing writes the ballot box again in receipt-hash order, so nothing about how the
    rows were stored follows the order people voted in.
    """
    ballot = _locked(ballot)
    person = Person.objects.filter(user=actor).first()
    if person is None or person.pk not in (ballot.first_observer_id, ballot.second_observer_id):
        raise PermissionDenied
    if ballot.status != Ballot.Status.CLOSED:
        raise ValidationError(_("The ballot must be closed for voting before the observers confirm it."))
    if person.pk == ballot.first_observer_id:
        ballot.first_observer_confirmed = True
    if person.pk == ballot.second_observer_id:
        ballot.second_observer_confirmed = True
    if ballot.first_observer_confirmed and ballot.second_observer_confirmed:
        box = sorted(CastBallot.objects.filter(ballot=ballot).values_list("receipt_hash", "option_id"))
        CastBallot.objects.filter(ballot=ballot).delete()
        CastBallot.objects.bulk_create(CastBallot(receipt_hash=h, ballot=ballot, option_id=o) for h, o in box)
        ballot.status = Ballot.Status.PUBLISHED
        ballot.published_on = timezone.localdate()
    ballot.save(update_fields=["first_observer_confirmed", "second_observer_confirmed", "status", "published_on"])
    return ballot


# ---- Representatives --------------------------------------------------------------------------------


@transaction.atomic
def set_speaks_for(*, actor: User, appointment: Appointment, speaks_for: Group | None) -> Appointment:
    """A coordinator says which group a seat's holder represents (or that they sit in their own right)."""
    require(actor, appointment.group.organisation, COORDINATING)
    if speaks_for is not None:
        if speaks_for.organisation_id != appointment.group.organisation_id:
            raise ValidationError({"speaks_for": _("Choose one of the organisation's groups.")})
        links = Appointment.objects.filter(
            group__organisation=appointment.group.organisation, ended_on__isnull=True, speaks_for__isnull=False
        ).exclude(pk=appointment.pk)
        if problem := rules.speaks_for_problem(
            seat_group_id=appointment.group_id,
            speaks_for_id=speaks_for.pk,
            links=links.values_list("speaks_for_id", "group_id"),
        ):
            raise ValidationError({"speaks_for": problem})
    with acting_as(actor):
        appointment.speaks_for = speaks_for
        appointment.save(update_fields=["speaks_for"])
    return appointment


@transaction.atomic
def send_view(*, actor: User, appointment: Appointment, text: str, session: Any = None) -> RepresentativeView:
    """A member of the group a representative speaks for sends them a view, for a meeting if they choose one.

    ``session`` is a meetings session of the group the representative sits on.
    """
    person = Person.objects.filter(user=actor).first()
    if (
        person is None
        or appointment.speaks_for is None
        or not selectors.is_group_member(person, appointment.speaks_for)
    ):
        raise PermissionDenied
    if problems := rules.view_problems(text=text):
        raise ValidationError(problems)
    if session is not None and session.group_id != appointment.group_id:
        raise ValidationError({"session": _("Choose one of the meetings of the group your representative sits on.")})
    return RepresentativeView.objects.create(
        appointment=appointment, sent_by=person, text=text.strip(), session=session
    )


@transaction.atomic
def mark_view(*, actor: User, view: RepresentativeView, raised: bool | None, outcome: str) -> RepresentativeView:
    """The representative (or a coordinator) marks whether a view was raised and what came of it."""
    appointment = view.appointment
    if appointment.person.user_id != actor.pk:
        require(actor, appointment.group.organisation, COORDINATING)
    if problems := rules.marking_problems(raised=raised, outcome=outcome):
        raise ValidationError(problems)
    view.raised = raised
    view.outcome = outcome.strip()
    view.save(update_fields=["raised", "outcome"])
    return view


@transaction.atomic
def message_partners(
    *, actor: User, appointment: Appointment, subject: str, body: str, copy_support: bool
) -> PartnerMessage:
    """The representative writes to everyone else serving on the group their seat is on.

    Each gets their own e-mail, with the representative's address to reply to, so the answer
    comes straight back. The organisation's contact address is copied only when the
    representative chooses it.
    """
    rep = appointment.person
    if rep.user_id != actor.pk:
        raise PermissionDenied
    problems: dict[str, str] = {}
    if not subject.strip():
        problems["subject"] = _("Give the message a subject.")
    if not body.strip():
        problems["body"] = _("Write your message.")
    people = [a.person for a in selectors.serving_on(appointment.group) if a.person_id != rep.pk]
    addresses = sorted({p.email or (p.user.email if p.user else "") for p in people} - {""})
    if not addresses and not problems:
        problems["body"] = _("Nobody else on this group has an e-mail address to write to.")
    if problems:
        raise ValidationError(problems)
    reply_to = [rep.email or actor.email]
    organisation = appointment.group.organisation
    copy = [organisation.contact_email] if copy_support and organisation.contact_email else []
    text = _("From %(name)s, representative on %(group)s:") % {"name": rep.full_name, "group": appointment.group}
    for address in addresses:
        EmailMessage(subject.strip(), f"{text}\n\n{body.strip()}\n", None, [address], cc=copy, reply_to=reply_to).send()
    return PartnerMessage.objects.create(
        appointment=appointment,
        subject=subject.strip(),
        body=body.strip(),
        copy_support=bool(copy),
        recipients=len(addresses),
    )
