"""The JSON API at /api/, its OpenAPI document at /api/docs (and /api/openapi.json).

Every operation needs an API token (see ``auth``) except reading the public board of
opportunities; every error is JSON (see ``errors``).
Each app contributes its router here.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from withus.accounts.api import router as organisation_router
from withus.assessments.api import router as assessments_router
from withus.channels.api import router as channels_router
from withus.concerns.api import router as concerns_router
from withus.concerns.independence.api import router as independence_router
from withus.concerns.interests.api import router as interests_router
from withus.downloads.api import router as downloads_router
from withus.groups.agreements.api import router as agreements_router
from withus.groups.api import router as groups_router
from withus.impact.api import router as impact_router
from withus.impact.surveys.api import router as surveys_router
from withus.imports.api import router as imports_router
from withus.meetings.api import router as meetings_router
from withus.opportunities.api import router as opportunities_router
from withus.people.api import router as people_router
from withus.people.outbox.api import router as outbox_router
from withus.reports.api import router as reports_router
from withus.rewards.api import router as rewards_router
from withus.support.api import router as support_router
from withus.support.leaving.api import router as leaving_router
from withus.support.localhelp.api import router as local_help_router
from withus.support.planning.api import router as planning_router
from withus.support.preparation.api import router as preparation_router
from withus.support.training.api import router as training_router

from . import errors
from .account import router as accounts_router
from .auth import ApiTokenAuth


class WithUsApi(NinjaAPI):
    """The API, whose OpenAPI document also lists the input errors every operation can answer with."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        errors.document_input_errors(schema)
        return schema


api = WithUsApi(
    title="WithUs API",
    version="1",
    description=(
        "For an organisation's other systems. Authenticate with a personal API token: "
        "`Authorization: Bearer wu_...`. A token works in the one organisation, and with the one role, "
        "it was issued for. Errors are JSON: `code`, `message` and, for invalid input, `fields`."
    ),
    docs_url="/docs",
    urls_namespace="api",
    auth=ApiTokenAuth(),
)
errors.install(api)

api.add_router("", accounts_router)
api.add_router("", organisation_router)
api.add_router("", channels_router)
api.add_router("/people", people_router)
api.add_router("", outbox_router)
api.add_router("", opportunities_router)
api.add_router("", meetings_router)
api.add_router("", rewards_router)
api.add_router("", training_router)
api.add_router("", local_help_router)
api.add_router("", preparation_router)
api.add_router("", leaving_router)
api.add_router("", planning_router)
api.add_router("", support_router)
api.add_router("", impact_router)
api.add_router("", surveys_router)
api.add_router("", concerns_router)
api.add_router("", interests_router)
api.add_router("/groups", groups_router)
api.add_router("", agreements_router)
api.add_router("", independence_router)
api.add_router("", assessments_router)
api.add_router("", reports_router)
api.add_router("", imports_router)
api.add_router("", downloads_router)


# Last, so that it only answers paths no router has: a JSON 404 rather than the site's HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:unknown}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, unknown: str) -> None:
    raise Http404


api.add_router("", fallback)
