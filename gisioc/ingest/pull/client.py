"""The HTTP client of pulls: GET a source's JSON; every failure is one SourceUnavailable."""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from gisioc.errors import GisiocError, InvalidInput

TIMEOUT = 30.0  # seconds without a byte from the source before a pull gives up
MAX_RESPONSE = 64 * 1024 * 1024
USER_AGENT = "gisioc-pull/1"


class SourceUnavailable(GisiocError):
    """The source's API could not be read: unreachable, an HTTP error, a timeout, bad JSON."""

    status = 502
    code = "source_unavailable"


def url_check(url: str) -> str:
    """The URL stripped, or InvalidInput when it is not http(s)://host…."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            f"Địa chỉ nguồn phải là http(s)://…: {url}",
            f"The source URL must be http(s)://…: {url}",
        )
    return url.strip()


def http_json(url: str, *, params: dict[str, object], timeout: float) -> Any:
    """GET `url` with query `params` as JSON; every failure is a SourceUnavailable in vi/en."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
    full = f"{url_check(url)}{'&' if '?' in url else '?'}{query}" if query else url
    request = urllib.request.Request(
        full, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        raise SourceUnavailable(
            f"Nguồn trả lỗi HTTP {exc.code} ({exc.reason}) cho {full}",
            f"The source answered HTTP {exc.code} ({exc.reason}) for {full}",
        ) from exc
    except TimeoutError as exc:
        raise _timed_out(full, timeout) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(full, timeout) from exc
        raise SourceUnavailable(
            f"Không kết nối được nguồn {full}: {exc.reason}",
            f"Cannot reach the source {full}: {exc.reason}",
        ) from exc
    except OSError as exc:  # e.g. the connection reset mid-body
        raise SourceUnavailable(
            f"Mất kết nối với nguồn {full}: {exc}", f"Lost the connection to {full}: {exc}"
        ) from exc
    if len(body) > MAX_RESPONSE:
        raise SourceUnavailable(
            f"Trang trả về quá lớn (> {MAX_RESPONSE // 1024 // 1024} MB): {full}",
            f"The response is too large (> {MAX_RESPONSE // 1024 // 1024} MB): {full}",
        )
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceUnavailable(
            f"Nguồn trả về không phải JSON: {full}", f"The source did not answer JSON: {full}"
        ) from exc


def _timed_out(url: str, timeout: float) -> SourceUnavailable:
    return SourceUnavailable(
        f"Quá thời gian chờ nguồn ({timeout:g} giây): {url}",
        f"Timed out after {timeout:g} s waiting for the source: {url}",
    )
