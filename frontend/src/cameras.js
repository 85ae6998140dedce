// The camera system in the map app: a camera's panel in its record's sheet (a camera facility
// or a camera of the cameras layer): status, the live picture (cameras-player.js), the latest
// events with thumbnails and the recent outages, kept current by the live stream; and an
// event's panel: its snapshot with the detection's box, and the staff's actions on it (open a
// citizen-feedback ticket, bring it into an incident, acknowledge, dismiss).

import './cameras.css';
import { getJson, postForm } from './api.js';
import { cameraPicture, eventPicture } from './cameras-player.js';
import { ct, ctDuration } from './cameras-strings.js';
import { fmtMoment } from './feedback-detail.js';
import { fmtNumber, pick } from './i18n.js';
import { onLive } from './live.js';
import { learnLayers, typeOfLayer } from './records.js';
import { h } from './ui.js';

const API = '/api/cameras';
const STATUS_LAYER = 'cameras-status';
const EVENTS_SHOWN = 8;
const OUTAGES_SHOWN = 5;
const mounted = new Set(); // panels listening for live news: {camera, onStatus, onEvent, el}

/** The stored picture's URL of an event (`thumb`/`snapshot`, else from its stored name). */
function pictureUrl(p, which) {
  if (p[which]) return p[which];
  const file = p[`${which}_file`];
  return file ? `${API}/snapshots/${file.split('/').pop()}` : null;
}

const label = (p, field) => pick(p.labels?.[field]) || p[field] || '';
const percent = (value) => fmtNumber(value, 'percent');

function badge(status, text, since) {
  return h(
    'p',
    { class: `cam-status cam-${status}`, 'data-testid': 'cam-status', 'data-status': status },
    h('span', { class: 'cam-dot', 'aria-hidden': 'true' }),
    text,
    since ? h('span', { class: 'cam-since' }, ` · ${ct('since', { d: fmtMoment(since) })}`) : null,
  );
}

/** One event in a camera's list: thumbnail, kind, time and confidence; opens the event. */
function eventItem(e) {
  const thumb = e.thumb ?? pictureUrl(e, 'thumb');
  return h(
    'li',
    {},
    h(
      'button',
      { type: 'button', class: 'cam-event', 'data-testid': 'cam-event', 'data-id': e.id },
      thumb ? h('img', { src: thumb, alt: '', loading: 'lazy' }) : h('span', { class: 'cam-nothumb' }),
      h(
        'span',
        { class: 'cam-event-text' },
        h('strong', {}, e.kindLabel),
        h('span', {}, fmtMoment(e.occurred_at)),
        e.confidence !== null && e.confidence !== undefined ? h('span', {}, ct('confidence', { p: percent(e.confidence) })) : null,
      ),
    ),
  );
}

function eventsSection(camera, drill) {
  const list = h('ul', { class: 'cam-events', 'data-testid': 'cam-events' });
  const open = (e) =>
    drill.openRecord(
      { type: 'Feature', id: e.id, geometry: camera.geometry, properties: { id: e.id, name: e.kindLabel } },
      { type: 'camera_event' },
    );
  const add = (e, { first = false } = {}) => {
    list.querySelector('li.cam-note')?.remove(); // "no events yet" no more
    const item = eventItem(e);
    item.querySelector('button').addEventListener('click', () => open(e));
    if (first) list.prepend(item);
    else list.append(item);
    while (list.children.length > EVENTS_SHOWN) list.lastChild.remove();
  };
  const section = h('section', { class: 'cam-section' }, h('h3', {}, ct('events')), list);
  const code = camera.properties.code;
  getJson(`${API}/events/?camera=${encodeURIComponent(code)}&limit=${EVENTS_SHOWN}`)
    .then((body) => {
      const rows = (body.features ?? []).map((f) => ({ ...f.properties, id: f.id ?? f.properties.id }));
      for (const p of rows) add({ ...p, kindLabel: label(p, 'kind') });
      if (!rows.length) list.append(h('li', { class: 'cam-note' }, ct('noEvents')));
    })
    .catch((error) => list.append(h('li', { class: 'cam-note' }, error.message)));
  return { section, add };
}

function outagesSection(code) {
  const list = h('ul', { class: 'cam-outages', 'data-testid': 'cam-outages' });
  const load = () =>
    getJson(`${API}/outages/?camera=${encodeURIComponent(code)}&limit=${OUTAGES_SHOWN}`)
      .then((body) => {
        const rows = (body.results ?? []).slice(0, OUTAGES_SHOWN);
        list.replaceChildren(
          ...rows.map((o) =>
            h(
              'li',
              { class: o.open ? 'cam-open' : '' },
              `${fmtMoment(o.started_at)} · ${o.open ? ct('ongoing') : ctDuration(o.duration_s)}`,
            ),
          ),
        );
        if (!rows.length) list.append(h('li', { class: 'cam-note' }, ct('noOutages')));
      })
      .catch((error) => list.replaceChildren(h('li', { class: 'cam-note' }, error.message)));
  load();
  return { section: h('section', { class: 'cam-section' }, h('h3', {}, ct('outages')), list), reload: load };
}

/** The camera's API feature: by its id, else by its facility code. */
async function cameraFind({ id, code }) {
  if (id) return getJson(`${API}/${id}/`);
  const body = await getJson(`${API}/?q=${encodeURIComponent(code)}`);
  return (body.features ?? []).find((f) => f.properties.code === code) ?? null;
}

