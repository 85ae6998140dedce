// "Near me" for field staff: the browser's position (navigator.geolocation), the nearest
// records of the point layers (GET /api/nearby/?lon=…&lat=…), listed by distance in the sheet;
// choosing one flies there and opens its detail.

import maplibregl from 'maplibre-gl';

import { getJson } from './api.js';
import { fmtDistance, t } from './i18n.js';
import { flyToPoint } from './mapview.js';
import { typeOfLayer } from './records.js';
import { h, say } from './ui.js';

const LIMIT = 10;

function position() {
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 });
  });
}

export function createNearMe({ map, ui, sheet, drill, kindLabel }) {
  let marker = null;
  let last = null; // {lon, lat, features}

  function place(lon, lat) {
    if (!marker) {
      const dot = h('div', { class: 'me-marker', role: 'img' });
      marker = new maplibregl.Marker({ element: dot });
    }
    marker.getElement().setAttribute('aria-label', t('near.you'));
    marker.setLngLat([lon, lat]).addTo(map);
  }

  function show({ focus = false } = {}) {
    const { features } = last;
    const open = () => show({ focus: true });
    const items = features.map((f, i) => {
      const p = f.properties ?? {};
      const button = h(
        'button',
        { type: 'button', class: 'link record', dataset: { id: String(p.id ?? f.id), layer: p.layer ?? '' } },
        h('span', { class: 'record-name' }, `${i + 1}. ${p.name ?? p.code ?? ''}`),
        h('span', { class: 'record-meta' }, [kindLabel(p.kind), p.code, fmtDistance(p.distance_m)].filter(Boolean).join(' · ')),
      );
      button.addEventListener('click', () =>
        drill.openRecord(f, { type: p.type ?? typeOfLayer(p.layer), layer: p.layer, via: { label: () => t('near.title'), go: open } }),
      );
      return h('li', {}, button);
    });
    sheet.show({
      crumbs: [{ label: t('crumb.district'), go: () => drill.go({ kind: 'district' }, { focus: true }) }, { label: t('near.title') }],
      heading: t('near.title'),
      sub: t('near.count', { n: features.length }),
      content: features.length ? h('ol', { class: 'records near' }, items) : h('p', { class: 'muted' }, t('near.none')),
      view: 'near',
      focus,
      redraw: () => show(),
    });
    sheet.el.dataset.ready = 'near';
  }

  async function run() {
    if (!('geolocation' in navigator)) {
      say(ui, t('near.unsupported'));
      return;
    }
    ui.tools.nearMe.setAttribute('aria-busy', 'true');
    say(ui, t('near.locating'));
    try {
      const { coords } = await position();
      const lon = coords.longitude;
      const lat = coords.latitude;
      place(lon, lat);
      const body = await getJson(`/api/nearby/?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&limit=${LIMIT}`);
      last = { lon, lat, features: body.features ?? [] };
      show({ focus: true });
      say(ui, t('near.count', { n: last.features.length }));
      flyToPoint(map, ui, [lon, lat]);
    } catch (error) {
      // GeolocationPositionError: 1 denied, 2 unavailable, 3 timeout.
      const key = error?.code === 1 ? 'near.denied' : error?.code ? 'near.failed' : null;
      say(ui, key ? t(key) : error.message);
    } finally {
      ui.tools.nearMe.removeAttribute('aria-busy');
    }
  }

  ui.tools.nearMe.addEventListener('click', run);
  return { run };
}
