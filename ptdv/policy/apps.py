from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "ptdv.policy"
    label = "policy"
