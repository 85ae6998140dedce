"""Numbers as offices write them, the "no data" marks, and periods as they name them."""

import pytest

from gisioc.indicators.numbers import evidence_of, number_read, number_value
from gisioc.indicators.period_text import period_label
from gisioc.ingest.values import BadValue


@pytest.mark.parametrize(
    ("raw", "style", "value", "evidence"),
    [
        ("1.234,5", "vi", 1234.5, "vi"),
        ("1,234.5", "en", 1234.5, "en"),
        ("1.234", "vi", 1234.0, "ambiguous"),
        ("1.234", "en", 1.234, "ambiguous"),
        ("1,234", "vi", 1.234, "ambiguous"),
        ("12,5", "vi", 12.5, "vi"),
        ("0.123", "en", 0.123, "en"),
        ("1.234.567", "vi", 1234567.0, "vi"),
        ("1\u00a0234,5", "vi", 1234.5, "vi"),
        ("1 234", None, 1234.0, "plain"),
        ("(1.234,5)", "vi", -1234.5, "vi"),
        ("\u22123,5", "vi", -3.5, "vi"),
        ("12,5%", "vi", 12.5, "vi"),
        (1234.5, None, 1234.5, "plain"),
        ("-", None, None, "plain"),
        ("..", "vi", None, "plain"),
        ("…", "vi", None, "plain"),
        ("x", "en", None, "plain"),
        ("", "en", None, "plain"),
    ],
)
def test_numbers_both_ways(raw: object, style: str | None, value: float | None,
                           evidence: str) -> None:  # fmt: skip
    reading = number_read(raw, style=style)  # type: ignore[arg-type]
    assert (reading.value, reading.evidence) == (value, evidence)


def test_what_a_number_cannot_be() -> None:
    with pytest.raises(BadValue, match=r"against the file's style"):
        number_value("1.234,5", style="en")
    with pytest.raises(BadValue, match=r"ambiguous: 1234 or 1\.234"):
        number_value("1.234")
    with pytest.raises(BadValue, match="not a number"):
        number_value("1.23.4", style="vi")
    assert evidence_of("abc") is None and evidence_of("1,234") == "ambiguous"


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("Năm 2023", "2023"), (2023, "2023"), ("Quý III/2024", "2024-Q3"), ("Q3/2024", "2024-Q3"),
        ("Tháng 7/2024", "2024-07"), ("T7/2024", "2024-07"), ("15/08/2021", "2021-08-15"),
        ("NH 2024-2025", "2024-2025"), ("Năm học 2024 - 2025", "2024-2025"),
    ],
)  # fmt: skip
def test_periods_as_offices_write_them(raw: object, label: str) -> None:
    assert period_label(raw) == label


def test_a_half_year_is_no_period() -> None:
    with pytest.raises(BadValue, match="not a period"):
        period_label("6 tháng đầu năm 2024")
