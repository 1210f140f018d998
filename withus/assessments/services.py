"""Every write about frameworks, assessments, scores, agreements and actions.

Each service checks who may do it and refuses bad input with a ``ValidationError`` naming the
field, before anything is written, so the web, the API and the demo refuse alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING, STAFF
from withus.accounts.selectors import has_role, require
from withus.meetings.models import Session
from withus.people import selectors as people_selectors

from . import rules
from .models import Action, Agreement, Aim, Assessment, Framework, Item, Milestone, ScaleStep, Score, Scorer, Strategy


def _top(framework: Framework) -> int:
    top = framework.steps.order_by("-value").values_list("value", flat=True).first()
    return top or 0


def _check_value(framework: Framework, value: int, field: str = "value") -> None:
    if not framework.steps.filter(value=value).exists():
        labels = ", ".join(f"{s.value} ({s.title})" for s in framework.steps.all())
        raise ValidationError({field: _("Choose a score on this framework's scale: %(labels)s.") % {"labels": labels}})


def _usable(framework: Framework, organisation: Organisation) -> None:
    if framework.organisation_id not in (None, organisation.pk):
        raise ValidationError({"framework": _("Choose one of the frameworks your organisation uses.")})


@transaction.atomic
def copy_framework(*, actor: User, organisation: Organisation, framework: Framework) -> Framework:
    """The organisation's own copy of a framework, whose wording it may change; the original stays as shipped."""
    require(actor, organisation, ADMINISTERING)
    _usable(framework, organisation)
    code = framework.code
    while Framework.objects.filter(organisation=organisation, code=code).exists():
        code = f"{code}-copy"[:60]
    copy = Framework.objects.create(
        organisation=organisation,
        code=code,
        name=framework.name,
        name_cy=framework.name_cy,
        description=framework.description,
        description_cy=framework.description_cy,
        source=framework.source,
        copied_from=framework,
    )
    ScaleStep.objects.bulk_create(
        ScaleStep(framework=copy, value=s.value, label=s.label, label_cy=s.label_cy) for s in framework.steps.all()
    )
    Item.objects.bulk_create(
        Item(
            framework=copy,
            standard=i.standard,
            standard_cy=i.standard_cy,
            code=i.code,
            text=i.text,
            text_cy=i.text_cy,
            source=i.source,
            order=i.order,
        )
        for i in framework.items.all()
    )
    return copy


# Said wherever a shipped framework's wording is asked to change: the page, the API and this service.
SHIPPED_UNCHANGED = gettext_lazy("A shipped framework cannot be changed: make your organisation's copy first.")


def _too_long(values: list[str], limit: int) -> bool:
    return any(len(v.strip()) > limit for v in values)


