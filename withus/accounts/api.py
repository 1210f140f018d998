"""The organisation's settings through the API: its one small-number threshold.

Any staff token reads it (it says which counts every figure hides); only an admin token
changes it, through the same service as the organisation's settings page.
"""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from withus.accounts import selectors, services
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, STAFF
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut

router = Router(tags=["organisation"])


class SmallNumberThresholdOut(Schema):
    small_number_threshold: int = Field(
        description="Any count above nought and below this is hidden (null) in results, presence, the concerns "
        "summary and the annual report"
    )


class SmallNumberThresholdIn(Schema):
    model_config = ConfigDict(extra="forbid")

    small_number_threshold: int = Field(description="A whole number from 2 to 50 (5 until changed)")


def _out(organisation: Organisation) -> SmallNumberThresholdOut:
    return SmallNumberThresholdOut(small_number_threshold=selectors.small_number_threshold(organisation))


@router.get(
    "/organisation/small-numbers",
    response={200: SmallNumberThresholdOut, **AUTHENTICATED_ERRORS},
    summary="The organisation's small-number threshold",
)
def small_numbers(request: HttpRequest) -> SmallNumberThresholdOut:
    """For staff: the one threshold every figure about people is held back by."""
    token = require_role(request, *STAFF)
    return _out(token.organisation)


@router.put(
    "/organisation/small-numbers",
    response={200: SmallNumberThresholdOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Change the organisation's small-number threshold",
)
def change_small_numbers(request: HttpRequest, payload: SmallNumberThresholdIn) -> SmallNumberThresholdOut:
    """For admins: from 2 to 50. Audited, and used from then on by every page, download and operation."""
    token = require_role(request, *ADMINISTERING)
    organisation = services.set_small_number_threshold(
        actor=token.user, organisation=token.organisation, threshold=payload.small_number_threshold
    )
    return _out(organisation)
