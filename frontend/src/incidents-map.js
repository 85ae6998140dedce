// What the incidents tool draws on the map: the incident's radius as a circle, the schools,
// health facilities, events, reports and cameras within it, and the pin of a new incident.

import maplibregl from 'maplibre-gl';

import { sourcesRefresh } from './tile-versions.js';

const SOURCE = 'inc-area';
const NEAR = 'inc-near';
const COLOURS = ['match', ['get', 'what'], 'school', '#0072B2', 'health', '#D55E00', 'event', '#d7263d', 'report', '#f08c00', '#000000'];

/** A polygon approximating a circle of `radius` metres around [lon, lat] (64 sides). */
export function circle([lon, lat], radius, sides = 64) {
  const ring = [];
  const dLat = radius / 111_320;
  const dLon = radius / (111_320 * Math.cos((lat * Math.PI) / 180));
  for (let i = 0; i <= sides; i += 1) {
    const a = (2 * Math.PI * i) / sides;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

function ensure(map) {
  if (map.getSource(SOURCE)) return;
  const empty = { type: 'FeatureCollection', features: [] };
  map.addSource(SOURCE, { type: 'geojson', data: empty });
  map.addSource(NEAR, { type: 'geojson', data: empty });
  map.addLayer({ id: 'inc-area-fill', type: 'fill', source: SOURCE, paint: { 'fill-color': '#e53935', 'fill-opacity': 0.08 } });
  map.addLayer({
    id: 'inc-area-line',
    type: 'line',
    source: SOURCE,
    paint: { 'line-color': '#b71c1c', 'line-width': 2, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: 'inc-near-points',
    type: 'circle',
    source: NEAR,
    paint: { 'circle-radius': 6, 'circle-color': COLOURS, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
}

/** The incident's circle and what lies within it, drawn; `clear` removes them. */
export function createArea(map) {
  return {
    show(center, radius, items) {
      ensure(map);
      map.getSource(SOURCE).setData({ type: 'Feature', properties: {}, geometry: circle(center, radius) });
      map
        .getSource(NEAR)
        .setData({
          type: 'FeatureCollection',
          features: items
            .filter((x) => x.lon !== null && x.lon !== undefined)
            .map((x) => ({
              type: 'Feature',
              properties: { what: x.what, name: x.name },
              geometry: { type: 'Point', coordinates: [x.lon, x.lat] },
            })),
        });
      document.body.dataset.incidentArea = String(radius);
    },
    clear() {
      const empty = { type: 'FeatureCollection', features: [] };
      map.getSource(SOURCE)?.setData(empty);
      map.getSource(NEAR)?.setData(empty);
      delete document.body.dataset.incidentArea;
    },
  };
}

/** Picking a place by clicking the map: `start(onPick)` until `stop()`; a pin shows it. */
export function createPicker(map) {
  let handler = null;
  let pin = null;
  const click = (event) => {
    if (!handler) return;
    if (!pin) pin = new maplibregl.Marker({ color: '#b71c1c' });
    pin.setLngLat(event.lngLat).addTo(map);
    handler([event.lngLat.lng, event.lngLat.lat]);
  };
  map.on('click', click);
  return {
    picking: () => handler !== null,
    start(onPick) {
      handler = onPick;
      map.getCanvas().style.cursor = 'crosshair';
    },
    stop() {
      handler = null;
      pin?.remove();
      pin = null;
      map.getCanvas().style.cursor = '';
    },
  };
}

/**
 * Fetch the tiles of a registry layer again (its data changed), once the map is idle: a
 * reload started while the sheet's highlight layer is swapped on the same source is lost.
 */
export function reloadLayer(map, id) {
  map.once('idle', () => reloadNow(map, id));
  map.triggerRepaint();
}

function reloadNow(map, id) {
  sourcesRefresh(map, [id]); // at the layer's new data version
}
