from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "withus.support"
    verbose_name = "Support, supervision and training"
