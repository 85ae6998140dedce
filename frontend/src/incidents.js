// The staff's "Sự việc / Incidents" tool in the map app: the list of open incidents, opening
// one (a place picked by clicking the map, its kind, severity, title and radius) and, in an
// incident's record sheet (a click on the incidents layer or the list), its panel
// (incidents-panel.js). Live: an `incident` on the bus refreshes the layer, the list and the
// open incident. Leaders, administrators and commune officers open incidents; the API decides.

import './incidents.css';

import { getJson, postForm } from './api.js';
import { onLang, pick, t } from './i18n.js';
import { incidentPanel, fmtWhen } from './incidents-panel.js';
import { createArea, createPicker, reloadLayer } from './incidents-map.js';
import { KINDS, SEVERITIES, SEVERITY_COLOURS, it } from './incidents-strings.js';
import { onLive } from './live.js';
import { h, s } from './ui.js';

const BASE = '/api/incidents';
const LAYER = 'incidents';
const TYPE = 'incident';
const OPENERS = new Set(['leader', 'admin', 'commune_officer']);
const ICON = 'M12 3l9 16H3zM12 9v5M12 16.5v.01';

function item(f, onOpen) {
  const p = f.properties;
  const b = h(
    'button',
    { type: 'button', class: 'link record', dataset: { id: p.id } },
    h('span', { class: 'inc-dot', style: `background:${SEVERITY_COLOURS[p.severity] ?? '#e53935'}`, 'aria-hidden': 'true' }),
    h('span', { class: 'record-name' }, p.name),
    h(
      'span',
      { class: 'record-meta' },
      [pick(p.labels.kind), pick(p.labels.severity), p.unit_name, fmtWhen(p.opened_at)].filter(Boolean).join(' · '),
    ),
  );
  b.addEventListener('click', () => onOpen(f));
  return h('li', {}, b);
}

/** Turn the layer of open incidents on (through the layer panel, so the URL keeps it). */
function showLayer() {
  const box = document.getElementById(`toggle-${LAYER}`);
  if (box && !box.checked) box.click();
}

