from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "withus.assessments"
    verbose_name = "Assessments against standards"

    def ready(self) -> None:
        from withus.accounts.roles import SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page

        from . import report

        report.register_section()

        navigation.register(
            Page(
                "voice",
                "assessments:me",
                _("Standards we score together"),
                _("Assessments of how well the organisation involves people that you were invited to score."),
                order=60,
            ),
            Page(
                "organisation",
                "assessments:staff_list",
                _("Standards and assessments"),
                _("Frameworks, assessments scored blind by members and staff, and the actions from their gaps."),
                staff=True,
                roles=SEEING_WORK,
                order=30,
            ),
            Page(
                "organisation",
                "assessments:staff_strategy",
                _("Engagement strategy"),
                _("The strategy and action plan: aims, milestones, owners, and its yearly review."),
                staff=True,
                roles=SEEING_WORK,
                order=31,
            ),
        )
