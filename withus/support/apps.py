from django.apps import AppConfig


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

        from . import models

        auditlog.register(models.SupportAssignment)
        # A contact's note can say something about health or safety: masked whole in the audit trail.
        auditlog.register(models.Contact, mask_fields=["note"])
