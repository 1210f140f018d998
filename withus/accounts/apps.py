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

        from allauth.mfa.signals import authenticator_added

        from .signals import second_step_on_activation

        authenticator_added.connect(second_step_on_activation, dispatch_uid="withus-second-step-on-activation")
