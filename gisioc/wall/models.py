"""Wall screens: the operations room's kiosk, opened by a token whose hash alone is kept."""

from django.conf import settings
from django.db import models


class WallScreen(models.Model):
    """One large screen: its saved views, shown in turn, and the hash of its kiosk token."""

    name = models.CharField(max_length=80, unique=True)
    token_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the kiosk token, hex."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enabled = models.BooleanField(default=True)
    rotate_s = models.PositiveIntegerField(
        default=30, help_text="Seconds each view is shown before the next."
    )
    views = models.JSONField(
        default=list,
        blank=True,
        help_text='Ordered views: {"title": {"vi", "en"}, "map": "z/lat/lon[/bearing]", '
        '"layers": [...], "period": "2026-10"?}.',
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        state = "" if self.enabled else " (tắt / disabled)"
        return f"{self.name}{state}"
