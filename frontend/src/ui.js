// The page around the map: header (search, tools, language, user), badge, the panel's and the
// sheet's frames, notices and the status line. DOM is built with textContent only, never from
// HTML strings. Static texts carry data-t (text), data-t-label (aria-label) or data-t-title
// (title) keys and are re-read from the dictionary when the language changes.

import { LANGS, lang, onLang, pick, setLang, t } from './i18n.js';

export const PHONE = window.matchMedia('(max-width: 640px)');

/** Create an element: h('p', {class: 'x', hidden: true}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') el.style.cssText = value;
    else if (key === 'checked' || key === 'selected' || key === 'value') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (charts and icons). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const ICONS = {
  near: 'M12 2v3M12 19v3M2 12h3M19 12h3M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10z',
  share: 'M16 6l-4-4-4 4M12 2v13M5 12v8h14v-8',
  report: 'M4 4h16v12H8l-4 4zM12 7v4M12 13.5v.01',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M9 9.5a1.5 1.5 0 1 0 0-.01',
  table: 'M4 5h16v14H4zM4 10h16M4 15h16M10 5v14',
  boundary: 'M4 7l6-3 6 3 4-2v12l-4 2-6-3-6 3zM10 4v13M16 7v12',
  overview: 'M4 19V9M10 19V5M16 19v-7M3 19h18',
};

/** A 24×24 line icon. */
export const icon = (name) =>
  s('svg', { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: ICONS[name] }));

/** A toolbar button: icon and text; the text hides on phones but stays the accessible name. */
function tool(id, name, key, hidden = false) {
  return h(
    'button',
    { type: 'button', id, class: 'tool', hidden, 'data-t-title': key },
    icon(name),
    h('span', { class: 'tool-text', 'data-t': key }),
  );
}

/** Re-read every data-t text under `root` from the dictionary. */
export function applyStrings(root) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  for (const el of root.querySelectorAll('[data-t-title]')) el.title = t(el.dataset.tTitle);
}

function langSwitch(onSwitch) {
  const buttons = LANGS.map((code) => {
    const button = h(
      'button',
      { type: 'button', lang: code, dataset: { lang: code }, 'aria-pressed': String(code === lang()) },
      code.toUpperCase(),
    );
    button.addEventListener('click', () => onSwitch(code));
    return button;
  });
  onLang((code) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === code));
  });
  return h('div', { class: 'lang-switch', role: 'group', 'data-t-label': 'lang.label' }, buttons);
}

