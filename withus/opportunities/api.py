"""API operations on opportunities, responses to them, selection and appointments.

Thin on purpose: what anyone may read is ``selectors.board`` and
``selectors.public_opportunity``; what staff may read starts from
``selectors.opportunities_for_staff``; every write is a service, which keeps the
rules (closing dates, places, level changes, who may be appointed). The organisation
is always the token's. Applicants' health, wellbeing and equality monitoring answers
never leave through these operations, and staff see no free text from a response:
what someone wrote about the support they need can say a lot about their health.

``/opportunities/{opportunity}`` is one address for two things: anyone reads a
published opportunity by its short code (as printed on leaflets), and staff change
one by its id. They share the address because a short code can be all digits, which
would otherwise send a read to the operation that changes.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from withus.accounts.models import ApiToken, User
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, blank_is_none, field_limit
from withus.core import spreadsheets
from withus.groups import selectors as group_selectors
from withus.groups.models import Appointment, Group
from withus.people import selectors as people_selectors
from withus.people.api import OptionalLocalAuthority, TagFilter, TagOut
from withus.people.models import Person, Tag

from . import documents, selectors, services
from .models import Application, ApplicationProcess, Draw, Level, Opportunity, RoleOffered, Where

router = Router(tags=["opportunities"])


PUBLIC_ERRORS: dict[int, type[ErrorOut]] = {404: ErrorOut}

# ---- Input types ------------------------------------------------------------------------


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise PydanticCustomError("email", _("Enter a valid e-mail address.")) from None
    return value


OptionalLevel = Annotated[Level | None, BeforeValidator(blank_is_none)]
OptionalReward = Annotated[Opportunity.Reward | None, BeforeValidator(blank_is_none)]
Places = Annotated[int, Field(ge=0, le=32767)]
# Statuses a coordinator may set by hand; drafts are where every opportunity starts.
StatusChange = Literal["published", "closed", "archived"]
ApplicationMove = Literal["received", "shortlisted", "selected", "not_selected", "waiting_list", "withdrawn"]


class BoardQuery(Schema):
    q: str = Field("", max_length=100, description="Part of the title or purpose, in English or Welsh.")
    level: OptionalLevel = Field(None, description="A level on the engagement pathway, 1 (informed) to 6 (leading).")
    local_authority: OptionalLocalAuthority = None
    location: Annotated[Literal["online", "in_person"] | None, BeforeValidator(blank_is_none)] = Field(
        None, description="online and in_person both include opportunities offered either way."
    )
    reward: OptionalReward = None
    organisation: int | None = Field(None, description="Only this organisation's opportunities (its id).")
    closing_soon: bool = Field(False, description="Only those closing in the next two weeks.")


class StaffOpportunityQuery(Schema):
    status: Annotated[Literal["draft", "published", "closed", "archived"] | None, BeforeValidator(blank_is_none)] = None


class OpportunityFieldsIn(Schema):
    """An opportunity's fields. Leave a field out to keep it as it is; send null or "" to clear an optional one.

    Texts published to the board have English fields and Welsh ``_cy`` fields.
    """

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, field_limit(Opportunity, "title", required=True)] | None = None
    title_cy: Annotated[str, field_limit(Opportunity, "title_cy")] | None = None
    purpose: Annotated[str, field_limit(Opportunity, "purpose", required=True)] | None = None
    purpose_cy: Annotated[str, field_limit(Opportunity, "purpose_cy")] | None = None
    intended_outcomes: Annotated[str, field_limit(Opportunity, "intended_outcomes", required=True)] | None = None
    intended_outcomes_cy: Annotated[str, field_limit(Opportunity, "intended_outcomes_cy")] | None = None
    influence: Annotated[str, field_limit(Opportunity, "influence", required=True)] | None = None
    influence_cy: Annotated[str, field_limit(Opportunity, "influence_cy")] | None = None
    view: Opportunity.View | None = None
    level: Level | None = None
    application_process: ApplicationProcess | None = Field(
        None, description="Leave out when creating to use the level's default."
    )
    time_commitment: Annotated[str, field_limit(Opportunity, "time_commitment")] | None = Field(
        None, description="Leave out or blank when creating to use the level's default."
    )
    time_commitment_cy: Annotated[str, field_limit(Opportunity, "time_commitment_cy")] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    closes_on: date | None = Field(None, description="Today or later; null if it stays open.")
    location: Opportunity.Location | None = None
    venue: Annotated[str, field_limit(Opportunity, "venue")] | None = None
    local_authority: OptionalLocalAuthority = None
    accessibility: Annotated[str, field_limit(Opportunity, "accessibility")] | None = None
    accessibility_cy: Annotated[str, field_limit(Opportunity, "accessibility_cy")] | None = None
    reward: Opportunity.Reward | None = None
    reward_details: Annotated[str, field_limit(Opportunity, "reward_details")] | None = None
    reward_details_cy: Annotated[str, field_limit(Opportunity, "reward_details_cy")] | None = None
    places: Places | None = Field(None, description="At least one.")
    reserves: Places | None = None
    requires_dbs: bool | None = None
    required_training: Annotated[str, field_limit(Opportunity, "required_training")] | None = None
    contact: int | None = Field(None, description="The contact person: the id of one of your organisation's staff.")
    group: int | None = Field(None, description="The id of one of your organisation's groups, or null.")
    role_description: Annotated[str, field_limit(Opportunity, "role_description")] | None = None
    role_description_cy: Annotated[str, field_limit(Opportunity, "role_description_cy")] | None = None
    person_specification: Annotated[str, field_limit(Opportunity, "person_specification")] | None = None
    person_specification_cy: Annotated[str, field_limit(Opportunity, "person_specification_cy")] | None = None
    co_produced: bool | None = None
    where: Where | None = None
    role_offered: RoleOffered | None = None
    tags: Annotated[list[TagFilter], Field(max_length=50)] | None = Field(
        None, description='Topic and service tags by slug (or kind:slug, e.g. "area:crisis"); replaces them all.'
    )


class OpportunityCreateIn(OpportunityFieldsIn):
    """A new opportunity, saved as a draft. The contact person is you unless you name someone."""

    title: Annotated[str, field_limit(Opportunity, "title", required=True)]
    purpose: Annotated[str, field_limit(Opportunity, "purpose", required=True)]
    intended_outcomes: Annotated[str, field_limit(Opportunity, "intended_outcomes", required=True)]
    influence: Annotated[str, field_limit(Opportunity, "influence", required=True)]
    level: Level
    places: Places = Field(description="At least one.")
    where: Where
    role_offered: RoleOffered


class OpportunityUpdateIn(OpportunityFieldsIn):
    level_change_reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        "", description="Needed when you change the level after people responded. They are told."
    )


class OpportunityStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: StatusChange


class ReferenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    relationship: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)] = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""


class ResponseIn(Schema):
    """Your response. What it asks for depends on the opportunity's ``application_process``."""

    model_config = ConfigDict(extra="forbid")

    why: Annotated[str, StringConstraints(strip_whitespace=True, max_length=3000)] = ""
    experience: Annotated[str, StringConstraints(strip_whitespace=True, max_length=3000)] = ""
    support_needed: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    references: Annotated[list[ReferenceIn], Field(max_length=5)] = Field(
        [], description="Referees, with an e-mail address or phone number each (application forms need one)."
    )
    submit: bool = Field(True, description="false keeps a draft you can send later, before the closing date.")
    share_details: bool = Field(
        False,
        description=(
            "true: you agree to share your details with the organisation that runs the opportunity, recorded as "
            "your consent (you can withdraw it). Needed to send a response to an organisation you do not share "
            "your details with yet; without it the answer is 409 `sharing_needed` and nothing is sent."
        ),
    )


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ApplicationMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ApplicationMove
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        "", description="Needed for not_selected and withdrawn: the person can ask to see it."
    )


