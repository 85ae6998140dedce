// Live updates: the bus's events (camera events, reports, cameras offline, overdue dossiers,
// alerts, incidents) as Server-Sent Events from `gisioc live serve`. The page asks our server
// where the stream is and for a token (/api/live/), opens an EventSource, and reconnects by
// itself: the browser's own retry resumes from the last event id; a refused stream (an expired
// token, the server restarting) gets a fresh token after a growing pause.
//
//   onLive('camera.', (event) => …)   event: {id, kind, at, unit_id, lon, lat, data}
//   startLive(app)                    once, from main.js (or the wall page, with {wall})
//   liveState()                       {state, lastId, received}

import { readEvent } from './live-event.js';
import './live.css';
import { getJson } from './api.js';
import { lang, onLang } from './i18n.js';
import { sourcesRefresh } from './tile-versions.js';

// The kinds the server sends (`event:` lines); an EventSource hears only kinds it listens to.
const KINDS = new Set(['camera.event', 'camera.status', 'feedback.report', 'dossier.overdue', 'alert', 'incident']);
// Which system's tiles an event changes (kind prefix → the `system` of the style's layers).
const SYSTEMS = [
  ['camera.', 'cameras'],
  ['feedback.', 'feedback'],
  ['dossier.', 'public_services'],
  ['incident', 'incidents'],
];
const COLOURS = [
  'match',
  ['get', 'kind'],
  'camera.event',
  '#d7263d',
  'camera.status',
  '#6c757d',
  'feedback.report',
  '#f08c00',
  'incident',
  '#7b2cbf',
  'alert',
  '#b00020',
  '#1c7ed6',
];
const SOURCE = 'gisioc-live';
const KEEP_MS = 15 * 60 * 1000; // points stay on the map this long
const PULSE_MS = 60 * 1000; // and pulse while this young
const REFRESH_MS = 2000; // a source's tiles are fetched again at most this often
const BACKOFF = [1000, 2000, 5000, 10000, 30000];
const TEXT = {
  open: ['Trực tuyến', 'Live'],
  connecting: ['Đang kết nối…', 'Connecting…'],
  reconnecting: ['Đang kết nối lại…', 'Reconnecting…'],
  off: ['Không trực tuyến', 'Live updates off'],
};

const handlers = new Set(); // {prefix, fn}
const status = { state: 'off', lastId: null, received: 0, recent: [] };
const seen = new Set();
let source = null;
let wired = null; // the kinds the current EventSource listens to
let attempt = 0;
let timer = null;
let started = false;
let dot = null;

/** Call `handler(event)` for every live event whose kind starts with `kindPrefix`; returns the unsubscribe function. */
export function onLive(kindPrefix, handler) {
  const entry = { prefix: kindPrefix, fn: handler };
  handlers.add(entry);
  if (kindPrefix && !kindPrefix.endsWith('.') && !KINDS.has(kindPrefix)) {
    KINDS.add(kindPrefix); // an exact kind of its own: listen for it too
    if (source && wired && !wired.has(kindPrefix)) listen(source, kindPrefix);
  }
  return () => handlers.delete(entry);
}

/** Where the stream is ('off' | 'connecting' | 'open' | 'reconnecting'), the last event id, how many came, the last 100 ids. */
export function liveState() {
  return { ...status, recent: [...status.recent] };
}

function setState(state) {
  status.state = state;
  document.body.dataset.live = state;
  if (!dot) return;
  dot.dataset.state = state;
  const text = (TEXT[state] ?? TEXT.off)[lang() === 'en' ? 1 : 0];
  dot.querySelector('.live-text').textContent = text;
  dot.title = text;
}

function statusDot(ui) {
  const header = ui?.user?.parentElement ?? ui?.header ?? null;
  if (!header) return null;
  const el = document.createElement('span');
  el.className = 'live-dot';
  el.id = 'live-status';
  el.setAttribute('role', 'status');
  const mark = document.createElement('span');
  mark.className = 'live-mark';
  mark.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.className = 'live-text';
  el.append(mark, text);
  if (ui.user?.parentElement === header) ui.user.before(el);
  else header.append(el);
  return el;
}

function deliver(event) {
  for (const { prefix, fn } of handlers) {
    if (!event.kind.startsWith(prefix)) continue;
    try {
      fn(event);
    } catch (error) {
      console.error('gisioc live:', prefix, error);
    }
  }
}

function received(message) {
  const event = readEvent(message, seen);
  if (!event) return;
  status.lastId = Math.max(status.lastId ?? 0, event.id);
  status.received += 1;
  status.recent.push(event.id);
  if (status.recent.length > 100) status.recent.shift();
  deliver(event);
}

function listen(es, kind) {
  wired.add(kind);
  es.addEventListener(kind, received);
}

function schedule(app, options) {
  clearTimeout(timer);
  const wait = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
  attempt += 1;
  timer = setTimeout(() => connect(app, options), wait);
}

