from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "withus.accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Organisation)
        auditlog.register(models.Membership)
        auditlog.register(models.ApiToken, exclude_fields=["token_hash", "last_used_at"])
