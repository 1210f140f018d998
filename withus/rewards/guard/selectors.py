"""Reads for the benefits guard: what is declared, what counts, what each viewer may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.models import BenefitDeclaration, BenefitLimit, IncomeLine

Guarded = list[tuple[BenefitDeclaration, rules.Verdict]]


def as_declared(d: BenefitDeclaration) -> rules.Declared:
    return rules.Declared(
        benefit=str(d.benefit),
        assessment_day=d.assessment_day,
        uc_housing_support=d.uc_housing_support,
        uc_work_allowance=d.uc_work_allowance,
        disregard=d.disregard,
    )


def as_limit(row: BenefitLimit) -> rules.Limit:
    """A reference row for the rules, its words (label, source, meaning, notes) in the reader's language."""
    return rules.Limit(
        rule=row.rule,
        period=row.period,
        amount=row.amount,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.text("source"),
        hours_limit=row.hours_limit,
        taper_percent=row.taper_percent,
        label=str(row.get_rule_display()),
        meaning=row.meaning,
        notes=row.text("notes"),
    )


def all_limits() -> list[rules.Limit]:
    return [as_limit(r) for r in BenefitLimit.objects.all()]


def as_line(line: IncomeLine) -> rules.Line:
    return rules.Line(kind=line.kind, amount=line.amount, day=line.activity_date, hours=line.hours, status=line.status)


def visible_to_organisation(declaration: BenefitDeclaration, organisation: Organisation) -> bool:
    return any(o.pk == organisation.pk for o in declaration.share_with.all())


class _Evidence:
    """Everything the guard reads for some people, fetched once: their declarations, their income, the limits."""

    def __init__(self, person_ids: set[int], viewer_organisation: Organisation | None) -> None:
        self.viewer_organisation = viewer_organisation
        self.limits = all_limits()
        self.declarations: dict[int, list[BenefitDeclaration]] = defaultdict(list)
        found = (
            BenefitDeclaration.objects.filter(person_id__in=person_ids, ended_at__isnull=True)
            .prefetch_related("share_with")
            .order_by("pk")
        )
        for declaration in found:
            if viewer_organisation is None or visible_to_organisation(declaration, viewer_organisation):
                self.declarations[declaration.person_id].append(declaration)
        self.income: dict[int, list[IncomeLine]] = defaultdict(list)
        if self.declarations:
            for line in IncomeLine.objects.filter(person_id__in=set(self.declarations)):
                self.income[line.person_id].append(line)

    def verdict(self, declaration: BenefitDeclaration, *, offer: IncomeLine | None, on: date) -> rules.Verdict:
        """The guard's verdict on one declaration.

        The member's own view counts what every organisation on the installation pays
        them: the limit is theirs, whoever pays. Staff of an organisation count only
        what the organisations the member shares this declaration with pay: sharing
        decides what staff see, never what the member is warned about. The offer
        itself always counts.
        """
        shared = {o.pk for o in declaration.share_with.all()}
        lines = [
            as_line(line)
            for line in self.income[declaration.person_id]
            if (self.viewer_organisation is None or line.organisation_id in shared)
            and (offer is None or line.pk != offer.pk)
        ]
        return rules.check(as_declared(declaration), lines, as_line(offer) if offer else None, self.limits, on=on)

    def verdicts(self, person_id: int, *, offer: IncomeLine | None, on: date) -> Guarded:
        return [(d, self.verdict(d, offer=offer, on=on)) for d in self.declarations.get(person_id, [])]


def guard(
    person: Person,
    *,
    offer: IncomeLine | None = None,
    on: date | None = None,
    viewer_organisation: Organisation | None = None,
) -> Guarded:
    """The guard's view for each current declaration.

    ``viewer_organisation`` set: only the declarations the person shares with it (staff view).
    """
    evidence = _Evidence({person.pk}, viewer_organisation)
    return evidence.verdicts(person.pk, offer=offer, on=on or timezone.localdate())


def guard_offers(
    offers: Sequence[IncomeLine], *, viewer_organisation: Organisation | None = None
) -> dict[int, Guarded]:
    """``guard(line.person, offer=line, ...)`` for many offers at once, keyed by line id, in a fixed few queries."""
    if not offers:
        return {}
    evidence = _Evidence({line.person_id for line in offers}, viewer_organisation)
    today = timezone.localdate()
    return {line.pk: evidence.verdicts(line.person_id, offer=line, on=today) for line in offers}


@dataclass
class ThisPeriodAndNext:
    """One declaration with the guard's view of the period containing the day asked about, and of the next one."""

    declaration: BenefitDeclaration
    current: rules.Verdict
    following: rules.Verdict


def this_period_and_next(person: Person, *, on: date) -> list[ThisPeriodAndNext]:
    """For each current declaration, the guard's view of its period containing ``on`` and of its next period.

    The next period is ``rules.next_period``: the member's page and ``withus benefits check`` both read it here.
    """
    evidence = _Evidence({person.pk}, None)
    result = []
    for declaration in evidence.declarations.get(person.pk, []):
        following, _end = rules.next_period(as_declared(declaration), on)
        result.append(
            ThisPeriodAndNext(
                declaration,
                evidence.verdict(declaration, offer=None, on=on),
                evidence.verdict(declaration, offer=None, on=following),
            )
        )
    return result


def uncovered_rules(today: date) -> list[str]:
    """Rules with no row covering today: the admin page warns about these."""
    limits = all_limits()
    return [rule for rule, _label in BenefitLimit.Rule.choices if rules.limit_on(limits, rule, today) is None]


def offers_for(person: Person) -> QuerySet[IncomeLine]:
    return IncomeLine.objects.filter(person=person).select_related("organisation").order_by("-activity_date", "-pk")


def describe(verdicts: Guarded) -> list[dict[str, Any]]:
    """A JSON-safe snapshot of what the guard said, kept with the person's choice."""
    return [
        {
            "benefit": str(d.benefit),
            "period": [v.period_start.isoformat(), v.period_end.isoformat()],
            "before": str(v.counted_before),
            "with_offer": str(v.counted_with_offer),
            "problem": v.problem,
            "over_by": str(v.over_by),
            "limit": str(v.limit.amount) if v.limit else None,
            "source": v.limit.source if v.limit else None,
            "valid_from": v.limit.valid_from.isoformat() if v.limit else None,
            "stale": v.stale,
        }
        for d, v in verdicts
    ]
