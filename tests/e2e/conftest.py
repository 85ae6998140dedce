"""End-to-end fixtures: Debian's Chromium, driven by Playwright, against the live server.

The map app must already be built (`cd frontend && npm ci && npm run build`); the live server
serves frontend/dist through staticfiles' finders, exactly as STATICFILES_DIRS lists it.
"""

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone
from playwright.sync_api import Browser, Page, Route, sync_playwright

from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility, UnitCrosswalk
from gisioc.geo.text import fold, short_name
from tests.e2e.live_bus import live_bus, live_process  # noqa: F401  (fixtures: the live server)

# Playwright's sync API runs an asyncio loop on the main thread, so Django would refuse ORM
# calls made from the test body; they are still synchronous and single-threaded here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "frontend" / "dist" / ".vite" / "manifest.json"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("GISIOC_E2E_CHROMIUM", "/usr/bin/chromium")

# SwiftShader gives headless Chromium a software WebGL2 (ANGLE on Vulkan/SwiftShader), which is
# all MapLibre needs. The rest keeps the browser itself off the network. Playwright adds a
# fresh temporary --user-data-dir to every launch.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    """The Vite manifest of the built map app; failing, not skipping, when it is missing."""
    if not MANIFEST.is_file():
        pytest.fail(
            f"The map app is not built ({MANIFEST.relative_to(ROOT)} is missing): run "
            "`cd frontend && npm ci && npm run build` before the e2e tests.",
            pytrace=False,
        )
    dist = MANIFEST.parent.parent
    if dist not in [Path(p) for p in settings.STATICFILES_DIRS]:
        pytest.fail(
            f"{dist} is not in STATICFILES_DIRS; was it built after Django started?", pytrace=False
        )
    return MANIFEST


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a Playwright-downloaded one), headless with SwiftShader WebGL."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set "
            "GISIOC_E2E_CHROMIUM)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def tile_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiles cached under a fresh directory per test.

    The cache is keyed by layer data versions, which start again whenever the test database is
    flushed, so a tile cached by an earlier test (or `make run`) could be served for new data.
    The live server runs in this process, so it sees the patched settings.
    """
    # No live stream unless a test starts the live server (the `live_bus` fixture): its port
    # would be a foreign origin to these pages.
    config = settings.CONFIG.model_copy(update={"var_dir": tmp_path, "live": False})
    monkeypatch.setattr(settings, "CONFIG", config)
    return tmp_path / "cache" / "tiles"


@dataclass
class MapPage:
    """A page on the live server, with what it logged and every URL it asked for."""

    page: Page
    origin: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    responses: list[tuple[str, int]] = field(default_factory=list)

    def open(self, path: str = "/") -> None:
        """Load the map page and wait until the app reports its map ready (or failed)."""
        self.page.goto(self.origin + path)
        self.page.wait_for_function("document.body.dataset.mapReady", timeout=45_000)
        state = self.page.evaluate("document.body.dataset.mapReady")
        notice = self.page.locator("#map-notice")
        shown = notice.inner_text() if notice.is_visible() else ""
        assert state == "1", f"map not ready ({state}): {shown} {self.console_errors}"

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the live server (data: and blob: URLs stay in the page)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]

    def responded(self, path_prefix: str) -> list[tuple[str, int]]:
        """(url, status) of the responses from our server whose path starts with the prefix."""
        return [
            (url, status)
            for url, status in self.responses
            if url.startswith(self.origin) and urlsplit(url).path.startswith(path_prefix)
        ]

    def ready_ms(self) -> float:
        """Milliseconds from navigation start to the app's 'gisioc:map-ready' mark."""
        return self.page.evaluate(
            "performance.getEntriesByName('gisioc:map-ready')[0]?.startTime ?? NaN"
        )

    def idle(self) -> None:
        """Wait for the map to finish rendering after a change."""
        self.page.evaluate(
            "() => new Promise((r) => { gisiocMap.once('idle', r); gisiocMap.triggerRepaint(); })"
        )

    def sheet(self, ready: str) -> None:
        """Wait until the sheet shows a view ('district', 'unit:12', 'record:5', 'near', …)."""
        self.page.locator(f'#sheet[data-ready="{ready}"]:not([aria-busy])').wait_for()

    def settled(self) -> None:
        """Wait until the map has stopped moving and drawn what it shows."""
        self.page.wait_for_function("!gisiocMap.isMoving()")
        self.idle()

    def screenshot(self, name: str) -> Path:
        """Save a screenshot under var/screenshots/ (kept between runs for a look)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def _map_page(
    browser: Browser, live_server, viewport: dict[str, int], **options: object
) -> Iterator[MapPage]:
    context = browser.new_context(
        viewport=viewport,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        reduced_motion="reduce",
        service_workers="block",
        accept_downloads=True,
        **options,
    )
    page = context.new_page()
    origin = live_server.url.rstrip("/")
    mp = MapPage(page=page, origin=origin)
    page.on("console", lambda m: m.type == "error" and mp.console_errors.append(m.text))
    page.on("pageerror", lambda e: mp.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: mp.requests.append(r.url))
    page.on("response", lambda r: mp.responses.append((r.url, r.status)))

    # Anything bound elsewhere is recorded above and never leaves the machine.
    def guard(route: Route) -> None:
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" == origin:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    try:
        yield mp
    finally:
        context.close()
        _server_queries_done()


def _server_queries_done(seconds: float = 15) -> None:
    """Wait until the live server runs no query on the test database (for a few polls in a
    row): a request the closed page left running would take its table locks one by one and
    deadlock with the teardown's TRUNCATE, which takes them all in another order."""
    from django.db import connection

    deadline = time.monotonic() + seconds
    quiet = 0
    with connection.cursor() as cursor:
        while quiet < 3 and time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'active'"
            )
            quiet = 0 if cursor.fetchone()[0] else quiet + 1
            time.sleep(0.05)