class AppointIn(Schema):
    """Appoint someone to a seat. From an opportunity, only someone selected for it."""

    model_config = ConfigDict(extra="forbid")

    person: int = Field(description="The id of someone who shares their details with your organisation.")
    group: int = Field(description="The id of one of your organisation's groups.")
    opportunity: int | None = Field(None, description="The id of the opportunity they were selected for, if any.")
    seat: Appointment.Seat = Appointment.Seat.MEMBER
    term_start: date
    planned_end: date
    review_on: date | None = None
    deputy: int | None = Field(None, description="A person's id, as for person.")
    buddy: int | None = Field(None, description="A person's id, as for person.")


# ---- Output types -----------------------------------------------------------------------


class BoardOrganisationOut(Schema):
    id: int
    name: str
    name_cy: str


class OpportunityContactOut(Schema):
    """Who to talk to, for people who do not use computers."""

    name: str
    email: str
    phone: str


class OpportunitySummaryOut(Schema):
    """An opportunity on the board."""

    short_code: str
    organisation: BoardOrganisationOut
    title: str
    title_cy: str
    purpose: str
    purpose_cy: str
    level: int
    where: str
    role_offered: str
    application_process: str
    time_commitment: str
    time_commitment_cy: str
    starts_on: date | None
    ends_on: date | None
    closes_on: date | None
    location: str
    venue: str
    local_authority: str
    reward: str
    reward_details: str
    reward_details_cy: str
    places: int
    tags: list[TagOut]

    @staticmethod
    def resolve_tags(obj: Opportunity) -> list[Tag]:
        return list(obj.tags.all())


