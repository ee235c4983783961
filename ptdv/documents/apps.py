from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ptdv.documents"
    label = "documents"
