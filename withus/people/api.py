"""API operations on the people register.

Thin on purpose: who may see whom is ``selectors.people_for_staff``; every write is
a service (``register_assisted``, ``update_profile``). The organisation is always the
token's. What helps when someone is unwell and their equality monitoring answers
are special category data and never leave through these operations.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BeforeValidator, ConfigDict, StringConstraints

from withus.accounts.models import ApiToken, Role, SecurityEvent
from withus.accounts.roles import COORDINATING, SEEING_PEOPLE
from withus.accounts.services import record_security_event
from withus.api.auth import member_person, require_role, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, blank_is_none, text
from withus.core import privacy

from . import erasure, selectors, services
from .models import Channel as ChannelChoice
from .models import Erasure, LocalAuthority, Person, Perspective, SensitiveRead, Tag
from .models import ExperienceTiming as TimingChoice

router = Router(tags=["people"])


# ---- Input types ------------------------------------------------------------------------


Name = Annotated[str, text(150, min_length=1)]
TagSlug = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
# A filter may say which vocabulary a slug is from ("skill:listening"); a bare slug works when it is in one only.
TagFilter = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=80, pattern=r"^([a-z]+:)?[-a-zA-Z0-9_]+$")
]
OptionalLocalAuthority = Annotated[LocalAuthority | None, BeforeValidator(blank_is_none)]
OptionalPerspective = Annotated[Perspective | None, BeforeValidator(blank_is_none)]
OptionalStatus = Annotated[Person.Status | None, BeforeValidator(blank_is_none)]
# The needs a list can be narrowed by: the keys of selectors.NEED_FIELDS (a test keeps them in step).
NeedCode = Literal["large_print", "easy_read", "audio", "welsh", "no_early", "step_free", "hearing_loop", "companion"]


class ProfileIn(Schema):
    """The profile fields a person, or a coordinator acting for them, may set.

    Leave a field out to keep it as it is; send null or "" to clear an optional one.
    """

    model_config = ConfigDict(extra="forbid")

    full_name: Name | None = None
    preferred_name: Annotated[str, text(80)] | None = None
    pronouns: Annotated[str, text(40)] | None = None
    email: Annotated[str, text(254)] | None = None
    phone: Annotated[str, text(40)] | None = None
    address: Annotated[str, text(500)] | None = None
    postcode: Annotated[str, text(10)] | None = None
    local_authority: OptionalLocalAuthority = None
    perspective: OptionalPerspective = None
    experience_timing: TimingChoice | None = None
    other_languages: Annotated[str, text(200)] | None = None
    experience_notes: Annotated[str, text(2000)] | None = None
    available_weekdays: bool | None = None
    available_evenings: bool | None = None
    available_weekends: bool | None = None
    availability_notes: Annotated[str, text(500)] | None = None
    preferred_channel: ChannelChoice | None = None
    opportunity_alerts: Literal["weekly", "each", "never"] | None = None
    needs_large_print: bool | None = None
    needs_easy_read: bool | None = None
    needs_audio: bool | None = None
    prefers_welsh: bool | None = None
    no_meetings_before_1030: bool | None = None
    needs_step_free: bool | None = None
    needs_hearing_loop: bool | None = None
    travels_with_companion: bool | None = None
    reasonable_adjustments: Annotated[str, text(2000)] | None = None
    dietary_needs: Annotated[str, text(300)] | None = None
    does_not_use_computers: bool | None = None
    tags: dict[Tag.Kind, Annotated[list[TagSlug], Field(max_length=50)]] | None = Field(
        None,
        description='Tag slugs by vocabulary, e.g. {"skill": ["listening"]}. '
        "Each vocabulary sent replaces the person's tags of that kind; others are kept.",
    )


PROFILE_INPUT_FIELDS = frozenset(ProfileIn.model_fields) - {"tags"}


class PersonCreateIn(ProfileIn):
    """Register someone who does not use computers, with the consent they gave you."""

    full_name: Name
    perspective: Perspective
    how: Literal["in_person", "phone", "paper"] = Field(description="How the person gave their consent.")
    keep_details: bool = Field(description="The person agrees that we keep their details. Must be true.")
    act_on_behalf: bool = Field(description="The person agrees that your organisation acts for them. Must be true.")
    contact_about_opportunities: bool = False
    consent_notes: Annotated[str, text(500)] = ""


class PeopleQuery(Schema):
    q: str = Field("", max_length=100, description="Part of a name or e-mail address.")
    perspective: OptionalPerspective = Field(None, description="service_user and carer include people who are both.")
    local_authority: OptionalLocalAuthority = None
    status: OptionalStatus = None
    tag: list[TagFilter] = Field(
        [], max_length=20, description="Tag slugs (or kind:slug); a person must have all of them."
    )
    need: list[NeedCode] = Field([], max_length=8, description="Needs; a person must have all of them.")

    def narrows(self) -> bool:
        """Whether the query leaves anyone out, as ``PeopleFilter.narrows`` says of the filter it makes."""
        return bool(self.q or self.perspective or self.local_authority or self.status or self.tag or self.need)


# ---- Output types -----------------------------------------------------------------------


class TagOut(Schema):
    kind: str
    slug: str
    name: str
    name_cy: str


class PersonSummaryOut(Schema):
    """A person in a list. No special category data."""

    id: int
    full_name: str
    preferred_name: str
    pronouns: str
    email: str
    phone: str
    local_authority: str
    perspective: str
    experience_timing: str
    preferred_channel: str
    opportunity_alerts: str
    status: str
    stepped_out_until: date | None
    does_not_use_computers: bool
    needs: list[NeedCode]
    tags: list[TagOut]

    @staticmethod
    def resolve_needs(obj: Person) -> list[str]:
        return [code for code, field in selectors.NEED_FIELDS.items() if getattr(obj, field)]

    @staticmethod
    def resolve_tags(obj: Person) -> list[Tag]:
        return list(obj.tags.all())


class PersonOut(PersonSummaryOut):
    """A person's profile. Never the wellbeing plan or equality monitoring answers."""

    address: str
    postcode: str
    other_languages: str
    experience_notes: str
    available_weekdays: bool
    available_evenings: bool
    available_weekends: bool
    availability_notes: str
    needs_large_print: bool
    needs_easy_read: bool
    needs_audio: bool
    prefers_welsh: bool
    no_meetings_before_1030: bool
    needs_step_free: bool
    needs_hearing_loop: bool
    travels_with_companion: bool
    reasonable_adjustments: str
    dietary_needs: str
    created_at: datetime
    updated_at: datetime


