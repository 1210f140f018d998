from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "withus.support"
    verbose_name = "Support, supervision and training"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.SupportAssignment)
        # A contact's note can say something about health or safety: masked whole in the audit trail.
        auditlog.register(models.Contact, mask_fields=["note"])
