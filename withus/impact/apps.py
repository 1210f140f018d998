from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "withus.impact"
    verbose_name = "Impact: you said, we did"

    def ready(self) -> None:
        from withus.accounts.roles import COORDINATING, SEEING_CONTRIBUTIONS
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "voice",
                "impact:me",
                _("What you said"),
                _("What you said or asked, the answer, what changed, and a reply or a question of your own."),
                order=10,
            ),
            Page(
                "voice",
                "impact:stories_me",
                _("My stories"),
                _("Your stories, recordings and materials, where each may be used, and withdrawing one."),
                order=40,
            ),
            Page(
                "voice",
                "impact:staff_list",
                _("You said, we did"),
                _("What people said, the answers owed and given, actions, follow-ups and the public page."),
                staff=True,
                roles=SEEING_CONTRIBUTIONS,
                order=10,
            ),
            Page(
                "voice",
                "impact:stories_staff",
                _("Stories and materials"),
                _("Members' stories kept with their consent, and each use of them."),
                staff=True,
                roles=COORDINATING,
                order=40,
            ),
        )
