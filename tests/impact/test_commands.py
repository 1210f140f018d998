from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from withus.accounts.models import Organisation, User
from withus.impact.contributions import documents, selectors, services
from withus.impact.contributions.models import Notice
from withus.meetings.models import Session
from withus.people.models import OutgoingMessage, Person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("impact", *args, stdout=out)
    return out.getvalue()


def test_withus_impact_overdue_flags_each_late_contribution_once(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    with time_machine.travel("2030-06-12 12:00 +01:00", tick=False):
        services.record_contribution(
            actor=coordinator_a,
            organisation=org_a,
            text="More notice of meetings",
            perspective="carer",
            session=held_session,
            contributors=[services.ContributorChoice(member_a)],
            decision_maker=decider_a,
        )
    mail.outbox.clear()
    assert "Flagged 1 contributions" in run("overdue", "--date", "2030-07-20")
    assert "Flagged 0 contributions" in run("overdue", "--date", "2030-07-21")
    assert len(mail.outbox) == 2
    with pytest.raises(CommandError, match="year-month-day"):
        run("overdue", "--date", "20/07/2030")


def test_withus_impact_letters_prints_each_letter_once_in_the_persons_language_and_format(
    org_a: Organisation, coordinator_a: User, held_session: Session, by_post_a: Person, tmp_path: Path
) -> None:
    services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Bring back the drop-in",
        perspective="service_user",
        session=held_session,
        contributors=[services.ContributorChoice(by_post_a)],
    )
    notices = list(selectors.letters_to_print(org_a))
    html = documents.render_letters_html(notices)
    assert 'lang="cy"' in html and "large-print" in html
    assert "SY23 3AB" in html and "Bring back the drop-in" in html
    output = tmp_path / "letters.pdf"
    assert "Wrote 1 letters" in run("letters", "--organisation", org_a.slug, "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert Notice.objects.get().printed_at is not None
    assert OutgoingMessage.objects.get(person=by_post_a).status == OutgoingMessage.Status.DONE
    assert "There are no letters to print." in run("letters")
