from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "withus.concerns"
    verbose_name = "Concerns and complaints"

    def ready(self) -> None:
        from .report import register_section

        register_section()  # the annual report's "concerns" section
        # A member who raised a concern is not removed from a seat, stepped out or refused a place without
        # a reviewed reason. groups, opportunities and people sit below this app and cannot import it.
        from withus.groups.services import ENDING_CHECKS
        from withus.meetings.selectors import AGENDA_INTERESTS
        from withus.opportunities.services import REFUSAL_CHECKS
        from withus.people.services import STEP_OUT_CHECKS

        from . import services
        from .interests import selectors as interests

        if interests.for_agendas not in AGENDA_INTERESTS:
            AGENDA_INTERESTS.append(interests.for_agendas)

        if services.check_seat_ending not in ENDING_CHECKS:
            ENDING_CHECKS.append(services.check_seat_ending)
        if services.check_refusal not in REFUSAL_CHECKS:
            REFUSAL_CHECKS.append(services.check_refusal)
        if services.check_step_out not in STEP_OUT_CHECKS:
            STEP_OUT_CHECKS.append(services.check_step_out)
        from auditlog.registry import auditlog

        from . import models

        # What staff do to a concern is audited; the concern itself is not (the log would record who was
        # signed in when an anonymous one was raised).
        auditlog.register(models.Step, mask_fields=["told", "note"])
        auditlog.register(models.Extension)
        auditlog.register(models.ProtectedDecision)

        from withus.accounts.roles import HANDLING_CONCERNS, REVIEWING_APPEALS, SEEING_WORK, STAFF
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "voice",
                "concerns:mine",
                _("My concerns"),
                _("Concerns and complaints you raised, what you were told, and appealing a response."),
                order=50,
            ),
            Page(
                "voice",
                "concerns:staff_list",
                _("Concerns and complaints"),
                _("Concerns raised with the organisation, each on its working-day clock, with mediation and appeals."),
                staff=True,
                roles=REVIEWING_APPEALS,
                order=30,
            ),
            Page(
                "voice",
                "concerns:decisions",
                _("Decisions about members who raised a concern"),
                _("Removing, stepping out or refusing a member who raised a concern: the reason and its review."),
                staff=True,
                roles=REVIEWING_APPEALS,
                order=35,
            ),
            Page(
                "voice",
                "concerns:summary",
                _("Concerns: the year's summary"),
                _("What was raised, how quickly it was answered, and what was learned, with small numbers hidden."),
                staff=True,
                roles=HANDLING_CONCERNS,
                order=36,
            ),
            Page(
                "voice",
                "concerns:my_interests",
                _("Your declared interests"),
                _("Jobs, relationships, roles elsewhere and payments that session agendas show beside their items."),
                order=55,
            ),
            Page(
                "voice",
                "concerns:staff_interests",
                _("Your declared interests"),
                _("Your standing declarations, shown on the agenda of sessions you are invited to."),
                staff=True,
                roles=STAFF,
                order=55,
            ),
            Page(
                "voice",
                "concerns:interests_register",
                _("Register of interests"),
                _("Every current declaration of your members and staff; record one a member gave by phone or letter."),
                staff=True,
                roles=SEEING_WORK,
                order=56,
            ),
            Page(
                "voice",
                "concerns:independence_register",
                _("Independence risk register"),
                _("Risks to the independence of people's voice, what is done about them, and what the records show."),
                staff=True,
                roles=SEEING_WORK,
                order=50,
            ),
        )
