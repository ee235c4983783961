from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "ptdv.admissions"
    label = "admissions"
