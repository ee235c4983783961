from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "ptdv.exchange"
    label = "exchange"
