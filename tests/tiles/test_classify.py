"""Choropleth classification methods."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gisioc.errors import InvalidInput
from tiles.classify import class_breaks

values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=300)


@pytest.mark.parametrize("method", ["equal_interval", "quantile", "jenks"])
@given(values=values, classes=st.integers(2, 7))
def test_breaks_are_sorted_within_range_and_at_most_classes_minus_one(
    method: str, values: list[float], classes: int
) -> None:
    breaks = class_breaks(values, method=method, classes=classes)
    assert breaks == sorted(breaks)
    assert len(breaks) <= classes - 1
    assert all(min(values) <= b <= max(values) for b in breaks)


def test_known_answers() -> None:
    data = [1, 2, 3, 10, 11, 12, 20, 21, 22, 50]
    assert class_breaks(data, method="jenks", classes=4) == [10, 20, 50]
    assert class_breaks(data, method="equal_interval", classes=2) == [25.5]
    assert class_breaks(data, method="quantile", classes=2) == [11.5]
    assert class_breaks(data, method="manual", classes=3, manual=[5, 15]) == [5, 15]
    assert class_breaks([], method="quantile", classes=3) == []
    assert class_breaks([4, 4, 4, 9], method="quantile", classes=4) == [9.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "kmeans", "classes": 3}, "method"),
        ({"method": "quantile", "classes": 12}, "between 2 and 9"),
        ({"method": "manual", "classes": 3, "manual": [5]}, "breaks"),
        ({"method": "manual", "classes": 3, "manual": [9, 5]}, "ascending"),
    ],
)
def test_bad_requests(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        class_breaks([1, 2, 3], **kwargs)
