"""Every API error is JSON: ``{"code": ..., "message": ..., "fields": {...}}``.

Clients branch on ``code`` (a fixed word), show ``message`` to people (translated
with the request's language), and put ``fields`` messages next to the inputs they
sent. The handlers here replace django-ninja's defaults, which answer in other
shapes, and catch Django's own exceptions raised by services and selectors, which
would otherwise reach Django's HTML error pages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# Django's request logger: logging a 500 here keeps the usual error reports (ADMINS e-mail, log files).
request_logger = logging.getLogger("django.request")


class ErrorOut(Schema):
    """The body of every error response."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


# The error responses that most operations can give, for their OpenAPI description.
AUTHENTICATED_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 403: ErrorOut}


class ApiError(Exception):
    """An error with its own status, code and message, raised by an API operation."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        super().__init__(message)


# Answers every operation can give for what it was sent, whatever its own responses say:
# they come from the handlers here and from ApiInputGuardMiddleware, not from the operation.
INPUT_ERRORS = {
    "400": "The body is not valid JSON (code `malformed_json`).",
    "413": "The body is larger than the installation accepts (code `too_large`).",
    "422": "Something sent is not valid, or contains a NUL character: `fields` names each problem (code `invalid`).",
}


def document_input_errors(schema: dict[str, Any]) -> None:
    """Add the input errors each operation can answer with to its responses in the OpenAPI document.

    Every operation can answer 413 and 422: ApiInputGuardMiddleware refuses a body too
    large and a NUL character anywhere in the request (path, query or body) before any
    operation runs, whether or not the operation takes a body or parameters. One that
    takes a body can also answer 400, and 422 for what is in it; one that takes a path
    or query parameter, 422 (a value of the wrong type, a number too large).
    """
    reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            present = {str(code) for code in responses}
            codes = ["400", "413", "422"] if "requestBody" in operation else ["413", "422"]
            for code in codes:
                if code not in present:
                    responses[code] = {"description": INPUT_ERRORS[code], **reference}
                    present.add(code)


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


def field_messages_from_pydantic(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per-field messages from django-ninja's validation errors, keyed as the client knows the field.

    Ninja reports a location such as ``("body", "payload", "tags", "skill", 0)`` or
    ``("query", "filters", "need", 0)``: the source, often the operation's parameter
    name, then the path inside it. A body field is keyed by its dotted path inside the
    body ("tags.skill.0"); query, path and header parameters are flat, so they are
    keyed by their name ("need").
    """
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc", ()))
        source, rest = (str(loc[0]), loc[1:]) if loc else ("body", [])
        if source == "body":
            # Every operation here takes its body as one schema parameter ("payload").
            key = ".".join(str(part) for part in rest[1:])
        else:
            names = [part for part in rest if isinstance(part, str)]
            key = names[-1] if names else ""
        fields.setdefault(key or source, []).append(_pydantic_message(error))
    return fields


def _pydantic_message(error: dict[str, Any]) -> str:
    """A translatable message for the usual kinds of pydantic error; pydantic's own text otherwise."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This is required.")
    if kind == "string_too_long":
        return _("Use %(max)s characters or fewer.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This cannot be blank.")
        return _("Use at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("bool_parsing", "bool_type"):
        return _("Use true or false.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Use a whole number.")
    if kind == "greater_than_equal":
        return _("Use a number no smaller than %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Use a number no larger than %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "string_type":
        return _("Use text.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Use a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Use an object with named fields.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Use a date like 2025-04-06.")
    if kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        return _("Use a date and time like 2025-04-06T10:30:00.")
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"):
        return _("Use a number, for example 12.50.")
    if kind == "decimal_max_digits":
        return _("Too many digits: the most is %(digits)s.") % {"digits": ctx.get("max_digits")}
    if kind == "decimal_max_places":
        return _("Too many digits after the decimal point: the most is %(places)s.") % {
            "places": ctx.get("decimal_places")
        }
    if kind == "decimal_whole_digits":
        return _("Too many digits before the decimal point: the most is %(digits)s.") % {
            "digits": ctx.get("whole_digits")
        }
    if kind == "extra_forbidden":
        return _("This is not a field we know.")
    return str(error.get("msg", _("This is not valid.")))


def field_messages_from_django(error: DjangoValidationError) -> tuple[list[str], dict[str, list[str]]]:
    """General messages and per-field messages from a Django ValidationError raised by a service."""
    if hasattr(error, "error_dict"):
        by_field = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        general = by_field.pop(NON_FIELD_ERRORS, [])
        return general, by_field
    return [str(m) for m in error.messages], {}


def install(api: NinjaAPI) -> None:
    """Register the JSON error handlers on ``api``."""

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message=_("Send a valid API token in the Authorization header, as: Bearer <token>."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = str(exc) if isinstance(exc, PermissionDenied) else ""
        return error_response(
            api, request, status=403, code="forbidden", message=detail or _("You do not have permission to do this.")
        )

    @api.exception_handler(ObjectDoesNotExist)
    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django's own 404 texts can name models and queries; say only what a client needs.
        return error_response(api, request, status=404, code="not_found", message=_("We could not find that."))

    @api.exception_handler(NinjaValidationError)
    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=422,
            code="invalid",
            message=_("Some of what you sent is not valid. Check the fields listed."),
            fields=field_messages_from_pydantic(exc.errors),
        )

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        general, fields = field_messages_from_django(exc)
        message = " ".join(general) or _("Some of what you sent is not valid. Check the fields listed.")
        return error_response(api, request, status=422, code="invalid", message=message, fields=fields)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises HttpError(400) when the body cannot be parsed, with the parser's error as the cause.
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            return error_response(
                api, request, status=400, code="malformed_json", message=_("The request body is not valid JSON.")
            )
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 429: "throttled"}
        return error_response(
            api, request, status=exc.status_code, code=codes.get(exc.status_code, "error"), message=str(exc)
        )

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # An id or number larger than the database can hold: SQLite raises OverflowError, PostgreSQL DataError.
        return error_response(
            api, request, status=422, code="invalid", message=_("A number you sent is too large for us to look up.")
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(api, request, status=413, code="too_large", message=_("What you sent is too large."))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return error_response(
            api, request, status=500, code="server_error", message=_("Something went wrong on our side. Try again.")
        )