class StaffPersonOut(PersonOut):
    may_act_on_behalf: bool = Field(
        description="Whether the person has agreed that your organisation acts for them (needed to change details)."
    )

    @staticmethod
    def resolve_may_act_on_behalf(obj: Person, context: dict[str, Any]) -> bool:
        return selectors.may_act_for(obj, token_of(context["request"]).organisation)


# What every staff answer about a person shows: recorded as read (see ``services.record_reads``).
SHOWN_TO_STAFF = (SensitiveRead.What.CONTACT, SensitiveRead.What.NEEDS)
VIA_API = SensitiveRead.Via.API

# ---- Helpers ------------------------------------------------------------------------------


def _profile_fields(payload: ProfileIn) -> dict[str, Any]:
    """The profile fields the client sent, with null meaning blank where a field may be blank.

    A null for a field that cannot be blank is passed on, so that the model's own
    validation names the field.
    """
    fields: dict[str, Any] = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name not in PROFILE_INPUT_FIELDS:
            continue
        if value is None:
            model_field = Person._meta.get_field(name)
            if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
                value = ""
        fields[name] = value
    return fields


def _tags_by_kind(wanted: dict[Tag.Kind, list[str]]) -> dict[str, Iterable[Tag]]:
    """Tags named by slug within each vocabulary; any slug we do not know is an error on its field."""
    # Plain strings as keys: update_profile compares them with Tag.kind.
    by_kind = {Tag.Kind(kind).value: slugs for kind, slugs in wanted.items()}
    query = Q()
    for kind, slugs in by_kind.items():
        query |= Q(kind=kind, slug__in=slugs)
    found: dict[tuple[str, str], Tag] = {}
    if by_kind:
        found = {(t.kind, t.slug): t for t in Tag.objects.filter(query)}
    errors: dict[str, list[str]] = {}
    chosen: dict[str, list[Tag]] = {}
    for kind, slugs in by_kind.items():
        chosen[kind] = []
        for slug in dict.fromkeys(slugs):
            tag = found.get((kind, slug))
            if tag is None:
                errors.setdefault(f"tags.{kind}", []).append(_("We do not know the tag “%(slug)s”.") % {"slug": slug})
            else:
                chosen[kind].append(tag)
    if errors:
        raise ValidationError(errors)
    return dict(chosen)


def _tag_ids_for_filter(names: Iterable[str]) -> tuple[int, ...]:
    names = list(dict.fromkeys(names))
    if not names:
        return ()
    slugs = {name.rpartition(":")[2] for name in names}
    tags = list(Tag.objects.filter(slug__in=slugs).only("pk", "kind", "slug"))
    ids: list[int] = []
    problems: list[str] = []
    for name in names:
        kind, _sep, slug = name.rpartition(":")
        matches = [t.pk for t in tags if t.slug == slug and (not kind or t.kind == kind)]
        if len(matches) == 1:
            ids.append(matches[0])
        elif not matches:
            problems.append(_("We do not know the tag “%(slug)s”.") % {"slug": name})
        else:
            problems.append(_("“%(slug)s” is in more than one vocabulary: say which, as kind:slug.") % {"slug": name})
    if problems:
        raise ValidationError({"tag": problems})
    return tuple(ids)


