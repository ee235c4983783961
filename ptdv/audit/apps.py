from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ptdv.audit"
    label = "audit"
