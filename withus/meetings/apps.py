from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "withus.meetings"
    verbose_name = "Meetings and activities"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Session)
        auditlog.register(models.StandardOverride)
        auditlog.register(models.Attendance)
        auditlog.register(models.Action)
        auditlog.register(models.MeetingStandards)
