"""Reads of opportunities and applications, shared by pages, API and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.groups.models import Group
from withus.people import selectors as people_selectors
from withus.people.models import DbsCheck, LocalAuthority, Person, Perspective

from . import draw as fair_draw
from . import rules
from .models import Application, Draw, LevelDefault, Opportunity, UnderRepresentedTag

CLOSING_SOON_DAYS = 14


def level_defaults(organisation: Organisation) -> dict[int, rules.PathwayDefault]:
    """Every level's default for the organisation: its own where set, else the guidance's."""
    own = {
        d.level: rules.PathwayDefault(d.level, d.time_commitment, d.application_process, d.reward)
        for d in LevelDefault.objects.filter(organisation=organisation)
    }
    return {level: rules.pathway_default(level, own) for level in rules.BUILT_IN_DEFAULTS}


@dataclass
class BoardFilter:
    q: str = ""
    level: int | None = None
    local_authority: str = ""
    location: str = ""
    reward: str = ""
    organisation: int | None = None
    closing_soon: bool = False


def board(f: BoardFilter, *, today: date | None = None) -> QuerySet[Opportunity]:
    """Open opportunities across every organisation on the installation (the one-stop shop)."""
    today = today or timezone.localdate()
    qs = Opportunity.objects.open().select_related("organisation")
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(title_cy__icontains=f.q)
            | Q(purpose__icontains=f.q)
            | Q(purpose_cy__icontains=f.q)
        )
    if f.level:
        qs = qs.filter(level=f.level)
    if f.local_authority:
        qs = qs.filter(local_authority=f.local_authority)
    if f.location == "online":
        qs = qs.filter(location__in=[Opportunity.Location.ONLINE, Opportunity.Location.BOTH])
    elif f.location == "in_person":
        qs = qs.filter(location__in=[Opportunity.Location.IN_PERSON, Opportunity.Location.BOTH])
    if f.reward:
        qs = qs.filter(reward=f.reward)
    if f.organisation:
        qs = qs.filter(organisation_id=f.organisation)
    if f.closing_soon:
        qs = qs.filter(closes_on__isnull=False, closes_on__lte=today + timedelta(days=CLOSING_SOON_DAYS))
    return qs.order_by(F("closes_on").asc(nulls_last=True), "title", "pk")


def public_opportunity(short_code: str) -> Opportunity:
    """An opportunity anyone may read: published or closed, never a draft or archived."""
    try:
        return Opportunity.objects.select_related("organisation", "contact").get(
            short_code=short_code, status__in=[Opportunity.Status.PUBLISHED, Opportunity.Status.CLOSED]
        )
    except Opportunity.DoesNotExist:
        raise Http404 from None


def opportunities_for_staff(user: Any, organisation: Organisation) -> QuerySet[Opportunity]:
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return Opportunity.objects.filter(organisation=organisation)


def opportunity_for_staff(user: Any, organisation: Organisation, pk: int) -> Opportunity:
    try:
        return opportunities_for_staff(user, organisation).select_related("contact", "group").get(pk=pk)
    except Opportunity.DoesNotExist:
        raise Http404 from None


def applications_for(opportunity: Opportunity) -> QuerySet[Application]:
    """The responses sent to ``opportunity`` that its organisation's staff may see.

    Only from people who share their details with the organisation: someone who never
    shared, or who stopped, is not in the list at all, not even by name.
    """
    return (
        opportunity.applications.exclude(status=Application.Status.DRAFT)
        .filter(person__in=people_selectors.people_sharing_with(opportunity.organisation).values("pk"))
        .select_related("person")
        .prefetch_related("person__tags", "references")
        # Nulls last on every database, so the waiting list reads the same on SQLite and PostgreSQL.
        .order_by(F("waiting_position").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )


def in_the_draw(opportunity: Opportunity) -> QuerySet[Application]:
    """The responses a fair draw for ``opportunity`` draws among: received or shortlisted, in id order.

    Only from people who share their details with the organisation, as in ``applications_for``:
    the organisation could neither see nor work with someone drawn from the others.
    """
    return (
        opportunity.applications.filter(status__in=[Application.Status.RECEIVED, Application.Status.SHORTLISTED])
        .filter(person__in=people_selectors.people_sharing_with(opportunity.organisation).values("pk"))
        .select_related("person")
        .order_by("pk")
    )


# ---- Draws --------------------------------------------------------------------------------------


def draws_for_staff(user: Any, organisation: Organisation) -> QuerySet[Draw]:
    """The organisation's recorded draws, newest first, for anyone who may read its work."""
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return Draw.objects.filter(opportunity__organisation=organisation).select_related("opportunity", "drawn_by")


def draw_for_staff(user: Any, organisation: Organisation, pk: int) -> Draw:
    try:
        return draws_for_staff(user, organisation).get(pk=pk)
    except Draw.DoesNotExist:
        raise Http404 from None


def check_draw(record: Draw) -> fair_draw.DrawCheck:
    """Re-run a recorded draw: its recorded seed over its recorded inputs, through the draw itself."""
    return fair_draw.check(seed=record.seed, places=record.places, inputs=record.inputs, result=record.result)


def names_in_draw(record: Draw) -> dict[int, str]:
    """The name of each person in a draw, by application id, for those who share their details with its organisation.

    One query however many people were drawn. Someone who does not share (any more) has no
    entry, and is shown by their application's number only.
    """
    recorded = record.inputs.get("candidates") if isinstance(record.inputs, dict) else None
    ids = [c.get("id") for c in recorded if isinstance(c, dict)] if isinstance(recorded, list) else []
    rows = Application.objects.filter(
        pk__in=[i for i in ids if isinstance(i, int)],
        opportunity_id=record.opportunity_id,
        person__in=people_selectors.people_sharing_with(record.opportunity.organisation).values("pk"),
    ).values_list("pk", "person__full_name")
    return dict(rows)


