from django.apps import AppConfig


class GendataConfig(AppConfig):
    name = "ptdv.gendata"
    label = "gendata"
    verbose_name = "Synthetic data"
