from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "withus.concerns"
    verbose_name = "Concerns and complaints"

    def ready(self) -> None:
        # A member who raised a concern is not removed from a seat, stepped out or refused a place without
        # a reviewed reason. groups, opportunities and people sit below this app and cannot import it.
        from withus.groups.services import ENDING_CHECKS
        from withus.opportunities.services import REFUSAL_CHECKS
        from withus.people.services import STEP_OUT_CHECKS

        from . import services

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
