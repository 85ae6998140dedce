// The staff's "Phản ánh / Reports" tool in the map app: tabs for an agency's queue, the overdue
// counts by agency and commune (leaders), reports near me (with the straight line on the
// map) and the 1022 operator's intake; and, in a report's sheet, the staff panel with its
// history and actions (feedback-detail.js). Shown to signed-in staff only: the API refuses
// everyone else, so a refusal hides the tool.

import './feedback.css';

import { getJson } from './api.js';
import { fmtDate, onLang, pick, t } from './i18n.js';
import { agenciesLoad, dueText, staffPanel } from './feedback-detail.js';
import { hotlineView } from './feedback-hotline.js';
import { createRoute, nearView } from './feedback-near.js';
import { ft } from './feedback-strings.js';
import { h, s } from './ui.js';

const TABS = ['queue', 'overdue', 'near', 'hotline'];
const ICON = 'M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M8.5 13l2.5 2.5 4.5-5';

function reportItem(r, onOpen) {
  const b = h(
    'button',
    { type: 'button', class: 'link record', dataset: { ticket: r.ticket } },
    h('span', { class: 'record-name' }, `${r.ticket} · ${pick(r.category_label)}`),
    h('span', { class: 'record-meta' }, [pick(r.status_label), r.unit?.name, dueText(r)].filter(Boolean).join(' · ')),
  );
  b.addEventListener('click', () => onOpen(r));
  return h('li', { class: r.overdue ? 'fb-overdue' : null }, b);
}

function countsTable(caption, rows, emptyName) {
  return h(
    'table',
    { class: 'table fb-counts' },
    h('caption', {}, caption),
    h(
      'tbody',
      {},
      rows.map((r) => h('tr', {}, h('td', {}, r.name ?? emptyName), h('td', { class: 'num' }, String(r.overdue)))),
    ),
  );
}

export function createFeedback({ map, ui, sheet, drill, me }) {
  const route = createRoute(map);
  let tab = me?.role === 'leader' ? 'overdue' : 'queue';
  let hotline = null;

  // Near me keeps the view its line was fitted to; the lists fly to the report.
  const open = (r, { fly = true } = {}) => {
    const via = { label: () => ft('title'), go: () => show(tab) };
    const point = r.lon !== null && r.lon !== undefined ? [r.lon, r.lat] : null;
    drill.go({ kind: 'record', type: 'report', id: r.id, point, via }, { fly, focus: true });
  };
  const openTicket = (ticket) => getJson(`/api/feedback/reports/${encodeURIComponent(ticket)}/`).then((r) => open(r));

  function queueView() {
    const list = h('ol', { class: 'records fb-list', id: 'fb-queue-list', 'data-testid': 'fb-queue-list' });
    const status = h('p', { class: 'muted', role: 'status' }, ft('loading'));
    const picker = h('select', { id: 'fb-queue-agency' });
    const load = async () => {
      list.setAttribute('aria-busy', 'true');
      try {
        const body = await getJson(`/api/feedback/queue/?agency=${encodeURIComponent(picker.value)}&limit=200`);
        status.textContent = `${body.agency?.name ?? ft('allAgencies')} · ${ft('count', { n: body.count })}`;
        list.replaceChildren(...body.results.map((r) => reportItem(r, (x) => open(x))));
      } catch (error) {
        status.textContent = error.message;
        list.replaceChildren();
      } finally {
        list.removeAttribute('aria-busy');
      }
    };
    agenciesLoad()
      .then((agencies) => {
        picker.append(h('option', { value: '' }, ft('allAgencies')), ...agencies.map((a) => h('option', { value: a.code }, a.name)));
        picker.value = agencies.mine ?? '';
        return load();
      })
      .catch((error) => {
        status.textContent = error.message;
      });
    picker.addEventListener('change', load);
    return h('div', {}, h('label', { class: 'field' }, h('span', {}, ft('agency')), picker), status, list);
  }

  function overdueView() {
    const el = h('div', { id: 'fb-overdue', 'data-testid': 'fb-overdue' }, h('p', { class: 'muted' }, ft('loading')));
    getJson('/api/feedback/overdue/?limit=200')
      .then((body) => {
        el.replaceChildren(
          h('p', { class: 'muted' }, `${ft('asOf', { d: fmtDate(body.today) })} · ${ft('count', { n: body.count })}`),
          h(
            'div',
            { class: 'fb-tables' },
            countsTable(ft('byAgency'), body.by_agency, ft('noAgency')),
            countsTable(ft('byCommune'), body.by_commune, ft('noCommune')),
          ),
          h(
            'ol',
            { class: 'records fb-list', id: 'fb-overdue-list' },
            body.results.map((r) => reportItem(r, (x) => open(x))),
          ),
        );
      })
      .catch((error) => el.replaceChildren(h('p', { class: 'sheet-error', role: 'alert' }, error.message)));
    return el;
  }

  function show(which = tab, { focus = false } = {}) {
    tab = which;
    if (which !== 'hotline') hotline?.hide();
    if (which !== 'near') route.clear();
    const buttons = TABS.map((name) => {
      const b = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `fb-tab-${name}`,
          'data-testid': `fb-tab-${name}`,
          'aria-selected': String(name === which),
          class: 'fb-tab',
        },
        ft(`tab.${name}`),
      );
      b.addEventListener('click', () => show(name, { focus: false }));
      return b;
    });
    let content;
    if (which === 'queue') content = queueView();
    else if (which === 'overdue') content = overdueView();
    else if (which === 'near') {
      const near = nearView({ map, route, onPick: (r) => open(r, { fly: false }) });
      near.start();
      content = near.el;
    } else {
      hotline = hotlineView({ map, onDone: (r) => open(r) });
      content = hotline.el;
    }
    sheet.show({
      crumbs: [{ label: t('crumb.district'), go: () => drill.go({ kind: 'district' }, { focus: true }) }, { label: ft('title') }],
      heading: ft('title'),
      content: [
        h('div', { class: 'fb-tabs', role: 'tablist', 'aria-label': ft('tabs') }, buttons),
        h('div', { role: 'tabpanel', id: 'fb-panel', 'aria-labelledby': `fb-tab-${which}`, dataset: { tab: which } }, content),
      ],
      view: 'feedback',
      focus,
      redraw: () => show(tab),
    });
    sheet.el.dataset.ready = `feedback:${which}`;
  }

  const tool = h(
    'button',
    { type: 'button', id: 'fb-tool', class: 'tool', 'data-testid': 'fb-tool' },
    s('svg', { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: ICON })),
    h('span', { class: 'tool-text' }, ft('tool')),
  );
  const label = () => {
    tool.title = ft('title');
    tool.querySelector('.tool-text').textContent = ft('tool');
  };
  label();
  onLang(label);
  tool.addEventListener('click', () => show(tab, { focus: true }));
  ui.header.querySelector('.tools')?.insertBefore(tool, ui.tools.boundary ?? null);
  // Signed in but not staff (no role, no agency): the API refuses, the tool goes.
  agenciesLoad().catch(() => {
    tool.hidden = true;
  });

  return {
    show,
    /** Extra content of a record's sheet: the staff panel of a report. */
    recordExtra(type, feature) {
      const ticket = feature?.properties?.ticket;
      if (type !== 'report' || !ticket) return null;
      return staffPanel({ ticket, onOpen: openTicket, onChanged: () => drill.clear() });
    },
  };
}
