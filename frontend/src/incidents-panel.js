// An incident's panel in its record sheet: what lies within its radius (schools and health
// facilities, camera events, open reports, cameras; a circle on the map), what is linked, the
// timeline, and the actions the user may take (note, assign, severity, close with a summary).

import { getJson, postForm } from './api.js';
import { fmtDistance, fmtNumber, pick } from './i18n.js';
import { floodNear } from './exposure-near.js';
import { SEVERITIES, it } from './incidents-strings.js';
import { h } from './ui.js';

const BASE = '/api/incidents';

/** A moment as Vietnam's clock shows it (dd/mm hh:mm). */
export function fmtWhen(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}

function section(id, title, items) {
  return h(
    'section',
    { class: 'inc-section', id, 'data-testid': id },
    h('h4', {}, title),
    items.length ? h('ul', { class: 'inc-list' }, items) : h('p', { class: 'muted' }, it('nothing')),
  );
}

function nearItems(near, incident, onLink) {
  const linkedEvents = new Set(incident.events.map((e) => e.id));
  const linkedReports = new Set(incident.reports.map((r) => r.id));
  const may = incident.can.includes('attach');
  const linkButton = (body) => {
    const b = h('button', { type: 'button', class: 'link inc-link' }, it('link'));
    b.addEventListener('click', () => onLink(body));
    return b;
  };
  const facilities = near.facilities.map((f) =>
    h(
      'li',
      { dataset: { kind: f.kind, id: f.id } },
      h('span', {}, f.name),
      ' · ',
      h('span', { class: 'muted' }, `${pick(f.kind_label)} · ${fmtDistance(f.distance_m)}`),
    ),
  );
  const events = near.events.map((e) =>
    h(
      'li',
      { dataset: { id: e.id } },
      `${pick(e.label)} · ${e.camera} · ${fmtWhen(e.occurred_at)} · ${fmtDistance(e.distance_m)} `,
      linkedEvents.has(e.id) ? h('span', { class: 'muted' }, it('linked')) : may ? linkButton({ action: 'attach', event: e.id }) : null,
    ),
  );
  const reports = near.reports.map((r) =>
    h(
      'li',
      { dataset: { id: r.id } },
      `${r.ticket} · ${pick(r.status_label)} · ${fmtDistance(r.distance_m)} `,
      linkedReports.has(r.id) ? h('span', { class: 'muted' }, it('linked')) : may ? linkButton({ action: 'attach', report: r.id }) : null,
    ),
  );
  const cameras = near.cameras.map((c) => h('li', { dataset: { id: c.camera_id } }, `${c.name} · ${fmtDistance(c.distance_m)}`));
  return [
    h('h3', { class: 'inc-near-title' }, it('near', { r: fmtDistance(near.radius_m) })),
    section('inc-facilities', it('facilities', { n: near.facilities.length }), facilities),
    section('inc-events', it('events', { n: near.events.length }), events),
    section('inc-reports', it('reports', { n: near.reports.length }), reports),
    section('inc-cameras', it('cameras', { n: near.cameras.length }), cameras),
  ];
}

function timeline(actions) {
  return h(
    'section',
    { class: 'inc-section', id: 'inc-timeline', 'data-testid': 'inc-timeline' },
    h('h4', {}, it('timeline')),
    h(
      'ol',
      { class: 'inc-timeline' },
      actions.map((a) =>
        h(
          'li',
          { dataset: { action: a.action } },
          h('span', { class: 'inc-when' }, fmtWhen(a.at)),
          ' ',
          h('strong', {}, pick(a.action_label)),
          a.actor ? ` · ${a.actor}` : '',
          a.agency ? ` → ${a.agency.name}` : '',
          a.assignee ? ` → ${a.assignee}` : '',
          a.severity && a.action === 'severity' ? ` → ${it(`s.${a.severity}`)}` : '',
          a.text ? h('p', { class: 'inc-text' }, a.text) : null,
        ),
      ),
    ),
  );
}

async function agencies() {
  const body = await getJson('/api/feedback/agencies/');
  return body.results ?? body.agencies ?? (Array.isArray(body) ? body : []);
}

function field(label, control) {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}

async function formFor(action) {
  if (action === 'note') return [field(it('f.text'), h('textarea', { name: 'text', required: true, rows: 3 }))];
  if (action === 'close') return [field(it('f.summary'), h('textarea', { name: 'summary', required: true, rows: 4, id: 'inc-summary' }))];
  if (action === 'severity') {
    return [
      field(
        it('severity'),
        h(
          'select',
          { name: 'severity' },
          SEVERITIES.map((s) => h('option', { value: s }, it(`s.${s}`))),
        ),
      ),
      field(it('f.text'), h('input', { name: 'text' })),
    ];
  }
  const list = await agencies().catch(() => []);
  return [
    field(
      it('f.agency'),
      h(
        'select',
        { name: 'agency' },
        h('option', { value: '' }, it('f.noAgency')),
        list.map((a) => h('option', { value: a.id }, a.name)),
      ),
    ),
    field(it('f.person'), h('input', { name: 'person' })),
    field(it('f.text'), h('input', { name: 'text' })),
  ];
}

