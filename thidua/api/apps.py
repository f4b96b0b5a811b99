"""Django app config of the JSON API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "thidua.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from thidua.api import receivers  # noqa: F401  (connects the signal handlers)
