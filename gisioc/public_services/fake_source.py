"""A local fake of the provincial one-stop software: a paginated JSON change feed of dossiers.

For the demo and the tests. Its own dossiers come from the demo generator, received on the
working days after the demo's last day. By default they are served as just received, all open,
and `advance` moves some a step on (in progress → finished → result returned), as the real
software would between two pulls. Given `as_of`, the fake goes on with the demo's world
instead: the demo's dossiers that moved on after its snapshot, and its own dossiers as they
stand at that moment; `catch_up(now)` then publishes what has changed since. Keys are
CamelCase as such APIs write them, personal columns included (the ingest drops those). Every
change appends a version to a log; `?since=<seq>` lists the versions after `seq` oldest first,
so the pages of one `since` never shift while they are read.
"""

import contextlib
import datetime as dt
import json
import math
import random
import threading
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gisioc.ingest.values import VIETNAM, datetime_value
from gisioc.public_services import demo

FEED_PATH = "/api/hoso"
FIRST_DAY = demo.LAST_DAY + dt.timedelta(days=1)
MAX_PAGE_SIZE = 200
KEYS = {
    "Mã hồ sơ": "MaHoSo",
    "Mã thủ tục": "MaTTHC",
    "Tên thủ tục": "TenTTHC",
    "Lĩnh vực": "LinhVuc",
    "Nơi tiếp nhận": "DonViTiepNhan",
    "Hình thức nộp": "KenhTiepNhan",
    "Mức độ": "MucDo",
    "Ngày tiếp nhận": "NgayTiepNhan",
    "Ngày hẹn trả": "NgayHenTra",
    "Ngày hoàn thành": "NgayKetThucXuLy",
    "Ngày trả kết quả": "NgayTraKetQua",
    "Trạng thái": "TrangThaiHoSo",
    "Số lần bổ sung": "SoLanBoSung",
    "Địa chỉ": "DiaChiNguoiNop",
    "Thanh toán trực tuyến": "ThanhToanTrucTuyen",
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương")
GIVEN = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Hải", "Thị Hoa", "Quốc Khánh")
OPEN = ("Mới tiếp nhận", "Đang giải quyết", "Chờ bổ sung", "Tạm dừng")
FINISHED, RETURNED = "Đã giải quyết", "Đã trả kết quả"


def _iso(text: object) -> str | None:
    return datetime_value(text).isoformat() if text else None


def _record(row: dict[str, object], number: int, rng: random.Random) -> dict[str, Any]:
    """A demo row as the software's API writes it, with the applicant's (fake) name and phone."""
    record: dict[str, Any] = {KEYS[header]: value for header, value in row.items()}
    for key in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTraKetQua"):
        record[key] = _iso(record[key])
    record["ThanhToanTrucTuyen"] = record["ThanhToanTrucTuyen"] == "Có"
    record["ChuHoSo"] = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
    record["SoDienThoai"] = f"09{number:08d}"
    return record


class FakeOneStop:
    """In-memory dossiers with a change log; tests flip `fail_status` or `delay` to misbehave."""

    def __init__(
        self,
        *,
        days: int = 5,
        per_day: int = 40,
        base: int = 0,
        max_page: int = MAX_PAGE_SIZE,
        as_of: dt.datetime | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._log: list[dict[str, Any]] = []
        self._current: dict[str, dict[str, Any]] = {}
        self.base = base  # sequence numbers start after it (a restarted fake moves on)
        self.max_page = max_page
        self.fail_status: int | None = None
        self.fail_from_page = 1
        self.delay = 0.0
        self.released = threading.Event()
        self._rng = random.Random("gisioc-fake-motcua")
        communes = demo._communes()  # the demo generator's own lives, not a copy of its logic
        own: list[demo.Life] = []
        day = FIRST_DAY
        while len(own) < days * per_day:
            if demo._working(day):
                own += [demo._life(self._rng, day, seq, communes) for seq in range(1, per_day + 1)]
            day += dt.timedelta(days=1)
        # Dossiers whose row may still change, and the status last published of each.
        self._followed: list[demo.Life] = []
        self._shown: dict[str, object] = {}
        if as_of is None:
            for life in own:
                self._publish(demo.row_as_of(life, life.received))
            return
        for life in demo.demo_lives():  # the demo holds them as of its snapshot already
            if not life.settled_by(demo.SNAPSHOT):
                self._followed.append(life)
                self._shown[life.code] = demo.row_as_of(life, demo.SNAPSHOT)["Trạng thái"]
        self._followed += own
        self.catch_up(as_of)

    def _publish(self, row: dict[str, object]) -> None:
        self._shown[str(row["Mã hồ sơ"])] = row["Trạng thái"]
        self._append(_record(row, len(self._current) + 1, self._rng))

    def _append(self, record: dict[str, Any]) -> None:
        self._current[record["MaHoSo"]] = record
        self._log.append(dict(record))

    @property
    def head(self) -> int:
        """The sequence number of the latest change."""
        return self.base + len(self._log)

    def dossiers(self) -> list[dict[str, Any]]:
        """Every dossier as it stands."""
        with self._lock:
            return [dict(r) for r in self._current.values()]

    def catch_up(self, moment: dt.datetime) -> list[str]:
        """Publish the followed dossiers received, or moved on, by `moment`; their codes."""
        moved: list[str] = []
        with self._lock:
            followed = []
            for life in self._followed:
                if life.received <= moment:
                    row = demo.row_as_of(life, moment)
                    if self._shown.get(life.code) != row["Trạng thái"]:
                        self._publish(row)
                        moved.append(life.code)
                if not life.settled_by(moment):
                    followed.append(life)
            self._followed = followed
        return moved

    def advance(self, count: int) -> list[str]:
        """Move the `count` oldest movable dossiers one step on; their codes."""
        moved: list[str] = []
        with self._lock:
            for number, record in enumerate(self._current.values()):
                if len(moved) >= count:
                    break
                received = dt.datetime.fromisoformat(record["NgayTiepNhan"])
                if record["TrangThaiHoSo"] in OPEN:
                    finished = received + dt.timedelta(days=1 + number % 4, hours=2)
                    changes = {"TrangThaiHoSo": FINISHED, "NgayKetThucXuLy": finished.isoformat()}
                elif record["TrangThaiHoSo"] == FINISHED:
                    finished = dt.datetime.fromisoformat(record["NgayKetThucXuLy"])
                    returned = finished + dt.timedelta(hours=3)
                    changes = {"TrangThaiHoSo": RETURNED, "NgayTraKetQua": returned.isoformat()}
                else:
                    continue
                self._append(record | changes)
                moved.append(record["MaHoSo"])
        return moved

    def feed(self, *, since: int, page: int, size: int) -> dict[str, Any]:
        """One page of the versions after `since`, oldest first."""
        size = max(1, min(size, self.max_page))
        with self._lock:
            start = max(0, since - self.base)
            after = self._log[start:]
            chunk = after[(page - 1) * size : page * size]
            last = self.base + start + (page - 1) * size + len(chunk)
        return {
            "data": chunk,
            "page": page,
            "pageSize": size,
            "total": len(after),
            "totalPages": math.ceil(len(after) / size),
            "cursor": str(last if chunk else since),
        }


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        if url.path.rstrip("/") != FEED_PATH:
            self._send(404, {"error": "not found", "path": url.path})
            return
        query = urllib.parse.parse_qs(url.query)
        try:
            since = int(query.get("since", ["0"])[0] or 0)
            page = max(1, int(query.get("page", ["1"])[0]))
            size = int(query.get("pageSize", [str(MAX_PAGE_SIZE)])[0])
        except ValueError:
            self._send(400, {"error": "since, page and pageSize are whole numbers"})
            return
        if fake.delay:
            fake.released.wait(fake.delay)
        if fake.fail_status and page >= fake.fail_from_page:
            self._send(fake.fail_status, {"error": HTTPStatus(fake.fail_status).phrase})
            return
        self._send(200, fake.feed(since=since, page=page, size=size))

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeOneStop, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.fake, self.verbose = fake, verbose

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timed-out pull) is not an error of the fake."""


def fake_server(
    fake: FakeOneStop, *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
) -> _Server:
    """An HTTP server for the fake (port 0 picks a free one); call serve_forever on it."""
    return _Server((host, port), fake, verbose)


def feed_url(server: ThreadingHTTPServer) -> str:
    """The feed's URL on a running server."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{FEED_PATH}"


@contextlib.contextmanager
def fake_serving(fake: FakeOneStop, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the fake on a free port in a thread for the block; yields the feed URL."""
    server = fake_server(fake, host=host)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield feed_url(server)
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def working_days_until(day: dt.date) -> int:
    """Working days from the fake's first day to `day`, both counted (at least 1)."""
    count, d = 0, FIRST_DAY
    while d <= day:
        count += demo._working(d)
        d += dt.timedelta(days=1)
    return max(count, 1)


def demo_base() -> int:
    """A sequence start that grows with the clock (µs), so a restarted fake is pulled afresh."""
    return int(dt.datetime.now(VIETNAM).timestamp() * 1_000_000)