/** The incident's kind, severity, radius, when and by whom it was opened. */
function facts(incident) {
  const rows = [
    [it('kind'), pick(incident.kind_label)],
    [it('severity'), pick(incident.severity_label)],
    [it('radius'), fmtNumber(incident.radius_m, 'int')],
    [it('openedAt'), `${fmtWhen(incident.opened_at)}${incident.opened_by ? ` · ${incident.opened_by}` : ''}`],
  ];
  return h(
    'dl',
    { class: 'facts inc-facts', dataset: { severity: incident.severity } },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

/**
 * The panel of the incident `feature` (the API's detail: `feature.incident` holds links,
 * timeline and allowed actions). `area` draws on the map; `onChanged` reopens the record.
 */
export function incidentPanel(feature, { area, onChanged }) {
  const incident = feature.incident ?? { events: [], reports: [], cameras: [], actions: [], can: [] };
  const p = feature.properties;
  const center = feature.geometry.coordinates;
  const error = h('p', { class: 'sheet-error', role: 'alert', hidden: true, id: 'inc-error' });
  const nearSlot = h('div', { class: 'inc-near', 'aria-busy': 'true' }, h('p', { class: 'muted' }, it('loading')));
  const formSlot = h('div', { class: 'inc-form-slot' });

  async function send(body) {
    error.hidden = true;
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) form.append(k, v);
    try {
      const { ok, body: answer } = await postForm(`${BASE}/${p.id}/actions/`, form);
      if (!ok) throw new Error(answer?.message ?? 'HTTP error');
      onChanged(answer);
    } catch (err) {
      error.textContent = err?.message ?? String(err);
      error.hidden = false;
    }
  }

  async function openForm(action) {
    const submit = h('button', { type: 'submit', class: 'primary', id: 'inc-confirm' }, it('f.send'));
    const cancel = h('button', { type: 'button' }, it('cancel'));
    const form = h(
      'form',
      { class: 'form inc-form', id: `inc-form-${action}`, 'data-testid': `inc-form-${action}` },
      h('h4', {}, it(`a.${action}`)),
      await formFor(action),
      h('div', { class: 'actions' }, submit, cancel),
    );
    cancel.addEventListener('click', () => formSlot.replaceChildren());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      const body = Object.fromEntries(new FormData(form).entries());
      send({ action, ...body }).finally(() => {
        submit.disabled = false;
      });
    });
    formSlot.replaceChildren(form);
    form.querySelector('textarea, select, input')?.focus();
  }

  const buttons = ['note', 'assign', 'severity', 'close']
    .filter((a) => incident.can.includes(a))
    .map((a) => {
      const b = h(
        'button',
        { type: 'button', id: `inc-act-${a}`, 'data-testid': `inc-act-${a}`, class: a === 'close' ? 'danger' : null },
        it(`a.${a}`),
      );
      b.addEventListener('click', () => openForm(a));
      return b;
    });

  getJson(`${BASE}/${p.id}/near/`)
    .then((near) => {
      nearSlot.replaceChildren(...nearItems(near, incident, send));
      nearSlot.removeAttribute('aria-busy');
      if (p.status === 'open') {
        const items = [
          ...near.facilities.map((f) => ({ ...f, what: f.kind })),
          ...near.events.map((e) => ({ ...e, what: 'event', name: e.camera })),
          ...near.reports.map((r) => ({ ...r, what: 'report', name: r.ticket })),
          ...near.cameras.map((c) => ({ ...c, what: 'camera' })),
        ];
        area.show(center, near.radius_m, items);
      } else {
        area.clear();
      }
    })
    .catch((err) => {
      nearSlot.replaceChildren(h('p', { class: 'sheet-error' }, err.message));
      nearSlot.removeAttribute('aria-busy');
    });

  return h(
    'div',
    { class: 'inc-panel', id: 'inc-panel', 'data-testid': 'inc-panel', dataset: { status: p.status, id: p.id } },
    facts(incident),
    incident.summary
      ? h(
          'section',
          { class: 'inc-summary', id: 'inc-summary-text' },
          h('h4', {}, it('summary')),
          h('p', {}, incident.summary),
          h('p', { class: 'muted' }, it('closedAt', { d: fmtWhen(incident.closed_at) })),
        )
      : null,
    buttons.length ? h('div', { class: 'inc-actions actions' }, buttons) : null,
    formSlot,
    error,
    nearSlot,
    p.status === 'open' ? floodNear(center) : null, // what around it lies in the water
    timeline(incident.actions),
  );
}