def _own_person(request: HttpRequest) -> tuple[ApiToken, Person]:
    """With a member token, the person the token's user is; 404 if they have no profile."""
    token = require_role(request, Role.MEMBER)
    person = selectors.own_person(token.user)
    if person is None:
        raise ApiError(404, "not_found", _("You do not have a member profile."))
    return token, person


# ---- A member's own profile -------------------------------------------------------------
# Registered before /{person_id} so that "me" is never taken for an id.


@router.get("/me", response={200: PersonOut, **AUTHENTICATED_ERRORS, 404: ErrorOut}, summary="Your own profile")
def my_profile(request: HttpRequest) -> Person:
    """With a member token: the profile of the person the token belongs to."""
    _token, person = member_person(request)
    return Person.objects.prefetch_related("tags").get(pk=person.pk)


@router.get(
    "/me/data",
    response={200: dict[str, Any], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Everything held about you",
)
def my_data(request: HttpRequest) -> dict[str, Any]:
    """With a member token: everything every part of WithUs holds about you, the same as the web download.

    ``format`` names the document's version; each section's values sit under its key
    (``profile``, ``consents``, ``applications``...), and ``labels`` says, in the
    token user's language, what each section and field is.
    """
    token, person = member_person(request)
    record_security_event(
        kind=SecurityEvent.Kind.EXPORT, request=request, user=token.user, detail=f"person {person.pk} (API)"
    )
    return privacy.subject_access(person)


@router.patch(
    "/me",
    response={200: PersonOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change your own profile",
)
def update_my_profile(request: HttpRequest, payload: ProfileIn) -> Person:
    """With a member token: change the fields you send, and leave the rest."""
    token, person = member_person(request)
    tags = _tags_by_kind(payload.tags) if payload.tags is not None else None
    services.update_profile(person=person, actor=token.user, fields=_profile_fields(payload), tags=tags)
    return Person.objects.prefetch_related("tags").get(pk=person.pk)


# ---- Staff ------------------------------------------------------------------------------


class PeoplePage(ListPagination):
    """A page of the register, recorded as read: each person on it had their contact details and needs shown."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        token = token_of(request)
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        people = list(queryset[offset : offset + limit])
        narrowed = params["filters"].narrows()
        count = selectors.count_for_staff(queryset, token.organisation, narrowed=narrowed)
        services.record_reads(
            reader=token.user, organisation=token.organisation, people=people, what=SHOWN_TO_STAFF, via=VIA_API
        )
        return {"items": people, "count": count}


def _people_filter(filters: PeopleQuery) -> selectors.PeopleFilter:
    return selectors.PeopleFilter(
        q=filters.q,
        perspective=filters.perspective or "",
        local_authority=filters.local_authority or "",
        status=filters.status or "",
        tags=_tag_ids_for_filter(filters.tag),
        needs=tuple(filters.need),
    )


@router.get("", response={200: list[PersonSummaryOut], **AUTHENTICATED_ERRORS, 422: ErrorOut}, summary="List people")
@paginate(PeoplePage)
def list_people(request: HttpRequest, filters: Query[PeopleQuery]) -> Any:
    """For coordinators, admins and supervisors: people who share their details with your organisation.

    In name order, a page at a time (limit, offset). Every tag and need given must match.
    """
    token = require_role(request, *SEEING_PEOPLE)
    people = selectors.people_for_staff(token.user, token.organisation)
    return selectors.with_list_data(selectors.filter_people(people, _people_filter(filters)))


@router.post(
    "",
    response={201: StaffPersonOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Register someone, with their consent",
)
def create_person(request: HttpRequest, payload: PersonCreateIn) -> Status[Person]:
    """For coordinators and admins: register someone who does not use computers.

    Record how they gave consent (in person, by phone or on paper) and that they agree
    to us keeping their details and to your organisation acting for them.
    """
    token = require_role(request, *COORDINATING)
    tags = _tags_by_kind(payload.tags or {})
    person = services.register_assisted(
        actor=token.user,
        organisation=token.organisation,
        fields=_profile_fields(payload),
        tags=[t for kind_tags in tags.values() for t in kind_tags],
        how=payload.how,
        keep_details=payload.keep_details,
        act_on_behalf=payload.act_on_behalf,
        contact_about_opportunities=payload.contact_about_opportunities,
        notes=payload.consent_notes,
    )
    return Status(201, Person.objects.prefetch_related("tags").get(pk=person.pk))


@router.get("/{person_id}", response={200: StaffPersonOut, **AUTHENTICATED_ERRORS, 404: ErrorOut}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> Person:
    """For coordinators, admins and supervisors: someone who shares their details with your organisation."""
    token = require_role(request, *SEEING_PEOPLE)
    person = selectors.person_for_staff(token.user, token.organisation, person_id)
    services.record_reads(
        reader=token.user, organisation=token.organisation, people=[person], what=SHOWN_TO_STAFF, via=VIA_API
    )
    return person


@router.patch(
    "/{person_id}",
    response={200: StaffPersonOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change someone's profile, acting for them",
)
def update_person(request: HttpRequest, person_id: int, payload: ProfileIn) -> Person:
    """For coordinators and admins, when the person has agreed that your organisation acts for them.

    The person sees the change in their record, with who made it.
    """
    token = require_role(request, *COORDINATING)
    person = selectors.person_for_staff(token.user, token.organisation, person_id)
    tags = _tags_by_kind(payload.tags) if payload.tags is not None else None
    services.update_profile(
        person=person,
        actor=token.user,
        fields=_profile_fields(payload),
        tags=tags,
        organisation=token.organisation,
    )
    services.record_reads(
        reader=token.user, organisation=token.organisation, people=[person], what=SHOWN_TO_STAFF, via=VIA_API
    )
    return Person.objects.prefetch_related("tags").get(pk=person.pk)


# ---- Erasure ------------------------------------------------------------------------------


class KeptOut(Schema):
    what: str
    count: int
    until: date | None
    why: str


class OwedOut(Schema):
    what: str
    count: int
    total: Decimal
    can_waive: bool = Field(description="False for payments already sent to the bank: the erasure waits for them")


class ErasureOut(Schema):
    reference: str = Field(description="Quote it about this erasure; it does not say who you were")
    status: Literal["waiting", "done"] = Field(
        description="`waiting`: done once what is owed to you has been paid; `done`: erased, and this token no "
        "longer works"
    )
    ledger_kept_until: date | None = Field(description="When the record of payments made to you is deleted too")
    confirmation: str = Field(description="How you are told: `email`, `letter`, or `none`; blank while waiting")


class ErasurePlanOut(Schema):
    kept: list[KeptOut] = Field(description="What stays, without your name, and until when")
    owed: list[OwedOut] = Field(description="Money still owed to you: paid first unless you give it up")
    waiting: ErasureOut | None = Field(description="An erasure you asked for that waits for a payment")


class ErasureIn(Schema):
    confirm: bool = Field(description="Must be true: erasure cannot be undone")
    waive_unpaid: bool = Field(
        False, description="Give up approved fees and expenses not yet paid, so that the erasure need not wait"
    )


def _erasure_out(erasure: Erasure) -> ErasureOut:
    return ErasureOut(
        reference=erasure.reference,
        status="done" if erasure.status == Erasure.Status.DONE else "waiting",
        ledger_kept_until=erasure.ledger_kept_until,
        confirmation=erasure.confirmation,
    )


@router.get(
    "/me/erasure",
    response={200: ErasurePlanOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="What erasing your details would do",
)
def my_erasure_plan(request: HttpRequest) -> ErasurePlanOut:
    """With a member token: what would stay (and until when) and what is owed to you, before you ask."""
    _token, person = member_person(request)
    found = erasure.plan(person)
    waiting = Erasure.objects.filter(person=person, status=Erasure.Status.WAITING).first()
    return ErasurePlanOut(
        kept=[KeptOut(what=str(k.what), count=k.count, until=k.until, why=str(k.why)) for k in found.kept],
        owed=[OwedOut(what=str(o.what), count=o.count, total=o.total, can_waive=o.can_waive) for o in found.owed],
        waiting=_erasure_out(waiting) if waiting else None,
    )


@router.post(
    "/me/erasure",
    response={200: ErasureOut, 202: ErasureOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Erase your details",
)
def erase_me(request: HttpRequest, payload: ErasureIn) -> Status[ErasureOut]:
    """With a member token: erase everything held about you (200), or as soon as what is owed is paid (202).

    What stays is the record of payments already made, under a reference and without
    your name, for 6 years after their tax year. Once erased, the token stops working.
    """
    token, person = member_person(request)
    if not payload.confirm:
        raise ApiError(
            422,
            "invalid",
            _("Send confirm: true to erase your details. This cannot be undone."),
            {"confirm": [_("Must be true")]},
        )
    done = erasure.request_erasure(
        person=person, via=Erasure.Via.API, actor=token.user, waive_unpaid=payload.waive_unpaid
    )
    return Status(200 if done.status == Erasure.Status.DONE else 202, _erasure_out(done))