function cameraPanel(key, { drill, me }) {
  const panel = h('div', { class: 'cam-panel', 'data-testid': 'cam-panel' }, h('p', { class: 'cam-note' }, ct('loading')));
  Promise.all([cameraFind(key), me])
    .then(([camera, who]) => {
      if (!camera) {
        panel.replaceChildren(h('p', { class: 'cam-note' }, ct('notFound')));
        return;
      }
      const p = camera.properties;
      const status = h('div', { class: 'cam-status-box' }, badge(p.status, label(p, 'status'), p.status_since));
      const staff = Boolean(p.stream_url || p.snapshot || p.snapshot_url || who?.username);
      // Events are staff's (what a camera saw); the public sees where it is and if it works.
      const events = staff ? eventsSection(camera, drill) : { section: null, add: () => {} };
      const outages = outagesSection(p.code);
      const facts = h(
        'dl',
        { class: 'cam-facts' },
        p.road ? [h('dt', {}, ct('road')), h('dd', {}, p.road)] : null,
        p.agency_name ? [h('dt', {}, ct('agency')), h('dd', {}, p.agency_name)] : null,
      );
      panel.dataset.camera = String(camera.id);
      panel.replaceChildren(
        h('h3', { class: 'cam-title' }, `${ct('title')} · ${label(p, 'kind')}`),
        status,
        cameraPicture(p, { staff, fmtMoment }),
        facts,
        events.section,
        outages.section,
      );
      mounted.add({
        el: panel,
        camera: camera.id,
        onStatus: (data) => {
          status.replaceChildren(badge(data.status, statusText(data.status), data.since));
          outages.reload(); // an outage began or ended
        },
        onEvent: (data) => events.add({ ...data, kindLabel: pick(data.label) || data.kind }, { first: true }),
      });
    })
    .catch((error) => panel.replaceChildren(h('p', { class: 'cam-note' }, error.message)));
  return panel;
}

const STATUS_TEXT = { online: ['Đang hoạt động', 'Online'], offline: ['Mất kết nối', 'Offline'], maintenance: ['Bảo trì', 'Maintenance'] };
const statusText = (status) => pick({ vi: STATUS_TEXT[status]?.[0] ?? status, en: STATUS_TEXT[status]?.[1] ?? status });

/** The buttons of what staff may still do with an event in its status. */
function actionsFor(status) {
  if (status === 'new') return ['report', 'incident', 'acknowledge', 'dismiss'];
  if (status === 'acknowledged') return ['report', 'incident', 'dismiss'];
  if (status === 'reported') return ['incident'];
  return [];
}

function eventPanel(feature, { drill }) {
  const p = feature.properties ?? {};
  const id = feature.id ?? p.id;
  const note = h('p', { class: 'cam-result', 'data-testid': 'cam-result', role: 'status' });
  const buttons = h('div', { class: 'cam-actions' });
  const draw = (status) => {
    buttons.replaceChildren(
      ...actionsFor(status).map((action) =>
        h(
          'button',
          { type: 'button', class: `cam-act cam-act-${action}`, 'data-action': action, 'data-testid': `cam-${action}` },
          ct(`a.${action}`),
        ),
      ),
    );
    for (const button of buttons.querySelectorAll('button')) button.addEventListener('click', () => act(button.dataset.action));
  };
  async function act(action) {
    for (const button of buttons.querySelectorAll('button')) button.disabled = true;
    const form = new FormData();
    if (action === 'incident') form.set('severity', '2');
    try {
      const answer = await postForm(`${API}/events/${id}/${action}/`, form);
      if (!answer.ok) throw new Error(answer.body?.message ?? `HTTP ${answer.status}`);
      const body = answer.body;
      note.dataset.state = 'ok';
      if (action === 'report' && body.ticket) note.textContent = ct('ticket', { t: body.ticket });
      else if (action === 'incident' && body.incident_id) note.textContent = ct('incident', { n: body.incident_id });
      else note.textContent = ct('done');
      drill.clear();
      draw(body.status);
    } catch (error) {
      note.dataset.state = 'error';
      note.textContent = error.message;
      draw(p.status);
    }
  }
  draw(p.status);
  const heading = [
    label(p, 'kind'),
    p.confidence !== null && p.confidence !== undefined ? ct('confidence', { p: percent(p.confidence) }) : null,
  ];
  return h(
    'div',
    { class: 'cam-panel cam-event-panel', 'data-testid': 'cam-event-panel' },
    h('h3', { class: 'cam-title' }, heading.filter(Boolean).join(' · ')),
    h('p', { class: 'cam-note' }, `${p.camera_name ?? ''} · ${fmtMoment(p.occurred_at)}`),
    eventPicture(pictureUrl(p, 'snapshot'), p.bbox),
    buttons,
    note,
  );
}

/** Live news for the open panels: a camera's status, its new events. */
function onNews(event) {
  for (const panel of mounted) {
    if (!panel.el.isConnected) {
      mounted.delete(panel);
      continue;
    }
    if (event.data?.camera_id !== panel.camera) continue;
    if (event.kind === 'camera.status') panel.onStatus(event.data);
    else if (event.kind === 'camera.event') panel.onEvent(event.data);
  }
}

/** The camera system's part of the map app; `recordExtra` gives a record's camera panel. */
export function createCameras({ drill, me = Promise.resolve(null) }) {
  onLive('camera.', onNews);
  // The cameras layer's points are cameras (feature id: the camera's), unless it says otherwise.
  if (typeOfLayer(STATUS_LAYER) === STATUS_LAYER) learnLayers([{ id: STATUS_LAYER, record: { type: 'camera', detail: `${API}/{id}/` } }]);
  return {
    recordExtra(type, feature) {
      const p = feature?.properties ?? {};
      if (type === 'camera_event') return eventPanel(feature, { drill });
      if (type === 'camera') return cameraPanel({ id: p.camera_id ?? feature.id ?? p.id, code: p.code }, { drill, me });
      if (type === 'facility' && p.kind === 'camera' && p.code) return cameraPanel({ code: p.code }, { drill, me });
      return null;
    },
  };
}
