"""The indicators in the map app, in a real Chromium against the live server with the demo's
indicators: the choropleth with its own period picker (a day slider for Covid) and legend,
converted units said on the map and in the legend, the ranking table (sorting, downloads, a
row selecting its commune), the split view's two maps with one legend, the commune profile's
trends with the target line, and the district dashboard's achievement."""

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.models import AdminUnit
from gisioc.indicators import demo
from gisioc.indicators.catalog import HEADLINE, catalog_sync
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow
from tests.e2e.conftest import DESKTOP, PHONE, MapPage, _map_page

pytestmark = pytest.mark.e2e

LAYER = "indicator-map"
COVID_DAYS = (dt.date(2021, 8, 18), dt.date(2021, 8, 23))  # a few days of the 2021 wave


def _rows() -> Iterator[RawRow]:
    """The demo's rows, Covid cut to a few days (the whole series is 730 days × 17 units)."""
    first, last = (d.isoformat() for d in COVID_DAYS)
    kept = (
        row
        for row in demo.demo_indicator_rows()
        if not row["indicator"].startswith("covid_") or first <= row["period"] <= last
    )
    return (RawRow(n, row) for n, row in enumerate(kept, start=1))


@pytest.fixture
def indicators_demo(transactional_db) -> dict[str, int]:
    """The demo's boundaries (13 old communes, 4 new ones) and indicators; new commune
    name → id."""
    boundaries_demo_load(progress=lambda _: None)
    catalog_sync()
    demo_ingest(
        system="indicators",
        title="indicators",
        source=demo.SOURCE,
        key=demo.KEY,
        rows=_rows,
        progress=lambda _: None,
    )
    return {
        u.name: u.pk for u in AdminUnit.objects.filter(version__slug="danang-2025", level="commune")
    }


@pytest.fixture
def desk(browser, live_server, built_frontend, indicators_demo) -> Iterator[MapPage]:
    """A desktop page (1280×800) on the demo's indicators."""
    yield from _map_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone(browser, live_server, built_frontend, indicators_demo) -> Iterator[MapPage]:
    """A phone page (390×844) on the demo's indicators."""
    yield from _map_page(browser, live_server, PHONE)


def drawn(mp: MapPage, prop: str, map_name: str = "gisiocMap") -> list[str]:
    """`prop` of the indicator layer's drawn features (its fill) on one of the maps."""
    return mp.page.evaluate(
        f"(p) => {map_name}.queryRenderedFeatures({{layers: ['{LAYER}']}})"
        ".map((f) => String(f.properties[p]))",
        prop,
    )


def drawn_becomes(mp: MapPage, prop: str, values: set[str], map_name: str = "gisiocMap") -> None:
    """Wait until the drawn features' `prop` values are `values` (a changed tile URL loads its
    tiles in a later frame than the change, so one 'idle' may still show the old ones)."""
    mp.page.wait_for_function(
        f"([p, want]) => {{ const got = new Set({map_name}.queryRenderedFeatures("
        f"{{layers: ['{LAYER}']}}).map((f) => String(f.properties[p]))); "
        "return got.size === want.length && want.every((v) => got.has(v)); }",
        arg=[prop, sorted(values)],
        timeout=20_000,
    )
    assert set(drawn(mp, prop, map_name)) == values


def drawn_all_set(mp: MapPage, prop: str, map_name: str = "gisiocMap") -> None:
    """Wait until every drawn feature has a value of `prop` (the measure's tiles have come)."""
    mp.page.wait_for_function(
        f"(p) => {{ const fs = {map_name}.queryRenderedFeatures({{layers: ['{LAYER}']}}); "
        "return fs.length > 0 && fs.every((f) => f.properties[p] !== undefined "
        "&& f.properties[p] !== null); }",
        arg=prop,
        timeout=20_000,
    )


def legend_settled(mp: MapPage) -> None:
    """Wait for the indicator layer's legend to be drawn and the map to have its tiles."""
    mp.page.locator(f"#legend-{LAYER}.legend-choropleth:not([aria-busy])").wait_for()
    mp.settled()


def choose(mp: MapPage, select: str, value: str) -> None:
    """Pick a value in one of the indicator controls and wait for map and legend."""
    mp.page.select_option(select, value)
    mp.page.wait_for_function(
        "([sel, v]) => document.querySelector(sel)?.value === v", arg=[select, value]
    )
    legend_settled(mp)