@transaction.atomic
def create_framework(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    name_cy: str = "",
    description: str = "",
    description_cy: str = "",
    source: str = "",
    scale: list[tuple[str, str]],
    items: list[tuple[str, str, str, str]],
) -> Framework:
    """The organisation's own framework (an adopted charter, say): its scale from lowest to met, and its items.

    ``scale`` is (label, label in Welsh) from the lowest step up; ``items`` are (standard, code, wording,
    wording in Welsh), each with its own code.
    """
    require(actor, organisation, ADMINISTERING)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the framework's name.")
    elif _too_long([name, name_cy], 200):
        errors["name"] = _("Keep the framework's name to 200 characters or fewer.")
    if len(source.strip()) > 200:
        errors["source"] = _("Keep the source to 200 characters or fewer.")
    if len(scale) < 2 or any(not label.strip() for label, _cy in scale):
        errors["scale"] = _("Give the scale at least two steps, each with a label, from lowest to met.")
    elif _too_long([label for step in scale for label in step], 100):
        errors["scale"] = _("Keep each step's label to 100 characters or fewer.")
    elif len({label.strip().casefold() for label, _cy in scale}) != len(scale):
        errors["scale"] = _("Give each step of the scale its own label.")
    codes = [code.strip() for _s, code, _t, _c in items]
    if not items or any(not text.strip() for _s, _c, text, _cy in items):
        errors["items"] = _("Give the framework at least one item, each with its wording.")
    elif any(not code for code in codes):
        errors["items"] = _("Give each item a code, for example “C1”.")
    elif len(set(codes)) != len(codes):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        errors["items"] = _("Give each item its own code: used more than once, %(codes)s.") % {
            "codes": ", ".join(repeated)
        }
    elif _too_long(codes, 20) or _too_long([s for s, _c, _t, _cy in items], 120):
        errors["items"] = _("Keep each item's code to 20 characters and its standard to 120.")
    if errors:
        raise ValidationError(errors)
    code = "own"
    n = 1
    while Framework.objects.filter(organisation=organisation, code=f"{code}-{n}").exists():
        n += 1
    framework = Framework.objects.create(
        organisation=organisation,
        code=f"{code}-{n}",
        name=name.strip(),
        name_cy=name_cy.strip(),
        description=description.strip(),
        description_cy=description_cy.strip(),
        source=source.strip(),
    )
    ScaleStep.objects.bulk_create(
        ScaleStep(framework=framework, value=v, label=label.strip(), label_cy=label_cy.strip())
        for v, (label, label_cy) in enumerate(scale)
    )
    Item.objects.bulk_create(
        Item(
            framework=framework,
            standard=standard.strip(),
            code=code.strip(),
            text=text.strip(),
            text_cy=text_cy.strip(),
            order=n,
        )
        for n, (standard, code, text, text_cy) in enumerate(items)
    )
    return framework


@transaction.atomic
def reword_item(*, actor: User, item: Item, text: str, text_cy: str = "") -> Item:
    """Change an item's wording in the organisation's own framework; a shipped framework is never changed."""
    framework = item.framework
    if framework.organisation is None:
        raise ValidationError({"text": SHIPPED_UNCHANGED})
    require(actor, framework.organisation, ADMINISTERING)
    if not text.strip():
        raise ValidationError({"text": _("Enter the item's wording.")})
    item.text = text.strip()
    item.text_cy = text_cy.strip()
    item.save(update_fields=["text", "text_cy"])
    return item


@transaction.atomic
def open_assessment(
    *, actor: User, organisation: Organisation, framework: Framework, title: str, period_start: date, period_end: date
) -> Assessment:
    """A coordinator opens an assessment of a framework for a period; scorers are invited next."""
    require(actor, organisation, COORDINATING)
    _usable(framework, organisation)
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title, for example “4PI standards 2026”.")
    if period_end < period_start:
        errors["period_end"] = _("The period must end on or after the day it starts.")
    if errors:
        raise ValidationError(errors)
    return Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        opened_by=actor,
    )


@transaction.atomic
def invite_scorer(*, actor: User, assessment: Assessment, user: User, side: str) -> Scorer:
    """Invite a member (who shares their details with the organisation) or a member of staff to score."""
    organisation = assessment.organisation
    require(actor, organisation, COORDINATING)
    if not assessment.is_open:
        raise ValidationError({"user": _("Scoring has closed: nobody more can be invited.")})
    if side == Scorer.Side.STAFF:
        if not has_role(user, organisation, *STAFF):
            raise ValidationError({"user": _("This person does not work for your organisation.")})
    elif side == Scorer.Side.MEMBER:
        person = people_selectors.own_person(user)
        if person is None or not people_selectors.shares_with(person, organisation):
            raise ValidationError({"user": _("This person is not a member who shares their details with you.")})
    else:
        raise ValidationError({"side": _("Choose member or staff.")})
    scorer, _created = Scorer.objects.get_or_create(assessment=assessment, user=user, defaults={"side": side})
    return scorer


