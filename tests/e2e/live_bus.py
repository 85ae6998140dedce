"""The live server for e2e tests: `live_bus` starts `gisioc live serve` (once a session) on the
test database and points the app's /api/live/ at it; `LiveBus.allow(page)` lets a page reach
its port, which the pages' guard would otherwise refuse as a foreign origin.

    def test_x(map_page, live_bus):
        live_bus.allow(map_page)
        map_page.open()
        live_bus.wait_open(map_page)
"""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.live.serving import LiveProcess, live_serving


@pytest.fixture(scope="session")
def live_process(django_db_setup: None, tmp_path_factory) -> Iterator[LiveProcess]:
    """`gisioc live serve` (no jobs) on the test database, for the whole session."""
    with live_serving(tmp_path_factory.mktemp("live-e2e")) as process:
        yield process


@dataclass(frozen=True)
class LiveBus:
    """The running live server as the pages reach it."""

    process: LiveProcess
    origin: str

    def allow(self, mp) -> None:
        """Let the page (a MapPage) open the stream on the live server's port."""
        mp.page.route(f"{self.origin}/**", lambda route: route.continue_())

    def wait_open(self, mp, timeout: float = 15_000) -> None:
        """Wait until the page's stream is open."""
        mp.page.wait_for_function("document.body.dataset.live === 'open'", timeout=timeout)


@pytest.fixture
def live_bus(live_process: LiveProcess, live_server, tile_cache_dir, monkeypatch) -> LiveBus:
    """Live updates on for this test's pages, from the session's live server."""
    host = urlsplit(live_server.url).hostname
    origin = f"http://{host}:{live_process.port}"
    config = settings.CONFIG.model_copy(update={"live": True, "live_url": f"{origin}/events"})
    monkeypatch.setattr(settings, "CONFIG", config)
    return LiveBus(live_process, origin)
