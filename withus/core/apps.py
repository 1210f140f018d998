from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "withus.core"
    verbose_name = "Core"