export function createIncidents({ map, ui, sheet, drill, me }) {
  const area = createArea(map);
  const picker = createPicker(map);
  const mayOpen = OPENERS.has(me?.role);
  let current = null; // the incident whose panel shows: {id}
  let view = null; // 'list' | 'open' | null

  const crumbs = () => [
    { label: t('crumb.district'), go: () => drill.go({ kind: 'district' }, { focus: true }) },
    { label: it('title'), go: () => showList({ focus: true }) },
  ];

  // `detail`: the API's answer after an action, shown as is (the drill's cache would not know it).
  const open = (f, { fly = true, detail = false } = {}) => {
    const id = f.properties?.id ?? f.id;
    drill.clear();
    const route = { kind: 'record', type: TYPE, id, url: `${BASE}/${id}/`, point: f.geometry.coordinates, layer: LAYER };
    drill.go(detail ? { ...route, feature: f } : route, { fly, focus: true });
  };

  function leave() {
    picker.stop();
    view = null;
  }

  async function showList({ focus = false } = {}) {
    leave();
    view = 'list';
    current = null;
    area.clear();
    const list = h('ol', { class: 'records inc-list-open', id: 'inc-list', 'data-testid': 'inc-list' });
    const status = h('p', { class: 'muted', role: 'status', id: 'inc-count' }, it('loading'));
    const openButton = mayOpen
      ? h('button', { type: 'button', class: 'primary', id: 'inc-open', 'data-testid': 'inc-open' }, it('open'))
      : null;
    openButton?.addEventListener('click', () => showOpen());
    sheet.show({
      crumbs: crumbs()
        .slice(0, 1)
        .concat([{ label: it('title') }]),
      heading: it('title'),
      content: [openButton, status, list],
      view: 'incidents',
      focus,
      redraw: () => showList(),
    });
    try {
      const body = await getJson(`${BASE}/?status=open`);
      if (view !== 'list') return;
      status.textContent = body.count ? it('count', { n: body.count }) : it('none');
      list.replaceChildren(...body.features.map((f) => item(f, open)));
      sheet.el.dataset.ready = 'incidents:list';
    } catch (error) {
      status.textContent = error.message;
    }
  }

  function showOpen() {
    leave();
    view = 'open';
    const lon = h('input', { type: 'hidden', name: 'lon' });
    const lat = h('input', { type: 'hidden', name: 'lat' });
    const where = h('p', { class: 'muted', id: 'inc-where', role: 'status' }, it('pick'));
    const error = h('p', { class: 'sheet-error', role: 'alert', hidden: true, id: 'inc-open-error' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'inc-send', 'data-testid': 'inc-send' }, it('send'));
    const cancel = h('button', { type: 'button' }, it('cancel'));
    const form = h(
      'form',
      { class: 'form inc-form', id: 'inc-open-form', 'data-testid': 'inc-open-form' },
      h(
        'label',
        { class: 'field' },
        h('span', {}, it('kind')),
        h(
          'select',
          { name: 'kind', id: 'inc-kind' },
          KINDS.map((k) => h('option', { value: k }, it(`k.${k}`))),
        ),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, it('severity')),
        h(
          'select',
          { name: 'severity', id: 'inc-severity' },
          SEVERITIES.map((v) => h('option', { value: v, selected: v === 2 }, it(`s.${v}`))),
        ),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, it('name')),
        h('input', { name: 'title', id: 'inc-title', required: true, maxlength: 200 }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, it('radius')),
        h('input', { name: 'radius_m', id: 'inc-radius', type: 'number', min: 50, max: 20000, step: 50, value: '1000' }),
      ),
      h('label', { class: 'field' }, h('span', {}, it('note')), h('textarea', { name: 'note', rows: 2 })),
      h('div', { class: 'field' }, h('span', {}, it('place')), where),
      lon,
      lat,
      error,
      h('div', { class: 'actions' }, submit, cancel),
    );
    picker.start(([x, y]) => {
      lon.value = x.toFixed(6);
      lat.value = y.toFixed(6);
      where.textContent = it('picked', { p: `${y.toFixed(5)}, ${x.toFixed(5)}` });
      form.dataset.picked = '1';
    });
    cancel.addEventListener('click', () => showList({ focus: true }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      if (!lon.value) {
        error.textContent = it('noPlace');
        error.hidden = false;
        return;
      }
      submit.disabled = true;
      try {
        const { ok, body } = await postForm(`${BASE}/`, new FormData(form));
        if (!ok) throw new Error(body?.message ?? 'HTTP error');
        leave();
        open(body, { fly: false, detail: true });
        reloadLayer(map, LAYER);
      } catch (err) {
        error.textContent = err?.message ?? String(err);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    sheet.show({
      crumbs: crumbs().concat([{ label: it('open') }]),
      heading: it('open'),
      content: [form],
      view: 'incidents',
      focus: true,
      redraw: null,
    });
    sheet.el.dataset.ready = 'incidents:open';
  }

  const tool = h(
    'button',
    { type: 'button', id: 'inc-tool', class: 'tool', 'data-testid': 'inc-tool' },
    s('svg', { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: ICON })),
    h('span', { class: 'tool-text' }, it('tool')),
  );
  const label = () => {
    tool.title = it('title');
    tool.querySelector('.tool-text').textContent = it('tool');
  };
  label();
  onLang(label);
  tool.addEventListener('click', () => showList({ focus: true }));
  ui.header.querySelector('.tools')?.insertBefore(tool, ui.tools.boundary ?? null);
  // Signed in without a staff role: the API refuses, the tool goes.
  getJson(`${BASE}/?limit=1`).catch(() => {
    tool.hidden = true;
  });

  onLive('incident', (event) => {
    reloadLayer(map, LAYER);
    if (view === 'list') showList();
    else if (current && event.data?.id === current.id && !document.querySelector('.inc-form-slot form')) {
      const route = drill.route();
      if (route?.type === TYPE) open({ id: route.id, geometry: { coordinates: route.point ?? null } }, { fly: false });
    }
  });

  return {
    showList,
    /** A click on the map goes to the place picker while a new incident is being placed. */
    picking: () => picker.picking(),
    /** Extra content of a record's sheet: the panel of an incident. */
    recordExtra(type, feature) {
      if (type !== TYPE || !feature?.properties) {
        if (current) area.clear();
        current = null;
        return null;
      }
      leave();
      current = { id: feature.properties.id };
      showLayer();
      return incidentPanel(feature, {
        area,
        onChanged: (detail) => {
          open(detail, { fly: false, detail: true });
          reloadLayer(map, LAYER);
        },
      });
    },
  };
}
