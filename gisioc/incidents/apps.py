from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "gisioc.incidents"
    label = "incidents"
    verbose_name = "Sự việc đột xuất / Incidents"
