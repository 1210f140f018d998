from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from withus.accounts.models import Membership, Organisation, Role, User
from withus.people.models import ConsentRecord, Person

pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        ConsentRecord.objects.count(),
    )


def test_demo_is_idempotent_and_prints_a_login_for_every_role():
    out = StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first
    text = out.getvalue()
    for role in Role:
        if role != Role.MEMBER:
            assert str(role.label) in text
    assert "member@demo.withus.invalid" in text
    assert first[0] == 2
    assert 38 <= first[2] <= 45
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Person.objects.filter(user__isnull=True, does_not_use_computers=True).exists()
    assert Person.objects.filter(needs_step_free=True).exists() and Person.objects.filter(prefers_welsh=True).exists()
    from withus.support.models import CallRequest, Contact, SupportAssignment

    assert SupportAssignment.objects.filter(part="support_contact").count() >= 10
    assert Contact.objects.filter(safeguarding=True).exists() and CallRequest.objects.exists()
    from withus.support.models import Mentoring, Supervision

    assert Supervision.objects.filter(kind="peer_group").exists() and Mentoring.objects.exists()


def test_democode_prints_a_six_digit_code():
    call_command("demo", "--quiet")
    out = StringIO()
    call_command("democode", "coordinator@demo.withus.invalid", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6
    with pytest.raises(CommandError):
        call_command("democode", "someone@example.org")
