"""E-mails from the sign-in library name the site from settings, not the host the request reached."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def reset(client: Client, email: str) -> mail.EmailMessage:
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    [message] = mail.outbox
    return message


def test_a_password_reset_e_mail_says_hello_from_withus(org_a):
    member = make_member(org_a)
    message = reset(Client(HTTP_HOST="127.0.0.1"), member.email)
    assert "Hello from WithUs!" in message.body and "Thank you for using WithUs!" in message.body
    assert "127.0.0.1!" not in message.body
    assert message.subject.startswith("WithUs: ")


def test_the_site_name_comes_from_the_settings_and_the_e_mail_is_in_the_readers_language(org_a, settings):
    settings.SITE_NAME = "WithUs Afon Valley"
    settings.SITE_URL = "https://withus.afon.example.org"
    member = make_member(org_a)
    client = Client()
    client.cookies["withus_language"] = "cy"
    message = reset(client, member.email)
    assert "Helo gan WithUs Afon Valley!" in message.body
    assert "withus.afon.example.org" in message.body and "testserver" not in message.body.split("http")[0]
