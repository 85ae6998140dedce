// The staff's "Ảnh hưởng ngập / Flood exposure" tool in the map app: pick a hazard raster (flood
// depth or hazard class) and a threshold; the sheet shows the totals, a table per commune
// (schools, health facilities, residents exposed) and the list of the facilities and open
// records in the water, deepest first. A click flies to one and opens its record. The exposed
// places are drawn as red rings on top of the map and the hazard layer is turned on; the rings
// go when the tool's view closes. The API (/api/rasters/<name>/exposure/) is for staff only.

import './exposure.css';

import { getJson } from './api.js';
import { exposureUrl, hazardDefault, hazardRasters, itemButton, remember, titleOf } from './exposure-core.js';
import { fmtNumber, onLang } from './i18n.js';
import { et } from './exposure-strings.js';
import { flyToBox } from './mapview.js';
import { h, s } from './ui.js';

const SOURCE = 'exposure-items';
const RINGS = 'exposure-rings';
const DEFAULT_THRESHOLD = 0.5;
const ICON =
  'M3 15c2 0 2-1.5 4.5-1.5S9.5 15 12 15s2.5-1.5 4.5-1.5S19 15 21 15M3 19c2 0 2-1.5 4.5-1.5S9.5 19 12 19s2.5-1.5 4.5-1.5S19 19 21 19M12 3l4 6a4 4 0 1 1-8 0z';
const EMPTY = { type: 'FeatureCollection', features: [] };

/** The item's map feature (what the rings draw). */
const featureOf = (item) => ({
  type: 'Feature',
  properties: { id: item.id, type: item.record_type, code: item.code, value: item.value },
  geometry: { type: 'Point', coordinates: [item.lon, item.lat] },
});

function rings(map) {
  const ensure = () => {
    if (map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: RINGS,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 10],
        'circle-color': 'rgba(211, 47, 47, 0.12)',
        'circle-stroke-color': '#d32f2f',
        'circle-stroke-width': 3,
      },
    });
  };
  return {
    show(items) {
      ensure();
      map.getSource(SOURCE).setData({ type: 'FeatureCollection', features: items.map(featureOf) });
      document.body.dataset.exposureRings = String(items.length);
    },
    clear() {
      if (map.getLayer(RINGS)) map.removeLayer(RINGS);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
      delete document.body.dataset.exposureRings;
    },
  };
}

/** Turn the hazard layer on: through the layer panel when it lists it (the URL keeps it). */
function showRaster(map, name) {
  const box = document.getElementById(`toggle-${name}`);
  if (box) {
    if (!box.checked) box.click();
  } else if (map.getLayer(name)) map.setLayoutProperty(name, 'visibility', 'visible');
}

function totalsView(body) {
  const t = body.totals;
  const records = Object.values(t.records ?? {}).reduce((a, b) => a + b, 0);
  const cell = (key, value, id) =>
    h('div', { class: 'exp-total', 'data-testid': id }, h('strong', {}, fmtNumber(value, 'int')), h('span', {}, et(key)));
  return h(
    'div',
    { class: 'exp-totals', id: 'exp-totals' },
    cell('schools', t.schools, 'exp-schools'),
    cell('health', t.health, 'exp-health'),
    cell('records', records, 'exp-records'),
    t.residents === null ? null : cell('residents', t.residents, 'exp-residents'),
  );
}

