from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "withus.opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Opportunity)
        auditlog.register(models.Application, exclude_fields=["answers"])
        auditlog.register(models.LevelDefault)
        auditlog.register(models.Referral, mask_fields=["contact", "notes"])
