"""Ingest runs with their raw records (kept for audit) and column-mapping profiles."""

from django.db import models


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

    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="records")
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
