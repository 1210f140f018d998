from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "withus.imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from withus.accounts.roles import ADMINISTERING
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "people",
                "imports:list",
                _("Bring in an existing register"),
                _("Import the spreadsheet you kept before: match its columns, check every row, then import or undo."),
                staff=True,
                roles=ADMINISTERING,
                order=40,
            ),
        )
