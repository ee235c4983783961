from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "ptdv.training"
    label = "training"
