from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "withus.groups"
    verbose_name = "Groups and appointments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Group)
        auditlog.register(models.Appointment)

        from withus.accounts.roles import COORDINATING
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "voice",
                "groups:representatives",
                _("My groups"),
                _("Your groups' representatives: send them your views, and read what they raised and what came of it."),
                order=20,
            ),
            Page(
                "voice",
                "groups:ballots",
                _("Group ballots"),
                _("Vote in secret in your groups' ballots, and check the count yourself once they close."),
                order=30,
            ),
            Page(
                "voice",
                "groups:my_agreements",
                _("Ground rules and the code of conduct"),
                _("Read your groups' ground rules and the code of conduct, and say you agree."),
                order=35,
            ),
            Page(
                "voice",
                "groups:code_of_conduct",
                _("Code of conduct"),
                _("What everyone involved agrees to; members accept it before they take up a seat."),
                staff=True,
                roles=COORDINATING,
                order=21,
            ),
            Page(
                "voice",
                "groups:groups",
                _("Groups, seats and ballots"),
                _("Groups and boards, who sits on them and whom they speak for, and the groups' ballots."),
                staff=True,
                roles=COORDINATING,
                order=20,
            ),
        )
