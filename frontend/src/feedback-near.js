// "Gần tôi" for field staff: open reports near the browser's position (or the map's centre),
// nearest first, each with its distance and compass bearing. Picking one draws the straight
// line from the position to it (no road network offline: said beside the list) and opens it.

import maplibregl from 'maplibre-gl';

import { getJson } from './api.js';
import { fmtDistance, pick } from './i18n.js';
import { dueText } from './feedback-detail.js';
import { ft } from './feedback-strings.js';
import { h } from './ui.js';

const SOURCE = 'fb-route';
const RADII = [1000, 3000, 10000, 30000];

function position() {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) reject(new Error('no geolocation'));
    else navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 });
  });
}

/** The straight line from the position to a report on the map, with its length at the end. */
export function createRoute(map) {
  let label = null;

  function ensure() {
    if (map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'fb-route-line',
      type: 'line',
      source: SOURCE,
      paint: { 'line-color': '#c2410c', 'line-width': 3, 'line-dasharray': [2, 1.5] },
    });
    map.addLayer({
      id: 'fb-route-ends',
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 6, 'circle-color': '#c2410c', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    });
  }

  return {
    /** Draw `route` (a GeoJSON LineString) with a label such as "350 m Đông Bắc". */
    show(route, text) {
      ensure();
      const [from, to] = route.coordinates;
      map.getSource(SOURCE).setData({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: route, properties: {} },
          { type: 'Feature', geometry: { type: 'Point', coordinates: from }, properties: {} },
        ],
      });
      label ??= new maplibregl.Marker({ element: h('div', { class: 'fb-route-label', id: 'fb-route-label' }), anchor: 'bottom' });
      label.getElement().textContent = text;
      label.setLngLat(to).addTo(map);
      const box = new maplibregl.LngLatBounds(from, from).extend(to);
      map.fitBounds(box, { padding: 80, maxZoom: 17, duration: 600 });
    },
    clear() {
      map.getSource(SOURCE)?.setData({ type: 'FeatureCollection', features: [] });
      label?.remove();
    },
  };
}

/** The near-me tab's content; `onPick(report)` opens a report after its line is drawn. */
export function nearView({ map, route, onPick }) {
  const list = h('ol', { id: 'fb-near-list', class: 'records fb-list', 'data-testid': 'fb-near-list' });
  const status = h('p', { class: 'muted', role: 'status' });
  const radius = h(
    'select',
    { id: 'fb-near-radius' },
    RADII.map((r) => h('option', { value: String(r) }, fmtDistance(r))),
  );
  radius.value = '3000';
  const mine = h('button', { type: 'button', id: 'fb-near-me' }, ft('near.me'));
  const centre = h('button', { type: 'button', id: 'fb-near-centre' }, ft('near.centre'));

  async function load(lon, lat, where) {
    status.textContent = ft('loading');
    list.setAttribute('aria-busy', 'true');
    try {
      const url = `/api/feedback/near/?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&radius=${radius.value}`;
      const body = await getJson(url);
      status.textContent = `${ft('near.from', { where })} · ${ft('count', { n: body.count })}`;
      list.replaceChildren(
        ...body.results.map((r, i) => {
          const dir = ft('near.dir', { d: fmtDistance(r.distance_m), c: ft(`compass.${r.compass}`) });
          const b = h(
            'button',
            { type: 'button', class: 'link record', dataset: { ticket: r.ticket, distance: String(r.distance_m) } },
            h('span', { class: 'record-name' }, `${i + 1}. ${r.ticket} · ${pick(r.category_label)}`),
            h('span', { class: 'record-meta' }, [dir, pick(r.status_label), dueText(r)].filter(Boolean).join(' · ')),
          );
          b.addEventListener('click', () => {
            route.show(r.route, dir);
            onPick(r);
          });
          return h('li', { class: r.overdue ? 'fb-overdue' : null }, b);
        }),
      );
      if (!body.results.length) list.replaceChildren(h('li', { class: 'muted' }, ft('none')));
    } catch (error) {
      status.textContent = error.message;
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  const fromCentre = () => {
    const c = map.getCenter();
    return load(c.lng, c.lat, ft('near.centre'));
  };
  centre.addEventListener('click', fromCentre);
  mine.addEventListener('click', async () => {
    try {
      const { coords } = await position();
      await load(coords.longitude, coords.latitude, ft('near.me'));
    } catch {
      status.textContent = ft('near.denied');
      await fromCentre();
    }
  });
  radius.addEventListener('change', fromCentre);

  return {
    el: h(
      'div',
      { class: 'fb-near' },
      h('div', { class: 'actions fb-near-from' }, mine, centre, h('label', { class: 'check' }, ft('near.radius'), radius)),
      h('p', { class: 'fb-note-box', id: 'fb-near-note' }, ft('near.line')),
      status,
      list,
    ),
    start: fromCentre,
  };
}