/** Build the shell inside #app; returns the elements the app updates. */
export function buildShell(root, { onLangSwitch = setLang } = {}) {
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'data-t-label': 'map.label' });
  const badge = h(
    'div',
    { id: 'approx-badge', class: 'badge', role: 'note', hidden: true },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { 'data-t': 'badge.approximate' }),
  );

  const toggle = h(
    'button',
    { type: 'button', class: 'panel-toggle', 'aria-controls': 'layer-panel-body', 'aria-expanded': 'true' },
    h('span', { class: 'panel-icon', 'aria-hidden': 'true' }),
    h('span', { 'data-t': 'panel.title' }),
    h('span', { class: 'chevron', 'aria-hidden': 'true' }),
  );
  const body = h('div', { id: 'layer-panel-body', class: 'panel-body' }, h('p', { class: 'panel-loading', 'data-t': 'panel.loading' }));
  const panel = h('aside', { id: 'layer-panel', class: 'panel', 'data-t-label': 'panel.title' }, toggle, body);
  const setOpen = (open) => {
    panel.classList.toggle('collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(panel.classList.contains('collapsed')));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && PHONE.matches && !panel.classList.contains('collapsed')) {
      setOpen(false);
      toggle.focus();
    }
  });
  setOpen(!PHONE.matches);
  PHONE.addEventListener('change', (event) => setOpen(!event.matches));

  // Open from the start (the district's profile loads into it), so the map is fitted beside it.
  const sheet = h(
    'aside',
    { id: 'sheet', class: 'sheet', 'aria-labelledby': 'sheet-title', 'aria-busy': 'true' },
    h('p', { class: 'panel-loading', 'data-t': 'sheet.loading' }),
  );
  const reopen = h(
    'button',
    { type: 'button', id: 'sheet-open', class: 'sheet-open', hidden: true },
    icon('overview'),
    h('span', { 'data-t': 'sheet.overview' }),
  );
  const notice = h('div', { id: 'map-notice', class: 'notice', role: 'alert', hidden: true });
  const status = h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const tools = {
    nearMe: tool('near-me', 'near', 'tool.nearMe'),
    share: tool('share', 'share', 'tool.share'),
    png: tool('export-png', 'image', 'tool.png'),
    csv: tool('export-csv', 'table', 'tool.csv'),
    boundary: tool('boundary-tool', 'boundary', 'tool.boundary', true),
    // Citizens file and follow reports on their own pages (gisioc/feedback).
    report: h(
      'a',
      { href: '/phan-anh/', id: 'report-link', class: 'tool', 'data-t-title': 'tool.report' },
      icon('report'),
      h('span', { class: 'tool-text', 'data-t': 'tool.report' }),
    ),
  };
  const search = h('div', { class: 'search', id: 'search' });
  const user = h('div', { class: 'user', id: 'user' });
  const header = h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'brand' },
      h('div', { class: 'brand-mark', 'aria-hidden': 'true' }),
      h('div', { class: 'titles' }, h('h1', { 'data-t': 'app.title' }), h('p', { class: 'subtitle', 'data-t': 'app.subtitle' })),
    ),
    search,
    h('nav', { class: 'tools', 'data-t-label': 'tools.label' }, Object.values(tools)),
    h('div', { class: 'session' }, langSwitch(onLangSwitch), user),
  );

  root.replaceChildren(header, h('main', { class: 'stage' }, mapEl, badge, panel, sheet, reopen, notice, status));
  document.body.classList.add('gisioc');
  const ui = { root, mapEl, badge, panel, body, sheet, reopen, notice, status, tools, search, user, header };
  applyStrings(root);
  onLang(() => {
    applyStrings(root);
    if (ui.noticeData) showNotice(ui, ui.noticeData);
  });
  return ui;
}

/** A notice over the map: errors in red, warnings in amber; `text` is {vi, en} or a key. */
export function showNotice(ui, { text, detail = '', level = 'error' }) {
  ui.noticeData = { text, detail, level };
  ui.notice.className = `notice ${level}`;
  ui.notice.replaceChildren(h('strong', {}, typeof text === 'string' ? t(text) : pick(text)), detail ? h('code', {}, detail) : '');
  ui.notice.hidden = false;
}

let statusTimer = null;

/** Say something briefly in the status line (read out by screen readers). */
export function say(ui, text) {
  clearTimeout(statusTimer);
  ui.status.textContent = text;
  ui.status.classList.add('shown');
  statusTimer = setTimeout(() => ui.status.classList.remove('shown'), 3500);
}

/** Pixels of the map's sides under the open panel and sheet. */
export function insets(ui) {
  const out = { left: 0, right: 0, bottom: 0 };
  if (PHONE.matches) {
    if (!ui.sheet.hidden) out.bottom = ui.sheet.getBoundingClientRect().height;
    return out;
  }
  if (!ui.panel.classList.contains('collapsed')) out.left = ui.panel.getBoundingClientRect().width + 12;
  if (!ui.sheet.hidden) out.right = ui.sheet.getBoundingClientRect().width + 12;
  return out;
}

/** Show the signed-in user (name and role, a sign-out button) or a sign-in link back to this page. */
export function renderUser(ui, me, { signOut }) {
  const render = () => {
    if (me?.username) {
      const out = h('button', { type: 'button', class: 'user-link', id: 'sign-out' }, t('user.signOut'));
      out.addEventListener('click', signOut);
      ui.user.replaceChildren(
        h('span', { class: 'user-name', id: 'user-name' }, me.username),
        me.role_label ? h('span', { class: 'user-role' }, pick(me.role_label)) : null,
        out,
      );
    } else {
      const link = h('a', { class: 'user-link', id: 'sign-in', href: '/accounts/login/?next=/' }, t('user.signIn'));
      // Back to this very view after signing in.
      link.addEventListener('click', () => {
        link.href = `/accounts/login/?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
      });
      ui.user.replaceChildren(link);
    }
  };
  render();
  onLang(render);
}
