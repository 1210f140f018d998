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

        from allauth.mfa.signals import authentication_failed, authenticator_added
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import signals

        authenticator_added.connect(signals.second_step_on_activation, dispatch_uid="withus-second-step-on-activation")
        user_logged_in.connect(signals.signed_in, dispatch_uid="withus-security-signed-in")
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="withus-security-sign-in-failed")
        authentication_failed.connect(signals.second_step_failed, dispatch_uid="withus-security-second-step-failed")