async function connect(app, options) {
  if (source) {
    source.close();
    source = null;
  }
  setState(status.lastId === null && attempt === 0 ? 'connecting' : 'reconnecting');
  let answer;
  try {
    answer = await getJson(options.wall ? `/api/live/?wall=${encodeURIComponent(options.wall)}` : '/api/live/');
  } catch {
    schedule(app, options);
    return;
  }
  if (!answer?.url || !answer.token) {
    setState('off');
    return;
  }
  const url = new URL(answer.url, window.location.href);
  url.searchParams.set('token', answer.token);
  if (status.lastId !== null) url.searchParams.set('last', String(status.lastId));
  const es = new EventSource(url.toString());
  source = es;
  wired = new Set();
  for (const kind of KINDS) listen(es, kind);
  es.addEventListener('message', received);
  es.addEventListener('open', () => {
    attempt = 0;
    setState('open');
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    if (es.readyState === EventSource.CLOSED) {
      // Refused (an expired token, a server going down): a fresh token after a pause.
      es.close();
      source = null;
      setState('reconnecting');
      schedule(app, options);
    } else {
      setState('reconnecting'); // the browser retries by itself, from the last id
    }
  });
}

// The map: new events with a place pulse for a minute and stay ~15 minutes.
function mapLayer(map) {
  const features = [];
  const draw = () => map.getSource(SOURCE)?.setData({ type: 'FeatureCollection', features });
  const ensure = () => {
    if (map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features } });
    map.addLayer({
      id: `${SOURCE}-halo`,
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['get', 'fresh'], true],
      paint: { 'circle-radius': 16, 'circle-color': COLOURS, 'circle-opacity': 0.25, 'circle-stroke-width': 0 },
    });
    map.addLayer({
      id: `${SOURCE}-point`,
      type: 'circle',
      source: SOURCE,
      paint: { 'circle-radius': 6, 'circle-color': COLOURS, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    });
  };
  const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  let pulsing = null;
  const pulse = () => {
    if (still || pulsing || !map.getLayer(`${SOURCE}-halo`)) return;
    const t0 = performance.now();
    pulsing = setInterval(() => {
      const now = Date.now();
      if (!features.some((f) => now - f.properties.t < PULSE_MS) || !map.getLayer(`${SOURCE}-halo`)) {
        clearInterval(pulsing);
        pulsing = null;
        return;
      }
      const phase = ((performance.now() - t0) % 1500) / 1500;
      map.setPaintProperty(`${SOURCE}-halo`, 'circle-radius', 8 + 16 * phase);
      map.setPaintProperty(`${SOURCE}-halo`, 'circle-opacity', 0.45 * (1 - phase));
    }, 100);
  };
  const prune = () => {
    const now = Date.now();
    let changed = false;
    for (let i = features.length - 1; i >= 0; i -= 1) {
      const f = features[i];
      if (now - f.properties.t > KEEP_MS) {
        features.splice(i, 1);
        changed = true;
      } else if (f.properties.fresh && now - f.properties.t > PULSE_MS) {
        f.properties.fresh = false;
        changed = true;
      }
    }
    if (changed) draw();
  };
  setInterval(prune, 30_000);
  return (event) => {
    if (typeof event.lon !== 'number' || typeof event.lat !== 'number') return;
    ensure();
    features.push({
      type: 'Feature',
      id: event.id,
      geometry: { type: 'Point', coordinates: [event.lon, event.lat] },
      properties: { id: event.id, kind: event.kind, t: Date.now(), fresh: true },
    });
    if (features.length > 2000) features.shift();
    draw();
    pulse();
  };
}

// The tiles whose data an event changed are fetched again, at their layers' new versions.
function tileRefresher(map) {
  const last = new Map();
  const pending = new Set();
  const reload = (id) => {
    pending.delete(id);
    last.set(id, Date.now());
    sourcesRefresh(map, [id]);
  };
  return (event) => {
    const system = SYSTEMS.find(([prefix]) => event.kind.startsWith(prefix))?.[1];
    if (!system) return;
    const metas = map.getStyle()?.metadata?.['gisioc:layers'] ?? [];
    for (const meta of metas) {
      if (meta.system !== system || !map.getSource(meta.id) || pending.has(meta.id)) continue;
      const wait = (last.get(meta.id) ?? 0) + REFRESH_MS - Date.now();
      if (wait <= 0) reload(meta.id);
      else {
        pending.add(meta.id);
        setTimeout(() => reload(meta.id), wait);
      }
    }
  };
}

/** Start live updates once: status dot in the header, events on the map, tiles refreshed. */
export function startLive(app = {}, options = {}) {
  if (started || typeof window.EventSource !== 'function') return;
  started = true;
  dot = statusDot(app.ui);
  onLang(() => setState(status.state));
  if (app.map) {
    onLive('', mapLayer(app.map));
    onLive('', tileRefresher(app.map));
  }
  window.gisiocLive = liveState;
  connect(app, options);
}
