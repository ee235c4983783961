from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "ptdv.admissions"
    label = "admissions"

    def ready(self) -> None:
        from ptdv.admissions.audit_labels import register

        register()
