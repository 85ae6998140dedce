"""The wall screen in a real Chromium against real servers: `gisioc serve` and `gisioc live
serve` as processes on the test database, so that the test can stop and start them. It renders
at 1920×1080 and 3840×2160 without scrollbars (screenshots under var/screenshots/), with every
system's KPIs, the map ready and live events in the strip; it rotates to the next view after
rotate_s; it shows the lost-server badge when the live server or the app server stops, and
recovers by itself when they come back (a new event arrives after recovery)."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, Route

from gisioc.geo.models import Role
from gisioc.kpis import kpi_sets
from gisioc.live.bus import event_publish
from gisioc.wall.services import wall_create
from tests.e2e.conftest import CHROMIUM_ARGS, SCREENSHOTS  # noqa: F401  (one browser setup)
from tests.processes import ROOT, free_port, serving

ROTATE_S = 5
VIEWS = [
    {"title": {"vi": "Toàn khu thử nghiệm", "en": "The test area"}, "map": "11.5/15.80/108.17",
     "layers": []},
    {"title": {"vi": "Nam Phước thử nghiệm", "en": "Test Nam Phước"}, "map": "13.5/15.805/108.225",
     "layers": ["facilities"]},
    {"title": {"vi": "Thu Bồn thử nghiệm", "en": "Test Thu Bồn"}, "map": "13/15.805/108.125/-20",
     "layers": []},
]  # fmt: skip


@dataclass
class Servers:
    """The app and live servers as processes, on fixed ports so that a restart keeps them."""

    folder: Path
    env: dict[str, str]
    app_port: int
    live_port: int
    stack: contextlib.ExitStack
    app: contextlib.ExitStack | None = None
    live: contextlib.ExitStack | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    def _start(self, argv: list[str], port: int, log: str) -> contextlib.ExitStack:
        stack = contextlib.ExitStack()
        stack.enter_context(serving(argv, env=self.env, port=port, log=self.folder / log))
        return stack

    def app_start(self) -> None:
        argv = [sys.executable, "-m", "gisioc.cli", "serve", "--port", str(self.app_port)]
        self.app = self._start(argv, self.app_port, "serve.log")

    def app_stop(self) -> None:
        self.app.close()

    def live_start(self) -> None:
        argv = [sys.executable, "-m", "gisioc.cli", "live", "serve", "--no-jobs",
                "--port", str(self.live_port)]  # fmt: skip
        self.live = self._start(argv, self.live_port, "live.log")

    def live_stop(self) -> None:
        self.live.close()


@pytest.fixture
def servers(transactional_db, built_frontend, seeded, tmp_path: Path) -> Iterator[Servers]:
    """Both servers on the test database, the built pages collected for the app's WhiteNoise."""
    env = {
        **os.environ,
        "GISIOC_DB_NAME": connection.settings_dict["NAME"],
        "GISIOC_VAR_DIR": str(tmp_path),
        "GISIOC_THREADS": "4",
        "GISIOC_LIVE": "true",
    }
    subprocess.run(
        [sys.executable, "-m", "gisioc.cli", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    app_port, live_port = free_port(), free_port()
    env["GISIOC_LIVE_PORT"] = str(live_port)
    with contextlib.ExitStack() as stack:
        found = Servers(tmp_path, env, app_port, live_port, stack)
        found.live_start()
        found.app_start()
        try:
            yield found
        finally:
            for part in (found.app, found.live):
                if part is not None:
                    part.close()


def _page(browser: Browser, servers: Servers, width: int, height: int) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        service_workers="block",
    )
    allowed = {servers.origin, f"http://127.0.0.1:{servers.live_port}"}
    foreign: list[str] = []  # requests elsewhere and uncaught script errors

    def guard(route: Route) -> None:  # nothing leaves the machine
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" in allowed or url.scheme in ("data", "blob"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    # Failed loads while a server is away are expected (the console says so); a script error
    # is not.
    page.on("pageerror", lambda e: foreign.append(f"uncaught: {e}"))
    return page, foreign


def _publish(title: str) -> int:
    """A staff-only event (the wall hears staff events), committed at once."""
    event = event_publish(
        kind="alert",
        data={"id": 1, "rule": 1, "title": {"vi": title, "en": title}, "level": "warning",
              "link": "/"},
        point=(108.225, 15.805),
        roles=[Role.LEADER, Role.PLANNER],
    )  # fmt: skip
    return event.pk


def _strip_has(page: Page, text: str, timeout_ms: int = 8000) -> None:
    page.locator(".w-events .w-event", has_text=text).first.wait_for(timeout=timeout_ms)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("document.body.dataset.mapReady === 'yes'", timeout=60_000)
    page.locator(".w-kpis[data-filled='yes']").wait_for(timeout=30_000)
    page.wait_for_function("window.__wall.stream === 'open'", timeout=20_000)


def _check_frame(page: Page, width: int, height: int) -> dict:
    sizes = page.evaluate(
        """() => ({
          sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
          bw: document.body.scrollWidth, bh: document.body.scrollHeight,
          iw: innerWidth, ih: innerHeight,
          title: parseFloat(getComputedStyle(document.querySelector('.w-view-title')).fontSize),
          figure: parseFloat(getComputedStyle(document.querySelector('.w-fig-value')).fontSize),
          map: document.querySelector('.w-map').getBoundingClientRect().toJSON(),
          strip: document.querySelector('.w-strip').getBoundingClientRect().toJSON(),
          drawn: document.querySelector('.w-map canvas').width,
        })"""
    )
    assert (sizes["iw"], sizes["ih"]) == (width, height)
    assert sizes["sw"] <= width and sizes["sh"] <= height, f"scrollbars: {sizes}"
    assert sizes["bw"] <= width and sizes["bh"] <= height, f"scrollbars: {sizes}"
    assert sizes["strip"]["bottom"] <= height + 0.5 and sizes["map"]["width"] > width * 0.6
    # The map is scaled as a whole and drawn at the screen's own resolution (sharp at 4K).
    assert sizes["drawn"] == pytest.approx(sizes["map"]["width"], abs=3)
    systems = page.locator(".w-kpis .w-sys")
    assert systems.count() == len(kpi_sets)
    values = page.locator(".w-fig-value").all_inner_texts()
    assert values and all(v.strip() for v in values)
    return sizes


def test_the_wall_renders_at_both_sizes_rotates_and_recovers_after_restarts(
    browser: Browser, servers: Servers
) -> None:
    wall, token = wall_create(name="Phòng thử nghiệm", views=VIEWS, rotate_s=ROTATE_S)
    before = _publish("Sự kiện trước khi mở")
    url = f"{servers.origin}/wall/?token={token}&refresh=3"

    # Full HD: frame, KPIs, map, the recent past in the strip, then a new event live.
    page, foreign = _page(browser, servers, 1920, 1080)
    _open(page, url)
    _strip_has(page, "Sự kiện trước khi mở")
    assert page.locator(".w-view-title").inner_text() in {v["title"]["vi"] for v in VIEWS}
    assert page.locator(".w-time").inner_text().count(":") == 2
    small = _check_frame(page, 1920, 1080)
    _publish("Ngập nước cầu Câu Lâu")
    _strip_has(page, "Ngập nước cầu Câu Lâu")
    assert page.evaluate("window.__wall.events.length") >= 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "wall-1920x1080.png"))

    # Rotation: the next view after rotate_s, its title shown, the map flown there.
    start = page.evaluate("window.__wall.index")
    began = time.monotonic()
    page.wait_for_function(f"window.__wall.index === {(start + 1) % len(VIEWS)}",
                           timeout=(ROTATE_S + 8) * 1000)  # fmt: skip
    waited = time.monotonic() - began
    assert waited <= ROTATE_S + 6  # a timer, on a machine shared with other tests
    shown = VIEWS[(start + 1) % len(VIEWS)]["title"]["vi"]
    page.locator(".w-view-title", has_text=shown).wait_for(timeout=2000)

    # The live server restarts: the badge shows, then goes; nothing missed, new events arrive.
    assert page.locator(".w-badge").is_hidden()
    servers.live_stop()
    page.locator(".w-badge").wait_for(state="visible", timeout=10_000)
    assert "mất kết nối" in page.locator(".w-badge").inner_text().lower()
    missed = _publish("Trong lúc mất kết nối")
    servers.live_start()
    page.locator(".w-badge").wait_for(state="hidden", timeout=30_000)
    _strip_has(page, "Trong lúc mất kết nối", 8000)  # caught up from the last id
    _publish("Sau khi kết nối lại")
    _strip_has(page, "Sau khi kết nối lại")
    ids = page.evaluate("window.__wall.events.map((e) => e.id)")
    assert len(ids) == len(set(ids)) and before in ids and missed in ids

    # The app server restarts: KPIs and setup fail (badge), then come back without a reload.
    page.evaluate("window.__sameDocument = true")
    servers.app_stop()
    page.locator(".w-badge").wait_for(state="visible", timeout=15_000)
    assert page.locator("#wall-refused").count() == 0  # never an error page
    servers.app_start()
    page.locator(".w-badge").wait_for(state="hidden", timeout=40_000)
    assert page.evaluate("window.__sameDocument") is True
    _publish("Sau khi máy chủ khởi động lại")
    _strip_has(page, "Sau khi máy chủ khởi động lại")
    assert page.locator(".w-kpis .w-sys").count() == len(kpi_sets)
    assert not foreign, foreign
    page.context.close()

    # 4K: the same frame, twice the type, no scrollbars.
    page, foreign = _page(browser, servers, 3840, 2160)
    _open(page, url)
    big = _check_frame(page, 3840, 2160)
    assert big["title"] == pytest.approx(2 * small["title"], rel=0.05)
    assert big["figure"] == pytest.approx(2 * small["figure"], rel=0.05)
    _strip_has(page, "Sau khi máy chủ khởi động lại")
    page.screenshot(path=str(SCREENSHOTS / "wall-3840x2160.png"))
    assert not foreign, foreign
    page.context.close()
    wall.refresh_from_db()
    assert wall.last_seen_at is not None


def test_a_wrong_or_disabled_token_shows_a_plain_page_and_no_wall(
    browser: Browser, servers: Servers
) -> None:
    wall, token = wall_create(name="Tắt", views=VIEWS[:1])
    page, _ = _page(browser, servers, 1920, 1080)
    answer = page.goto(f"{servers.origin}/wall/?token=not-a-token")
    assert answer.status == 404 and page.locator("#wall-refused").is_visible()
    wall.enabled = False
    wall.save()
    answer = page.goto(f"{servers.origin}/wall/?token={token}")
    assert answer.status == 403 and "tắt" in page.locator("#wall-refused").inner_text()
    assert page.locator("#wall").count() == 0
    page.context.close()