function communeTable(body) {
  if (!body.by_commune.length) return null;
  const rows = body.by_commune.map((r) =>
    h(
      'tr',
      { dataset: { unit: r.unit_id } },
      h('td', {}, r.name),
      h('td', { class: 'num' }, fmtNumber(r.schools, 'int')),
      h('td', { class: 'num' }, fmtNumber(r.health, 'int')),
      h('td', { class: 'num' }, r.residents === null ? '–' : fmtNumber(r.residents, 'int')),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table exp-communes', id: 'exp-communes' },
      h('caption', {}, et('byCommune')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, et('commune')),
          h('th', { class: 'num' }, et('schools')),
          h('th', { class: 'num' }, et('health')),
          h('th', { class: 'num' }, et('residents')),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

export function createExposure({ map, ui, sheet, drill }) {
  const drawn = rings(map);
  let last = null; // {name, threshold, body}: the last answer, shown again when the tool reopens
  let open = false; // the tool's view, or a record opened from its list, is showing

  const close = () => {
    open = false;
    drawn.clear();
  };
  // The rings stay while the list or a record opened from it shows, and go with anything else.
  new MutationObserver(() => {
    if (!open) return;
    if (sheet.el.hidden || !['exposure', 'record'].includes(sheet.el.dataset.view)) close();
  }).observe(sheet.el, { attributes: true, attributeFilter: ['data-view', 'hidden'] });

  const openItem = (item) => {
    drill.go(
      { kind: 'record', type: item.record_type, id: item.id, url: item.detail, point: [item.lon, item.lat] },
      { fly: true, focus: true },
    );
  };
  remember({ open: openItem });

  /** Bring the exposed places into view (beside the sheet). */
  const fit = (items) => {
    if (!items.length) return;
    const lons = items.map((i) => i.lon);
    const lats = items.map((i) => i.lat);
    // A margin around them, so no ring sits on the edge of the panel or the sheet.
    const dx = Math.max((Math.max(...lons) - Math.min(...lons)) * 0.15, 0.004);
    const dy = Math.max((Math.max(...lats) - Math.min(...lats)) * 0.15, 0.004);
    const box = [Math.min(...lons) - dx, Math.min(...lats) - dy, Math.max(...lons) + dx, Math.max(...lats) + dy];
    flyToBox(map, ui, box, { maxZoom: 15 });
  };

  async function show({ focus = false } = {}) {
    const rasters = await hazardRasters({ fresh: true }); // a late district view keeps away (sheet.shownSince)
    const select = h(
      'select',
      { name: 'raster', id: 'exp-raster', 'data-testid': 'exp-raster' },
      rasters.map((r) => h('option', { value: r.name }, titleOf(r))),
    );
    select.value = last?.name ?? hazardDefault(rasters)?.name ?? '';
    const thresholdLabel = h('span', {});
    const threshold = h('input', {
      name: 'threshold',
      id: 'exp-threshold',
      type: 'number',
      min: '0',
      step: '0.1',
      value: String(last?.threshold ?? DEFAULT_THRESHOLD),
      inputmode: 'decimal',
    });
    const relabel = () => {
      const kind = rasters.find((r) => r.name === select.value)?.kind;
      thresholdLabel.textContent = et(kind === 'hazard_class' ? 'thresholdClass' : 'threshold');
    };
    relabel();
    select.addEventListener('change', relabel);
    const go = h('button', { type: 'submit', class: 'primary', id: 'exp-go' }, et('show'));
    const form = h(
      'form',
      { class: 'form exp-form', id: 'exp-form' },
      h(
        'div',
        { class: 'exp-pick' },
        h('label', { class: 'field exp-layer' }, h('span', {}, et('layer')), select),
        h('label', { class: 'field' }, thresholdLabel, threshold),
        go,
      ),
    );
    const status = h('p', { class: 'muted', role: 'status', id: 'exp-status' });
    const results = h('div', { class: 'exp-results', id: 'exp-results' });
    const load = async () => {
      const name = select.value;
      const value = Number(threshold.value);
      if (!name) return;
      status.textContent = et('loading');
      results.replaceChildren();
      sheet.el.removeAttribute('data-ready');
      try {
        const body = await getJson(exposureUrl(name, Number.isFinite(value) ? value : DEFAULT_THRESHOLD));
        last = { name, threshold: body.threshold, body };
        remember({ layer: name });
        render(body);
        fit(body.items);
      } catch (error) {
        status.textContent = error.message;
      }
    };
    const render = (body) => {
      const raster = rasters.find((r) => r.name === body.raster.name) ?? body.raster;
      status.textContent = body.items.length ? et('count', { n: fmtNumber(body.items.length, 'int') }) : et('none');
      const people = body.population_raster ? et('residentsFrom', { p: titleOf(body.population_raster) }) : et('residentsNone');
      const csv = h(
        'a',
        { class: 'exp-csv', href: exposureUrl(body.raster.name, body.threshold, { format: 'csv' }), download: '' },
        et('csv'),
      );
      results.replaceChildren(
        totalsView(body),
        h('p', { class: 'muted exp-people' }, people), // titles carry the synthetic label
        communeTable(body),
        body.items.length ? h('h3', { class: 'exp-list-title' }, et('list')) : null,
        h(
          'ol',
          { class: 'records exp-list', id: 'exp-list', 'data-testid': 'exp-list' },
          body.items.map((i) => itemButton(i, raster, openItem)),
        ),
        body.items.length ? csv : null,
      );
      open = true;
      drawn.show(body.items);
      showRaster(map, body.raster.name);
      sheet.el.dataset.ready = 'exposure';
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    sheet.show({
      crumbs: [{ label: et('title') }],
      heading: et('title'),
      content: rasters.length ? [form, status, results] : [h('p', { class: 'muted', id: 'exp-status' }, et('noLayer'))],
      view: 'exposure',
      focus,
      redraw: () => show(),
    });
    if (!rasters.length) return;
    open = true;
    if (last && last.name === select.value) render(last.body);
    else load();
  }

  const tool = h(
    'button',
    { type: 'button', id: 'exp-tool', class: 'tool', 'data-testid': 'exp-tool', hidden: true },
    s('svg', { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: ICON })),
    h('span', { class: 'tool-text' }),
  );
  const label = () => {
    tool.title = et('title');
    tool.querySelector('.tool-text').textContent = et('tool');
  };
  label();
  onLang(label);
  tool.addEventListener('click', () => show({ focus: true }));
  ui.header.querySelector('.tools')?.insertBefore(tool, ui.tools.boundary ?? null);
  // Shown once there is a hazard layer to look at (the list is staff's: the API decides).
  hazardRasters().then((rasters) => {
    tool.hidden = !rasters.length;
  });
  return { show, close };
}
