// The wall's map: our own style (/tiles/style.json) darkened for a control room, only the
// current view's layers shown, live events as dots (the last hour) with pulsing rings (the
// young ones), laid out at 1080 lines and scaled to the screen as a whole.

import maplibregl from 'maplibre-gl';

import { parseMap } from './core.js';

export const COLOURS = {
  'camera.event': '#ff4d5e',
  'camera.status': '#9aa5b1',
  'feedback.report': '#ffa94d',
  'dossier.overdue': '#74c0fc',
  alert: '#ff6b6b',
  incident: '#c77dff',
};

const KEEP_MS = 60 * 60 * 1000; // events stay on the map for an hour
const PULSE_MS = 90 * 1000; // and pulse while this young
const BASE_LAYERS = new Set(['admin-units']);
const META = 'gisioc:layer';
const LIVE = 'wall-live';
const YOUNG = 'wall-live-young';

/**
 * The map in `container`, at `view`; `events()` gives the events to draw (newest first),
 * `onReady()` is called once the first view is drawn. Returns {go(view, fly), refreshLive()}.
 */
export function createWallMap({ container, view, events, onReady }) {
  let map = null;
  let current = null;

  function darken() {
    for (const layer of map.getStyle().layers) {
      const id = layer.id;
      if (layer.type === 'background') map.setPaintProperty(id, 'background-color', '#0c141d');
      if (layer.metadata?.[META] === 'admin-units') {
        if (layer.type === 'fill') {
          map.setPaintProperty(id, 'fill-color', '#13212e');
          map.setPaintProperty(id, 'fill-opacity', 0.9);
        }
        if (layer.type === 'line') map.setPaintProperty(id, 'line-color', '#6f8ba5');
      }
      if (layer.type === 'symbol') {
        map.setPaintProperty(id, 'text-color', '#dfe8f1');
        map.setPaintProperty(id, 'text-halo-color', '#0b1117');
      }
    }
  }

  function showLayers(ids) {
    const wanted = new Set([...BASE_LAYERS, ...(ids ?? [])]);
    for (const layer of map.getStyle().layers) {
      const registryId = layer.metadata?.[META];
      if (!registryId) continue;
      map.setLayoutProperty(layer.id, 'visibility', wanted.has(registryId) ? 'visible' : 'none');
    }
  }

  function liveFeatures(since) {
    return {
      type: 'FeatureCollection',
      features: events()
        .filter((e) => Number.isFinite(e.lon) && Number.isFinite(e.lat) && e.seenAt >= since)
        .map((e) => ({
          type: 'Feature',
          id: e.id,
          geometry: { type: 'Point', coordinates: [e.lon, e.lat] },
          properties: { kind: e.kind, colour: COLOURS[e.kind] ?? '#4dabf7' },
        })),
    };
  }

  // Two small sources: every event of the last hour (dots) and the young ones (rings). The rings
  // are animated by paint properties that are not data-driven, so a frame never reloads a source.
  function addLive() {
    map.addSource(LIVE, { type: 'geojson', data: liveFeatures(Date.now() - KEEP_MS) });
    map.addSource(YOUNG, { type: 'geojson', data: liveFeatures(Date.now() - PULSE_MS) });
    map.addLayer({
      id: `${LIVE}-pulse`,
      type: 'circle',
      source: YOUNG,
      paint: {
        'circle-color': ['get', 'colour'],
        'circle-opacity': 0.35,
        'circle-radius': 10,
        'circle-stroke-width': 2,
        'circle-stroke-color': ['get', 'colour'],
        'circle-stroke-opacity': 0.8,
      },
    });
    map.addLayer({
      id: `${LIVE}-dot`,
      type: 'circle',
      source: LIVE,
      paint: {
        'circle-color': ['get', 'colour'],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 9],
        'circle-stroke-width': 2,
        'circle-stroke-color': '#0b1117',
      },
    });
  }

  const shown = { all: '', young: '' };
  function refreshLive() {
    if (!map?.getSource(LIVE)) return;
    const now = Date.now();
    for (const [key, id, since] of [
      ['all', LIVE, now - KEEP_MS],
      ['young', YOUNG, now - PULSE_MS],
    ]) {
      const data = liveFeatures(since);
      const ids = data.features.map((f) => f.id).join(',');
      if (ids !== shown[key]) {
        shown[key] = ids;
        map.getSource(id).setData(data);
      }
    }
  }

  let lastPulse = 0;
  function pulse(now) {
    requestAnimationFrame(pulse);
    if (!map?.getLayer(`${LIVE}-pulse`) || now - lastPulse < 66 || !shown.young) return;
    lastPulse = now;
    const phase = (now % 1600) / 1600; // one ring every 1.6 s
    map.setPaintProperty(`${LIVE}-pulse`, 'circle-radius', 8 + 34 * phase);
    map.setPaintProperty(`${LIVE}-pulse`, 'circle-opacity', 0.45 * (1 - phase));
    map.setPaintProperty(`${LIVE}-pulse`, 'circle-stroke-opacity', 0.9 * (1 - phase));
  }

  // The map is laid out as on a 1080-line screen and scaled up as a whole (labels, dots and
  // lines too), drawn at the scaled resolution so it stays sharp: a 4K wall shows the same place
  // as a Full HD one, as large. The wall takes no clicks, so the CSS scale costs nothing.
  function mapScale() {
    return Math.max(window.innerHeight, 540) / 1080;
  }

  function fitMap() {
    const scale = mapScale();
    container.style.width = `${100 / scale}%`;
    container.style.height = `${100 / scale}%`;
    container.style.transform = `scale(${scale})`;
    if (map) {
      map.setPixelRatio((window.devicePixelRatio || 1) * scale);
      map.resize();
    }
  }

  function start(view) {
    current = view;
    const camera = parseMap(view?.map) ?? { center: [108.24, 15.797], zoom: 11, bearing: 0 };
    fitMap();
    map = new maplibregl.Map({
      container,
      pixelRatio: (window.devicePixelRatio || 1) * mapScale(),
      style: '/tiles/style.json',
      ...camera,
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
    });
    map.on('load', () => {
      darken();
      showLayers(current?.layers);
      addLive();
      requestAnimationFrame(pulse);
      // Ready once the first view's tiles are in (the pulse repaints forever: never 'idle').
      const ready = setInterval(() => {
        if (map.isStyleLoaded() && map.areTilesLoaded()) {
          clearInterval(ready);
          onReady();
        }
      }, 250);
    });
    map.on('error', () => {}); // a tile lost while the server is away is fetched on the next move
    window.addEventListener('resize', fitMap);
  }

  /** Fly (or jump) to a view and show its layers. */
  function go(next, fly = true) {
    current = next;
    const camera = parseMap(next?.map);
    if (camera) {
      if (fly) map.flyTo({ ...camera, duration: 3500, essential: true });
      else map.jumpTo(camera);
    }
    if (map.isStyleLoaded()) showLayers(next?.layers);
  }

  start(view);
  return { go, refreshLive };
}
