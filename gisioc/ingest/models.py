"""Ingest runs with their raw records (kept for audit), column-mapping profiles, and the base
of every system's records."""

from django.db import models

from gisioc.geo.models import Located


class IngestRun(models.Model):
    """One delivery from a source system: a file, a pushed batch or a pull; counted and logged."""

    class Kind(models.TextChoices):
        FILE = "file", "Tệp / File"
        PUSH = "push", "Đẩy qua API / Push"
        PULL = "pull", "Kéo định kỳ / Pull"
        DEMO = "demo", "Dữ liệu minh họa / Demo"

    class Status(models.TextChoices):
        RUNNING = "running", "Đang chạy / Running"
        DONE = "done", "Xong / Done"
        FAILED = "failed", "Thất bại / Failed"

    system = models.CharField(max_length=40)
    source = models.CharField(max_length=80, help_text="Source system instance records belong to.")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FILE)
    file_name = models.CharField(max_length=255, blank=True)
    profile = models.CharField(max_length=80, blank=True, help_text="Mapping profile used.")
    # NULL, not '': only batches that carry a key must be unique per source.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    received = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    not_located = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    details = models.JSONField(
        default=dict, blank=True, help_text="Format, encoding, header row, column mapping."
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="ingestrun_idempotency_per_source",
            )
        ]
        indexes = [models.Index(fields=["system", "source", "-started_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.system}/{self.source} {self.file_name} ({self.status})"


class RawRecord(models.Model):
    """One row as received (personal columns removed), its errors and what became of it."""

    class Outcome(models.TextChoices):
        CREATED = "created", "Tạo mới / Created"
        UPDATED = "updated", "Cập nhật / Updated"
        UNCHANGED = "unchanged", "Giữ nguyên / Unchanged"
        REJECTED = "rejected", "Bị loại / Rejected"

    # No index of its own: (run, outcome) below starts with it (one index less per row kept).
    run = models.ForeignKey(
        IngestRun, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    row = models.PositiveIntegerField(help_text="Row number as the sender sees it.")
    external_id = models.CharField(max_length=200, blank=True)
    raw = models.JSONField(default=dict)
    errors = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Why it is not located.")

    class Meta:
        ordering = ["run_id", "row"]
        indexes = [models.Index(fields=["run", "outcome"])]

    def __str__(self) -> str:
        return f"run #{self.run_id} row {self.row}: {self.outcome}"


class MappingProfile(models.Model):
    """How one real export's columns map to a system's fields, so no code changes are needed."""

    system = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    mapping = models.JSONField(
        default=dict,
        help_text='{"Header as written": "field"}; null drops the column (never stored).',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="mappingprofile_name")
        ]

    def __str__(self) -> str:
        return f"{self.system}: {self.name}"


class SourceKey(models.Model):
    """An API key of one source of one system; only its hash is kept, never the key."""

    system = models.CharField(max_length=40)
    source = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to staff; not secret.")
    key_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole key, hex.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["system", "source", "-created_at"]

    def __str__(self) -> str:
        state = "" if self.active else " (thu hồi / revoked)"
        return f"{self.prefix}… {self.system}/{self.source}{state}"


class PullSource(models.Model):
    """A source pulled on a schedule from its HTTP API, and where the last pull stopped."""

    class Status(models.TextChoices):
        NEVER = "", "Chưa chạy / Never run"
        DONE = "done", "Xong / Done"
        FAILED = "failed", "Thất bại / Failed"

    system = models.CharField(max_length=40)
    source = models.CharField(max_length=80, unique=True)
    url = models.URLField(max_length=500, help_text="The source's change feed.")
    every_minutes = models.PositiveIntegerField(default=15)
    active = models.BooleanField(default=True)
    cursor = models.CharField(
        max_length=200, blank=True, help_text="Where the next pull starts; moved only on success."
    )
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=8, choices=Status.choices, blank=True)
    last_error = models.TextField(blank=True)
    last_run = models.ForeignKey(
        IngestRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.system}/{self.source} ← {self.url}"


class SourcedRecord(Located):
    """Base of a system's records: located, keyed by (source, external id), with the run that
    last wrote it. A subclass with its own `Meta` subclasses `SourcedRecord.Meta` and keeps
    `*SourcedRecord.Meta.constraints` in its own."""

    source = models.CharField(max_length=80)
    external_id = models.CharField(max_length=120)
    run = models.ForeignKey(
        IngestRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="%(class)s_source_key")
        ]
