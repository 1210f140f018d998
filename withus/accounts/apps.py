from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        from withus.core import navigation
        from withus.core.navigation import Page

        from .roles import ADMINISTERING

        navigation.register(
            Page(
                "account",
                "mfa_index",
                _("Two-step sign-in"),
                _("Set up or change the code from your phone that keeps your account safe."),
                needs_profile=False,
                order=80,
            ),
            Page(
                "account",
                "accounts:tokens",
                _("API tokens"),
                _("Connect another system to your account."),
                needs_profile=False,
                order=90,
            ),
            Page(
                "organisation",
                "accounts:organisation",
                _("Organisation and staff"),
                _("Staff and their roles, the organisation's settings and its security events."),
                staff=True,
                order=10,
            ),
            Page(
                "organisation",
                "accounts:tokens",
                _("API tokens"),
                _("Connect the organisation's other systems to WithUs."),
                staff=True,
                order=20,
            ),
            Page(
                "organisation",
                "accounts:small_numbers",
                _("Small numbers"),
                _("The smallest count any result or report shows, so that nobody can be picked out."),
                staff=True,
                roles=ADMINISTERING,
                order=15,
            ),
        )