@transaction.atomic
def record_score(
    *,
    actor: User,
    assessment: Assessment,
    item: Item,
    value: int,
    evidence: str = "",
    evidence_session: Session | None = None,
) -> Score:
    """A scorer's score of one item with its evidence; changed freely until scoring closes."""
    scorer = Scorer.objects.filter(assessment=assessment, user=actor).first()
    if scorer is None:
        raise PermissionDenied(_("You were not invited to score this assessment."))
    # Locked so that a score and the closing of scoring never cross.
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError({"value": _("Scoring has closed: scores can no longer be given or changed.")})
    if item.framework_id != assessment.framework_id:
        raise ValidationError({"item": _("This item is not part of this assessment's framework.")})
    _check_value(assessment.framework, value)
    if evidence_session is not None and evidence_session.organisation_id != assessment.organisation_id:
        raise ValidationError({"evidence_session": _("Evidence must be one of your organisation's own records.")})
    score, _created = Score.objects.update_or_create(
        scorer=scorer,
        item=item,
        defaults={"value": value, "evidence": evidence.strip(), "evidence_session": evidence_session},
    )
    return score


@transaction.atomic
def close_scoring(*, actor: User, assessment: Assessment) -> Assessment:
    """Close scoring: from now everyone invited sees every score, side by side."""
    require(actor, assessment.organisation, COORDINATING)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError(_("Scoring has already closed."))
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.save(update_fields=["closed_at", "closed_by"])
    assessment.closed_at, assessment.closed_by = locked.closed_at, actor
    return locked


@transaction.atomic
def agree_score(*, actor: User, assessment: Assessment, item: Item, value: int | None, note: str = "") -> Agreement:
    """Record the item's agreed score, or (``value`` None) that members and staff still disagree.

    A disagreement that stays is kept as it is, with its note, and reported: never averaged.
    """
    require(actor, assessment.organisation, COORDINATING)
    if assessment.is_open:
        raise ValidationError({"value": _("Close scoring before agreeing scores.")})
    if item.framework_id != assessment.framework_id:
        raise ValidationError({"item": _("This item is not part of this assessment's framework.")})
    if value is None:
        if not note.strip():
            raise ValidationError({"note": _("Say why the disagreement stays, in both sides' words.")})
    else:
        _check_value(assessment.framework, value)
    agreement, _created = Agreement.objects.update_or_create(
        assessment=assessment,
        item=item,
        defaults={"value": value, "disagreement_kept": value is None, "note": note.strip(), "agreed_by": actor},
    )
    return agreement


def _item_is_gap(assessment: Assessment, item: Item) -> bool:
    top = _top(assessment.framework)
    agreement = Agreement.objects.filter(assessment=assessment, item=item).first()
    if agreement is not None and agreement.value is not None:
        return rules.is_gap(agreement.value, top)
    values = Score.objects.filter(scorer__assessment=assessment, item=item).values_list("value", flat=True)
    return any(rules.is_gap(v, top) for v in values)


