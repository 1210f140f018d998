"""Every write to the independence risk register."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, Role, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.meetings.reminders import staff_language

from . import rules, selectors
from .models import IndependenceRisk


@transaction.atomic
def add_risk(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    kind: str,
    likelihood: int | None,
    impact: int | None,
    mitigations: str = "",
    owner: User | None = None,
    review_on: date | None = None,
    title_cy: str = "",
) -> IndependenceRisk:
    """A coordinator adds a risk to the register, with its next review at most a year away."""
    require(actor, organisation, COORDINATING)
    today = timezone.localdate()
    if problems := rules.risk_problems(
        title=title, likelihood=likelihood, impact=impact, review_on=review_on, today=today
    ):
        raise ValidationError(problems)
    assert likelihood is not None and impact is not None and review_on is not None
    risk = IndependenceRisk(
        organisation=organisation,
        title=title.strip(),
        title_cy=title_cy.strip(),
        kind=kind,
        likelihood=likelihood,
        impact=impact,
        mitigations=mitigations.strip(),
        owner=owner,
        review_on=review_on,
    )
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def review_risk(
    *,
    actor: User,
    risk: IndependenceRisk,
    likelihood: int | None,
    impact: int | None,
    mitigations: str,
    owner: User | None,
    review_on: date | None,
    close: bool = False,
) -> IndependenceRisk:
    """The risk is reviewed: scores, mitigations and owner brought up to date, the next review set (or closed)."""
    require(actor, risk.organisation, COORDINATING)
    today = timezone.localdate()
    if problems := rules.risk_problems(
        title=risk.title, likelihood=likelihood, impact=impact, review_on=review_on, today=today
    ):
        raise ValidationError(problems)
    assert likelihood is not None and impact is not None and review_on is not None
    risk.likelihood, risk.impact, risk.mitigations = likelihood, impact, mitigations.strip()
    risk.owner, risk.review_on, risk.last_reviewed_on = owner, review_on, today
    risk.closed_on = today if close else None
    risk.save()
    return risk


@transaction.atomic
def record_findings(*, actor: User, organisation: Organisation) -> tuple[list[IndependenceRisk], int]:
    """Add to the register each risk the records show and it does not have yet; note those no longer shown.

    A finding is added once (its ``source_key``); one that comes back after it stopped
    being found is found again. Answers the risks added and how many are no longer found.
    """
    require(actor, organisation, COORDINATING)
    return _record_findings(organisation, timezone.localdate())


def _record_findings(organisation: Organisation, today: date) -> tuple[list[IndependenceRisk], int]:
    found = selectors.findings(organisation)
    existing = {
        r.source_key: r for r in IndependenceRisk.objects.filter(organisation=organisation).exclude(source_key="")
    }
    added: list[IndependenceRisk] = []
    for finding in found:
        risk = existing.get(finding.key)
        if risk is None:
            added.append(
                IndependenceRisk.objects.create(
                    organisation=organisation,
                    kind=finding.kind,
                    title=finding.title,
                    title_cy=finding.title_cy,
                    likelihood=3,
                    impact=4,
                    source_key=finding.key,
                    review_on=today,
                )
            )
        elif risk.no_longer_found_on is not None:
            risk.no_longer_found_on = None
            risk.save(update_fields=["no_longer_found_on"])
    keys = {f.key for f in found}
    gone = (
        IndependenceRisk.objects.filter(
            organisation=organisation, no_longer_found_on__isnull=True, closed_on__isnull=True
        )
        .exclude(source_key="")
        .exclude(source_key__in=keys)
    )
    return added, gone.update(no_longer_found_on=today)


@dataclass
class DailyRound:
    """What one daily round did: risks the records showed added, and owners told of reviews missed."""

    added: int = 0
    no_longer_found: int = 0
    overdue_told: int = 0
    risks: list[int] = field(default_factory=list)


def _coordinators(organisation: Organisation) -> list[User]:
    return list(User.objects.filter(memberships__organisation=organisation, memberships__role=Role.COORDINATOR))


def _mail(users: list[User], template: str, context: dict[str, object]) -> None:
    """E-mail each member of staff once, in their language."""
    for email in sorted({u.email for u in users if u.email}):
        with translation.override(staff_language(email)):
            subject = str(context["subject"])
            body = render_to_string(template, {**context, "site_url": settings.SITE_URL}).strip()
            send_mail(subject, body, None, [email])


def daily_round(*, today: date | None = None) -> DailyRound:
    """For every organisation: add the risks the records show (once each), and tell each overdue risk's
    owner (its coordinators when it has none) that its review was missed, once per review date.

    Run twice on a day, or by two workers at once, it adds nothing twice and tells no one twice.
    """
    today = today or timezone.localdate()
    done = DailyRound()
    for organisation in Organisation.objects.order_by("pk"):
        with transaction.atomic():
            added, gone = _record_findings(organisation, today)
        done.added += len(added)
        done.no_longer_found += gone
        if added:
            _mail(
                _coordinators(organisation),
                "concerns/messages/risks_found.txt",
                {"subject": gettext_lazy("The records show new risks to independence"), "risks": added},
            )
        waiting = IndependenceRisk.objects.filter(
            organisation=organisation, closed_on__isnull=True, review_on__lt=today
        ).select_related("owner")
        for risk in waiting:
            with transaction.atomic():
                # Claimed by an update first, so that a second round running at once tells no one.
                claimed = (
                    IndependenceRisk.objects.filter(pk=risk.pk)
                    .exclude(overdue_told_for=risk.review_on)
                    .update(overdue_told_for=risk.review_on)
                )
                if not claimed:
                    continue
                told = [risk.owner] if risk.owner is not None else _coordinators(organisation)
                _mail(
                    told,
                    "concerns/messages/risk_overdue.txt",
                    {"subject": gettext_lazy("A risk to independence is due its review"), "risk": risk},
                )
            done.overdue_told += 1
            done.risks.append(risk.pk)
    return done
