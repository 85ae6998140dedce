// The public map and list: public reports as a clustered GeoJSON source coloured by status,
// filters (category, status, commune, period), a paged list and counts per commune. A tap on
// a report opens its tracking page.

import { getJson, h } from './api.js';
import { FONT, createMap, drawsApproximate } from './basemap.js';
import { day, lang, onLang, pick, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const PAGE = 20;
const MAP_LIMIT = 2000;
// Status → colour: open work warm, done cool.
export const COLOURS = {
  verified: '#e67e22',
  assigned: '#d35400',
  in_progress: '#c0392b',
  resolved: '#2980b9',
  published: '#27ae60',
  closed: '#7f8c8d',
};
const STATUS_LABELS = {
  verified: ['Đã xác minh', 'Verified'],
  assigned: ['Đã chuyển cơ quan xử lý', 'Forwarded'],
  in_progress: ['Đang xử lý', 'In progress'],
  resolved: ['Đã xử lý', 'Resolved'],
  published: ['Đã công khai kết quả', 'Result published'],
  closed: ['Đã đóng', 'Closed'],
};
const OPEN = ['verified', 'assigned', 'in_progress'];
const statusLabel = (s) => (STATUS_LABELS[s] ?? [s, s])[lang() === 'en' ? 1 : 0];

function periods() {
  const now = new Date();
  const year = now.getFullYear();
  const list = [String(year), String(year - 1)];
  for (let i = 0; i < 12; i += 1) {
    const d = new Date(year, now.getMonth() - i, 1);
    list.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`);
  }
  return list;
}

const option = (value, text, selected) => h('option', { value, selected: value === selected }, text);

export function initMapPage() {
  const state = { categories: [], communes: [], offset: 0, count: 0 };
  const filters = () => {
    const params = {};
    for (const name of ['category', 'status', 'commune', 'period']) {
      const value = $(`filter-${name}`).value;
      if (value) params[name] = value;
    }
    return params;
  };

  const drawFilters = () => {
    const keep = filters();
    $('filter-category').replaceChildren(
      option('', t('map.all'), keep.category ?? ''),
      ...state.categories.map((c) => option(c.code, pick(c.title), keep.category)),
    );
    $('filter-status').replaceChildren(
      option('', t('map.all'), keep.status ?? ''),
      ...Object.keys(COLOURS).map((s) => option(s, statusLabel(s), keep.status)),
    );
    $('filter-commune').replaceChildren(
      option('', t('map.all'), keep.commune ?? ''),
      ...state.communes.map((u) => option(String(u.unit_id), u.name, keep.commune)),
    );
    $('filter-period').replaceChildren(option('', t('map.allTime'), keep.period ?? ''), ...periods().map((p) => option(p, p, keep.period)));
    $('map-legend').replaceChildren(
      ...Object.entries(COLOURS).map(([s, colour]) =>
        h('span', { class: 'c-key' }, h('i', { style: `background:${colour}` }), statusLabel(s)),
      ),
    );
  };

  const map = createMap($('public-map'));
  let fitted = false;
  const loadPoints = async () => {
    const data = await getJson('public/reports/', { ...filters(), limit: MAP_LIMIT });
    map.getSource('reports')?.setData(data);
    if (fitted || !data.features.length) return;
    fitted = true;
    const xs = data.features.map((f) => f.geometry.coordinates[0]);
    const ys = data.features.map((f) => f.geometry.coordinates[1]);
    const box = [
      [Math.min(...xs), Math.min(...ys)],
      [Math.max(...xs), Math.max(...ys)],
    ];
    map.fitBounds(box, { padding: 40, maxZoom: 15, duration: 0 });
  };
  map.on('load', () => {
    map.addSource('reports', {
      type: 'geojson',
      data: { type: 'FeatureCollection', features: [] },
      cluster: true,
      clusterRadius: 45,
      clusterMaxZoom: 15,
    });
    map.addLayer({
      id: 'report-clusters',
      type: 'circle',
      source: 'reports',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#34495e',
        'circle-opacity': 0.85,
        'circle-radius': ['step', ['get', 'point_count'], 14, 20, 18, 100, 24],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'report-cluster-count',
      type: 'symbol',
      source: 'reports',
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': FONT, 'text-size': 12 },
      paint: { 'text-color': '#fff' },
    });
    const colour = ['match', ['get', 'status'], ...Object.entries(COLOURS).flat(), '#555'];
    map.addLayer({
      id: 'report-points',
      type: 'circle',
      source: 'reports',
      filter: ['!', ['has', 'point_count']],
      paint: { 'circle-color': colour, 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    });
    map.on('click', 'report-points', (e) => {
      const ticket = e.features[0]?.properties.ticket;
      if (ticket) window.location.assign(`/phan-anh/${ticket}/`);
    });
    map.on('click', 'report-clusters', async (e) => {
      const feature = e.features[0];
      const zoom = await map.getSource('reports').getClusterExpansionZoom(feature.properties.cluster_id);
      map.easeTo({ center: feature.geometry.coordinates, zoom });
    });
    for (const id of ['report-points', 'report-clusters']) {
      map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
    }
    loadPoints();
  });
  map.on('idle', () => {
    if (drawsApproximate(map)) $('approx-badge').hidden = false;
  });

  const drawList = async () => {
    const page = await getJson('public/reports/', { ...filters(), limit: PAGE, offset: state.offset });
    state.count = page.count;
    $('list-count').textContent = t('map.count', { n: page.count });
    $('public-list').replaceChildren(
      ...(page.features.length
        ? page.features.map(({ properties: p }) =>
            h(
              'li',
              { class: 'c-item', 'data-ticket': p.ticket },
              h('i', { class: 'c-dot', style: `background:${COLOURS[p.status] ?? '#555'}` }),
              h(
                'div',
                {},
                h('a', { href: `/phan-anh/${p.ticket}/` }, p.ticket),
                ` · ${statusLabel(p.status)} · ${day(p.received_on)}`,
                h('p', {}, p.public_text),
                p.agency ? h('p', { class: 'c-hint' }, p.agency) : null,
              ),
            ),
          )
        : [h('li', { class: 'c-hint' }, t('map.none'))]),
    );
    $('list-prev').disabled = state.offset === 0;
    $('list-next').disabled = state.offset + PAGE >= state.count;
  };

  const drawCounts = async () => {
    const counts = await getJson('public/counts/', filters());
    if (!state.communes.length) {
      state.communes = counts.units.filter((u) => u.unit_id).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      drawFilters();
    }
    if (counts.approximate) $('approx-badge').hidden = false;
    $('counts')
      .querySelector('tbody')
      .replaceChildren(
        ...counts.units.map((u) => {
          const open = OPEN.reduce((n, s) => n + (u.by_status[s] ?? 0), 0);
          return h(
            'tr',
            { 'data-unit': u.unit_id ?? '' },
            h('td', {}, u.name ?? t('map.unknownUnit')),
            h('td', {}, String(u.total)),
            h('td', {}, String(open)),
            h('td', {}, String(u.total - open)),
          );
        }),
      );
  };

  const refresh = () => {
    state.offset = 0;
    if (map.getSource('reports')) loadPoints();
    drawList();
    drawCounts();
  };
  $('filters').addEventListener('change', refresh);
  $('list-prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    drawList();
  });
  $('list-next').addEventListener('click', () => {
    state.offset += PAGE;
    drawList();
  });

  getJson('categories/').then((list) => {
    state.categories = list;
    drawFilters();
  });
  drawFilters();
  refresh();
  onLang(() => {
    drawFilters();
    drawList();
  });
}
