// The whole state of the page, mirrored in the URL's query string, so that a shared link
// reproduces the view:
//
//   ?lang=en                          language (Vietnamese when absent)
//   &map=12.5/15.80123/108.21456/30   zoom/lat/lon[/bearing]
//   &layers=admin-units,facilities~60 visible registry layers, ~opacity in percent when not 100
//   &choro=facilities-per-commune:schools:jenks:5   choropleth layer:indicator:method:classes
//   &period=2025-Q3                   reporting period: 2025, 2025-Q3 or 2025-07
//   &f=facilities.kind:school         a layer filter (repeatable): layer.name:value
//   &sel=facility:12                  the selected feature: type:id (unit, facility, …)
//   &split=2020:per_capita            the indicator map's split view: the right map's period[:measure]

export const state = {
  lang: 'vi',
  view: null, // {center: [lon, lat], zoom, bearing}
  layers: null, // Map id → opacity (0–1) of the visible layers; null: the style's defaults
  opacity: {}, // id → opacity of every layer the user has set one for
  choro: {}, // layer id → {indicator, method, classes}
  period: '',
  filters: {}, // layer id → {name: value}
  sel: null, // {type, id}
  split: '', // the split view's second period ('' = no split view)
};

const PERIOD = /^\d{4}(-(Q[1-4]|0[1-9]|1[0-2]))?$/;
// The split view's right-hand map: a period of any kind (days and school years too), and the
// measure it draws when not the left's.
const SPLIT = /^\d{4}(-(Q[1-4]|(0[1-9]|1[0-2])(-\d\d)?|\d{4}))?(:[a-z_]+)?$/;
const round = (value, places) => Number(Number(value).toFixed(places));

function parseView(text) {
  const [zoom, lat, lon, bearing = 0] = (text ?? '').split('/').map(Number);
  if (![zoom, lat, lon, bearing].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { center: [lon, lat], zoom, bearing };
}

function parseLayers(text) {
  const layers = new Map();
  for (const part of text.split(',').filter(Boolean)) {
    const [id, percent] = part.split('~');
    const opacity = percent === undefined ? 1 : Math.min(Math.max(Number(percent) / 100, 0), 1);
    layers.set(id, Number.isFinite(opacity) ? opacity : 1);
  }
  return layers;
}

function parseSel(text) {
  const at = (text ?? '').indexOf(':');
  if (at < 1) return null;
  const type = text.slice(0, at);
  const id = text.slice(at + 1);
  return id ? { type, id: /^\d+$/.test(id) ? Number(id) : id } : null;
}

/** Read the state from a query string (the page's own by default) into the page's state. */
export function readUrl(search = window.location.search) {
  return Object.assign(state, parse(search));
}

/** The state a query string describes. */
export function parse(search) {
  const params = new URLSearchParams(search);
  const out = {};
  out.lang = params.get('lang') === 'en' ? 'en' : 'vi';
  out.view = parseView(params.get('map'));
  out.layers = params.has('layers') ? parseLayers(params.get('layers')) : null;
  out.opacity = Object.fromEntries(out.layers ?? []);
  out.choro = {};
  for (const part of (params.get('choro') ?? '').split(',').filter(Boolean)) {
    const [layer, indicator = '', method = '', classes = ''] = part.split(':');
    out.choro[layer] = { indicator, method, classes };
  }
  const period = params.get('period') ?? '';
  out.period = PERIOD.test(period) ? period : '';
  out.filters = {};
  for (const part of params.getAll('f')) {
    const match = /^([^.]+)\.([^:]+):(.*)$/.exec(part);
    if (!match) continue;
    const [, layer, name, value] = match;
    (out.filters[layer] ??= {})[name] = value;
  }
  out.sel = parseSel(params.get('sel'));
  const split = params.get('split') ?? '';
  if (SPLIT.test(split)) out.split = split; // absent when none, as before the split view
  return out;
}

/** The query string (without '?') that reproduces the state. */
export function serialize(s = state) {
  const parts = [];
  const add = (key, value) =>
    parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/')}`);
  if (s.lang !== 'vi') add('lang', s.lang);
  if (s.view) {
    const {
      center: [lon, lat],
      zoom,
      bearing,
    } = s.view;
    const view = [round(zoom, 2), round(lat, 5), round(lon, 5)];
    if (round(bearing, 1)) view.push(round(bearing, 1));
    add('map', view.join('/'));
  }
  if (s.layers) {
    add('layers', [...s.layers].map(([id, op]) => (op < 1 ? `${id}~${Math.round(op * 100)}` : id)).join(','));
  }
  const choro = Object.entries(s.choro)
    .filter(([, c]) => c.indicator || c.method || c.classes)
    .map(([layer, c]) => [layer, c.indicator ?? '', c.method ?? '', c.classes ?? ''].join(':'));
  if (choro.length) add('choro', choro.join(','));
  if (s.period) add('period', s.period);
  for (const [layer, filters] of Object.entries(s.filters)) {
    for (const [name, value] of Object.entries(filters)) if (value) add('f', `${layer}.${name}:${value}`);
  }
  if (s.sel) add('sel', `${s.sel.type}:${s.sel.id}`);
  if (s.split) add('split', s.split);
  return parts.join('&');
}

/** The link that reproduces the page as it is now. */
export function shareUrl() {
  const query = serialize();
  return `${window.location.origin}${window.location.pathname}${query ? `?${query}` : ''}`;
}

let timer = null;
let lastSel = null;

/**
 * Write the state into the address bar: a new history entry when the selection changed (so
 * Back returns to the previous panel), otherwise replacing the current one (debounced).
 */
export function commit({ now = false } = {}) {
  const sel = state.sel ? `${state.sel.type}:${state.sel.id}` : '';
  const push = lastSel !== null && sel !== lastSel;
  lastSel = sel;
  clearTimeout(timer);
  const write = () => {
    const query = serialize();
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  };
  if (push || now) write();
  else timer = setTimeout(write, 250);
}

/** Note the selection the page opened with, so that only later changes add history entries. */
export function startHistory() {
  lastSel = state.sel ? `${state.sel.type}:${state.sel.id}` : '';
}
