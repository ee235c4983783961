from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "ptdv.reminders"
    label = "reminders"

    def ready(self) -> None:
        from ptdv.audit.labels import register
        from ptdv.reminders.services import AUDIT_LABELS

        register(AUDIT_LABELS)
