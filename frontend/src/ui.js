// The page around the map: header, approximate-boundary badge, layer panel, notices and
// popup contents. DOM is built with textContent only, never from HTML strings.

import { FACILITY_KINDS } from './mapstyle.js';

const AREA = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat('vi-VN');
const PHONE = window.matchMedia('(max-width: 640px)');

/** Create an element: h('p', {class: 'x', hidden: true}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') el.style.cssText = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** "vi · en" pair: the Vietnamese text first, the English one smaller. */
function bilingual(vi, en) {
  return [h('span', { class: 'vi' }, vi), h('span', { class: 'en' }, en)];
}

function layerRow({ id, group, swatch, vi, en }) {
  const input = h('input', { type: 'checkbox', id, dataset: { group }, checked: true });
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const detail = h('span', { class: 'detail' });
  const row = h('label', { class: 'layer-row', for: id },
    input, h('span', { class: `swatch ${swatch}`, 'aria-hidden': 'true' }),
    h('span', { class: 'layer-text' }, ...bilingual(vi, en), detail), count);
  return { row, input, count, detail };
}

/** Build the shell inside #app; returns the elements the app updates. */
export function buildShell(root) {
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': 'Bản đồ — Map' });
  const badge = h('div', { id: 'approx-badge', class: 'badge', role: 'note', hidden: true },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '!'),
    h('span', {}, h('strong', {}, 'Ranh giới gần đúng (minh họa)'), ' — ',
      h('span', { class: 'en' }, 'Approximate boundaries (demo)')));

  const communes = layerRow({
    id: 'toggle-communes', group: 'communes', swatch: 'swatch-fill',
    vi: 'Xã, phường hiện hành', en: 'Communes in force',
  });
  const oldCommunes = layerRow({
    id: 'toggle-old-communes', group: 'oldCommunes', swatch: 'swatch-dashed',
    vi: 'Ranh giới xã cũ', en: 'Former commune boundaries',
  });
  const facilities = layerRow({
    id: 'toggle-facilities', group: 'facilities', swatch: 'swatch-points',
    vi: 'Cơ sở', en: 'Facilities',
  });
  const legendCounts = new Map();
  const legend = h('ul', { class: 'legend', 'aria-label': 'Chú giải cơ sở — Facility legend' },
    FACILITY_KINDS.map(({ kind, color, vi, en }) => {
      const n = h('span', { class: 'count' });
      legendCounts.set(kind, n);
      return h('li', { dataset: { kind } },
        h('span', { class: 'dot', style: `background:${color}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-text' }, vi, h('span', { class: 'en' }, en)), n);
    }));

  const toggle = h('button', {
    type: 'button', class: 'panel-toggle', 'aria-controls': 'layer-panel-body', 'aria-expanded': 'true',
  }, h('span', { class: 'panel-icon', 'aria-hidden': 'true' }), h('span', {}, 'Lớp bản đồ'),
  h('span', { class: 'en' }, 'Layers'), h('span', { class: 'chevron', 'aria-hidden': 'true' }));
  const body = h('div', { id: 'layer-panel-body', class: 'panel-body' },
    communes.row, oldCommunes.row, facilities.row, legend);
  const panel = h('aside', { id: 'layer-panel', class: 'panel', 'aria-label': 'Lớp bản đồ — Layers' }, toggle, body);
  const setOpen = (open) => {
    panel.classList.toggle('collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(panel.classList.contains('collapsed')));
  setOpen(!PHONE.matches);
  PHONE.addEventListener('change', (event) => setOpen(!event.matches));

  const notice = h('div', { id: 'map-notice', class: 'notice', role: 'alert', hidden: true });
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand-mark', 'aria-hidden': 'true' }),
    h('div', { class: 'titles' },
      h('h1', {}, 'Trung tâm điều hành thông minh ', h('span', { class: 'nowrap' }, '— Duy Xuyên')),
      h('p', { class: 'subtitle' }, 'Intelligent Operations Center',
        h('span', { class: 'wide-only' }, ' · administrative boundaries and facilities'))));

  root.replaceChildren(header, h('main', { class: 'stage' }, mapEl, badge, panel, notice));
  document.body.classList.add('gisioc');

  return {
    mapEl, badge, panel, notice, toggles: [communes.input, oldCommunes.input, facilities.input],
    rows: { communes, oldCommunes, facilities }, legendCounts,
  };
}

/** Show a feature count next to a layer ("4 xã"). */
export function setCount(row, n, unit) {
  row.count.textContent = `${COUNT.format(n)} ${unit}`;
}

/** Mark a layer row as having no data (and disable its checkbox). */
export function setUnavailable(row, reason) {
  row.input.checked = false;
  row.input.disabled = true;
  row.row.classList.add('unavailable');
  row.detail.textContent = reason;
}

/** A notice over the map: errors in red, warnings in amber. */
export function showNotice(ui, { vi, en, detail = '', level = 'error' }) {
  ui.notice.className = `notice ${level}`;
  ui.notice.replaceChildren(h('strong', {}, vi), h('span', { class: 'en' }, en),
    detail ? h('code', {}, detail) : '');
  ui.notice.hidden = false;
}

function row(dt, ...dd) {
  return [h('dt', {}, dt), h('dd', {}, ...dd)];
}

/** Popup body for an admin unit feature. */
export function unitPopup(props, versionNames) {
  const area = Number(props.area_km2);
  const versionName = versionNames.get(props.version);
  return h('div', { class: 'popup' },
    h('h2', {}, props.name),
    h('dl', {},
      row('Mã · Code', h('code', {}, props.code)),
      row('Phiên bản · Version', versionName ? `${versionName} ` : '', h('code', {}, props.version)),
      row('Diện tích · Area', Number.isFinite(area) ? `${AREA.format(area)} km²` : '—')),
    props.approximate === true || props.approximate === 'true'
      ? h('p', { class: 'popup-note' }, 'Ranh giới gần đúng (minh họa) — approximate') : null);
}

/** Popup body for a facility feature. */
export function facilityPopup(props) {
  const kind = FACILITY_KINDS.find((k) => k.kind === props.kind);
  return h('div', { class: 'popup' },
    h('h2', {}, props.name),
    h('dl', {},
      row('Loại · Kind', kind ? `${kind.vi} · ${kind.en}` : props.kind),
      row('Mã · Code', h('code', {}, props.code)),
      props.unit_name ? row('Đơn vị · Unit', props.unit_name) : null));
}

/** Pixels of the map's left side under the open layer panel (0 on phones or when collapsed). */
export function panelInset(ui) {
  if (PHONE.matches || ui.panel.classList.contains('collapsed')) return 0;
  return ui.panel.getBoundingClientRect().width + 12;
}
