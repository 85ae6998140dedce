// gisioc map page: admin boundaries in force, the former boundaries and facilities, drawn
// with MapLibre from our own API only (no basemap, glyph or font host).

import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import maplibregl from 'maplibre-gl';
import iconUrl from './icon.svg?url';

import { ApiError, fetchFeatures, fetchList } from './api.js';
import { loadFonts } from './fonts.js';
import { bounds, labelPoint, neighbourColouring, uniqueOutlines } from './geometry.js';
import { FACILITY_KINDS, LAYERS, LAYER_GROUPS, SOURCES, UNIT_PALETTE, mapStyle } from './mapstyle.js';
import {
  buildShell, facilityPopup, panelInset, setCount, setUnavailable, showNotice, unitPopup,
} from './ui.js';

const DEFAULT_VIEW = { center: [108.22, 15.8], zoom: 10 }; // Duy Xuyên, Đà Nẵng

/** Today in Vietnam as YYYY-MM-DD, whatever the browser's time zone. */
function vietnamToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/** The published version that ended most recently before today, other than those in force. */
function formerVersion(versions, inForce) {
  const today = vietnamToday();
  return versions
    .filter((v) => v.valid_to && v.valid_to < today && !inForce.has(v.slug))
    .sort((a, b) => (a.valid_to < b.valid_to ? 1 : -1))[0] ?? null;
}

/** Fetch everything the page shows; only the communes in force are essential. */
async function loadData(api) {
  const [communes, versions, facilities] = await Promise.allSettled([
    fetchFeatures(`${api}admin-units/`, { level: 'commune' }),
    fetchList(`${api}boundary-versions/`),
    fetchFeatures(`${api}facilities/`),
  ]);
  if (communes.status === 'rejected') throw communes.reason;
  const data = {
    communes: communes.value,
    versions: versions.status === 'fulfilled' ? versions.value : [],
    facilities: facilities.status === 'fulfilled' ? facilities.value : null,
    former: null,
    oldCommunes: null,
    warnings: [versions, facilities].filter((r) => r.status === 'rejected').map((r) => r.reason),
  };
  const inForce = new Set(data.communes.features.map((f) => f.properties.version));
  data.former = formerVersion(data.versions, inForce);
  if (data.former) {
    try {
      data.oldCommunes = await fetchFeatures(`${api}admin-units/`, { version: data.former.slug, level: 'commune' });
    } catch (error) {
      data.warnings.push(error);
    }
  }
  return data;
}

/** Communes sorted by code, each with a fill colour unlike its neighbours'. */
function colourCommunes(collection) {
  const features = [...collection.features].sort((a, b) =>
    String(a.properties.code).localeCompare(String(b.properties.code)));
  const colours = neighbourColouring(features, UNIT_PALETTE.length);
  features.forEach((f, i) => { f.properties.fill = UNIT_PALETTE[colours[i]]; });
  return { type: 'FeatureCollection', features };
}

function labelPoints(collection) {
  return {
    type: 'FeatureCollection',
    features: collection.features.flatMap((f) => {
      const point = labelPoint(f.geometry);
      if (!point) return [];
      const { code, name, short_name: shortName } = f.properties;
      return [{ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { code, name, short_name: shortName } }];
    }),
  };
}

