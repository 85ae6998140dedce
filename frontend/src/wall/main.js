// The operations room's wall screen (/wall/?token=…): the map flying between the wall's saved
// views every rotate_s seconds, live events pulsing on it, each system's headline KPIs, the
// latest events strip, the view's title and a Vietnam clock. Read-only: it only GETs. It never
// shows an error page: a lost server shows a discreet badge while it reconnects by itself, and a
// new build of the page (or a disabled wall) reloads it.

import 'maplibre-gl/dist/maplibre-gl.css';
import './wall.css';

import { clockText, dayText, eventText, nextIndex, pick } from './core.js';
import { fetchKpis, renderKpis } from './kpis.js';
import { COLOURS, createWallMap } from './map.js';
import { startStream } from './stream.js';

const params = new URLSearchParams(location.search);
const TOKEN = params.get('token') ?? '';
const LANG = params.get('lang') === 'en' ? 'en' : 'vi';
// How often KPIs and the wall's setup are read again (seconds); tests ask for a short one.
const REFRESH_S = Math.max(2, Number(params.get('refresh')) || 60);
const BADGE_DELAY_MS = 1200; // a blink of a reconnect shows nothing
const STRIP_MAX = 30;
const TEXT = {
  lost: ['Mất kết nối – đang kết nối lại', 'Connection lost – reconnecting'],
  live: ['Trực tuyến', 'Live'],
  off: ['Không trực tuyến', 'Live off'],
  strip: ['Sự kiện mới nhất', 'Latest events'],
  none: ['Chưa có sự kiện mới', 'No new events yet'],
  kpis: ['Chỉ số chính', 'Headline KPIs'],
};
const say = (key) => TEXT[key][LANG === 'en' ? 1 : 0];

const state = {
  views: [],
  rotateS: 30,
  build: null,
  index: 0,
  flights: 0,
  mapReady: false,
  serverLost: false,
  stream: 'connecting',
  badge: false,
  kpisAt: null,
  kpiPeriod: undefined,
  events: [],
};
window.__wall = state; // what the end-to-end test reads

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- the frame ---------------------------------------------------------------------------
const root = document.getElementById('wall');
const ui = {
  title: el('h1', 'w-view-title', ''),
  dots: el('div', 'w-dots'),
  name: el('div', 'w-name', root.dataset.name ?? ''),
  badge: el('div', 'w-badge', say('lost')),
  live: el('div', 'w-live', ''),
  time: el('div', 'w-time', ''),
  day: el('div', 'w-day', ''),
  map: el('div', 'w-map'),
  canvas: el('div', 'w-map-canvas'),
  kpis: el('aside', 'w-kpis'),
  events: el('ol', 'w-events'),
};
ui.badge.hidden = true;
ui.badge.setAttribute('role', 'status');
const top = el('header', 'w-top');
const viewBox = el('div', 'w-view');
viewBox.append(ui.title, ui.dots);
const clock = el('div', 'w-clock');
clock.append(ui.time, ui.day);
const status = el('div', 'w-status');
status.append(ui.badge, ui.live);
top.append(viewBox, ui.name, status, clock);
const main = el('main', 'w-main');
ui.map.append(ui.canvas);
main.append(ui.map, ui.kpis);
const strip = el('footer', 'w-strip');
strip.append(el('div', 'w-strip-label', say('strip')), ui.events);
root.replaceChildren(top, main, strip);
ui.kpis.setAttribute('aria-label', say('kpis'));
ui.events.append(el('li', 'w-empty', say('none')));

function tick() {
  const now = new Date();
  ui.time.textContent = clockText(now, true);
  ui.day.textContent = dayText(now, LANG);
}
tick();
setInterval(tick, 1000);

// ---- the lost-server badge ----------------------------------------------------------------
let badgeTimer = null;
function updateBadge() {
  const lost = state.serverLost || state.stream === 'lost';
  if (!lost) {
    clearTimeout(badgeTimer);
    badgeTimer = null;
    state.badge = false;
    ui.badge.hidden = true;
  } else if (!state.badge && !badgeTimer) {
    badgeTimer = setTimeout(() => {
      badgeTimer = null;
      if (state.serverLost || state.stream === 'lost') {
        state.badge = true;
        ui.badge.hidden = false;
      }
    }, BADGE_DELAY_MS);
  }
  ui.live.textContent = state.stream === 'open' ? say('live') : state.stream === 'off' ? say('off') : '';
  ui.live.dataset.state = state.stream;
}
let retryTimer = null;
function serverLost(lost) {
  if (state.serverLost !== lost) {
    state.serverLost = lost;
    updateBadge();
  }
  // While the server is away, ask again soon (not at the next regular refresh).
  if (lost && !retryTimer && state.build !== null) {
    retryTimer = setTimeout(() => {
      retryTimer = null;
      refresh();
    }, 3000);
  }
}

let map = null;

// ---- views ---------------------------------------------------------------------------------
function drawDots() {
  ui.dots.replaceChildren(
    ...state.views.map((_, i) => {
      const dot = el('span', i === state.index ? 'w-dot w-dot-on' : 'w-dot');
      return dot;
    }),
  );
}

