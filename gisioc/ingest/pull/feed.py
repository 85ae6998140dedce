"""What a puller is, and the standard one: the paged change feed of the provincial systems."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from gisioc.ingest.pull.client import SourceUnavailable, http_json

FEED_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page:
    """Records of one response, and the cursor after them."""

    records: list[Any]
    cursor: str


class Puller(Protocol):
    """A source's adapter: pages of records changed since `cursor`, read from `url`."""

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """Pages in order; raises SourceUnavailable when the source cannot be read."""
        ...


def _feed_page(body: object, url: str) -> tuple[list[object], str, int]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise SourceUnavailable(
            f"Nguồn trả về JSON không đúng dạng (thiếu 'data'): {url}",
            f"The source answered JSON of an unexpected shape (no 'data'): {url}",
        )
    try:
        pages = int(body.get("totalPages") or 0)
    except (TypeError, ValueError) as exc:
        raise SourceUnavailable(
            f"'totalPages' không hợp lệ từ {url}", f"Invalid 'totalPages' from {url}"
        ) from exc
    return body["data"], str(body.get("cursor") or ""), pages


class ChangeFeedPuller:
    """Reads a paginated change feed, the protocol of the provincial systems' sync APIs.

    The feed lists record versions changed after a sequence number, oldest first:
    `GET <url>?since=<cursor>&page=<n>&pageSize=<k>` →
    `{"data": [{…}, …], "page": n, "pageSize": k, "totalPages": m, "cursor": "<seq>"}`, where
    `cursor` is the sequence number of the page's last entry. The `since` set only grows at
    its end, so its pages stay put while we read them.
    """

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """Pages from the first to the last the source reports, each with its cursor."""
        number, last = 1, cursor
        while True:
            body = http_json(
                url,
                params={"since": cursor or "0", "page": number, "pageSize": FEED_PAGE_SIZE},
                timeout=timeout,
            )
            records, after, pages = _feed_page(body, url)
            if records and after in ("", last):
                raise SourceUnavailable(
                    f"Trang {number} của {url} không tiến con trỏ ('{after}')",
                    f"Page {number} of {url} does not move the cursor ('{after}')",
                )
            last = after or last
            yield Page(records, last)
            if not records or number >= pages:
                return
            number += 1
