from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "withus.channels"
    verbose_name = "Channels (GOV.UK Notify)"

    def ready(self) -> None:
        from withus.people import notify
        from withus.people.outbox import selectors as outbox_selectors

        from . import services

        # people sits below channels and cannot import it: it asks these hooks instead.
        notify.SENDER_FINDERS.append(services.sender_for)
        outbox_selectors.LETTER_SENDERS.append(services.letter_sending_for)

        from withus.accounts.roles import ADMINISTERING
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "organisation",
                "channels:settings",
                _("GOV.UK Notify"),
                _("Send text messages, e-mails and letters through the organisation's GOV.UK Notify service."),
                staff=True,
                roles=ADMINISTERING,
                order=90,
            ),
        )
