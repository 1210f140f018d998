"""Reads for the benefits guard: what is declared, what counts, what each viewer may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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


def as_limit(row: BenefitLimit, labels: Mapping[str, str] | None = None) -> rules.Limit:
    """A reference row for the rules, its words (label, source, meaning, notes) in the reader's language.

    ``labels``: each rule's label, already in the reader's language (``all_limits`` passes
    them, so that a whole table is not translated once per row).
    """
    return rules.Limit(
        rule=row.rule,
        period=row.period,
        amount=row.amount,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.text("source"),
        hours_limit=row.hours_limit,
        taper_percent=row.taper_percent,
        label=labels[row.rule] if labels is not None and row.rule in labels else str(row.get_rule_display()),
        meaning=row.meaning,
        notes=row.text("notes"),
    )


def all_limits() -> list[rules.Limit]:
    labels = {rule: str(label) for rule, label in BenefitLimit.Rule.choices}
    return [as_limit(r, labels) for r in BenefitLimit.objects.all()]


def as_line(line: IncomeLine) -> rules.Line:
    return rules.Line(kind=line.kind, amount=line.amount, day=line.activity_date, hours=line.hours, status=line.status)


@dataclass(frozen=True)
class _Counted:
    """An income line as the guard reads it: who paid it, and the line for the rules."""

    pk: int
    organisation_id: int
    line: rules.Line


class _Evidence:
    """Everything the guard reads for some people, fetched once: the limits, their declarations, their income.

    A fixed four queries however many people: the limits, the declarations, whom each
    is shared with, and the income in the periods asked about. ``days_of`` says, for a
    declaration, which days the guard will be asked about; only the income inside those
    days' periods is read (and only fees and vouchers that may still be paid, which are
    all the rules count), as plain values rather than model instances.
    """

    def __init__(
        self,
        person_ids: Collection[int],
        viewer_organisation: Organisation | None,
        days_of: Callable[[BenefitDeclaration], Iterable[date]],
    ) -> None:
        self.viewer_organisation = viewer_organisation
        self.declarations: dict[int, list[BenefitDeclaration]] = defaultdict(list)
        self.income: dict[int, list[_Counted]] = defaultdict(list)
        self.shared: dict[int, set[int]] = {}
        self.declared: dict[int, rules.Declared] = {}
        if not person_ids:
            self.limits: list[rules.Limit] = []
            return
        self.limits = all_limits()
        found = (
            BenefitDeclaration.objects.filter(person_id__in=person_ids, ended_at__isnull=True)
            .prefetch_related("share_with")
            .order_by("pk")
        )
        windows: list[tuple[date, date]] = []
        for declaration in found:
            self.shared[declaration.pk] = {o.pk for o in declaration.share_with.all()}
            if viewer_organisation is not None and viewer_organisation.pk not in self.shared[declaration.pk]:
                continue
            self.declarations[declaration.person_id].append(declaration)
            declared = self.declared[declaration.pk] = as_declared(declaration)
            windows.extend(rules.period_of(declared, day) for day in days_of(declaration))
        if not windows:
            return
        rows = IncomeLine.objects.filter(
            person_id__in=set(self.declarations),
            activity_date__gte=min(start for start, _end in windows),
            activity_date__lte=max(end for _start, end in windows),
            kind__in=rules.COUNTED_KINDS,
            status__in=rules.COUNTED_STATUSES,
        ).values_list("pk", "person_id", "organisation_id", "kind", "amount", "activity_date", "hours", "status")
        for pk, person_id, organisation_id, kind, amount, day, hours, status in rows.order_by():
            line = rules.Line(kind=kind, amount=amount, day=day, hours=hours, status=status)
            self.income[person_id].append(_Counted(pk, organisation_id, line))

    def verdict(self, declaration: BenefitDeclaration, *, offer: IncomeLine | None, on: date) -> rules.Verdict:
        """The guard's verdict on one declaration.

        The member's own view counts what every organisation on the installation pays
        them: the limit is theirs, whoever pays. Staff of an organisation count only
        what the organisations the member shares this declaration with pay: sharing
        decides what staff see, never what the member is warned about. The offer
        itself always counts.
        """
        shared = self.shared[declaration.pk]
        lines = [
            counted.line
            for counted in self.income[declaration.person_id]
            if (self.viewer_organisation is None or counted.organisation_id in shared)
            and (offer is None or counted.pk != offer.pk)
        ]
        declared = self.declared[declaration.pk]
        return rules.check(declared, lines, as_line(offer) if offer else None, self.limits, on=on)

    def verdicts(self, person_id: int, *, offer: IncomeLine | None, on: date) -> Guarded:
        return [(d, self.verdict(d, offer=offer, on=on)) for d in self.declarations.get(person_id, [])]


def guard_people(
    person_ids: Collection[int], *, on: date | None = None, viewer_organisation: Organisation | None = None
) -> dict[int, Guarded]:
    """The guard's view for each current declaration of each of these people, keyed by person id.

    In the same four queries however many people: the batched form of ``guard``, for
    any page or list that shows the guard for many people at once. A person with no
    current declaration (or none shared with ``viewer_organisation``) has an empty list.
    """
    day = on or timezone.localdate()
    evidence = _Evidence(person_ids, viewer_organisation, lambda _declaration: [day])
    return {pk: evidence.verdicts(pk, offer=None, on=day) for pk in person_ids}


def guard(
    person: Person,
    *,
    offer: IncomeLine | None = None,
    on: date | None = None,
    viewer_organisation: Organisation | None = None,
) -> Guarded:
    """The guard's view for each current declaration.

    ``viewer_organisation`` set: only the declarations the person shares with it (staff view).
    With ``offer`` (one of the person's lines), the view of the period containing it, counting it.
    """
    if offer is not None:
        return guard_offers([offer], viewer_organisation=viewer_organisation)[offer.pk]
    return guard_people([person.pk], on=on, viewer_organisation=viewer_organisation)[person.pk]


def guard_offers(
    offers: Sequence[IncomeLine], *, viewer_organisation: Organisation | None = None
) -> dict[int, Guarded]:
    """``guard(line.person, offer=line, ...)`` for many offers at once, keyed by line id, in a fixed few queries."""
    if not offers:
        return {}
    days: dict[int, set[date]] = defaultdict(set)
    for line in offers:
        days[line.person_id].add(line.activity_date)
    evidence = _Evidence(set(days), viewer_organisation, lambda declaration: days[declaration.person_id])
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

    def following(declaration: BenefitDeclaration) -> date:
        return rules.next_period(as_declared(declaration), on)[0]

    evidence = _Evidence({person.pk}, None, lambda declaration: [on, following(declaration)])
    return [
        ThisPeriodAndNext(
            declaration,
            evidence.verdict(declaration, offer=None, on=on),
            evidence.verdict(declaration, offer=None, on=following(declaration)),
        )
        for declaration in evidence.declarations.get(person.pk, [])
    ]


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
