// gisioc map page: the server's style (/tiles/style.json: vector tiles of the layer registry,
// our own glyphs and sprite) and a layer panel built from that style's metadata. Everything is
// requested from our own origin.

import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import maplibregl from 'maplibre-gl';
import iconUrl from './icon.svg?url';

import { fetchList, getJson } from './api.js';
import { BASE_LAYER, holdLayers, registryIdOf, stackByKind, visibleStyleLayers } from './layers.js';
import { buildPanel } from './panel.js';
import { PHONE, buildShell, facilityPopup, panelInset, showNotice, unitPopup } from './ui.js';

const STYLE_URL = '/tiles/style.json';
const DEFAULT_VIEW = { center: [108.22, 15.8], zoom: 10 }; // Duy Xuyên, Đà Nẵng
const HIGHLIGHT = 'gisioc-highlight';

/** The base layer's extent from its TileJSON, or null when it has no features. */
async function baseBounds() {
  const { bounds: b } = await getJson(`/tiles/${BASE_LAYER}.json`);
  if (!Array.isArray(b) || b.length !== 4 || b[2] - b[0] >= 359) return null; // the world: no data
  return [[b[0], b[1]], [b[2], b[3]]];
}

function fit(map, ui, box) {
  const left = panelInset(ui);
  const top = PHONE.matches ? 64 : 60; // room for the approximate-boundary badge
  const bottom = PHONE.matches ? 70 : 36; // and for the phone's collapsed panel
  const { width, height } = ui.mapEl.getBoundingClientRect();
  // Padding must leave room for the data; fall back to a plain margin on tiny viewports.
  const padding = width - left > 160 && height - top - bottom > 160
    ? { top, bottom, left: left + 24, right: PHONE.matches ? 24 : 56 } : 16;
  map.fitBounds(box, { padding, animate: false, maxZoom: 14 });
}

/** Resolve on the first `idle` at which the style and every visible source have been drawn. */
async function settled(map) {
  for (;;) {
    const idle = map.once('idle');
    map.triggerRepaint();
    await idle;
    if (map.loaded()) return;
  }
}

const isTrue = (v) => v === true || v === 'true';

/** Show the badge while any drawn boundary is approximate. */
function updateBadge(map, ui) {
  const layers = visibleStyleLayers(map, ['fill', 'line']);
  ui.badge.hidden = !(layers.length
    && map.queryRenderedFeatures({ layers }).some((f) => isTrue(f.properties.approximate)));
}

/** Outline the clicked unit (every tile's part of it) above the other layers' shapes. */
function highlight(map, feature) {
  if (map.getLayer(HIGHLIGHT)) map.removeLayer(HIGHLIGHT);
  if (!feature) return;
  const { code } = feature.properties;
  const filter = code !== undefined ? ['==', ['get', 'code'], code] : ['==', ['id'], feature.id];
  const above = map.getStyle().layers.find((l) => l.type === 'symbol')?.id;
  map.addLayer({
    id: HIGHLIGHT, type: 'line', source: feature.source, 'source-layer': feature.sourceLayer, filter,
    layout: { 'line-join': 'round' }, paint: { 'line-color': '#0b5cad', 'line-width': 3.2 },
  }, above);
}

function wireInteractions(map, entries, versionNames) {
  // Our click handler opens, moves or closes the popup: MapLibre's own close-on-click would
  // run after it on the same click and close the popup it just moved.
  const popup = new maplibregl.Popup({
    closeButton: true, closeOnClick: false, maxWidth: '300px', className: 'gisioc-popup',
  });
  popup.on('close', () => highlight(map, null));
  const hitAt = (point) => {
    const layers = visibleStyleLayers(map, ['fill', 'circle']);
    return layers.length ? map.queryRenderedFeatures(point, { layers })[0] : undefined;
  };

  map.on('click', (event) => {
    const hit = hitAt(event.point);
    if (!hit) { popup.remove(); return; }
    const entry = entries.get(registryIdOf(hit.layer));
    if (hit.geometry.type === 'Point' && hit.properties.count !== undefined) {
      popup.remove(); // a cluster: zoom in until it splits
      map.easeTo({ center: hit.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, map.getMaxZoom()) });
      return;
    }
    if (hit.geometry.type === 'Point') {
      const kinds = new Map((entry?.legend?.items ?? []).map((i) => [i.value, i.label]));
      popup.setLngLat(hit.geometry.coordinates).setDOMContent(facilityPopup(hit.properties, kinds)).addTo(map);
      highlight(map, null);
      return;
    }
    const content = unitPopup(hit.properties, {
      versionNames, layerTitle: entry && entry.meta.id !== BASE_LAYER ? entry.meta.title.vi : '',
      indicators: entry?.indicators() ?? [],
    });
    popup.setLngLat(event.lngLat).setDOMContent(content).addTo(map);
    highlight(map, hit);
  });

  let pending = null;
  map.on('mousemove', (event) => {
    pending = event.point;
    requestAnimationFrame(() => {
      if (!pending) return;
      map.getCanvas().style.cursor = hitAt(pending) ? 'pointer' : '';
      pending = null;
    });
  });
  return popup;
}

