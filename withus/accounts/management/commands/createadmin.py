"""``withus createadmin``: an organisation with its first admin (or a superuser)."""

from __future__ import annotations

import getpass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from withus.accounts import services
from withus.accounts.models import Organisation, Role, User


class Command(BaseCommand):
    help = "Create an organisation admin (and the organisation if it is new)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--organisation", required=True, help="The organisation's name")
        parser.add_argument("--password", help="Read from the prompt when not given")
        parser.add_argument("--superuser", action="store_true", help="Also give access to the Django admin")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"'{email}' is not a valid e-mail address.") from None
        password = options["password"] or getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        name = options["organisation"].strip()
        with transaction.atomic():
            organisation = Organisation.objects.filter(name__iexact=name).first()
            if organisation is None:
                organisation = services.create_organisation(name=name, slug=slugify(name)[:50] or "organisation")
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=password)
            else:
                user.set_password(password)
            if options["superuser"]:
                user.is_staff = user.is_superuser = True
            user.save()
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            services.grant_role(organisation=organisation, email=email, role=Role.ADMIN, actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{email} is an admin of {organisation.name}. At first sign-in they will set up two-step sign-in."
            )
        )
