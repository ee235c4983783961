from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (``/api/v1/``): serializers and views over the apps' services and
    selectors; it never calls the web views (import-linter contract)."""

    name = "ptdv.api"
    label = "ptdv_api"