def test_the_indicator_choropleth_has_its_own_periods_measures_and_legend(desk: MapPage) -> None:
    page = desk.page
    desk.open()
    page.click(f"#toggle-{LAYER}")
    page.locator("#ind-code").wait_for()
    # The indicators are grouped by domain, Vietnamese first.
    groups = page.eval_on_selector_all("#ind-code optgroup", "gs => gs.map((g) => g.label)")
    assert "Covid-19" in groups and "Dân số và lao động" in groups
    choose(desk, "#ind-code", "poverty_rate")

    # The latest period by default, on the four communes in force, its classes in the legend.
    drawn_becomes(desk, "period", {"2026"})
    assert len(set(drawn(desk, "name"))) == 4
    legend = page.locator(f"#legend-{LAYER}")
    counts = [
        int(c)
        for c in legend.locator("li[data-count]").evaluate_all(
            "els => els.map((e) => e.dataset.count)"
        )
    ]
    assert sum(counts) == 4
    assert "(%)" in legend.locator(".legend-head").inner_text()
    assert legend.locator(".legend-converted").count() == 0  # 2026: reported on the new communes
    assert legend.locator(".legend-approx").is_visible()  # the demo's boundaries are approximate
    desk.screenshot("indicators-latest")

    # 2022 was reported on the 13 former communes: converted, hatched and said in the legend.
    choose(desk, "#ind-period", "2022")
    drawn_becomes(desk, "period", {"2022"})
    assert set(drawn(desk, "converted")) == {"true"}
    assert "Quy đổi từ xã cũ" in legend.locator(".legend-converted").inner_text()
    hatched = page.evaluate(
        f"gisiocMap.queryRenderedFeatures({{layers: ['{LAYER}-converted']}}).length"
    )
    assert hatched > 0
    desk.screenshot("indicators-converted")

    # Change against a base period: the base picker appears with the year before.
    choose(desk, "#ind-measure", "change_pct")
    assert page.input_value("#ind-base") == "2021"
    assert "change_pct" in page.evaluate(
        f"JSON.stringify(gisiocMap.getPaintProperty('{LAYER}', 'fill-color'))"
    )
    drawn_all_set(desk, "change_pct")
    assert f"f={LAYER}.base:2021" in page.evaluate("location.search")

    # Covid: a day picker and a slider over days that plays to the last one.
    choose(desk, "#ind-code", "covid_cases")
    assert page.input_value("#ind-measure") == "change_pct"  # the measure stays when it applies
    choose(desk, "#ind-measure", "value")
    assert page.get_attribute("#ind-period", "type") == "date"
    last = COVID_DAYS[1].isoformat()
    drawn_becomes(desk, "period", {last})
    page.click("#ind-prev")
    legend_settled(desk)
    page.click("#ind-prev")
    legend_settled(desk)
    drawn_becomes(desk, "period", {(COVID_DAYS[1] - dt.timedelta(days=2)).isoformat()})
    page.click("#ind-play")
    page.wait_for_function(
        "(d) => document.querySelector('.ind-period')?.dataset.period === d",
        arg=last,
        timeout=30_000,
    )
    page.locator("#ind-play[aria-pressed='false']").wait_for()
    legend_settled(desk)
    drawn_becomes(desk, "period", {last})
    # Played with classes kept over the days played; the day's own classes once it ends.
    fixed = [url for url, _ in desk.responded("/tiles/legend/") if "breaks=" in url]
    assert fixed and all("method=manual" in r for r in fixed)
    assert legend.get_attribute("data-method") == "quantile"
    assert legend.locator(".legend-fixed").count() == 0
    assert "8/2021" in page.inner_text("#ind-period-label") or "2021" in page.inner_text(
        "#ind-period-label"
    )
    assert desk.console_errors == [], [r for r in desk.responses if r[1] >= 400]
    assert desk.foreign_requests() == []


