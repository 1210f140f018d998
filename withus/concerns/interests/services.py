"""Every write to the register of interests: declare, change, end, and confirm at the yearly review.
A change never overwrites a version: it replaces it with a new one."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.meetings.reminders import staff_language
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.notify import notify

from . import rules, selectors
from .models import Interest


def _check_holder(actor: User, person: Person | None, user: User | None, organisation: Organisation | None) -> bool:
    """Whether ``actor`` may write for this holder; answers whether they do it for someone else.

    Members and staff keep their own; a coordinator records a member's who declared by phone or letter,
    for a member who shares with the coordinator's organisation.
    """
    if (person is None) == (user is None):
        raise ValueError("An interest is held by a member or by a member of staff, not both.")
    if user is not None:
        if user.pk != actor.pk:
            raise PermissionDenied
        return False
    assert person is not None
    if person.user_id is not None and person.user_id == actor.pk:
        return False
    if organisation is None:
        raise PermissionDenied
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    return True


def _problems(body: str, starts_on: date | None, ends_on: date | None) -> None:
    if problems := rules.declaration_problems(
        body=body, starts_on=starts_on, ends_on=ends_on, today=timezone.localdate()
    ):
        raise ValidationError(problems)


@transaction.atomic
def declare(
    *,
    actor: User,
    kind: str,
    body: str,
    description: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    person: Person | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    how: str = Interest.How.SELF,
) -> Interest:
    """Declare a standing interest: a member or member of staff for themselves, or a coordinator of
    ``organisation`` for a member who declared it by phone, letter or in person (``how``)."""
    for_someone_else = _check_holder(actor, person, user, organisation)
    _problems(body, starts_on, ends_on)
    interest = Interest(
        person=person,
        user=user,
        kind=kind,
        body=" ".join(body.split()),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        how=how if for_someone_else and how != Interest.How.SELF else Interest.How.SELF,
        recorded_by=actor,
    )
    if for_someone_else and interest.how == Interest.How.SELF:
        raise ValidationError({"how": [gettext_lazy("Say how the member declared it.")]})
    interest.full_clean()
    interest.save()
    return interest


def _replace(interest: Interest, actor: User, **changes: object) -> Interest:
    now = timezone.now()
    claimed = Interest.objects.filter(pk=interest.pk, superseded_at__isnull=True).update(superseded_at=now)
    if not claimed:
        raise ValidationError(gettext_lazy("This declaration was changed meanwhile: look at it again."))
    new = Interest(
        person=interest.person,
        user=interest.user,
        kind=interest.kind,
        body=interest.body,
        description=interest.description,
        starts_on=interest.starts_on,
        ends_on=interest.ends_on,
        how=interest.how,
        first_id=interest.first_id or interest.pk,
        recorded_by=actor,
        recorded_at=now,
        reviewed_on=timezone.localdate(),
    )
    for name, value in changes.items():
        setattr(new, name, value)
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def change(
    *,
    actor: User,
    interest: Interest,
    kind: str,
    body: str,
    description: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    organisation: Organisation | None = None,
) -> Interest:
    """Bring a declaration up to date. The version before is kept, marked as replaced."""
    _check_holder(actor, interest.person, interest.user, organisation)
    _problems(body, starts_on, ends_on)
    return _replace(
        interest,
        actor,
        kind=kind,
        body=" ".join(body.split()),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def end(*, actor: User, interest: Interest, ends_on: date | None, organisation: Organisation | None = None) -> Interest:
    """The interest ended (on ``ends_on``, today if not given): a last version says so; none is deleted."""
    _check_holder(actor, interest.person, interest.user, organisation)
    ends_on = ends_on or timezone.localdate()
    _problems(interest.body, interest.starts_on, ends_on)
    return _replace(interest, actor, ends_on=ends_on)


@transaction.atomic
def confirm(*, actor: User, person: Person | None = None, user: User | None = None) -> int:
    """Its holder says their current declarations are still right: the yearly review is done."""
    _check_holder(actor, person, user, None)
    return selectors.current(selectors.held_by(person=person, user=user)).update(
        reviewed_on=timezone.localdate(), review_told_for=None
    )


REVIEW_SUBJECT = gettext_lazy("Are your declared interests still right?")


def remind_reviews(*, today: date | None = None) -> int:
    """Ask each holder of declarations not reviewed in a year whether they are still right; how many were asked.

    Once per review: ``review_told_for`` is set when asked, and only a review (``confirm``) or a new
    version clears it, so a holder who does nothing is not asked again every day. Members are told by
    their own channel in their language (a letter waits in the outbox of an organisation they share
    with); staff by e-mail.
    """
    today = today or timezone.localdate()
    due = list(
        selectors.review_due(today)
        .filter(review_told_for__isnull=True)
        .select_related("person", "user")
        .order_by("person_id", "user_id", "body", "pk")
    )
    by_holder: dict[tuple[int | None, int | None], list[Interest]] = {}
    for interest in due:
        by_holder.setdefault((interest.person_id, interest.user_id), []).append(interest)
    asked = 0
    for interests in by_holder.values():
        with transaction.atomic():
            # Claimed before telling, so two rounds at once never ask twice.
            claimed = Interest.objects.filter(pk__in=[i.pk for i in interests], review_told_for__isnull=True).update(
                review_told_for=today
            )
            if not claimed:
                continue
            person, user = interests[0].person, interests[0].user
            context = {"interests": interests, "site_url": settings.SITE_URL}
            if person is not None:
                notify(
                    person=person,
                    subject=REVIEW_SUBJECT,
                    template="concerns/messages/interests_review.txt",
                    context={**context, "page": reverse("concerns:my_interests")},
                    organisation=people_selectors.organisations_shared_with(person).order_by("pk").first(),
                )
            elif user is not None and user.email:
                with translation.override(staff_language(user.email)):
                    body = render_to_string(
                        "concerns/messages/interests_review.txt",
                        {**context, "page": reverse("concerns:staff_interests")},
                    ).strip()
                    send_mail(str(REVIEW_SUBJECT), body, None, [user.email])
            asked += 1
    return asked
