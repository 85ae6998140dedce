// gisioc map page: the server's style (/tiles/style.json: vector tiles of the layer registry,
// our own glyphs and sprite), a layer panel built from that style's metadata, and a sheet that
// drills down from the district to a commune to a record. The whole state lives in the URL.
// Everything is requested from our own origin.

import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import iconUrl from './icon.svg?url';

import { fetchList, getJson, postForm } from './api.js';
import { createAlerts } from './alerts.js';
import { basemapCredits } from './basemap.js';
import { createBoundaryWork } from './boundary.js';
import { createDashboard } from './dashboard.js';
import { createCameras } from './cameras.js';
import { createDrill } from './drill.js';
import { createFeedback } from './feedback.js';
import { createIncidents } from './incidents.js';
import { exportCsv, exportPng, visibleChoropleth } from './export.js';
import { createExposure } from './exposure.js';
import { onLang, pick, setLang, t } from './i18n.js';
import { createIndicators } from './indicators.js';
import { isIndicatorLayer } from './indicators-core.js';
import { holdLayers, layerWithPurpose, recordTypesOf, registryLayers, sourcesReady, stackByKind } from './layers.js';
import { startLive } from './live.js';
import { createMap, flyToBox, flyToPoint, nudgeWhenLoaded, padding, settled, updateBadge, wireClicks } from './mapview.js';
import { createNearMe } from './nearby.js';
import { buildPanel } from './panel.js';
import { createPeriod } from './period.js';
import { createRasterReadout, rasterAddon } from './rasters.js';
import { showRanking } from './ranking.js';
import { learnLayers, learnRecords, learnType, publicPage, typeOfLayer } from './records.js';
import { createSearch } from './search.js';
import { createSheet } from './sheet.js';
import { createSplit } from './split.js';
import { commit, parse, readUrl, shareUrl, startHistory, state } from './state.js';
import { PHONE, buildShell, renderUser, say, showNotice } from './ui.js';

/** The base layer's extent from its TileJSON, or null when it has no features. */
async function baseBounds(layerId) {
  const { bounds: b } = await getJson(`/tiles/${layerId}.json`);
  if (!Array.isArray(b) || b.length !== 4 || b[2] - b[0] >= 359) return null; // the world: no data
  return [
    [b[0], b[1]],
    [b[2], b[3]],
  ];
}

