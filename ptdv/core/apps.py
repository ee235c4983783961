from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ptdv.core"
    label = "core"

    def ready(self) -> None:
        from ptdv.core import foldsql  # noqa: F401 — registers the SQLite fold function
