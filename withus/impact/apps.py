from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "withus.impact"
    verbose_name = "Impact: you said, we did"

    def ready(self) -> None:
        from withus.accounts.roles import COORDINATING, SEEING_CONTRIBUTIONS, SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page
        from withus.meetings.selectors import AFTER_DEBRIEF

        from .surveys.selectors import evaluations_after

        if evaluations_after not in AFTER_DEBRIEF:
            AFTER_DEBRIEF.append(evaluations_after)  # a member's debrief links to the session's evaluation

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
                "impact:survey_mine",
                _("Surveys and evaluations"),
                _("Surveys and consultations open to you, and telling us how a session went for you."),
                order=15,
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
                "impact:survey_list",
                _("Surveys and consultations"),
                _("Build a survey with members, open it, print it on paper, and read the results by perspective."),
                staff=True,
                roles=SEEING_WORK,
                order=15,
            ),
            Page(
                "voice",
                "impact:evaluation_list",
                _("Evaluations of sessions"),
                _("The organisation's evaluation form, offering it after a session, and what people said over time."),
                staff=True,
                roles=SEEING_WORK,
                order=16,
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
