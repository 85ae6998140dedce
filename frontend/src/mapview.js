// The map itself: creating it, fitting and flying to places with room left for the panel and
// the sheet, outlining the selected unit or record, the approximate badge, and what a click on
// the map selects.

import maplibregl from 'maplibre-gl';

import { addStyleBasemap, isBasemapLayer } from './basemap.js';
import { t } from './i18n.js';
import { registryIdOf, visibleStyleLayers } from './layers.js';
import { PHONE, insets } from './ui.js';

const HIGHLIGHT = 'gisioc-highlight';
const HIGHLIGHT_POINT = 'gisioc-highlight-point';

/** The map, at the shared link's view when there is one. */
export function createMap(ui, view) {
  const map = new maplibregl.Map({
    container: ui.mapEl,
    style: '/tiles/style.json',
    center: view?.center ?? [108.22, 15.8], // Duy Xuyên, Đà Nẵng
    zoom: view?.zoom ?? 10,
    bearing: view?.bearing ?? 0,
    maxZoom: 18,
    attributionControl: { compact: true, customAttribution: t('map.attribution') },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  map.once('style.load', () => addStyleBasemap(map));
  return map;
}

/** Padding that keeps a place clear of the panel, the sheet and the badge. */
export function padding(ui) {
  const side = insets(ui);
  const top = PHONE.matches ? 64 : 60;
  const bottom = (PHONE.matches ? 24 : 36) + side.bottom;
  const { width, height } = ui.mapEl.getBoundingClientRect();
  const right = (PHONE.matches ? 24 : 56) + side.right;
  const left = side.left + 24;
  // Padding must leave room for the data; fall back to a plain margin on tiny viewports.
  return width - left - right > 120 && height - top - bottom > 120 ? { top, bottom, left, right } : 16;
}

/** False when the user asked for less motion: moves are then jumps. */
const motion = () => !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Fit a [w, s, e, n] box (or [[w, s], [e, n]]). */
export function flyToBox(map, ui, box, { animate = motion(), maxZoom = 14 } = {}) {
  const bounds =
    box.length === 4
      ? [
          [box[0], box[1]],
          [box[2], box[3]],
        ]
      : box;
  map.fitBounds(bounds, { padding: padding(ui), animate, maxZoom, duration: animate ? 800 : 0 });
}

/** Fly to a point, at street zoom unless already closer. */
export function flyToPoint(map, ui, [lon, lat], { animate = motion() } = {}) {
  map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 15), padding: padding(ui), duration: animate ? 800 : 0 });
}

/** Resolve on the first `idle` at which the style and every visible source have been drawn. */
export async function settled(map) {
  for (;;) {
    const idle = map.once('idle');
    map.triggerRepaint();
    await idle;
    if (map.loaded()) return;
  }
}

/**
 * MapLibre 5 fires no event when a reloaded tile comes back unchanged (the same ETag, as our
 * tile server gives for unchanged data), so a map whose last pending tiles were such would
 * neither draw again nor fire 'idle'. Draw once more when loading ends without a frame.
 */
export function nudgeWhenLoaded(map) {
  let waiting = false;
  map.on('render', () => {
    waiting = !map.loaded();
  });
  setInterval(() => {
    if (waiting && map.loaded()) {
      waiting = false;
      map.triggerRepaint();
    }
  }, 200);
}

const isTrue = (v) => v === true || v === 'true';

/** Show the badge while any drawn boundary is approximate. */
export function updateBadge(map, ui) {
  const layers = visibleStyleLayers(map, ['fill', 'line']);
  ui.badge.hidden = !(layers.length && map.queryRenderedFeatures({ layers }).some((f) => isTrue(f.properties.approximate)));
}

const aboveShapes = (map) => map.getStyle().layers.find((l) => l.type === 'symbol' && !isBasemapLayer(l))?.id;

/** Outline a unit (every tile's part of it, by feature id) above the other layers' shapes. */
export function highlightUnit(map, id, source) {
  if (map.getLayer(HIGHLIGHT)) map.removeLayer(HIGHLIGHT);
  if (id === null || id === undefined || !map.getSource(source)) return;
  map.addLayer(
    {
      id: HIGHLIGHT,
      type: 'line',
      source,
      'source-layer': source,
      filter: ['==', ['id'], Number(id)],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#0b5cad', 'line-width': 3.2 },
    },
    aboveShapes(map),
  );
}

/** Ring a record's point on its layer. */
export function highlightPoint(map, id, source) {
  if (map.getLayer(HIGHLIGHT_POINT)) map.removeLayer(HIGHLIGHT_POINT);
  if (id === null || id === undefined || !source || !map.getSource(source)) return;
  map.addLayer({
    id: HIGHLIGHT_POINT,
    type: 'circle',
    source,
    'source-layer': source,
    filter: ['all', ['!', ['has', 'count']], ['==', ['id'], Number(id)]],
    paint: { 'circle-radius': 10, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#0b5cad', 'circle-stroke-width': 3 },
  });
}

/**
 * What a click selects: onUnit(feature) for an area, onRecord(feature) for a point; a cluster
 * zooms in until it splits.
 */
export function wireClicks(map, { onUnit, onRecord, onNothing }) {
  const hitAt = (point) => {
    const layers = visibleStyleLayers(map, ['fill', 'circle']);
    return layers.length ? map.queryRenderedFeatures(point, { layers })[0] : undefined;
  };
  map.on('click', (event) => {
    const hit = hitAt(event.point);
    if (!hit) {
      onNothing();
      return;
    }
    if (hit.geometry.type === 'Point' && hit.properties.count !== undefined) {
      map.easeTo({ center: hit.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, map.getMaxZoom()) });
      return;
    }
    if (hit.geometry.type === 'Point') onRecord(hit, registryIdOf(hit.layer));
    else onUnit(hit, registryIdOf(hit.layer));
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
}