class OpportunityOut(OpportunitySummaryOut):
    """An opportunity as published, in English and Welsh."""

    status: str
    is_open: bool = Field(description="Whether people can respond now.")
    intended_outcomes: str
    intended_outcomes_cy: str
    influence: str
    influence_cy: str
    view: str
    accessibility: str
    accessibility_cy: str
    reserves: int
    requires_dbs: bool
    required_training: str
    role_description: str
    role_description_cy: str
    person_specification: str
    person_specification_cy: str
    co_produced: bool
    published_at: datetime | None
    contact: OpportunityContactOut

    @staticmethod
    def resolve_contact(obj: Opportunity) -> OpportunityContactOut:
        return OpportunityContactOut(
            name=obj.contact.get_full_name() or obj.contact.email,
            email=obj.contact.email,
            phone=obj.organisation.contact_phone,
        )


class StaffOpportunityOut(OpportunityOut):
    """An opportunity in any state, with what staff need to change it."""

    id: int
    contact_id: int
    group_id: int | None
    created_at: datetime
    updated_at: datetime


class PersonNameOut(Schema):
    id: int
    full_name: str
    preferred_name: str


class StaffApplicationOut(Schema):
    """Where someone's response has got to. Never what they wrote about their health or support."""

    id: int
    opportunity_id: int
    person: PersonNameOut
    status: str
    status_reason: str
    waiting_position: int | None
    submitted_at: datetime | None
    decided_at: datetime | None


class AppliedOpportunityOut(Schema):
    short_code: str
    organisation: BoardOrganisationOut
    title: str
    title_cy: str
    closes_on: date | None


class MyApplicationOut(Schema):
    """Your response to an opportunity, and where it has got to."""

    id: int
    opportunity: AppliedOpportunityOut
    status: str
    status_reason: str
    waiting_position: int | None
    why: str
    experience: str
    support_needed: str
    submitted_at: datetime | None
    decided_at: datetime | None
    feedback: str
    feedback_sent_at: datetime | None


class AppointmentGroupOut(Schema):
    id: int
    name: str
    name_cy: str
    kind: str


class AppointmentOut(Schema):
    id: int
    person: PersonNameOut
    group: AppointmentGroupOut
    opportunity_id: int | None
    seat: str
    term_start: date
    planned_end: date
    review_on: date | None
    deputy_id: int | None
    buddy_id: int | None


class DrawOut(Schema):
    """A recorded fair draw: its seed and what it gave. Applications are named by id."""

    id: int
    opportunity_id: int
    seed: str
    places: int
    drawn_at: datetime
    people_in_draw: int | None = Field(description="How many applications the draw was among, as recorded.")
    result: Any = Field(
        description=(
            "The result as recorded: method, seed, places, strata_by, quotas (places for each group), "
            "selected (application ids in draw order) and waiting_list (the rest, in order)."
        )
    )

    @staticmethod
    def resolve_people_in_draw(obj: Draw) -> int | None:
        candidates = obj.inputs.get("candidates") if isinstance(obj.inputs, dict) else None
        return len(candidates) if isinstance(candidates, list) else None


class DrawDifferenceOut(Schema):
    part: str = Field(description="One of method, seed, places, strata_by, quotas, selected, waiting_list.")
    label: str = Field(description="The part in words, in the request's language.")
    recorded: Any = Field(description="What the record holds.")
    recomputed: Any = Field(description="What drawing again gives.")


