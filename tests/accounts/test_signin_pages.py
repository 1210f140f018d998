"""The sign-in library's pages read like the rest of WithUs, in English and in Welsh.

"Create an account" as in the menu (not "Sign Up"), "Sign in" (not "Sign In"), no
"finalize"; staff are greeted by name; a new staff member's first sign-in says why it asks
for the password again and how to set up the authenticator; members' menu shows what they use.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import make_member, make_staff, member_client, staff_client
from withus.accounts.models import Role

pytestmark = pytest.mark.django_db

LIBRARY_WORDING = ["Sign Up", "Signup", "Sign In", "finalize", "Remember Me", "Confirm Access", "reauthenticate"]


def read(client: Client, url: str, language: str = "en") -> str:
    client.cookies["withus_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode())


def heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", page, re.S)
    assert found
    return re.sub(r"\s+", " ", found.group(1))


def menu(page: str) -> str:
    return page.split('class="header__nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("url", "english", "welsh"),
    [
        ("/accounts/signup/", "Create an account", "Creu cyfrif"),
        ("/accounts/login/", "Sign in", "Mewngofnodi"),
        ("/accounts/password/reset/", "Reset your password", "Ailosod eich cyfrinair"),
        ("/accounts/confirm-email/", "Check your e-mail", "Gwiriwch eich e-bost"),
    ],
)
def test_the_sign_in_pages_use_withus_words_in_both_languages(client, url, english, welsh):
    page = read(client, url)
    assert heading(page) == english and f"<title>{english} – WithUs</title>" in page
    for words in LIBRARY_WORDING:
        assert words not in page, words
    page = read(client, url, "cy")
    assert heading(page) == welsh and f"<title>{welsh} – WithUs</title>" in page


def test_the_sign_up_page_is_named_as_the_menu_names_it(client):
    page = read(client, "/accounts/signup/")
    assert '<a href="/accounts/signup/">Create an account</a>' in menu(page)
    assert heading(page) == "Create an account"
    assert re.search(r'<button[^>]*type="submit"[^>]*>\s*Create an account\s*</button>', page)
    page = read(client, "/accounts/login/")
    assert "Keep me signed in on this device" in page and "E-mail address" in page
    page = read(client, "/accounts/signup/", "cy")
    assert '<a href="/accounts/signup/">Creu cyfrif</a>' in menu(page)


def test_the_e_mail_sent_page_says_what_to_do_without_finalize(client):
    page = read(client, "/accounts/confirm-email/")
    assert "Open the link to finish creating your account." in page and "finalize" not in page
    assert "Agorwch y ddolen i orffen creu eich cyfrif." in read(client, "/accounts/confirm-email/", "cy")


def test_staff_are_greeted_by_name(org_a):
    user = UserFactory(first_name="Nia", last_name="Pritchard")
    MembershipFactory(user=user, organisation=org_a, role=Role.COORDINATOR)
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    TOTP.activate(user, TOTP_SECRET)
    client = staff_client(user)
    assert "<h1>Hello, Nia Pritchard</h1>" in read(client, "/")
    assert "<h1>Helo, Nia Pritchard</h1>" in read(client, "/", "cy")


def test_a_new_staff_members_first_sign_in_explains_the_password_again_and_the_authenticator(org_a):
    user = UserFactory(first_name="Nia", last_name="Pritchard")
    MembershipFactory(user=user, organisation=org_a, role=Role.COORDINATOR)
    client = Client()
    client.cookies["withus_language"] = "en"
    response = client.post("/accounts/login/", {"login": user.email, "password": "a-good-long-password"})
    assert response.status_code == 302
    response = client.get("/", follow=True)
    url, _status = response.redirect_chain[-1]
    assert url.startswith("/accounts/reauthenticate/")
    page = html.unescape(response.content.decode())
    assert heading(page) == "Confirm it is you"
    assert "so we ask for your password once more first, even though you have just entered it" in page
    welsh = read(client, url, "cy")
    assert heading(welsh) == "Cadarnhau mai chi sydd yma" and "Staff sign in with two steps" not in welsh

    client.cookies["withus_language"] = "en"
    response = client.post(url, {"password": "a-good-long-password"}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    page = html.unescape(response.content.decode())
    assert heading(page) == "Set up your authenticator app"
    assert "Install an authenticator app on your phone" in page and "scan the QR code below" in page
    assert "The code changes every 30 seconds and each code works only once." in page
    for words in ["Activate Authenticator App", "two-factor authentication", "input the verification code"]:
        assert words not in page
    welsh = read(client, "/accounts/2fa/totp/activate/", "cy")
    assert heading(welsh) == "Gosod eich ap dilysu" and "Install an authenticator app" not in welsh


def test_the_menu_is_short_and_the_home_pages_list_what_each_person_uses(org_a):
    member = make_member(org_a)
    page = read(member_client(member), "/")
    nav = menu(page)
    assert nav.count("<li>") == 3  # opportunities, my pages, sign out: they fit an old phone
    assert "Staff pages" not in nav
    main = page.split('id="main-content"', 1)[1]
    for words in ["My details", "My applications", "My sessions", "My payments", "Benefits", "My support"]:
        assert f">{words}</a>" in main
    assert "Manage opportunities" not in main and 'href="/staff/"' not in main
    assert 'href="/staff/tokens/"' in main  # still there for a member who connects another system
    # A member has no staff home page.
    assert member_client(member).get("/staff/").status_code == 403

    coordinator = staff_client(make_staff(org_a, Role.COORDINATOR))
    page = read(coordinator, "/")
    assert 'href="/staff/"' in menu(page)
    staff_home = read(coordinator, "/staff/").split('id="main-content"', 1)[1]
    for words in ["People", "Manage opportunities", "Sessions", "Support", "Payments", "API tokens"]:
        assert f">{words}</a>" in staff_home


def test_the_staff_home_page_lists_only_what_the_role_opens(org_a):
    budget_holder = staff_client(make_staff(org_a, Role.BUDGET_HOLDER))
    staff_home = read(budget_holder, "/staff/").split('id="main-content"', 1)[1]
    assert ">Payments</a>" in staff_home
    # The register and the sessions are refused to a budget holder, so they are not offered.
    assert ">People</a>" not in staff_home and ">Sessions</a>" not in staff_home
    assert budget_holder.get("/staff/people/").status_code == 403
    welsh = read(budget_holder, "/staff/", "cy")
    assert "Staff pages" not in welsh


def test_the_second_step_says_where_the_code_comes_from_and_that_it_works_once(org_a):
    staff = make_staff(org_a, Role.COORDINATOR)
    client = Client()
    client.cookies["withus_language"] = "en"
    response = client.post("/accounts/login/", {"login": staff.email, "password": "a-good-long-password"})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    page = read(client, "/accounts/2fa/authenticate/")
    assert heading(page) == "Sign in: the second step"
    assert "A code works only once" in page and "Two-Factor Authentication" not in page
    assert heading(read(client, "/accounts/2fa/authenticate/", "cy")) == "Mewngofnodi: yr ail gam"
