"""Data versions: a counter per source table, bumped by triggers on every effective write."""

from django.db import models


class TableVersion(models.Model):
    """How many effective writes a table has seen; tile caches and ETags key on it."""

    table_name = models.CharField(max_length=128, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.table_name}@{self.version}"
