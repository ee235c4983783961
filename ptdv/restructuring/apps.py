from django.apps import AppConfig


class RestructuringConfig(AppConfig):
    name = "ptdv.restructuring"
    label = "restructuring"

    def ready(self) -> None:
        from ptdv.audit.labels import register
        from ptdv.restructuring.services import AUDIT_LABELS

        register(AUDIT_LABELS)
