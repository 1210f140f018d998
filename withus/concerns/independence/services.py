"""Every write to the independence risk register."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require

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
    today = timezone.localdate()
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
