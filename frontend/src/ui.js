// The page around the map: header, approximate-boundary badge, the panel's frame, notices and
// popup contents. DOM is built with textContent only, never from HTML strings.

const AREA = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat('vi-VN');
export const PHONE = window.matchMedia('(max-width: 640px)');

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
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** "vi · en" pair: the Vietnamese text first, the English one smaller. */
export function bilingual(vi, en) {
  return [h('span', { class: 'vi' }, vi), en && en !== vi ? h('span', { class: 'en' }, en) : null];
}

/** Build the shell inside #app; returns the elements the app updates. */
export function buildShell(root) {
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': 'Bản đồ — Map' });
  const badge = h('div', { id: 'approx-badge', class: 'badge', role: 'note', hidden: true },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '!'),
    h('span', {}, h('strong', {}, 'Ranh giới gần đúng (minh họa)'), ' — ',
      h('span', { class: 'en' }, 'Approximate boundaries (demo)')));

  const toggle = h('button', {
    type: 'button', class: 'panel-toggle', 'aria-controls': 'layer-panel-body', 'aria-expanded': 'true',
  }, h('span', { class: 'panel-icon', 'aria-hidden': 'true' }), h('span', {}, 'Lớp bản đồ'),
  h('span', { class: 'en' }, 'Layers'), h('span', { class: 'chevron', 'aria-hidden': 'true' }));
  const body = h('div', { id: 'layer-panel-body', class: 'panel-body' },
    h('p', { class: 'panel-loading' }, 'Đang tải lớp bản đồ…'));
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
        h('span', { class: 'wide-only' }, ' · bản đồ chuyên đề · thematic map'))));

  root.replaceChildren(header, h('main', { class: 'stage' }, mapEl, badge, panel, notice));
  document.body.classList.add('gisioc');
  return { mapEl, badge, panel, body, notice };
}

/** A notice over the map: errors in red, warnings in amber. */
export function showNotice(ui, { vi, en, detail = '', level = 'error' }) {
  ui.notice.className = `notice ${level}`;
  ui.notice.replaceChildren(h('strong', {}, vi), h('span', { class: 'en' }, en),
    detail ? h('code', {}, detail) : '');
  ui.notice.hidden = false;
}

/** Pixels of the map's left side under the open layer panel (0 on phones or when collapsed). */
export function panelInset(ui) {
  if (PHONE.matches || ui.panel.classList.contains('collapsed')) return 0;
  return ui.panel.getBoundingClientRect().width + 12;
}

function row(dt, ...dd) {
  return [h('dt', {}, dt), h('dd', {}, ...dd)];
}

const isTrue = (v) => v === true || v === 'true';

/**
 * Popup body for an admin unit feature (communes in force, of a version, or a choropleth's);
 * `indicators` lists the numbers to show ({id, title}) when the feature carries them.
 */
export function unitPopup(props, { versionNames, layerTitle, indicators = [] }) {
  const area = props.area_km2 === undefined ? NaN : Number(props.area_km2);
  const versionName = versionNames.get(props.version);
  const numbers = indicators.filter((i) => props[i.id] !== undefined && props[i.id] !== null);
  return h('div', { class: 'popup' },
    layerTitle ? h('p', { class: 'popup-layer' }, layerTitle) : null,
    h('h2', {}, props.name),
    h('dl', {},
      row('Mã · Code', h('code', {}, props.code)),
      props.version ? row('Phiên bản · Version', versionName ?? '', h('code', { class: 'version-slug' }, props.version)) : null,
      Number.isFinite(area) ? row('Diện tích · Area', `${AREA.format(area)} km²`) : null),
    numbers.length ? h('dl', { class: 'numbers' },
      numbers.map((i) => row(`${i.title.vi} · ${i.title.en}`, COUNT.format(Number(props[i.id]))))) : null,
    isTrue(props.approximate)
      ? h('p', { class: 'popup-note' }, 'Ranh giới gần đúng (minh họa) — approximate') : null);
}

/** Popup body for a facility feature; `kinds` maps kind → {vi, en} from the layer's legend. */
export function facilityPopup(props, kinds) {
  const kind = kinds.get(props.kind);
  return h('div', { class: 'popup' },
    h('h2', {}, props.name),
    h('dl', {},
      row('Loại · Kind', kind ? `${kind.vi} · ${kind.en}` : props.kind),
      props.code ? row('Mã · Code', h('code', {}, props.code)) : null,
      props.subtype ? row('Nhóm · Subtype', props.subtype) : null));
}

export { AREA, COUNT };
