from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "gisioc.alerts"
    label = "alerts"
    verbose_name = "Cảnh báo / Alerts"
