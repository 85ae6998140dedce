from django.apps import AppConfig


class WallConfig(AppConfig):
    name = "gisioc.wall"
    label = "wall"
    verbose_name = "Màn hình điều hành / Wall"