def stratum_label(key: str) -> str:
    """A stratum key such as ``perspective=carer|area=cardiff`` in words: "Carer, Cardiff"."""
    if key == fair_draw.UNSTRATIFIED:
        return _("Everyone")
    words = []
    for part in key.split("|"):
        name, _sep, value = part.partition("=")
        if name == "perspective":
            words.append(str(dict(Perspective.choices).get(value, value)))
        elif name == "area":
            words.append(str(dict(LocalAuthority.choices).get(value, value)) if value else _("No area given"))
        elif name == "under_represented":
            marked = value == "yes"
            words.append(_("From a group marked as under-represented") if marked else _("Not from those groups"))
        else:
            words.append(part)
    return ", ".join(words)


def describe_draw_part(part: str, value: Any, names: dict[int, str]) -> str:
    """One part of a draw's result (``draw.CHECKED_PARTS``) in words, naming people who share their details."""
    if value is None:
        return _("not recorded")
    if part in ("selected", "waiting_list") and isinstance(value, list):
        if not value:
            return _("nobody")
        return ", ".join(
            names[i] if isinstance(i, int) and i in names else _("application %(number)s") % {"number": i}
            for i in value
        )
    if part == "quotas" and isinstance(value, dict):
        return "; ".join(f"{stratum_label(str(key))}: {count}" for key, count in sorted(value.items()))
    if part == "strata_by" and isinstance(value, list):
        if not value:
            return _("nothing: one draw for everyone")
        return ", ".join(str(fair_draw.STRATA_LABELS.get(name, name)) for name in value)
    return str(value)


def my_applications(person: Person) -> QuerySet[Application]:
    return person.applications.select_related("opportunity", "opportunity__organisation").order_by("-created_at")


def places_in_last_year(person_ids: list[int], *, today: date) -> dict[int, int]:
    """How many places (selections) each person had in the 12 months before ``today``."""
    since = today - timedelta(days=365)
    rows = (
        Application.objects.filter(
            person_id__in=person_ids, status=Application.Status.SELECTED, decided_at__date__gte=since
        )
        .values("person_id")
        .annotate(n=Count("pk"))
    )
    counts = {pid: 0 for pid in person_ids}
    counts.update({r["person_id"]: r["n"] for r in rows})
    return counts


def people_in_under_represented_groups(organisation: Organisation, person_ids: list[int]) -> set[int]:
    """Which of these people have a word the organisation marks as under-represented."""
    tags = UnderRepresentedTag.objects.filter(organisation=organisation).values("tag_id")
    return set(Person.objects.filter(pk__in=person_ids, tags__in=tags).values_list("pk", flat=True))


# ---- Requirements before taking up a seat ----------------------------------------------------


def dbs_missing(person: Person, opportunity: Opportunity | None, *, group: Group | None, today: date) -> str | None:
    if opportunity is None or not opportunity.requires_dbs:
        return None
    check = (
        DbsCheck.objects.filter(
            person=person,
            organisation=opportunity.organisation,
            status__in=[DbsCheck.Status.CLEAR, DbsCheck.Status.TO_DISCUSS],
        )
        .order_by("-recorded_at")
        .first()
    )
    from withus.people.rules import dbs_needs_renewing

    if check is None:
        return "dbs"
    if dbs_needs_renewing(check.checked_on, today=today):
        return "dbs_renewal"
    return None


class RequirementCheck(Protocol):
    def __call__(
        self, person: Person, opportunity: Opportunity | None, *, group: Group | None, today: date
    ) -> str | None: ...


# Each check returns a code, or a message to show, when something is missing. The DBS check
# is this app's; apps above this one add theirs when they are ready (the training a role
# needs: withus.support.training), so that every path that appoints asks them all.
REQUIREMENT_CHECKS: list[RequirementCheck] = [dbs_missing]


def missing_requirements(
    person: Person, opportunity: Opportunity | None, *, group: Group | None = None, today: date | None = None
) -> list[str]:
    """What the person still needs before taking up a seat from ``opportunity``, on ``group``, or both."""
    if opportunity is None and group is None:
        return []
    today = today or timezone.localdate()
    return [code for check in REQUIREMENT_CHECKS if (code := check(person, opportunity, group=group, today=today))]


# ---- Dashboard -----------------------------------------------------------------------------------


@dataclass
class Concentration:
    people: int
    places: int
    top_share: float  # share of places held by the most involved 10% (0..1)
    top_people: list[tuple[Person, int]]


def concentration(organisation: Organisation, *, today: date) -> Concentration:
    """How concentrated involvement is over 12 months (004: over-reliance on the same few people)."""
    since = today - timedelta(days=365)
    rows = list(
        Application.objects.filter(
            opportunity__organisation=organisation, status=Application.Status.SELECTED, decided_at__date__gte=since
        )
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
    )
    total = sum(r["n"] for r in rows)
    if not rows:
        return Concentration(0, 0, 0.0, [])
    top_n = max(1, round(len(rows) * 0.1))
    top_places = sum(r["n"] for r in rows[:top_n])
    people = Person.objects.in_bulk([r["person_id"] for r in rows[:5]])
    return Concentration(len(rows), total, top_places / total, [(people[r["person_id"]], r["n"]) for r in rows[:5]])
