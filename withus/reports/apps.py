from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "withus.reports"
    verbose_name = "Presence and the annual report"

    def ready(self) -> None:
        from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page

        from . import builtin_sections

        builtin_sections.register_all()
        navigation.register(
            Page(
                "voice",
                "reports:me",
                _("Annual report comments"),
                _("The annual reports you were asked to comment on, section by section."),
                order=60,
            ),
            Page(
                "involvement",
                "reports:presence",
                _("Presence"),
                _("Who is involved, where and how, against the population served; small numbers held back."),
                staff=True,
                roles=SEEING_WORK,
                order=80,
            ),
            Page(
                "organisation",
                "reports:population",
                _("Population served"),
                _("The population figures presence is compared with, by area and equality category, with sources."),
                staff=True,
                roles=ADMINISTERING,
                order=80,
            ),
            Page(
                "voice",
                "reports:staff_list",
                _("Annual engagement report"),
                _("Draft the year's report from the records, invite comments, publish it in English and Welsh."),
                staff=True,
                roles=COORDINATING,
                order=80,
            ),
        )