function createMap(ui) {
  const map = new maplibregl.Map({
    container: ui.mapEl,
    style: STYLE_URL,
    ...DEFAULT_VIEW,
    maxZoom: 18,
    attributionControl: { compact: true, customAttribution: 'Ranh giới minh họa · gisioc' },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
  return map;
}

/** Our own icon, so the browser does not go looking for /favicon.ico. */
function setIcon() {
  if (document.querySelector('link[rel~="icon"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'icon', type: 'image/svg+xml', href: iconUrl }));
}

function fail(ui, error, { vi, en }) {
  showNotice(ui, { vi, en, detail: error?.message ?? String(error) });
  document.body.dataset.mapReady = 'error';
  console.error(error);
}

/** Resolve once the style has loaded, reject with its error; later errors (tiles) show a notice. */
function styleLoaded(map, ui) {
  let loaded = false;
  let warned = false;
  return new Promise((resolve, reject) => {
    map.once('style.load', () => { loaded = true; resolve(); });
    map.on('error', (event) => {
      const error = event.error ?? new Error('map error');
      if (!loaded) { reject(error); return; }
      console.error('gisioc:', event.sourceId ?? '', error);
      if (warned) return;
      warned = true;
      showNotice(ui, {
        level: 'warning', vi: 'Một phần bản đồ không tải được.', en: 'Part of the map could not be loaded.',
        detail: error.message,
      });
    });
  });
}

function warnAboutData(ui, box, warnings) {
  if (warnings.length) {
    showNotice(ui, {
      level: 'warning', vi: 'Một số dữ liệu không tải được.', en: 'Some data could not be loaded.',
      detail: warnings.map((e) => e.message).join('; '),
    });
  } else if (!box) {
    showNotice(ui, {
      level: 'warning', vi: 'Chưa có ranh giới hành chính đang có hiệu lực.',
      en: 'No administrative boundaries in force have been loaded.',
    });
  }
}

async function main() {
  const root = document.getElementById('app');
  if (!root) return;
  setIcon();
  const api = root.dataset.api || '/api/';
  const ui = buildShell(root);
  let map;
  try {
    map = createMap(ui);
  } catch (error) {
    fail(ui, error, { vi: 'Trình duyệt không hiển thị được bản đồ (cần WebGL).', en: 'This browser cannot draw the map (WebGL is required).' });
    return;
  }
  window.gisiocMap = map;
  const style = styleLoaded(map, ui);

  // Both go out with the style request.
  const warnings = [];
  let fitted = false;
  const bounds = baseBounds().then((box) => { if (box) fit(map, ui, box); return box; })
    .catch((error) => { warnings.push(error); return null; })
    .finally(() => { fitted = true; });
  const versions = fetchList(`${api}boundary-versions/`).catch((error) => { warnings.push(error); return []; });

  try {
    // The style, not the first tiles: the panel and the layer order are settled before they draw.
    await style;
  } catch (error) {
    fail(ui, error, {
      vi: error?.status === 404 ? 'Không tìm thấy kiểu bản đồ.' : 'Không tải được kiểu bản đồ.',
      en: 'The map style could not be loaded.',
    });
    return;
  }
  stackByKind(map);
  // Tiles of the default view would be thrown away as soon as the map is fitted to the data.
  const release = fitted ? () => {} : holdLayers(map);
  const [box, versionList] = await Promise.all([bounds, versions]);
  release();
  let popup = null;
  const entries = buildPanel(map, ui, { versions: versionList, onChange: () => popup?.remove() });
  popup = wireInteractions(map, entries, new Map(versionList.map((v) => [v.slug, v.name])));
  map.on('idle', () => updateBadge(map, ui));
  warnAboutData(ui, box, warnings);

  await settled(map);
  updateBadge(map, ui);
  performance.mark('gisioc:map-ready');
  document.body.dataset.mapReady = '1';
}

main();