def test_ranking_sorts_exports_and_selects_and_the_split_view_shares_one_legend(
    desk: MapPage, indicators_demo: dict[str, int]
) -> None:
    page = desk.page
    desk.open(
        f"/?layers=admin-units,{LAYER}&f={LAYER}.indicator_code:poverty_rate"
        f"&f={LAYER}.indicator_period:2024"
    )
    page.locator("#ind-period").wait_for()
    assert page.input_value("#ind-period") == "2024"  # the link's choices
    legend_settled(desk)
    drawn_becomes(desk, "period", {"2024"})

    page.click("#ind-ranking")
    desk.sheet("ranking:poverty_rate")
    table = page.locator("#ranking-table")
    assert table.get_attribute("data-period") == "2024"
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    values = lambda: [float(v) for v in rows.evaluate_all("rs => rs.map((r) => r.dataset.value)")]  # noqa: E731
    # Poverty: lower is better, so the best (rank 1) is the lowest rate.
    assert values() == sorted(values())
    assert set(
        rows.locator("[data-standing]").evaluate_all("bs => bs.map((b) => b.dataset.standing)")
    ) <= {
        "on_track",
        "at_risk",
        "missed",
    }
    page.click("button.sort[data-sort='value']")
    assert table.locator("th[aria-sort='ascending'] [data-sort='value']").count() == 1
    page.click("button.sort[data-sort='value']")
    assert values() == sorted(values(), reverse=True)
    page.click("button.sort[data-sort='name']")
    names = rows.locator("th").all_inner_texts()
    assert names == sorted(names, key=lambda n: n.replace("Đ", "Dz"))

    # Downloads of the same rows, as files.
    with page.expect_download() as got:
        page.click("#ranking-csv")
    text = got.value.path().read_text(encoding="utf-8-sig")
    table_rows = list(csv.reader(io.StringIO(text)))
    assert table_rows[0][0] == "Hạng / Rank"
    assert {r[2] for r in table_rows[1:]} == set(names)
    assert got.value.suggested_filename.endswith(".csv")
    with page.expect_download() as got:
        page.click("#ranking-xlsx")
    assert got.value.suggested_filename.endswith(".xlsx")
    assert got.value.path().read_bytes()[:2] == b"PK"

    # A row selects its commune on the map.
    chosen = rows.nth(2)
    unit = int(chosen.get_attribute("data-unit"))
    assert unit in indicators_demo.values()
    chosen.click()
    assert chosen.get_attribute("aria-selected") == "true"
    assert page.get_attribute("#sheet", "data-selected") == str(unit)
    outline = page.evaluate(
        "gisiocMap.getLayer('gisioc-highlight') && gisiocMap.getFilter('gisioc-highlight')"
    )
    assert outline == ["==", ["id"], unit]
    desk.settled()
    desk.screenshot("indicators-ranking")

    # Split: two maps, two periods, one legend whose classes hold both periods' values.
    page.click("#ind-split")
    page.locator("#split-legend-classes li[data-count]").first.wait_for()
    page.wait_for_function("window.gisiocMapB && gisiocMapB.loaded()")
    page.wait_for_function("!document.querySelector('#split-legend[aria-busy]')")
    desk.settled()
    page.evaluate(
        "() => new Promise((r) => { gisiocMapB.once('idle', r); gisiocMapB.triggerRepaint(); })"
    )
    assert page.locator(".maplibregl-canvas").count() == 2
    assert all(page.locator(".maplibregl-canvas").nth(i).is_visible() for i in range(2))
    other = page.input_value("#split-period-b")
    assert other != "2024"
    drawn_becomes(desk, "period", {other}, "gisiocMapB")
    drawn_becomes(desk, "period", {"2024"})
    visible_legends = page.locator(".legend-choropleth:visible")
    assert visible_legends.count() == 1, "one legend for both maps"
    fills = page.evaluate(
        "(id) => [gisiocMap, gisiocMapB]"
        ".map((m) => JSON.stringify(m.getPaintProperty(id, 'fill-color')))",
        LAYER,
    )
    assert fills[0] == fills[1], "both maps drawn with the same classes"
    shared = page.locator("#split-legend-classes li[data-count]")
    a_counts = shared.evaluate_all("ls => ls.map((l) => Number(l.dataset.count))")
    b_counts = shared.evaluate_all("ls => ls.map((l) => Number(l.dataset.countB))")
    assert sum(a_counts) == 4 and sum(b_counts) == 4
    both = [float(v) for v in drawn(desk, "value") + drawn(desk, "value", "gisiocMapB")]
    lows = shared.evaluate_all("ls => ls.map((l) => Number(l.dataset.min))")
    highs = shared.evaluate_all("ls => ls.map((l) => Number(l.dataset.max))")
    assert min(lows) == pytest.approx(min(both)) and max(highs) == pytest.approx(max(both))
    # The maps move together.
    page.evaluate("gisiocMap.jumpTo({zoom: gisiocMap.getZoom() + 1})")
    assert page.evaluate("Math.abs(gisiocMap.getZoom() - gisiocMapB.getZoom()) < 1e-6")
    assert "split=" in page.evaluate("location.search")
    desk.screenshot("indicators-split")

    page.select_option("#split-period-b", "2021")
    page.wait_for_function("!document.querySelector('#split-legend[aria-busy]')")
    page.evaluate(
        "() => new Promise((r) => { gisiocMapB.once('idle', r); gisiocMapB.triggerRepaint(); })"
    )
    drawn_becomes(desk, "period", {"2021"}, "gisiocMapB")

    # Or two measures: the right-hand map draws the change, each classed on its own, one legend.
    page.select_option("#split-measure-b", "change_pct")
    page.locator("#split-legend .legend-pair").wait_for()
    page.wait_for_function("!document.querySelector('#split-legend[aria-busy]')")
    page.evaluate(
        "() => new Promise((r) => { gisiocMapB.once('idle', r); gisiocMapB.triggerRepaint(); })"
    )
    assert "change_pct" in page.evaluate(
        f"JSON.stringify(gisiocMapB.getPaintProperty('{LAYER}', 'fill-color'))"
    )
    drawn_all_set(desk, "change_pct", "gisiocMapB")
    assert page.locator(".legend-choropleth:visible").count() == 1
    assert "split=2021:change_pct" in page.evaluate("location.search")
    page.click("#split-close")
    assert page.locator("#map-b").count() == 0
    # The panel and the sheet the split view put away are back.
    assert page.locator("#sheet").is_visible()
    assert "collapsed" not in (page.get_attribute("#layer-panel", "class") or "")
    assert desk.console_errors == []