@transaction.atomic
def create_action(
    *,
    actor: User,
    assessment: Assessment,
    item: Item,
    description: str,
    owner: User,
    due_on: date,
    monitoring: str,
) -> Action:
    """Turn an item scored below met into an action with an owner, a due date and how it will be monitored."""
    organisation = assessment.organisation
    require(actor, organisation, COORDINATING)
    errors: dict[str, Any] = {}
    if assessment.is_open:
        errors["item"] = _("Close scoring before planning actions.")
    elif item.framework_id != assessment.framework_id:
        errors["item"] = _("This item is not part of this assessment's framework.")
    elif not _item_is_gap(assessment, item):
        errors["item"] = _("This item was scored as met: an action is for an item below met.")
    if not description.strip():
        errors["description"] = _("Say what will be done.")
    if not monitoring.strip():
        errors["monitoring"] = _("Say how the action will be monitored.")
    if (
        not has_role(owner, organisation, *STAFF)
        and not Scorer.objects.filter(assessment=assessment, user=owner).exists()
    ):
        errors["owner"] = _("The owner must work for your organisation or be one of this assessment's scorers.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("The due date must be today or later.")
    if errors:
        raise ValidationError(errors)
    return Action.objects.create(
        organisation=organisation,
        assessment=assessment,
        item=item,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        monitoring=monitoring.strip(),
    )


@transaction.atomic
def update_action(*, actor: User, action: Action, progress: str, done: bool) -> Action:
    """Record an action's progress, and whether it is done."""
    if actor.pk != action.owner_id:
        require(actor, action.organisation, COORDINATING)
    action.progress = progress.strip()
    if done and action.status != Action.Status.DONE:
        action.status = Action.Status.DONE
        action.done_at = timezone.now()
    elif not done:
        action.status = Action.Status.OPEN
        action.done_at = None
    action.save(update_fields=["progress", "status", "done_at"])
    return action


@transaction.atomic
def save_strategy(*, actor: User, organisation: Organisation, title: str, summary: str = "") -> Strategy:
    """The organisation's engagement strategy (one per organisation): its title and summary."""
    require(actor, organisation, COORDINATING)
    if not title.strip():
        raise ValidationError({"title": _("Enter the strategy's title.")})
    strategy, _created = Strategy.objects.update_or_create(
        organisation=organisation, defaults={"title": title.strip(), "summary": summary.strip()}
    )
    return strategy


@transaction.atomic
def add_aim(*, actor: User, strategy: Strategy, text: str, owner: User) -> Aim:
    require(actor, strategy.organisation, COORDINATING)
    errors = {}
    if not text.strip():
        errors["text"] = _("Say what the aim is.")
    if not has_role(owner, strategy.organisation, *STAFF):
        errors["owner"] = _("The owner must work for your organisation.")
    if errors:
        raise ValidationError(errors)
    return Aim.objects.create(strategy=strategy, text=text.strip(), owner=owner, order=strategy.aims.count())


@transaction.atomic
def add_milestone(*, actor: User, aim: Aim, text: str, owner: User, due_on: date) -> Milestone:
    organisation = aim.strategy.organisation
    require(actor, organisation, COORDINATING)
    errors = {}
    if not text.strip():
        errors["text"] = _("Say what the milestone is.")
    if not has_role(owner, organisation, *STAFF):
        errors["owner"] = _("The owner must work for your organisation.")
    if errors:
        raise ValidationError(errors)
    return Milestone.objects.create(aim=aim, text=text.strip(), owner=owner, due_on=due_on)


@transaction.atomic
def reach_milestone(*, actor: User, milestone: Milestone, on: date) -> Milestone:
    require(actor, milestone.aim.strategy.organisation, COORDINATING)
    if on > timezone.localdate():
        raise ValidationError({"on": _("A milestone cannot be reached in the future.")})
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def review_strategy(*, actor: User, strategy: Strategy, on: date, note: str) -> Strategy:
    """Record the strategy's review (at least yearly, with members): the day and what was decided."""
    require(actor, strategy.organisation, COORDINATING)
    errors = {}
    if on > timezone.localdate():
        errors["on"] = _("A review cannot be in the future.")
    if not note.strip():
        errors["note"] = _("Say what the review found and who took part.")
    if errors:
        raise ValidationError(errors)
    strategy.reviewed_on = on
    strategy.review_note = note.strip()
    strategy.save(update_fields=["reviewed_on", "review_note"])
    return strategy


@transaction.atomic
def link_action(*, actor: User, action: Action, aim: Aim | None) -> Action:
    """Link an action from an assessment to the strategy aim it serves (or unlink it)."""
    require(actor, action.organisation, COORDINATING)
    if aim is not None and aim.strategy.organisation_id != action.organisation_id:
        raise ValidationError({"aim": _("Choose one of your organisation's aims.")})
    action.aim = aim
    action.save(update_fields=["aim"])
    return action
