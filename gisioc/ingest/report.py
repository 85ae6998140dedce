"""What a run did: counts, how the input was read, each rejected and each unlocated row."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from gisioc.geo.facility_rows import RowError

MAX_LISTED = 1_000  # rows listed in the report; every one is in the run's raw records
COUNTS = ("received", "created", "updated", "unchanged", "rejected", "not_located")


@dataclass
class RunReport:
    """The report of one ingest run, Vietnamese first; JSON-ready with `as_dict`."""

    system: str
    source: str
    file_name: str = ""
    run_id: int | None = None
    dry_run: bool = False
    status: str = "running"
    message: str = ""
    format: str = ""
    encoding: str = ""
    header_row: int | None = None
    profile: str = ""
    columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how the reader understood the file
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    not_located: int = 0
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)
    unlocated: list[dict[str, Any]] = field(default_factory=list)

    def add_errors(self, errors: list[RowError]) -> None:
        """Keep the first rows' errors for the report."""
        room = MAX_LISTED - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def add_unlocated(self, row: int, key: str, reason: str) -> None:
        """Keep the first unlocated rows for the report."""
        if len(self.unlocated) < MAX_LISTED:
            self.unlocated.append({"row": row, "code": key, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the CLI and the API."""
        return asdict(self)

    def summary(self) -> str:
        """One line of counts, Vietnamese then English."""
        return (
            f"nhận {self.received:,}, tạo {self.created:,}, cập nhật {self.updated:,}, "
            f"giữ nguyên {self.unchanged:,}, loại {self.rejected:,}, "
            f"chưa định vị {self.not_located:,} — received, created, updated, unchanged, "
            "rejected, not located"
            + (" (chạy thử, không ghi / dry run, nothing written)" if self.dry_run else "")
        )

    def lines(self) -> list[str]:
        """The report as text lines for the terminal."""
        run = f"#{self.run_id}" if self.run_id else "(chạy thử / dry run)"
        status = {"done": "xong / done", "failed": "THẤT BẠI / FAILED"}.get(self.status, "")
        out = [f"Lượt nhập / run {run} {self.system}/{self.source}: {status}", self.summary()]
        if self.message:
            out.append(self.message)
        out.extend(self.notes)
        shown = len(self.errors) + len(self.unlocated)
        if self.rejected + self.not_located > shown:
            out.append(
                f"(liệt kê {shown:,} dòng đầu; đủ trong bản ghi gốc của lượt — first {shown:,} "
                "rows listed; all are in the run's raw records)"
            )
        for error in self.errors:
            code = f" mã/id {error.code}" if error.code else ""
            out.append(
                f"  LỖI / ERROR dòng/row {error.row}{code} [{error.field}]: {error.vi} — {error.en}"
            )
        for row in self.unlocated:
            out.append(
                f"  CHƯA ĐỊNH VỊ / NOT LOCATED dòng/row {row['row']} mã/id {row['code']}: "
                f"{row['reason']}"
            )
        return out


def columns_lines(report: RunReport) -> list[str]:
    """How the columns were used, for the start of the report."""
    labels = {
        "field": "Cột dùng / columns used",
        "personal": "Cột dữ liệu cá nhân đã bỏ, không lưu / personal columns dropped, never stored",
        "dropped": "Cột bỏ theo hồ sơ ánh xạ / columns dropped by the profile",
        "kept": "Cột không dùng, lưu trong bản gốc / columns not used, kept in raw rows",
        "ignored": "Cột không dùng, không lưu / columns not used, not stored",
    }
    return [
        f"{labels[role]}: {', '.join(names)}"
        for role, names in report.columns.items()
        if names and role in labels
    ]


Progress = Callable[[str], None]
