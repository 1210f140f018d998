from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "withus.meetings"
    verbose_name = "Meetings and activities"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Session)
        auditlog.register(models.StandardOverride)
        auditlog.register(models.Attendance)
        auditlog.register(models.Action)
        auditlog.register(models.MeetingStandards)

        from withus.accounts.roles import SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "taking_part",
                "meetings:my_sessions",
                _("My sessions"),
                _("The sessions you are invited to, with the papers, how to get there and how to say you are coming."),
                order=20,
            ),
            Page(
                "involvement",
                "meetings:staff_list",
                _("Sessions"),
                _("Plan sessions to the standards, invite people, take attendance, minutes, actions and debriefs."),
                staff=True,
                roles=SEEING_WORK,
                order=20,
            ),
        )
