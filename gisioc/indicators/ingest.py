"""The indicators adapter: values and plan targets, one per row (the long shape), from files
(`workbook.workbook_open` turns every sheet shape into such rows), pushed batches and the demo.

A row names its indicator (code, name or alias), its unit (code or name, old or new, any
diacritics; blank, "Toàn huyện", "Tổng cộng" for the version's whole area), its period as
offices write it and its value. Rules resolve them to stored keys; the record's id is
`kind:indicator:version:unit code or *:period`, so a value sent twice, once by code and once
by name, is one record. A "no data" mark (`-`, `..`, `…`, `x`) in a pushed row is refused
with that reason, never stored as 0; workbooks skip such cells and count them.
"""

import threading
from dataclasses import dataclass
from typing import Any

from gisioc.errors import GisiocError
from gisioc.geo.models import Located
from gisioc.indicators import workbook
from gisioc.indicators.models import IndicatorValue
from gisioc.indicators.numbers import number_value
from gisioc.indicators.period_text import KIND_TITLES, period_label
from gisioc.indicators.units import Lookups
from gisioc.ingest.fields import field, words
from gisioc.ingest.locate import Locator
from gisioc.ingest.systems import Field, FieldError, System, register_system
from gisioc.ingest.values import BadValue
from gisioc.periods import Period, period_kind, period_of
from gisioc.texts import Text

KINDS = words(
    actual=("thuc hien", "th", "thuc te", "uoc thuc hien", "uoc th", "so thuc hien", "actual"),
    target=(
        "ke hoach",
        "kh",
        "chi tieu ke hoach",
        "muc tieu",
        "du toan",
        "du toan giao",
        "du toan nam",
        "nghi quyet",
        "plan",
        "target",
        "budget estimate",
    ),
)
STATUSES = words(
    reported=("bao cao", "chinh thuc", "so chinh thuc", "da bao cao"),
    estimated=("uoc", "uoc tinh", "uoc thuc hien", "uoc th", "so bo", "estimate"),
    converted=("quy doi", "da quy doi"),
)
STYLES = words(
    vi=("viet nam", "vn", "kieu viet nam", "dau cham ngan nghin"),
    en=("quoc te", "english", "kieu quoc te", "dau phay ngan nghin"),
)


@dataclass(frozen=True)
class _AsSent(Field):
    """A field whose cell is kept as sent: a number cell stays a number (no style guessing)."""

    def parse(self, raw: object) -> object:
        """The cell itself; the rules read it."""
        return raw


FIELDS = (
    field("external_id", "text", "Mã bản ghi", "Record id", "ma ban ghi", max_length=120),
    field("indicator", "text", "Chỉ tiêu", "Indicator", "chi tieu", "ma chi tieu",
       "ten chi tieu", "chi so", "ma chi so", "noi dung chi tieu", "indicator code",
       "indicator name", required=True, max_length=300),
    field("unit", "text", "Đơn vị hành chính", "Admin unit", "don vi hanh chinh",
       "xa phuong thi tran", "xa thi tran", "xa phuong", "xa", "phuong", "dia ban", "ma xa",
       "ten xa", "ma don vi hanh chinh", "ten don vi", "ma don vi", "don vi hc", "commune",
       "unit code", "unit name", "admin unit", max_length=200),
    field("version", "text", "Phiên bản ranh giới", "Boundary version", "phien ban",
       "phien ban ranh gioi", "boundary version", max_length=80),
    field("period", "text", "Kỳ", "Period", "ky", "ky bao cao", "nam", "thang", "quy", "ngay",
       "nam hoc", "thoi gian", "thoi ky", "year", "date", required=True, max_length=40),
    _AsSent("value", "text", Text("Giá trị", "Value"), required=True,
       aliases=("gia tri", "so lieu", "thuc hien", "gia tri chi tieu", "so luong")),
    field("kind", "choice", "Loại", "Kind", "loai", "loai so lieu", "kind", choices=KINDS),
    field("status", "choice", "Trạng thái", "Status", "trang thai", "tinh trang so lieu",
       choices=STATUSES),
    field("note", "text", "Ghi chú", "Note", "ghi chu", "chu thich", max_length=300),
    field("cell", "text", "Ô", "Cell", "vi tri o", max_length=80),
    field("style", "choice", "Kiểu số", "Number style", "kieu so", "dinh dang so",
       "number style", choices=STYLES),
)  # fmt: skip
ROW_ONLY = ("indicator", "unit", "version", "cell", "style")  # read, resolved, not stored