@pytest.fixture
def map_page(browser, live_server, transactional_db, built_frontend, seeded) -> Iterator[MapPage]:
    """A desktop-sized (1280×800) page on the live server, demo data seeded."""
    yield from _map_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, transactional_db, built_frontend, seeded) -> Iterator[MapPage]:
    """A phone-sized (390×844) page on the live server, demo data seeded."""
    yield from _map_page(browser, live_server, PHONE)


# Between Trạm Y tế Duy Xuyên (108.175, 15.815) and UBND xã Duy Xuyên (108.19, 15.822).
HERE = {"longitude": 108.177, "latitude": 15.816}


@pytest.fixture
def located_page(
    browser, live_server, transactional_db, built_frontend, seeded
) -> Iterator[MapPage]:
    """A phone-sized page whose browser is standing at HERE and may say so."""
    yield from _map_page(browser, live_server, PHONE, geolocation=HERE, permissions=["geolocation"])


@pytest.fixture
def sharing_page(
    browser, live_server, transactional_db, built_frontend, seeded
) -> Iterator[MapPage]:
    """A desktop page that may write and read the clipboard (the share button)."""
    yield from _map_page(
        browser, live_server, DESKTOP, permissions=["clipboard-read", "clipboard-write"]
    )


@dataclass(frozen=True)
class Seeded:
    """What the e2e tests put in the database."""

    units: dict[str, str]  # code → full name, in force today
    labels: dict[str, str]  # code → short name (the map's label), in force today
    old_units: dict[str, str]  # code → full name, of the 2019 version
    facilities: dict[str, str]  # code → kind
    ids: dict[str, int]  # unit code → id, both versions
    facility_ids: dict[str, int]  # facility code → id


def _square(lon: float, lat: float, size: float = 0.05) -> MultiPolygon:
    ring = ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


