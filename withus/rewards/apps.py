from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "withus.rewards"
    verbose_name = "Reward and recognition"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.BenefitLimit)
        auditlog.register(
            models.BenefitDeclaration,
            mask_fields=["benefit", "assessment_day", "uc_housing_support", "uc_work_allowance", "disregard", "notes"],
        )
        auditlog.register(models.IncomeLine)
        auditlog.register(models.GuardChoice)
        auditlog.register(models.RewardPreference, mask_fields=["account_name", "sort_code", "account_number"])
        auditlog.register(models.Thanks)
        auditlog.register(models.RateCard)
        auditlog.register(models.Budget)
        auditlog.register(models.PaymentBatch)
        auditlog.register(models.CashFloat)
