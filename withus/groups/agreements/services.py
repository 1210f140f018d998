"""Every write of group agreements and codes of conduct: adopt or publish a version, and record that a
member agreed (on WithUs, or on paper, by phone or in person, recorded for them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.people import selectors as people_selectors
from withus.people.models import Person

from .. import selectors as group_selectors
from ..models import Group
from . import rules, selectors
from .models import Agreed, CodeOfConduct, GroupAgreement


@transaction.atomic
def adopt_agreement(*, actor: User, group: Group, text: str, text_cy: str = "") -> GroupAgreement:
    """A new version of the group's ground rules, as agreed with its members; the yearly review is one.

    Every member is asked to agree to the new version on their pages."""
    require(actor, group.organisation, COORDINATING)
    if problems := rules.text_problems(text=text):
        raise ValidationError(problems)
    made = GroupAgreement(group=group, text=text.strip(), text_cy=text_cy.strip(), adopted_by=actor)
    made.full_clean()
    made.save()
    return made


@transaction.atomic
def publish_code(*, actor: User, organisation: Organisation, text: str, text_cy: str = "") -> CodeOfConduct:
    """A new version of the organisation's code of conduct. Members accept it before they take up a seat."""
    require(actor, organisation, COORDINATING)
    if problems := rules.text_problems(text=text):
        raise ValidationError(problems)
    made = CodeOfConduct(organisation=organisation, text=text.strip(), text_cy=text_cy.strip(), published_by=actor)
    made.full_clean()
    made.save()
    return made


def _record(
    *, actor: User, person: Person, organisation: Organisation, how: str, **what: GroupAgreement | CodeOfConduct
) -> Agreed:
    own = person.user_id is not None and person.user_id == actor.pk
    if not own:
        require(actor, organisation, COORDINATING)
        people_selectors.person_sharing_with(organisation, person)
    if problems := rules.how_problems(how=how, for_someone_else=not own):
        raise ValidationError(problems)
    if Agreed.objects.filter(person=person, **what).exists():
        raise ValidationError(_("This has been agreed already."))
    try:
        with transaction.atomic():
            return Agreed.objects.create(
                person=person, how=Agreed.How.SELF if own else how, recorded_by=actor, at=timezone.now(), **what
            )
    except IntegrityError:
        raise ValidationError(_("This has been agreed already.")) from None


@transaction.atomic
def agree(*, actor: User, agreement: GroupAgreement, person: Person, how: str = Agreed.How.SELF) -> Agreed:
    """The member agrees to the current ground rules of a group they sit on (or a coordinator records it)."""
    group = agreement.group
    if selectors.current_agreement(group) != agreement:
        raise ValidationError(_("These ground rules have been replaced by a newer version: agree to that one."))
    if not group_selectors.is_group_member(person, group):
        raise PermissionDenied
    return _record(actor=actor, person=person, organisation=group.organisation, how=how, agreement=agreement)


@transaction.atomic
def accept_code(*, actor: User, code: CodeOfConduct, person: Person, how: str = Agreed.How.SELF) -> Agreed:
    """The member accepts the organisation's current code of conduct (or a coordinator records it)."""
    if selectors.current_code(code.organisation) != code:
        raise ValidationError(_("This code of conduct has been replaced by a newer version: accept that one."))
    if not people_selectors.shares_with(person, code.organisation):
        raise PermissionDenied
    return _record(actor=actor, person=person, organisation=code.organisation, how=how, code=code)


def code_problem(person: Person, organisation: Organisation) -> dict[str, str]:
    """What stops the person taking up a seat at the organisation: its current code of conduct not accepted."""
    if selectors.has_accepted_code(person, organisation):
        return {}
    return {
        "person": _(
            "%(name)s has not accepted the code of conduct yet. Ask them to accept it on their pages, "
            "or record that they accepted it on paper, by phone or in person."
        )
        % {"name": person.full_name}
    }
