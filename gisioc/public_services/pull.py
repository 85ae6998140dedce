"""Pull adapter for the provincial one-stop software's dossier change feed.

The feed lists dossier versions changed after a sequence number, oldest first:
`GET <url>?since=<cursor>&page=<n>&pageSize=<k>` →
`{"data": [{"MaHoSo": …}, …], "page": n, "pageSize": k, "totalPages": m, "cursor": "<seq>"}`,
where `cursor` is the sequence number of the page's last entry. The `since` set only grows
at its end, so its pages stay put while we read them.
"""

from collections.abc import Iterator

from gisioc.ingest.pull import Page, SourceUnavailable, http_json, register_puller

PAGE_SIZE = 500


def _page(body: object, url: str) -> tuple[list[object], str, int]:
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


class OneStopPuller:
    """Reads every page of dossiers changed since a cursor."""

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """Pages from the first to the last the source reports, each with its cursor."""
        number, last = 1, cursor
        while True:
            body = http_json(
                url,
                params={"since": cursor or "0", "page": number, "pageSize": PAGE_SIZE},
                timeout=timeout,
            )
            records, after, pages = _page(body, url)
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


PULLER = register_puller("public_services", OneStopPuller())
