from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        from withus.accounts.roles import SEEING_PAYMENTS
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "money",
                "rewards_statements:me_payments",
                _("My payments"),
                _("Fees and expenses paid to you, and a statement for each tax year."),
                order=10,
            ),
            Page(
                "money",
                "rewards:me_benefits",
                _("Benefits"),
                _("Keep your benefits safe: what you can be paid, and telling us about your benefits."),
                order=20,
            ),
            Page(
                "money",
                "rewards_finance:budgets",
                _("Payments"),
                _("Budgets, claims to approve, payment batches and statements."),
                staff=True,
                order=10,
            ),
            Page(
                "money",
                "rewards_finance:funded",
                _("Paid at arm's length"),
                _("Budgets your organisation funds and an independent host pays members from: their totals only."),
                staff=True,
                roles=SEEING_PAYMENTS,
                order=20,
            ),
        )