def _version(
    slug: str, name: str, valid_from: dt.date, valid_to: dt.date | None, units: dict
) -> dict[str, AdminUnit]:
    version = BoundaryVersion.objects.create(
        slug=slug,
        name=name,
        valid_from=valid_from,
        valid_to=valid_to,
        approximate=True,
        status=BoundaryVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    created = {}
    for code, (full_name, geom) in units.items():
        unit_type, short = short_name(full_name)
        created[code] = AdminUnit.objects.create(
            version=version,
            code=code,
            name=full_name,
            short_name=short,
            folded_name=fold(short),
            unit_type=unit_type.lower(),
            level=AdminUnit.Level.COMMUNE,
            geom=geom,
            area_km2=geom.transform(32649, clone=True).area / 1e6,  # UTM 49N
        )
    return created


@pytest.fixture
def seeded(transactional_db) -> Seeded:
    """Three approximate communes in force (squares near 108.2°E 15.8°N), two former ones
    from a closed 2019 version with their crosswalk, and seven facilities: 1, 2 and 4 in the
    three communes, so that the choropleth's classification methods give different breaks."""
    units = {
        "90001": ("Xã Thu Bồn", _square(108.10, 15.78)),
        "90002": ("Xã Duy Xuyên", _square(108.15, 15.78)),
        "90003": ("Xã Nam Phước", _square(108.20, 15.78)),
    }
    current = _version("e2e-2025", "Thử nghiệm 2025–", dt.date(2025, 7, 1), None, units)
    old = {
        "80001": ("Xã Duy Châu", _square(108.10, 15.78, 0.075)),
        "80002": ("Xã Duy Trinh", _square(108.175, 15.78, 0.075)),
    }
    former = _version(
        "e2e-2019", "Thử nghiệm 2019–2025", dt.date(2019, 1, 1), dt.date(2025, 6, 30), old
    )
    # Duy Châu became Thu Bồn; Duy Trinh was split between Duy Xuyên and Nam Phước.
    for old_code, new_code, of_old, of_new in (
        ("80001", "90001", 1.0, 1.0),
        ("80002", "90002", 0.5, 0.75),
        ("80002", "90003", 0.5, 0.75),
    ):
        UnitCrosswalk.objects.create(
            old_unit=former[old_code],
            new_unit=current[new_code],
            area_share_of_old=of_old,
            area_share_of_new=of_new,
        )
    facilities = {
        "E2E-SCH-1": ("school", "Trường Tiểu học Thu Bồn", "90001", (108.125, 15.815)),
        "E2E-TYT-2": ("health", "Trạm Y tế Duy Xuyên", "90002", (108.175, 15.815)),
        "E2E-CAM-3": ("camera", "Camera ngã ba Nam Phước", "90003", (108.225, 15.815)),
        "E2E-AGY-4": ("agency", "UBND xã Duy Xuyên", "90002", (108.19, 15.822)),
        "E2E-SCH-5": ("school", "Trường THCS Nam Phước", "90003", (108.208, 15.79)),
        "E2E-OSS-6": ("one_stop", "Bộ phận một cửa Nam Phước", "90003", (108.242, 15.79)),
        "E2E-AGY-7": ("agency", "Công an xã Nam Phước", "90003", (108.24, 15.824)),
    }
    facility_ids = {}
    for code, (kind, name, unit_code, (lon, lat)) in facilities.items():
        facility_ids[code] = Facility.objects.create(
            kind=kind,
            code=code,
            name=name,
            folded_name=fold(name),
            unit=current[unit_code],
            geom=Point(lon, lat, srid=4326),
            locate_method="point",
        ).pk
    return Seeded(
        units={code: name for code, (name, _) in units.items()},
        labels={code: short_name(name)[1] for code, (name, _) in units.items()},
        old_units={code: name for code, (name, _) in old.items()},
        facilities={code: kind for code, (kind, *_) in facilities.items()},
        ids={code: u.pk for code, u in (current | former).items()},
        facility_ids=facility_ids,
    )
