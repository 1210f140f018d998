from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "withus.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import choices, encryption  # encryption registers the start-up check of the encryption key

        choices.install()

        post_migrate.connect(encryption.record_key_check, sender=self, dispatch_uid="withus-record-key-check")