function applyView(index, fly = true) {
  const view = state.views[index];
  if (!view) return;
  state.index = index;
  ui.title.textContent = pick(view.title, LANG);
  root.dataset.view = String(index);
  drawDots();
  if (map) {
    state.flights += 1;
    map.go(view, fly);
  }
  if ((view.period ?? null) !== (state.kpiPeriod ?? null)) loadKpis();
}

let rotation = null;
function startRotation() {
  clearInterval(rotation);
  if (state.views.length > 1) {
    rotation = setInterval(() => applyView(nextIndex(state.index, state.views.length)), state.rotateS * 1000);
  }
}

// ---- the server: setup and KPIs ---------------------------------------------------------------
async function loadSetup() {
  let answer;
  try {
    answer = await fetch(`/api/wall/kiosk/?token=${encodeURIComponent(TOKEN)}`, { cache: 'no-store', credentials: 'omit' });
  } catch {
    serverLost(true);
    return null;
  }
  if (answer.status === 403 || answer.status === 404) {
    location.reload(); // the page tells a disabled wall or a revoked token
    return null;
  }
  if (!answer.ok) {
    serverLost(true); // 502/503 while the app restarts
    return null;
  }
  serverLost(false);
  return answer.json();
}

async function loadKpis() {
  const view = state.views[state.index];
  const period = view?.period ?? null;
  try {
    const body = await fetchKpis(period);
    state.kpiPeriod = period;
    renderKpis(ui.kpis, body, LANG);
    state.kpisAt = Date.now();
    serverLost(false);
  } catch {
    serverLost(true);
  }
}

function sameViews(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether the new build's script is served (a build not yet collected would blank the wall). */
async function served(build) {
  try {
    return (await fetch(`/static/${build}`, { method: 'HEAD', cache: 'no-store' })).ok;
  } catch {
    return false;
  }
}

async function refresh() {
  const setup = await loadSetup();
  if (setup) {
    if (state.build && setup.build && setup.build !== state.build && (await served(setup.build))) {
      location.reload(); // a new build of the app, served already: take it
      return;
    }
    if (!sameViews(setup.views, state.views) || setup.rotate_s !== state.rotateS) {
      state.views = setup.views;
      state.rotateS = setup.rotate_s;
      applyView(Math.min(state.index, state.views.length - 1));
      startRotation();
    }
  }
  await loadKpis();
}

// ---- live events -------------------------------------------------------------------------
function drawStrip() {
  const items = state.events.slice(0, STRIP_MAX).map((event) => {
    const { kind, text } = eventText(event, LANG);
    const item = el('li', 'w-event');
    item.dataset.kind = event.kind;
    item.dataset.id = String(event.id);
    item.style.setProperty('--kind', COLOURS[event.kind] ?? '#4dabf7');
    const at = event.at ? new Date(event.at) : new Date(event.seenAt);
    item.append(el('time', 'w-event-time', clockText(at)), el('b', 'w-event-kind', kind), el('span', 'w-event-text', text));
    return item;
  });
  ui.events.replaceChildren(...(items.length ? items : [el('li', 'w-empty', say('none'))]));
}

let stripTimer = null;
function onEvent(event) {
  state.events.unshift({ ...event, seenAt: Date.now() });
  if (state.events.length > 500) state.events.length = 500;
  // A catch-up after a reconnect may bring many at once: draw them together.
  clearTimeout(stripTimer);
  stripTimer = setTimeout(() => {
    state.events.sort((a, b) => b.id - a.id);
    drawStrip();
    map?.refreshLive();
  }, 150);
}

// ---- start -------------------------------------------------------------------------------
window.addEventListener('error', (e) => e.preventDefault()); // never an error screen on the wall
window.addEventListener('unhandledrejection', (e) => e.preventDefault());

async function boot(attempt = 0) {
  const setup = await loadSetup();
  if (!setup) {
    setTimeout(() => boot(attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
    return;
  }
  state.views = setup.views ?? [];
  state.rotateS = setup.rotate_s ?? 30;
  state.build = setup.build || null;
  ui.name.textContent = setup.name ?? '';
  map = createWallMap({
    container: ui.canvas,
    view: state.views[0],
    events: () => state.events,
    onReady: () => {
      state.mapReady = true;
      document.body.dataset.mapReady = 'yes';
    },
  });
  applyView(0, false);
  // The first view is drawn whole before the wall starts moving (at most half a minute).
  const began = Date.now();
  const waiting = setInterval(() => {
    if (state.mapReady || Date.now() - began > 30000) {
      clearInterval(waiting);
      startRotation();
    }
  }, 250);
  loadKpis();
  setInterval(refresh, REFRESH_S * 1000);
  const stream = startStream({
    wall: TOKEN,
    onEvent,
    onState: (value) => {
      state.stream = value;
      if (value === 'refused') refresh();
      updateBadge();
    },
  });
  window.addEventListener('online', () => {
    stream.kick();
    refresh();
  });
  setInterval(() => map.refreshLive(), 5000); // rings stop and old dots leave the map
}

boot();
