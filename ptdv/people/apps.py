from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ptdv.people"
    label = "people"
