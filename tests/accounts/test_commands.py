from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from withus.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_createadmin_makes_an_organisation_and_its_admin():
    call_command(
        "createadmin",
        "--email",
        "Boss@Example.org",
        "--organisation",
        "Cwm Involvement",
        "--password",
        "a-really-long-passphrase",
        stdout=StringIO(),
    )
    membership = Membership.objects.get(user__email="boss@example.org")
    assert membership.role == Role.ADMIN and membership.organisation.name == "Cwm Involvement"
    with pytest.raises(CommandError):
        call_command("createadmin", "--email", "nope", "--organisation", "X", "--password", "a-really-long-pass")
    with pytest.raises(CommandError):
        call_command("createadmin", "--email", "a@example.org", "--organisation", "X", "--password", "short")
