from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        from django.db.models.signals import post_delete, post_save

        from withus.accounts.models import Organisation

        # What the board, an opportunity's page and the feeds show: when it changes, they show it at once.
        for shown in (models.Opportunity, models.LevelDefault, models.AdvertisingChannel, Organisation):
            post_save.connect(_public_pages_changed, sender=shown, dispatch_uid=f"public-pages-{shown.__name__}")
            post_delete.connect(_public_pages_changed, sender=shown, dispatch_uid=f"public-pages-gone-{shown.__name__}")

        from withus.accounts.roles import SEEING_WORK
        from withus.core import navigation
        from withus.core.navigation import Page

        navigation.register(
            Page(
                "taking_part",
                "opportunities:my_applications",
                _("My applications"),
                _("The roles you have applied for, and where each one has got to."),
                order=10,
            ),
            Page(
                "involvement",
                "opportunities:staff_list",
                _("Manage opportunities"),
                _("Roles to fill: publish them, read applications, choose people and appoint them."),
                staff=True,
                roles=SEEING_WORK,
                order=10,
            ),
            Page(
                "involvement",
                "opportunities:dashboard",
                _("Involvement dashboard"),
                _("Who is involved and in what, and the appointments ending soon."),
                staff=True,
                roles=SEEING_WORK,
                order=30,
            ),
        )


def _public_pages_changed(**_kwargs: object) -> None:
    from withus.core.public_cache import changed

    changed()