def test_the_dashboard_and_the_commune_trends_on_a_phone(
    phone: MapPage, indicators_demo: dict[str, int]
) -> None:
    page = phone.page
    phone.open()
    phone.sheet("district")
    assert page.locator("#open-dashboard").is_visible()  # at the top of the district's profile
    page.click("#dashboard-tool")
    phone.sheet("dashboard")
    cards = page.locator("#dash-cards .dash-card")
    assert cards.count() == len(HEADLINE)
    standings = cards.evaluate_all("cs => cs.map((c) => c.dataset.standing)")
    assert set(standings) - {""} <= {"on_track", "at_risk", "missed"}
    assert any(standings), "the headline indicators have targets"
    summary = page.locator("#dash-summary").evaluate("(e) => ({...e.dataset})")
    for kind in ("on_track", "at_risk", "missed"):
        assert int(summary[kind]) == standings.count(kind)
    poverty = page.locator(".dash-card[data-indicator='poverty_rate']")
    assert poverty.locator(".spark").get_attribute("data-points") not in (None, "0", "1")
    assert poverty.locator(".change").count() == 1
    phone.screenshot("indicators-dashboard-phone")

    # Another year: the cards follow, and "see on the map" shows that year.
    page.select_option("#dash-period", "2022")
    page.wait_for_function(
        "document.querySelector('#sheet:not([aria-busy]) .sheet-subtitle')?.textContent"
        ".includes('2022')"
    )
    assert page.input_value("#dash-period") == "2022"
    poverty.locator("text=Xem trên bản đồ").click()
    legend_settled(phone)
    drawn_becomes(phone, "indicator", {"poverty_rate"})
    drawn_becomes(phone, "period", {"2022"})
    assert page.locator(f"#legend-{LAYER}").is_visible(), "the legend is shown with the map"
    phone.screenshot("indicators-onmap-phone")

    # A new commune's profile: trends with the target line, former communes' years marked.
    unit = indicators_demo["Xã Nam Phước"]
    page.goto(f"{phone.origin}/?sel=unit:{unit}")
    page.wait_for_function("document.body.dataset.mapReady === '1'")
    phone.sheet(f"unit:{unit}")
    chart = page.locator("figure[data-series='indicator_poverty_rate']")
    chart.scroll_into_view_if_needed()
    assert chart.locator(".target-line").count() >= 1
    assert int(chart.get_attribute("data-converted")) > 0
    assert chart.locator("circle.converted").count() == int(chart.get_attribute("data-converted"))
    assert chart.locator(".axis-unit").text_content() == "%"
    assert "Kế hoạch" in chart.locator(".chart-key").inner_text()
    kpi = page.locator("[data-section='indicators'] .kpi[data-kpi='poverty_rate'] [data-standing]")
    assert kpi.count() == 1
    phone.screenshot("indicators-profile-phone")
    assert phone.console_errors == []
