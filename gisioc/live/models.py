"""The live bus's one table: what happened, where, and who may hear of it."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField


class LiveEvent(models.Model):
    """One thing an open map should learn at once (a camera event, a report that changed, a
    camera gone offline, dossiers that became overdue, an alert, an incident).

    Inserting a row notifies the channel `gisioc_live` with its id (a trigger, migration 0001),
    so writers just insert in their own transaction: listeners hear of it on commit, never of a
    rolled-back one. The id is the stream's event id: a client that reconnects catches up
    from the last id it saw. Who hears it: `roles` None is everyone (the public included), a
    list is those staff roles (admins always); a commune officer hears only events whose
    `unit` is in scope (across versions) — an event with no unit never reaches them unless
    it is public.
    """

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=40, help_text="e.g. camera.event, feedback.report")
    unit_id = models.IntegerField(null=True, blank=True, help_text="admin unit (any version)")
    geom = models.PointField(srid=4326, null=True, blank=True)
    roles = ArrayField(models.CharField(max_length=24), null=True, blank=True)
    data = models.JSONField(default=dict, help_text="what the client shows; no personal data")

    class Meta:
        indexes = [models.Index(fields=["kind", "at"], name="live_liveev_kind_6a1c2e_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
