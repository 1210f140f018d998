from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "withus.people"
    verbose_name = "People"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Contact details are masked; health and equality answers are masked whole.
        auditlog.register(
            models.Person,
            m2m_fields={"tags"},
            mask_fields=["email", "phone", "address", "postcode", "reasonable_adjustments", "dietary_needs"],
        )
        auditlog.register(models.WellbeingPlan, mask_fields=["what_helps", "who_to_contact"])
        auditlog.register(models.EqualityMonitoring, mask_fields=list(models.EqualityMonitoring.ANSWERS))
        auditlog.register(models.ConsentRecord)
        auditlog.register(models.DbsCheck)

        from withus.accounts.roles import COORDINATING, SEEING_PEOPLE
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "account",
                "people:me",
                _("My details"),
                _("What you have told us, who you share it with, and what you need to take part."),
                order=10,
            ),
            Page(
                "people",
                "people:staff_list",
                _("People"),
                _("Everyone who shares their details with the organisation: find them, act for them, export the list."),
                staff=True,
                roles=SEEING_PEOPLE,
                order=10,
            ),
            Page(
                "people",
                "people:staff_register",
                _("Register someone who does not use computers"),
                _("Register a person by phone, by letter or face to face, with their agreement."),
                staff=True,
                roles=COORDINATING,
                order=20,
            ),
            Page(
                "people",
                "people:outbox",
                _("Letters, calls and texts to send"),
                _("What people who do not use e-mail are still to be told: print the letters, make the calls."),
                staff=True,
                roles=COORDINATING,
                order=30,
            ),
        )
