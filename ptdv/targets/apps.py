from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "ptdv.targets"
    label = "targets"
