"""Writes about preparation: a coordinator arranges a briefing or meet-and-greet, a member answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import User
from withus.accounts.roles import COORDINATING, STAFF
from withus.accounts.selectors import has_role, require
from withus.meetings.models import Session
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.notify import notify

from . import rules, selectors
from .models import Preparation, PreparationAnswer


@transaction.atomic
def arrange(
    *,
    actor: User,
    session: Session,
    kind: str,
    at: datetime,
    how: str,
    where: str,
    by_staff: User | None = None,
    by_person: Person | None = None,
    now: datetime | None = None,
) -> Preparation:
    """Arrange (or change) the session's briefing or meet-and-greet; refused with a reason, nothing written.

    Who gives it is one member of the organisation's staff or one member acting as supporter
    who shares their details with the organisation; it is held before the session starts (a
    meet-and-greet on arrival), and not for a session that has started or was cancelled.
    """
    organisation = session.organisation
    require(actor, organisation, COORDINATING)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if kind not in rules.KINDS:
        errors["kind"] = _("Choose a briefing or a meet-and-greet.")
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled: there is nothing to prepare for."))
    if session.starts_at <= now:
        raise ValidationError(_("This session has started: preparation is arranged before it."))
    if (by_staff is None) == (by_person is None):
        errors["by_staff"] = _("Choose who gives it: one member of staff or one member acting as supporter.")
    elif by_staff is not None and not has_role(by_staff, organisation, *STAFF):
        errors["by_staff"] = _("Choose someone on your organisation's staff.")
    elif by_person is not None:
        try:
            people_selectors.person_sharing_with(organisation, by_person)
        except PermissionDenied:
            errors["by_person"] = _("Choose a member who shares their details with your organisation.")
    if how not in Preparation.How.values:
        errors["how"] = _("Choose in person, by phone or by video.")
    if not where.strip():
        errors["where"] = _("Say where it is, or the phone number or video link.")
    if "kind" not in errors:
        problem = rules.timing_problem(kind, at=at, starts_at=session.starts_at, ends_at=session.ends_at)
        if problem is None and at < now:
            problem = _("Choose a time that has not passed.")
        if problem:
            errors["at"] = problem
    if errors:
        raise ValidationError(errors)
    preparation, _created = Preparation.objects.update_or_create(
        session=session,
        kind=kind,
        defaults={
            "at": at,
            "how": how,
            "where": where.strip(),
            "by_staff": by_staff,
            "by_person": by_person,
            "arranged_by": actor,
            "arranged_at": now,
            "giver_reminded_at": None,
        },
    )
    return preparation


@transaction.atomic
def answer(*, person: Person, preparation_pk: int, wanted: bool, now: datetime | None = None) -> PreparationAnswer:
    """A member says yes or no to a briefing or meet-and-greet they are offered, until it is held."""
    now = now or timezone.now()
    offer = selectors.offer_to(person, preparation_pk, now=now)
    if offer is None:
        raise ValidationError(_("This is not something you were offered for a session still to come."))
    if offer.preparation.at <= now:
        raise ValidationError(_("This has already taken place."))
    found, _created = PreparationAnswer.objects.update_or_create(
        preparation=offer.preparation, person=person, defaults={"wanted": wanted, "answered_at": now}
    )
    return found


GIVER_SUBJECT = gettext_lazy("Reminder: you are giving a %(kind)s on %(when)s")


def remind_givers(*, now: datetime | None = None) -> int:
    """The day before a briefing or meet-and-greet, whoever gives it (staff by e-mail, a member by their
    channel, each in their language) is reminded of who, when and where; once each, never for a cancelled
    session (the day-before rule sessions use: ``meetings.reminders.session_reminder_due``)."""
    from withus.meetings.reminders import session_reminder_due

    from .. import services as support_services

    now = now or timezone.now()
    soon = (
        Preparation.objects.filter(giver_reminded_at__isnull=True, at__gt=now, at__lt=now + timedelta(days=2))
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__organisation", "by_staff", "by_person")
    )
    sent = 0
    for preparation in soon:
        if not session_reminder_due(starts_at=preparation.at, invited_at=preparation.arranged_at, now=now):
            continue
        with transaction.atomic():
            if not Preparation.objects.filter(pk=preparation.pk, giver_reminded_at__isnull=True).update(
                giver_reminded_at=now
            ):
                continue
            people = [
                o.person for o in selectors.session_preparation(preparation.session).offers.get(preparation.pk, [])
            ]
            context = {"preparation": preparation, "people": people, "site_url": settings.SITE_URL}
            values = {"when": timezone.localtime(preparation.at).strftime("%d/%m/%Y %H:%M")}
            if preparation.by_person is not None:
                language = "cy" if preparation.by_person.prefers_welsh else "en"
                with translation.override(language):
                    subject = str(GIVER_SUBJECT) % {**values, "kind": preparation.get_kind_display().lower()}
                notify(
                    person=preparation.by_person,
                    subject=subject,
                    template="support/preparation/messages/giver_reminder.txt",
                    context=context,
                    organisation=preparation.session.organisation,
                )
            elif preparation.by_staff is not None:
                support_services.mail_staff(
                    preparation.by_staff,
                    GIVER_SUBJECT,
                    "support/preparation/messages/giver_reminder.txt",
                    context,
                    {**values, "kind": preparation.get_kind_display().lower()},
                )
            else:
                continue
            sent += 1
    return sent
