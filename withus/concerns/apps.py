from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "withus.concerns"
    verbose_name = "Concerns and complaints"

    def ready(self) -> None:
        from withus.accounts.roles import SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
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
