from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "withus.groups"
    verbose_name = "Groups and appointments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Group)
        auditlog.register(models.Appointment)
