from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    name = "withus.downloads"
    verbose_name = "Prepared files"

    def ready(self) -> None:
        from withus.accounts.roles import STAFF
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "people",
                "downloads:list",
                _("Files prepared for you"),
                _("Long lists and letter batches made in the background: how far each has got, and the file."),
                staff=True,
                roles=STAFF,
                order=45,
            ),
        )