function setGroupVisible(map, group, visible) {
  for (const id of LAYER_GROUPS[group]) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

/** Resolve on the first `idle` at which every source has loaded and been drawn. */
async function settled(map) {
  for (;;) {
    const idle = map.once('idle');
    map.triggerRepaint();
    await idle;
    if (map.loaded() && Object.values(SOURCES).every((id) => map.isSourceLoaded(id))) return;
  }
}

function fitToData(map, ui, data) {
  const box = bounds(data.communes) ?? (data.oldCommunes && bounds(data.oldCommunes))
    ?? (data.facilities && bounds(data.facilities));
  if (!box) return;
  const left = panelInset(ui);
  const top = ui.badge.hidden ? 24 : ui.badge.getBoundingClientRect().height + 28;
  const { width, height } = ui.mapEl.getBoundingClientRect();
  // Padding must leave room for the data; fall back to a plain margin on tiny viewports.
  const padding = width - left > 160 && height - top > 160
    ? { top, bottom: 32, left: left + 24, right: 56 } : 16;
  map.fitBounds(box, { padding, animate: false, maxZoom: 14 });
}

function showData(map, ui, data) {
  const communes = colourCommunes(data.communes);
  map.getSource(SOURCES.communes).setData(communes);
  map.getSource(SOURCES.communeLabels).setData(labelPoints(communes));
  setCount(ui.rows.communes, communes.features.length, 'xã');
  const current = data.versions.find((v) => v.slug === communes.features[0]?.properties.version);
  if (current) ui.rows.communes.detail.textContent = current.name;
  if (!communes.features.length) {
    showNotice(ui, {
      level: 'warning', vi: 'Chưa có ranh giới hành chính đang có hiệu lực.',
      en: 'No administrative boundaries in force have been loaded.',
    });
  }

  if (data.oldCommunes) {
    map.getSource(SOURCES.oldCommunes).setData(uniqueOutlines(data.oldCommunes));
    setCount(ui.rows.oldCommunes, data.oldCommunes.features.length, 'xã');
    ui.rows.oldCommunes.detail.textContent = data.former.name;
  } else {
    setUnavailable(ui.rows.oldCommunes, 'Không có dữ liệu — no data');
    setGroupVisible(map, 'oldCommunes', false);
  }

  if (data.facilities) {
    map.getSource(SOURCES.facilities).setData(data.facilities);
    setCount(ui.rows.facilities, data.facilities.features.length, 'điểm');
    for (const { kind } of FACILITY_KINDS) {
      const n = data.facilities.features.filter((f) => f.properties.kind === kind).length;
      ui.legendCounts.get(kind).textContent = String(n);
      ui.legendCounts.get(kind).parentElement.classList.toggle('empty', n === 0);
    }
  } else {
    setUnavailable(ui.rows.facilities, 'Không tải được — failed to load');
    setGroupVisible(map, 'facilities', false);
  }

  const units = [...communes.features, ...(data.oldCommunes?.features ?? [])];
  ui.badge.hidden = !units.some((f) => f.properties.approximate === true);

  if (data.warnings.length) {
    showNotice(ui, {
      level: 'warning', vi: 'Một số lớp không tải được.', en: 'Some layers could not be loaded.',
      detail: data.warnings.map((e) => e.message).join('; '),
    });
  }
  fitToData(map, ui, data);
}

function wireInteractions(map, ui, versionNames) {
  for (const input of ui.toggles) {
    input.addEventListener('change', () => setGroupVisible(map, input.dataset.group, input.checked));
  }

  const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '280px', className: 'gisioc-popup' });
  map.on('click', (event) => {
    const layers = [LAYERS.facilityCircle, LAYERS.communeFill].filter((id) =>
      map.getLayoutProperty(id, 'visibility') !== 'none');
    const [hit] = map.queryRenderedFeatures(event.point, { layers });
    if (!hit) { popup.remove(); return; }
    const content = hit.layer.id === LAYERS.facilityCircle
      ? facilityPopup(hit.properties) : unitPopup(hit.properties, versionNames);
    const at = hit.geometry.type === 'Point' ? hit.geometry.coordinates : event.lngLat;
    popup.setLngLat(at).setDOMContent(content).addTo(map);
  });

  let hovered = null;
  const setHover = (id) => {
    if (hovered !== null) map.setFeatureState({ source: SOURCES.communes, id: hovered }, { hover: false });
    hovered = id;
    if (id !== null) map.setFeatureState({ source: SOURCES.communes, id }, { hover: true });
  };
  map.on('mousemove', LAYERS.communeFill, (e) => {
    const id = e.features?.[0]?.id;
    setHover(id === undefined ? null : id);
  });
  map.on('mouseleave', LAYERS.communeFill, () => setHover(null));
  for (const id of [LAYERS.communeFill, LAYERS.facilityCircle]) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
}

function createMap(ui) {
  const map = new maplibregl.Map({
    container: ui.mapEl,
    style: mapStyle(),
    ...DEFAULT_VIEW,
    maxZoom: 18,
    attributionControl: { compact: true, customAttribution: 'Ranh giới minh họa · gisioc' },
    cooperativeGestures: false,
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
    showNotice(ui, {
      vi: 'Trình duyệt không hiển thị được bản đồ (cần WebGL).',
      en: 'This browser cannot draw the map (WebGL is required).', detail: error.message,
    });
    document.body.dataset.mapReady = 'error';
    console.error(error);
    return;
  }
  window.gisiocMap = map;
  try {
    // Labels drawn before the font loads would keep the fallback font, so wait for it; a
    // missing font is not worth losing the map over.
    const fonts = loadFonts().catch((error) => console.warn('gisioc: label font not loaded', error));
    const [data] = await Promise.all([loadData(api), map.once('load'), fonts]);
    const versionNames = new Map(data.versions.map((v) => [v.slug, v.name]));
    wireInteractions(map, ui, versionNames);
    showData(map, ui, data);
    await settled(map);
    document.body.dataset.mapReady = '1';
  } catch (error) {
    const api404 = error instanceof ApiError && error.status === 404;
    showNotice(ui, {
      vi: api404 ? 'Không tìm thấy dữ liệu bản đồ.' : 'Không tải được dữ liệu bản đồ.',
      en: 'The map data could not be loaded.', detail: error.message,
    });
    document.body.dataset.mapReady = 'error';
    console.error(error);
  }
}

main();
