from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ptdv.demo"
    label = "demo"
