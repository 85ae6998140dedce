"""Removing what a source delivered: its records and runs, when a source sent what it should
not have, or a new demo generator changed its ids."""

from dataclasses import dataclass

from django.db import transaction

from gisioc.errors import NotFound
from gisioc.ingest.models import IngestRun, PullSource, SourceKey
from gisioc.ingest.systems import system_get


@dataclass(frozen=True)
class Purge:
    """What a source holds (or held): its system, records and runs, and whether it is pulled."""

    system: str
    source: str
    records: int
    runs: int
    pulled: bool

    def summary(self) -> str:
        """One line, Vietnamese then English."""
        return (
            f"{self.system}/{self.source}: {self.records:,} bản ghi, {self.runs:,} lượt nhập — "
            f"{self.records:,} records, {self.runs:,} runs"
            + (" (có lịch kéo / pulled on schedule)" if self.pulled else "")
        )


def _system_of(source: str) -> str:
    for model in (IngestRun, PullSource, SourceKey):
        system = model.objects.filter(source=source).values_list("system", flat=True).first()
        if system:
            return system
    known = sorted(set(IngestRun.objects.values_list("source", flat=True).distinct()))
    raise NotFound(
        f"Không có nguồn {source}; có: {', '.join(known) or '—'}.",
        f"No source {source}; known: {', '.join(known) or '—'}.",
    )


def source_purge(*, source: str, apply: bool = False, stop_pull: bool = True) -> Purge:
    """What purging a source takes. With `apply`, in one transaction: its records and runs go
    (their raw rows with them), and a pull into it starts again from the beginning of its
    feed, stopped unless `stop_pull` is False (`gisioc pull add` resumes it). Push keys stay."""
    system = system_get(_system_of(source))
    records = system.model.objects.filter(source=source)
    runs = IngestRun.objects.filter(source=source)
    pulls = PullSource.objects.filter(source=source)
    found = Purge(system.name, source, records.count(), runs.count(), pulls.exists())
    if apply:
        with transaction.atomic():
            records.delete()
            runs.delete()
            pulls.update(cursor="", **({"active": False} if stop_pull else {}))
    return found
