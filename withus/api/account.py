"""API operations about the token's own account."""

from django.http import HttpRequest
from ninja import Router, Schema

from .auth import token_of
from .errors import ErrorOut

router = Router(tags=["account"])


class TokenOrganisationOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    email: str
    organisation: TokenOrganisationOut
    role: str
    token_name: str


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who this token acts as")
def me(request: HttpRequest) -> MeOut:
    """The token's user, and the organisation and role it was issued for."""
    token = token_of(request)
    return MeOut(
        email=token.user.email,
        organisation=TokenOrganisationOut(id=token.organisation.pk, name=token.organisation.name),
        role=token.role,
        token_name=token.name,
    )
