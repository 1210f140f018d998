from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "withus.support"
    verbose_name = "Support, supervision and training"

    def ready(self) -> None:
        # The training a role needs joins the requirement check every appointment makes
        # (opportunities sits below this app and cannot import it).
        from withus.opportunities.selectors import REQUIREMENT_CHECKS

        from .training.selectors import training_missing

        if training_missing not in REQUIREMENT_CHECKS:
            REQUIREMENT_CHECKS.append(training_missing)
        from withus.meetings.services import DEBRIEF_CALL_ASKED

        from .services import call_from_debrief

        if call_from_debrief not in DEBRIEF_CALL_ASKED:
            DEBRIEF_CALL_ASKED.append(call_from_debrief)
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from . import models

        # An opportunity's public page lists the courses it needs and when each next runs: when those change,
        # the page shows it at once.
        from .training.models import Course, CourseSession, RequiredTraining

        for shown in (Course, CourseSession, RequiredTraining):
            post_save.connect(_public_pages_changed, sender=shown, dispatch_uid=f"public-pages-{shown.__name__}")
            post_delete.connect(_public_pages_changed, sender=shown, dispatch_uid=f"public-pages-gone-{shown.__name__}")

        auditlog.register(models.SupportAssignment)
        # A contact's note can say something about health or safety: masked whole in the audit trail.
        auditlog.register(models.Contact, mask_fields=["note"])

        from withus.accounts.roles import SEEING_WORK, SUPPORTING
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "support",
                "support:me",
                _("My support"),
                _("Who supports you and how to reach them, asking for a call, check-ins, supervision and your plan."),
                order=10,
            ),
            Page(
                "support",
                "support:training_mine",
                _("My training"),
                _("Courses you can book, and a record of the training and learning you have done."),
                order=20,
            ),
            Page(
                "support",
                "support:localhelp_mine",
                _("Local help"),
                _("Help near you when you need it: crisis lines, advice, peer groups and more."),
                order=30,
            ),
            Page(
                "support",
                "support:staff_list",
                _("Support"),
                _("Support contacts and supervisors, contacts due, calls asked for, supervision and mentoring."),
                staff=True,
                roles=SUPPORTING,
                order=10,
            ),
            Page(
                "support",
                "support:training_catalogue",
                _("Training"),
                _("The training catalogue, courses to run and the training each role needs."),
                staff=True,
                roles=SEEING_WORK,
                order=20,
            ),
            Page(
                "support",
                "support:localhelp_directory",
                _("Local help"),
                _("The directory of local help, kept up to date, and the leaflet to print."),
                staff=True,
                roles=SEEING_WORK,
                order=30,
            ),
        )


def _public_pages_changed(**_kwargs: object) -> None:
    from withus.core.public_cache import changed

    changed()
