// The alert bell in the map app's header (signed-in staff only): the unread count, read on load
// and again whenever an `alert` arrives on the live bus; a dropdown of the newest notifications
// (time, level, title) whose link moves the map to the place and selects the commune or camera;
// mark one or all read. The server decides who is notified (gisioc/alerts).

import './alerts.css';

import { getJson, postForm } from './api.js';
import { lang, onLang, pick } from './i18n.js';
import { onLive } from './live.js';
import { parse } from './state.js';
import { h, s } from './ui.js';

const BASE = '/api/alerts/notifications/';
const BELL = 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0';
const TEXT = {
  title: ['Cảnh báo', 'Alerts'],
  empty: ['Chưa có cảnh báo nào.', 'No alerts yet.'],
  markAll: ['Đã đọc tất cả', 'Mark all read'],
  unread: ['chưa đọc', 'unread'],
  resolved: ['đã hết', 'resolved'],
  failed: ['Không tải được cảnh báo.', 'Could not load the alerts.'],
  level: { info: ['Thông tin', 'Info'], warning: ['Cảnh báo', 'Warning'], critical: ['Khẩn cấp', 'Critical'] },
};
const say = (pair) => pair[lang() === 'en' ? 1 : 0];

function when(iso) {
  const options = { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' };
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', options).format(new Date(iso));
}

/** Move the map to an alert's link (`/?map=z/lat/lon&sel=type:id`) without leaving the page. */
export function goToLink(link, { map, drill }) {
  const target = parse(new URL(link, window.location.origin).search);
  if (target.view) map.jumpTo({ center: target.view.center, zoom: target.view.zoom });
  if (target.sel) drill.openSel(target.sel, { fly: false });
  return target;
}

/** The bell for a signed-in user; null for the public. */
export function createAlerts({ map, ui, drill, me }) {
  if (!me?.username) return null;
  const state = { items: [], unread: 0, error: false };
  const count = h('span', { class: 'alerts-count', id: 'alerts-count', hidden: true });
  const bell = h(
    'button',
    {
      type: 'button',
      class: 'alerts-bell',
      id: 'alerts-bell',
      'aria-haspopup': 'true',
      'aria-expanded': 'false',
      'aria-controls': 'alerts-menu',
    },
    s('svg', { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: BELL })),
    count,
  );
  const menu = h('div', { class: 'alerts-menu', id: 'alerts-menu', hidden: true });
  const wrap = h('div', { class: 'alerts' }, bell, menu);
  ui.user.before(wrap);

  const open = (show) => {
    menu.hidden = !show;
    bell.setAttribute('aria-expanded', String(show));
  };

  async function markRead(ids) {
    const form = new FormData();
    if (ids) ids.forEach((id) => form.append('ids', String(id)));
    else form.append('all', 'true');
    const answer = await postForm(`${BASE}read/`, form);
    if (answer.ok) await refresh();
  }

  function entry(n) {
    const level = TEXT.level[n.level] ?? TEXT.level.warning;
    const link = h(
      'a',
      { href: n.link, class: 'alerts-link' },
      h('span', { class: 'alerts-title' }, pick(n.title)),
      h(
        'span',
        { class: 'alerts-meta' },
        [when(n.fired_at), say(level), n.resolved_at ? say(TEXT.resolved) : ''].filter(Boolean).join(' · '),
      ),
    );
    link.addEventListener('click', (event) => {
      event.preventDefault();
      open(false);
      goToLink(n.link, { map, drill });
      if (!n.read_at) markRead([n.id]);
    });
    return h('li', { class: `alerts-item level-${n.level}`, dataset: { id: n.id, read: n.read_at ? '1' : '0' } }, link);
  }

  function render() {
    count.textContent = state.unread > 99 ? '99+' : String(state.unread);
    count.hidden = state.unread === 0;
    bell.title = `${say(TEXT.title)}: ${state.unread} ${say(TEXT.unread)}`;
    bell.setAttribute('aria-label', bell.title);
    bell.dataset.unread = String(state.unread);
    const all = h(
      'button',
      { type: 'button', class: 'link alerts-all', id: 'alerts-read-all', hidden: state.unread === 0 },
      say(TEXT.markAll),
    );
    all.addEventListener('click', () => markRead(null));
    const body = state.error
      ? h('p', { class: 'alerts-empty' }, say(TEXT.failed))
      : state.items.length
        ? h('ul', { class: 'alerts-list' }, state.items.map(entry))
        : h('p', { class: 'alerts-empty' }, say(TEXT.empty));
    menu.replaceChildren(h('div', { class: 'alerts-head' }, h('strong', {}, say(TEXT.title)), all), body);
  }

  async function refresh() {
    try {
      const page = await getJson(`${BASE}?limit=20`);
      Object.assign(state, { items: page.results, unread: page.unread, error: false });
    } catch (error) {
      state.error = true;
      console.warn('gisioc alerts:', error.message);
    }
    render();
  }

  bell.addEventListener('click', () => open(menu.hidden));
  document.addEventListener('click', (event) => {
    if (!wrap.contains(event.target)) open(false);
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      open(false);
      bell.focus();
    }
  });
  onLive('alert', () => refresh());
  onLang(render);
  refresh();
  return { refresh, state: () => ({ ...state }) };
}
