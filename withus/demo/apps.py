from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying WithUs out: it imports every app, and nothing imports it."""

    name = "withus.demo"
    verbose_name = "Demo data"