/** Our own icon, so the browser does not go looking for /favicon.ico. */
function setIcon() {
  if (document.querySelector('link[rel~="icon"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'icon', type: 'image/svg+xml', href: iconUrl }));
}

function fail(ui, error, text) {
  showNotice(ui, { text, detail: error?.message ?? String(error) });
  document.body.dataset.mapReady = 'error';
  console.error(error);
}

/** Resolve once the style has loaded, reject with its error; later errors (tiles) show a notice. */
function styleLoaded(map, ui) {
  let loaded = false;
  let warned = false;
  return new Promise((resolve, reject) => {
    map.once('style.load', () => {
      loaded = true;
      resolve();
    });
    map.on('error', (event) => {
      const error = event.error ?? new Error('map error');
      if (!loaded) {
        reject(error);
        return;
      }
      console.error('gisioc:', event.sourceId ?? '', error);
      if (warned) return;
      warned = true;
      showNotice(ui, { level: 'warning', text: 'notice.partial', detail: error.message });
    });
  });
}

/** A kind code (school, health, …) named by the layers' legends or the profile's breakdowns. */
function kindNamer(entries) {
  return (value, district = null) => {
    if (!value) return '';
    for (const entry of entries.values()) {
      const item = entry.legend?.items?.find((i) => i.value === value);
      if (item) return pick(item.label);
    }
    for (const section of district?.sections ?? []) {
      for (const b of section.breakdowns ?? []) {
        const item = b.items.find((i) => i.key === value);
        if (item) return pick(item.label);
      }
    }
    return value;
  };
}

/** The choropleth numbers a clicked feature carries: [{id, title, value}]. */
function numbersOf(feature, entry) {
  if (entry?.addon?.numbers) return entry.addon.numbers(feature); // named by the system's own terms
  return (entry?.indicators() ?? [])
    .filter((i) => feature.properties[i.id] !== undefined && feature.properties[i.id] !== null)
    .map((i) => ({ id: i.id, title: i.title, value: Number(feature.properties[i.id]) }));
}

function wireTools(app) {
  const { map, ui, panel } = app;
  ui.tools.share.addEventListener('click', async () => {
    const url = shareUrl();
    ui.tools.share.dataset.url = url;
    try {
      await navigator.clipboard.writeText(url);
      say(ui, t('share.copied'));
    } catch {
      window.prompt(t('share.prompt'), url); // no clipboard (an insecure origin): let them copy it
    }
  });
  ui.tools.png.addEventListener('click', async () => {
    ui.tools.png.setAttribute('aria-busy', 'true');
    try {
      await exportPng(map, panel.entries, { heading: app.sheet.el.querySelector('#sheet-title')?.textContent ?? '' });
      say(ui, t('export.pngDone'));
    } catch (error) {
      say(ui, `${t('export.failed')} ${error.message}`);
    } finally {
      ui.tools.png.removeAttribute('aria-busy');
    }
  });
  ui.tools.csv.addEventListener('click', async () => {
    const entry = visibleChoropleth(panel.entries);
    if (!entry) {
      say(ui, t('export.noChoropleth'));
      return;
    }
    try {
      await exportCsv(entry);
      say(ui, t('export.csvDone'));
    } catch (error) {
      say(ui, `${t('export.failed')} ${error.message}`);
    }
  });
}

/** The indicators' views: ranking and dashboard in the sheet, the split view, a link's split. */
function wireIndicators(app, layer) {
  const { map, ui, sheet, drill, indicators } = app;
  const districtCrumbs = () => [{ label: t('crumb.district'), go: () => drill.go({ kind: 'district' }, { focus: true }) }];
  const openUnit = (unit) => drill.go({ kind: 'unit', id: unit.id }, { fly: true, focus: true });
  // On a phone the sheet and the open panel would leave no map between them: fold the panel.
  app.foldPanel = () => {
    if (PHONE.matches && !ui.panel.classList.contains('collapsed')) ui.panel.querySelector('.panel-toggle')?.click();
  };
  app.openRanking = (ctx) => {
    app.foldPanel();
    return showRanking({ sheet, map, ui, ctx, crumbs: districtCrumbs(), onUnit: openUnit, layer });
  };
  app.split = createSplit({ map, ui, sheet, indicators, onUnit: openUnit, box: app.box });
  app.dashboard = createDashboard({
    ui,
    sheet,
    crumbs: districtCrumbs,
    onMap: (item) => {
      indicators.show({ code: item.indicator.code, period: item.period });
      if (ui.panel.classList.contains('collapsed')) ui.panel.querySelector('.panel-toggle')?.click();
      if (!PHONE.matches) {
        // Scroll the panel only (scrollIntoView would shift the whole page under the map).
        const el = indicators.entry()?.el;
        if (el) ui.panel.scrollTop += el.getBoundingClientRect().top - ui.panel.getBoundingClientRect().top - 44;
        return;
      }
      // A phone: the map and the legend, the district below the panel where it shows them.
      sheet.hide({ focus: false });
      const toLegend = () => {
        const legend = document.getElementById(`legend-${layer}`);
        if (legend) ui.panel.scrollTop += legend.getBoundingClientRect().bottom - ui.panel.getBoundingClientRect().bottom + 8;
      };
      indicators.afterLegend(() => {
        toLegend();
        map.once('idle', toLegend); // the legend's lines about the drawn units come once drawn
        const top = ui.panel.getBoundingClientRect().bottom - ui.mapEl.getBoundingClientRect().top + 8;
        if (app.box) map.fitBounds(app.box, { padding: { top, bottom: 40, left: 16, right: 16 }, animate: false });
      });
    },
    onRanking: (item) =>
      app.openRanking({
        indicator: item.indicator,
        code: item.indicator.code,
        period: item.period,
        base: '',
        measure: 'value',
        version: '',
      }),
  });
}

/** A link's split view, once the sheet has shown what the link selects (the split hides it). */
function openLinkedSplit(app, shown) {
  const { indicators } = app;
  const wanted = state.split;
  if (!indicators || !wanted) return;
  Promise.all([indicators.load, shown]).then(() => {
    if (indicators.entry()?.visible()) app.split.open(indicators.context(), wanted);
  });
}

function chooseResult(drill, map, ui, result) {
  learnType(result.type, result.detail, result.id);
  if (result.type === 'unit') {
    drill.go({ kind: 'unit', id: result.id, bbox: result.bbox ?? null }, { fly: true, focus: true });
    return;
  }
  drill.go(
    { kind: 'record', type: result.type, id: result.id, url: result.detail ?? null, point: result.point ?? null },
    { fly: !result.bbox && !result.point, focus: true },
  );
  if (result.bbox) flyToBox(map, ui, result.bbox, { maxZoom: 16 });
  else if (result.point) flyToPoint(map, ui, result.point);
}

function onLanguage(map) {
  const apply = () => {
    document.title = t('app.docTitle');
    const attribution = map.getContainer().querySelector('.maplibregl-ctrl-attrib-inner');
    if (attribution) attribution.textContent = [t('map.attribution'), ...basemapCredits(map)].join(' | ');
  };
  apply();
  onLang(apply);
}

async function main() {
  const root = document.getElementById('app');
  if (!root) return;
  setIcon();
  readUrl();
  setLang(state.lang);
  const ui = buildShell(root, {
    onLangSwitch: (code) => {
      state.lang = code;
      setLang(code);
      commit({ now: true });
    },
  });
  let map;
  try {
    map = createMap(ui, state.view);
  } catch (error) {
    fail(ui, error, 'notice.webgl');
    return;
  }
  window.gisiocMap = map;
  nudgeWhenLoaded(map);
  onLanguage(map);
  const style = styleLoaded(map, ui);

  // All go out with the style request.
  const warnings = [];
  const versions = fetchList('/api/boundary-versions/').catch((error) => {
    warnings.push(error);
    return [];
  });
  const me = getJson('/api/me/').catch(() => ({ username: null }));

  try {
    // The style, not the first tiles: the panel and the layer order are settled before they draw.
    await style;
  } catch (error) {
    fail(ui, error, error?.status === 404 ? 'notice.noStyle' : 'notice.style');
    return;
  }
  const metas = registryLayers(map);
  const baseLayer = layerWithPurpose(metas, 'base');
  const drafts = layerWithPurpose(metas, 'drafts');
  const bounds =
    state.view || !baseLayer
      ? Promise.resolve(null)
      : baseBounds(baseLayer)
          .then((box) => {
            if (box) map.fitBounds(box, { padding: padding(ui), animate: false, maxZoom: 14 });
            return box;
          })
          .catch((error) => {
            warnings.push(error);
            return null;
          });
  stackByKind(map);
  // No tile until the view is fitted and the shared link's layers and filters are applied:
  // they would be thrown away (or, loading while their URL changes, kept stale).
  const release = holdLayers(map);
  const [box, versionList] = await Promise.all([bounds, versions, sourcesReady(map)]);
  learnRecords(recordTypesOf(map));
  learnLayers(metas);

  const sheet = createSheet(ui);
  const app = { map, ui, sheet, box };
  const period = createPeriod({
    onChange: () => {
      app.panel.setPeriod();
      app.drill.refresh();
    },
  });
  const indicatorLayer = metas.find(isIndicatorLayer)?.id ?? null;
  app.indicators = indicatorLayer
    ? createIndicators({
        map,
        open: {
          ranking: (ctx) => app.openRanking(ctx),
          split: (ctx) => app.split.open(ctx),
          dashboard: () => {
            app.foldPanel();
            app.dashboard.show();
          },
        },
      })
    : null;
  app.panel = buildPanel(map, ui, {
    versions: versionList,
    top: [period.el],
    addons: (meta) => app.indicators?.addonFor(meta) ?? rasterAddon(meta),
  });
  await sourcesReady(map); // the sources given filtered URLs have reloaded
  release();
  app.panel.show();
  app.rasters = createRasterReadout({ map, metas }); // the value under the cursor
  const kindLabel = kindNamer(app.panel.entries);
  app.drill = createDrill({
    map,
    ui,
    sheet,
    kindLabel,
    baseLayer,
    onRoute: (route) => app.panel.follow(route),
    recordExtra: (type, feature) =>
      app.feedback?.recordExtra(type, feature) ??
      app.incidents?.recordExtra(type, feature) ??
      app.cameras?.recordExtra(type, feature) ??
      null,
  });
  const { drill } = app;
  app.cameras = createCameras({ drill, me });
  wireClicks(map, {
    // While a new incident is being placed, a click picks its place instead.
    onUnit: (feature, layerId) =>
      app.incidents?.picking() ||
      drill.go({
        kind: 'unit',
        id: feature.id,
        numbers: numbersOf(feature, app.panel.entries.get(layerId)),
        // A closed version's or a draft's communes are drilled on their own layer.
        source: layerId && [layerWithPurpose(metas, 'versions'), drafts].includes(layerId) ? layerId : baseLayer,
      }),
    onRecord: (feature, layerId) => {
      if (app.incidents?.picking()) return;
      const type = typeOfLayer(layerId);
      const page = app.who?.username ? null : publicPage(type, feature.properties);
      if (page) window.location.assign(page);
      else drill.openRecord(feature, { layer: layerId, type, fly: false });
    },
    onNothing: () => {},
  });
  if (app.indicators) wireIndicators(app, indicatorLayer);
  createSearch(ui, { onChoose: (result) => chooseResult(drill, map, ui, result) });
  createNearMe({ map, ui, sheet, drill, kindLabel });
  wireTools(app);
  startLive(app); // live updates: status dot, new events on the map, tiles refreshed
  me.then((who) => {
    app.who = who;
    renderUser(ui, who, { signOut: () => postForm('/accounts/logout/').finally(() => window.location.reload()) });
    if (who?.username) app.feedback = createFeedback({ map, ui, sheet, drill, me: who });
    if (who?.role) app.incidents = createIncidents({ map, ui, sheet, drill, me: who });
    if (who?.role) app.exposure = createExposure({ map, ui, sheet, drill }); // staff: flood exposure
    app.alerts = createAlerts({ map, ui, drill, me: who }); // the bell (signed-in only)
    if (who?.can?.includes('boundaries.import') && drafts && map.getSource(drafts)) {
      app.boundary = createBoundaryWork({ map, ui, sheet, panel: app.panel, drill, drafts });
    }
  });

  map.on('moveend', () => {
    const c = map.getCenter();
    state.view = { center: [c.lng, c.lat], zoom: map.getZoom(), bearing: map.getBearing() };
    commit();
  });
  map.on('idle', () => updateBadge(map, ui));
  if (warnings.length) showNotice(ui, { level: 'warning', text: 'notice.data', detail: warnings.map((e) => e.message).join('; ') });
  else if (!box && !state.view) showNotice(ui, { level: 'warning', text: 'notice.noBoundaries' });

  startHistory();
  openLinkedSplit(app, drill.openSel(state.sel, { fly: Boolean(state.sel) && !state.view }));
  window.addEventListener('popstate', () => {
    state.sel = parse(window.location.search).sel;
    startHistory();
    drill.openSel(state.sel, { fly: true });
  });

  await settled(map);
  updateBadge(map, ui);
  performance.mark('gisioc:map-ready');
  document.body.dataset.mapReady = '1';
}

main();