class DrawCheckOut(Schema):
    """What drawing again with the recorded seed over the recorded inputs gave, compared with the recorded result."""

    draw_id: int
    outcome: str = Field(
        description=(
            "matches; differs (see differences); or, when the draw cannot be re-run, why: inputs_incomplete "
            "(the record lacks what a re-run needs), inputs_invalid, or method_changed (drawn by another method)."
        )
    )
    matches: bool
    checkable: bool
    message: str = Field(description="The outcome in words, in the request's language.")
    differences: list[DrawDifferenceOut]


# ---- Helpers ------------------------------------------------------------------------------


def _reloaded(opportunity: Opportunity) -> Opportunity:
    """The opportunity as saved, with what the output needs."""
    return _for_output(Opportunity.objects.filter(pk=opportunity.pk)).get()


def _for_output(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return opportunities.select_related("organisation", "contact").prefetch_related("tags")


def _opportunity_fields(payload: OpportunityFieldsIn, token: ApiToken) -> dict[str, Any]:
    """The fields the client sent, as the service takes them: ids become the organisation's objects.

    A null for a text field that may be blank becomes ""; a null for one that cannot
    is passed on, so that the model's own validation names the field.
    """
    sent = payload.model_dump(exclude_unset=True, exclude={"level_change_reason"})
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in sent.items():
        if name == "group":
            if value is not None:
                value = Group.objects.filter(organisation=token.organisation, pk=value).first()
                if value is None:
                    errors["group"] = [_("Choose one of your organisation's groups.")]
        elif name == "contact":
            if value is not None:
                # Whether they are staff here is the service's check; an unknown id gets the same message.
                value = User.objects.filter(pk=value).first()
                if value is None:
                    errors["contact"] = [_("The contact person must be a member of your organisation's staff.")]
        elif name == "tags":
            value, problems = _tags(value or [])
            if problems:
                errors["tags"] = problems
        elif value is None:
            model_field = Opportunity._meta.get_field(name)
            if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
                value = ""
        fields[name] = value
    if errors:
        raise ValidationError(errors)
    return fields


def _tags(names: list[str]) -> tuple[list[Tag], list[str]]:
    """Tags named by slug or kind:slug, and a message for each name we cannot tell apart or do not know."""
    names = list(dict.fromkeys(names))
    slugs = {name.rpartition(":")[2] for name in names}
    known = list(Tag.objects.filter(slug__in=slugs)) if slugs else []
    tags: list[Tag] = []
    problems: list[str] = []
    for name in names:
        kind, _sep, slug = name.rpartition(":")
        matches = [t for t in known if t.slug == slug and (not kind or t.kind == kind)]
        if len(matches) == 1:
            tags.append(matches[0])
        elif not matches:
            problems.append(_("We do not know the tag “%(slug)s”.") % {"slug": name})
        else:
            problems.append(_("“%(slug)s” is in more than one vocabulary: say which, as kind:slug.") % {"slug": name})
    return tags, problems


def _own_application(person: Person, pk: int) -> Application:
    application = selectors.my_applications(person).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def _staff_application(token: ApiToken, pk: int) -> Application:
    """A response (not a draft) to one of the token's organisation's opportunities; otherwise 404.

    Also 404 when the person does not share their details with the organisation: as in
    the list of responses, nothing about them is shown.
    """
    opportunities = selectors.opportunities_for_staff(token.user, token.organisation)
    application = (
        Application.objects.filter(
            opportunity__in=opportunities,
            pk=pk,
            person__in=people_selectors.people_sharing_with(token.organisation).values("pk"),
        )
        .exclude(status=Application.Status.DRAFT)
        .select_related("opportunity__organisation", "person")
        .first()
    )
    if application is None:
        raise Http404
    return application


def _references_error_key(key: str, sent: int) -> str:
    """The service names referees' fields reference_<i>_<field>; a client sent them as references.<i>.<field>."""
    prefix, _sep, rest = key.partition("_")
    index, _sep, field = rest.partition("_")
    if prefix != "reference" or not index.isdigit():
        return key
    return f"references.{index}.{field}" if int(index) < sent else "references"


def _person_for_appointment(token: ApiToken, pk: int | None, field: str, errors: dict[str, list[str]]) -> Any:
    if pk is None:
        return None
    try:
        return people_selectors.person_for_staff(token.user, token.organisation, pk)
    except Http404:
        errors[field] = [_("Choose someone who shares their details with your organisation.")]
        return None


# ---- The public board -------------------------------------------------------------------


@router.get(
    "/opportunities",
    auth=None,
    response={200: list[OpportunitySummaryOut], 422: ErrorOut},
    summary="Open opportunities",
)
@paginate(ListPagination)
def board(request: HttpRequest, filters: Query[BoardQuery]) -> Any:
    """Anyone, with no token: opportunities open now, across every organisation, closing soonest first.

    A page at a time (limit, offset). Titles and descriptions come in English and in Welsh (``_cy``).
    """
    board_filter = selectors.BoardFilter(
        q=filters.q,
        level=filters.level,
        local_authority=filters.local_authority or "",
        location=filters.location or "",
        reward=filters.reward or "",
        organisation=filters.organisation,
        closing_soon=filters.closing_soon,
    )
    return selectors.board(board_filter).prefetch_related("tags")


@router.get(
    "/opportunities/{opportunity}",
    auth=None,
    response={200: OpportunityOut, **PUBLIC_ERRORS},
    summary="One published opportunity",
)
def published_opportunity(
    request: HttpRequest,
    opportunity: Annotated[str, Path(description="The opportunity's short code, as on leaflets and links.")],
) -> Opportunity:
    """Anyone, with no token: an open or closed opportunity. Drafts and archived ones are not found."""
    found = selectors.public_opportunity(opportunity)
    prefetch_related_objects([found], "tags")
    return found


# ---- Staff ------------------------------------------------------------------------------


@router.get(
    "/staff/opportunities",
    response={200: list[StaffOpportunityOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's opportunities",
)
@paginate(ListPagination)
def staff_opportunities(request: HttpRequest, filters: Query[StaffOpportunityQuery]) -> Any:
    """For coordinators, admins, supervisors and decision-makers: every opportunity, drafts included, newest first."""
    token = require_role(request, *SEEING_WORK)
    opportunities = selectors.opportunities_for_staff(token.user, token.organisation)
    if filters.status:
        opportunities = opportunities.filter(status=filters.status)
    return _for_output(opportunities).order_by("-created_at", "-pk")


@router.post(
    "/opportunities",
    response={201: StaffOpportunityOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Draft an opportunity",
)
def create_opportunity(request: HttpRequest, payload: OpportunityCreateIn) -> Status[Opportunity]:
    """For coordinators and admins: save a new opportunity as a draft; publish it with its status.

    The level's defaults fill the application process and time commitment you leave out.
    """
    token = require_role(request, *COORDINATING)
    fields = _opportunity_fields(payload, token)
    fields.setdefault("contact", token.user)
    opportunity = services.create_opportunity(actor=token.user, organisation=token.organisation, fields=fields)
    return Status(201, _reloaded(opportunity))


@router.patch(
    "/opportunities/{opportunity}",
    response={200: StaffOpportunityOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change an opportunity",
)
def update_opportunity(
    request: HttpRequest,
    opportunity: Annotated[int, Path(description="The opportunity's id.")],
    payload: OpportunityUpdateIn,
) -> Opportunity:
    """For coordinators and admins: change the fields you send, and leave the rest.

    Changing the level after people responded needs ``level_change_reason``; they are told.
    """
    token = require_role(request, *COORDINATING)
    found = selectors.opportunity_for_staff(token.user, token.organisation, opportunity)
    services.update_opportunity(
        actor=token.user,
        opportunity=found,
        fields=_opportunity_fields(payload, token),
        level_change_reason=payload.level_change_reason,
    )
    return _reloaded(found)


@router.post(
    "/opportunities/{opportunity_id}/status",
    response={200: StaffOpportunityOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Publish, close, reopen or archive an opportunity",
)
def set_opportunity_status(request: HttpRequest, opportunity_id: int, payload: OpportunityStatusIn) -> Opportunity:
    """For coordinators and admins. A draft can be published or archived; an archived opportunity stays archived."""
    token = require_role(request, *COORDINATING)
    found = selectors.opportunity_for_staff(token.user, token.organisation, opportunity_id)
    services.set_status(actor=token.user, opportunity=found, status=payload.status)
    return _reloaded(found)


class ResponsesFileQuery(Schema):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv, or xlsx for a workbook with typed cells")


@router.get(
    "/staff/opportunities/{opportunity_id}/applications/file",
    response={200: None, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Responses to an opportunity as a file (CSV or XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The same fields as the list: who, status, reason, waiting place, sent and decided",
                "content": spreadsheets.openapi_file_content(),
            }
        }
    },
)
def staff_applications_file(request: HttpRequest, opportunity_id: int, query: Query[ResponsesFileQuery]) -> Any:
    """For the same staff as the list. Never what people wrote about their health or support."""
    token = require_role(request, *SEEING_WORK)
    opportunity = selectors.opportunity_for_staff(token.user, token.organisation, opportunity_id)
    name, file = documents.applications_file(opportunity, query.format)
    return FileResponse(file, as_attachment=True, filename=name, content_type=spreadsheets.CONTENT_TYPES[query.format])


@router.get(
    "/staff/opportunities/{opportunity_id}/applications",
    response={200: list[StaffApplicationOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Responses to an opportunity",
)
@paginate(ListPagination)
def staff_applications(request: HttpRequest, opportunity_id: int) -> Any:
    """For coordinators, admins, supervisors and decision-makers: the responses sent, and where each has got to.

    In order of place on the waiting list, then of when they were sent. Drafts are not sent, so not shown.
    """
    token = require_role(request, *SEEING_WORK)
    opportunity = selectors.opportunity_for_staff(token.user, token.organisation, opportunity_id)
    # Only the person's name is shown: the selector's other prefetches are for the web page.
    return selectors.applications_for(opportunity).prefetch_related(None)


@router.get(
    "/staff/opportunities/{opportunity_id}/draws",
    response={200: list[DrawOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Fair draws for an opportunity",
)
@paginate(ListPagination)
def staff_draws(request: HttpRequest, opportunity_id: int) -> Any:
    """For coordinators, admins, supervisors and decision-makers: the opportunity's recorded draws, newest first."""
    token = require_role(request, *SEEING_WORK)
    opportunity = selectors.opportunity_for_staff(token.user, token.organisation, opportunity_id)
    return (
        selectors.draws_for_staff(token.user, token.organisation)
        .filter(opportunity=opportunity)
        .order_by("-drawn_at", "-pk")
    )


@router.get(
    "/staff/draws/{draw_id}",
    response={200: DrawOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="One fair draw",
)
def staff_draw(request: HttpRequest, draw_id: int) -> Draw:
    """For coordinators, admins, supervisors and decision-makers: a recorded draw of your organisation's."""
    token = require_role(request, *SEEING_WORK)
    return selectors.draw_for_staff(token.user, token.organisation, draw_id)


@router.get(
    "/staff/draws/{draw_id}/check",
    response={200: DrawCheckOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Check a fair draw",
)
def check_draw(request: HttpRequest, draw_id: int) -> DrawCheckOut:
    """For coordinators, admins, supervisors and decision-makers: draw again with the recorded seed over the
    recorded inputs, by the same rule the draw used, and say whether the recorded result matches.

    Always 200 for a draw you may see: ``outcome`` says whether it matches, what differs, or why it
    cannot be re-run (a draw recorded without what a re-run needs, or by another method).
    """
    token = require_role(request, *SEEING_WORK)
    record = selectors.draw_for_staff(token.user, token.organisation, draw_id)
    check = selectors.check_draw(record)
    return DrawCheckOut(
        draw_id=record.pk,
        outcome=check.outcome,
        matches=check.matches,
        checkable=check.checkable,
        message=check.summary,
        differences=[
            DrawDifferenceOut(part=d.part, label=d.label, recorded=d.recorded, recomputed=d.recomputed)
            for d in check.differences
        ],
    )


@router.post(
    "/applications/{application_id}/status",
    response={200: StaffApplicationOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Move a response on",
)
def move_application(request: HttpRequest, application_id: int, payload: ApplicationMoveIn) -> Application:
    """For coordinators and admins: shortlist, select, decline or put on the waiting list. The person is told."""
    token = require_role(request, *COORDINATING)
    application = _staff_application(token, application_id)
    services.move_application(actor=token.user, application=application, status=payload.status, reason=payload.reason)
    return application


# ---- A member's own responses -----------------------------------------------------------


@router.get(
    "/me/applications",
    response={200: list[MyApplicationOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Your responses",
)
@paginate(ListPagination)
def my_applications(request: HttpRequest) -> Any:
    """With a member token: your responses to opportunities, newest first, drafts included."""
    _token, person = member_person(request)
    return selectors.my_applications(person)


@router.post(
    "/opportunities/{short_code}/responses",
    response={
        200: MyApplicationOut,
        201: MyApplicationOut,
        **AUTHENTICATED_ERRORS,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Respond to an opportunity",
)
def respond(request: HttpRequest, short_code: str, payload: ResponseIn) -> Status[Application]:
    """With a member token: register interest, express interest or apply, as the opportunity asks.

    201 when the response is new, 200 when it replaces your draft. Once sent, a response
    cannot be sent again. You can respond to any organisation's open opportunity.

    A response goes only to an organisation you share your details with, as only then can
    its staff read it. To one you do not share with yet, the answer is 409 with code
    `sharing_needed` and a message to show the person, and nothing is sent or shared: ask
    them, and if they agree send the response again with `share_details: true`, which
    records their consent to share with that organisation and sends it. A draft
    (`submit: false`) needs no consent: nobody but you sees it.
    """
    token, person = member_person(request)
    opportunity = selectors.public_opportunity(short_code)
    had_draft = Application.objects.filter(opportunity=opportunity, person=person).exists()
    references = [
        services.ReferenceData(name=r.name, relationship=r.relationship, email=r.email, phone=r.phone)
        for r in payload.references
    ]
    try:
        application = services.respond(
            actor=token.user,
            person=person,
            opportunity=opportunity,
            why=payload.why,
            experience=payload.experience,
            support_needed=payload.support_needed,
            references=references,
            submit=payload.submit,
            share_details=payload.share_details,
        )
    except services.SharingNeeded as needed:
        raise ApiError(
            409,
            "sharing_needed",
            needed.message,
            fields={
                "share_details": [
                    _("Send share_details: true if the person agrees to share their details with %(organisation)s.")
                    % {"organisation": needed.organisation}
                ]
            },
        ) from None
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            renamed.setdefault(_references_error_key(key, len(references)), []).extend(messages)
        raise ValidationError(renamed) from None
    return Status(200 if had_draft else 201, _own_application(person, application.pk))


@router.post(
    "/me/applications/{application_id}/withdraw",
    response={200: MyApplicationOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Withdraw your response",
)
def withdraw(request: HttpRequest, application_id: int, payload: WithdrawIn | None = None) -> Application:
    """With a member token: withdraw, with a reason if you like. A place you held goes to the next person."""
    token, person = member_person(request)
    application = _own_application(person, application_id)
    services.withdraw(actor=token.user, application=application, reason=payload.reason if payload else "")
    return application


# ---- Appointments -------------------------------------------------------------------------


@router.get(
    "/staff/appointments",
    response={200: list[AppointmentOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Who holds a seat now",
)
@paginate(ListPagination)
def appointments(request: HttpRequest) -> Any:
    """For coordinators, admins, supervisors and decision-makers: current appointments, terms ending soonest first."""
    token = require_role(request, *SEEING_WORK)
    return group_selectors.current_appointments(token.user, token.organisation)


@router.post(
    "/staff/appointments",
    response={201: AppointmentOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Appoint someone to a seat",
)
def appoint(request: HttpRequest, payload: AppointIn) -> Status[Appointment]:
    """For coordinators and admins. A seat whose opportunity needs a DBS check needs one recorded first, and
    training the opportunity or the group needs must be done (and not expired): the error says what is
    missing and when the next course runs."""
    token = require_role(request, *COORDINATING)
    errors: dict[str, list[str]] = {}
    person = _person_for_appointment(token, payload.person, "person", errors)
    deputy = _person_for_appointment(token, payload.deputy, "deputy", errors)
    buddy = _person_for_appointment(token, payload.buddy, "buddy", errors)
    group = Group.objects.filter(organisation=token.organisation, pk=payload.group).first()
    if group is None:
        errors["group"] = [_("Choose one of your organisation's groups.")]
    opportunity = None
    if payload.opportunity is not None:
        opportunity = (
            selectors.opportunities_for_staff(token.user, token.organisation).filter(pk=payload.opportunity).first()
        )
        if opportunity is None:
            errors["opportunity"] = [_("Choose one of your organisation's opportunities.")]
    if errors or person is None or group is None:
        raise ValidationError(errors)
    appointment = services.appoint(
        actor=token.user,
        group=group,
        person=person,
        opportunity=opportunity,
        seat=payload.seat,
        term_start=payload.term_start,
        planned_end=payload.planned_end,
        review_on=payload.review_on,
        deputy=deputy,
        buddy=buddy,
    )
    return Status(201, appointment)
