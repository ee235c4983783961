from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ptdv.access"
    label = "access"
