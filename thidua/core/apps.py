from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thidua.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from thidua.core import receivers  # noqa: F401  (connects the signal handlers)
