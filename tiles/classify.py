"""Choropleth classes: equal interval, quantile, natural breaks (Jenks) and manual breaks."""

from collections.abc import Sequence

import numpy as np

from gisioc.errors import InvalidInput
from layers.registry import METHODS

JENKS_SAMPLE = 2000


def _equal_interval(values: np.ndarray, classes: int) -> list[float]:
    low, high = float(values.min()), float(values.max())
    return [low + (high - low) * i / classes for i in range(1, classes)]


def _quantile(values: np.ndarray, classes: int) -> list[float]:
    return [float(q) for q in np.quantile(values, [i / classes for i in range(1, classes)])]


def _jenks(values: np.ndarray, classes: int) -> list[float]:
    """Fisher's exact optimal partition of sorted values (minimum within-class variance)."""
    data = np.sort(values)
    if len(data) > JENKS_SAMPLE:  # deterministic, evenly spaced sample of the sorted values
        data = data[np.linspace(0, len(data) - 1, JENKS_SAMPLE).astype(int)]
    n = len(data)
    s1 = np.concatenate([[0.0], np.cumsum(data)])
    s2 = np.concatenate([[0.0], np.cumsum(data**2)])

    def ssd(start: np.ndarray, end: int) -> np.ndarray:
        """Sum of squared deviations of data[start:end] for each start."""
        count = end - start
        total = s1[end] - s1[start]
        return (s2[end] - s2[start]) - total**2 / count

    cost = np.array([ssd(np.array([0]), end)[0] if end else 0.0 for end in range(n + 1)])
    cuts = np.zeros((classes, n + 1), dtype=int)
    for k in range(1, classes):
        new_cost = np.full(n + 1, np.inf)
        for end in range(k + 1, n + 1):
            starts = np.arange(k, end)
            totals = cost[starts] + ssd(starts, end)
            best = int(np.argmin(totals))
            new_cost[end], cuts[k, end] = totals[best], starts[best]
        cost = new_cost
    breaks, end = [], n
    for k in range(classes - 1, 0, -1):
        end = cuts[k, end]
        breaks.append(float(data[end]))
    return sorted(breaks)


def class_breaks(
    values: Sequence[float], *, method: str, classes: int, manual: Sequence[float] = ()
) -> list[float]:
    """classes − 1 ascending breaks; a value v is in class i when breaks[i-1] ≤ v < breaks[i]."""
    if method not in METHODS:
        raise InvalidInput(
            f"Phương pháp phân lớp không hợp lệ: {method}.",
            f"Unknown classification method: {method}.",
        )
    if not 2 <= classes <= 9:
        raise InvalidInput("Số lớp phải từ 2 đến 9.", "Classes must be between 2 and 9.")
    if method == "manual":
        breaks = [float(b) for b in manual]
        if len(breaks) != classes - 1 or breaks != sorted(breaks):
            raise InvalidInput(
                f"Cần {classes - 1} ngưỡng tăng dần.",
                f"Manual classes need {classes - 1} ascending breaks.",
            )
        return breaks
    array = np.asarray([v for v in values if v is not None], dtype=float)
    if array.size == 0:
        return []
    if np.unique(array).size < classes:
        return sorted(float(v) for v in np.unique(array)[1:])
    method_fn = {"equal_interval": _equal_interval, "quantile": _quantile, "jenks": _jenks}
    return method_fn[method](array, classes)
