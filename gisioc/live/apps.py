from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "gisioc.live"
    label = "live"
    verbose_name = "Trực tuyến / Live"