_run = threading.local()  # this thread's run's lookups (`start`: a new run, fresh lookups)


def lookups() -> Lookups:
    """The lookups of the run going on in this thread."""
    found = getattr(_run, "lookups", None)
    if found is None:
        found = _run.lookups = Lookups()
    return found


def run_start() -> None:
    """A new run reads the catalogue, versions and units afresh."""
    _run.lookups = Lookups()


class _Refused(Exception):
    def __init__(self, name: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.error = FieldError(name, vi, en)


def _checked(name: str, error: BadValue | GisiocError) -> _Refused:
    return _Refused(name, error.vi, error.en)


def _period(values: dict[str, Any], period_type: str, code: str) -> Period:
    try:
        period = period_of(period_label(values["period"]))
    except (BadValue, GisiocError) as exc:
        raise _checked("period", exc) from exc
    kind = period_kind(period.label)
    if kind != period_type:
        (got_vi, got_en), (want_vi, want_en) = KIND_TITLES[kind], KIND_TITLES[period_type]
        raise _Refused(
            "period",
            f"kỳ {period.label} là kỳ {got_vi}, chỉ tiêu {code} báo cáo theo {want_vi}",
            f"period {period.label} is a {got_en}, indicator {code} is reported by {want_en}",
        )
    return period


def _resolve(values: dict[str, Any], style: str | None) -> None:
    """Fill the stored keys from what the row names; _Refused on the first fault."""
    found = lookups()
    try:
        indicator = found.indicator(values["indicator"])
    except BadValue as exc:
        raise _checked("indicator", exc) from exc
    period = _period(values, indicator.period_type, indicator.code)
    try:
        value = number_value(values["value"], style=style)  # type: ignore[arg-type]
    except BadValue as exc:
        raise _checked("value", exc) from exc
    if value is None:
        shown = str(values["value"])[:20]
        raise _Refused(
            "value",
            f"không có số liệu ('{shown}'), không lưu",
            f"no data ('{shown}'), not stored",
        )
    try:
        version, unit = found.unit(values["unit"], period, values["version"])
    except BadValue as exc:
        raise _checked("version" if values["version"] else "unit", exc) from exc
    kind = values["kind"] or IndicatorValue.Kind.ACTUAL
    values.update(
        indicator_id=indicator.code,
        version_id=version.id,
        unit_id=unit.id if unit else None,
        whole=unit is None,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        kind=kind,
        value=value,
        status=values["status"] or IndicatorValue.Status.REPORTED,
        external_id=(
            f"{kind}:{indicator.code}:{version.slug}:{unit.code if unit else '*'}:{period.label}"
        ),
    )


def value_rules(values: dict[str, Any]) -> list[FieldError]:
    """Indicator, period (of the indicator's kind), value and unit resolved; the record's key."""
    cell, style = values["cell"], values["style"]
    try:
        _resolve(values, style)
    except _Refused as refused:
        error = refused.error
        if cell:
            return [FieldError(error.field, f"ô {cell}: {error.vi}", f"cell {cell}: {error.en}")]
        return [error]
    for name in ROW_ONLY:
        values.pop(name, None)
    return []


def value_locate(values: dict[str, Any], locator: Locator) -> None:
    """A unit's value is placed by the unit it names, on its period's last day."""
    whole = values["unit_id"] is None
    values.update(
        geom=None,
        locate_on=values["period_end"],
        locate_method=Located.Method.NONE if whole else Located.Method.ADDRESS,
        locate_confidence=None if whole else 1.0,
        locate_reason="toàn địa bàn phiên bản / whole area of the version" if whole else "",
    )


def value_placed(values: dict[str, Any]) -> bool:
    """A value is placed when it has a unit or covers its version's whole area."""
    return values.get("unit_id") is not None or bool(values.get("whole"))


SYSTEM = register_system(
    System(
        "indicators",
        FIELDS,
        value_rules,
        value_locate,
        IndicatorValue,
        placed=value_placed,
        open_file=workbook.workbook_open,
        start=run_start,
    )
)
