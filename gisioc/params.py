"""Numbers from query parameters, within the range the column or the code can hold, and the
fields of a write's body.

Every view that reads an integer or a decimal number from a request uses these, so a value
past a column's range, `NaN` or `Infinity` is a 400 naming the parameter, never a 500.
"""

import math
import re
from collections.abc import Mapping
from typing import Any

from gisioc.errors import InvalidInput

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)  # bigint: ids, the rollup's bigint[] arrays
ID = (1, INT64[1])  # a database id
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")  # ASCII digits only ('²'.isdigit() is True)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")


def int_parse(raw: str, name: str, *, bounds: tuple[int, int] = INT64) -> int:
    """`raw` as an integer within `bounds`, or InvalidInput naming the parameter."""
    low, high = bounds
    value = int(raw) if _INTEGER.fullmatch(raw) else None
    if value is None or not low <= value <= high:
        raise InvalidInput(
            f"{name} phải là số nguyên từ {low} đến {high}.",
            f"{name} must be an integer from {low} to {high}.",
            field=name,
        )
    return value


def float_parse(
    raw: str, name: str, *, bounds: tuple[float, float] = (-math.inf, math.inf)
) -> float:
    """`raw` as a finite number within `bounds` (no NaN, no Infinity), or InvalidInput."""
    low, high = bounds
    value = float(raw) if _NUMBER.fullmatch(raw) else math.nan
    if not (math.isfinite(value) and low <= value <= high):
        limits = "" if math.isinf(low) and math.isinf(high) else f" từ {low} đến {high}"
        limits_en = limits.replace(" từ ", " from ").replace(" đến ", " to ")
        raise InvalidInput(
            f"{name} phải là số hữu hạn{limits}.",
            f"{name} must be a finite number{limits_en}.",
            field=name,
        )
    return value


def int_param(
    params: Mapping[str, str],
    name: str,
    *,
    bounds: tuple[int, int] = INT64,
    default: int | None = None,
) -> int | None:
    """The integer query parameter `name` (`default` when absent or empty)."""
    raw = params.get(name)
    return default if raw in (None, "") else int_parse(raw, name, bounds=bounds)


def float_param(
    params: Mapping[str, str], name: str, *, bounds: tuple[float, float] = (-math.inf, math.inf)
) -> float | None:
    """The decimal query parameter `name`; None when absent or empty."""
    raw = params.get(name)
    return None if raw in (None, "") else float_parse(raw, name, bounds=bounds)


def body_fields(request: Any) -> Mapping[str, Any]:
    """A write's fields (a form, or a JSON object); anything else sent is a 400."""
    data = request.data
    if not isinstance(data, Mapping):
        raise InvalidInput(
            "Nội dung gửi phải là một biểu mẫu hoặc một đối tượng JSON.",
            "Send a form or a JSON object.",
        )
    return data
