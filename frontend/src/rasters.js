// Raster layers in the map app (style.json lists them with geometry 'raster'): their legend in
// the layer panel — a colour ramp with its range and unit, or one swatch per class — and the
// value under the cursor (GET /tiles/{name}/point), read on mouse moves or a tap on a phone.

import './rasters.css';
import { getJson } from './api.js';
import { onLang, pick } from './i18n.js';
import { isLayerVisible } from './layers.js';
import { S, fmtRasterValue, isRasterLayer, rampGradient, rt } from './rasters-format.js';
import { PHONE, h } from './ui.js';

const THROTTLE_MS = 150;
const GAP = 14; // px between the cursor and the readout

/** The legend of a raster (GET /tiles/legend/{name}.json): a ramp or class swatches. */
export function rasterLegendEl(body, attrs = {}) {
  const unit = pick(body.unit);
  const notes = [
    body.relief ? h('p', { class: 'raster-note' }, rt('relief')) : null,
    body.synthetic ? h('p', { class: 'raster-note' }, rt('synthetic')) : null,
  ];
  if (body.ramp === 'continuous') {
    const low = body.stops[0]?.[0];
    const high = body.stops.at(-1)?.[0];
    return h(
      'div',
      { class: 'legend legend-raster', ...attrs, dataset: { ramp: 'continuous' } },
      h('div', { class: 'raster-ramp', style: `background:${rampGradient(body.stops)}`, 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'raster-range' },
        h('span', { class: 'raster-min' }, fmtRasterValue(low)),
        unit ? h('span', { class: 'raster-unit' }, unit) : null,
        h('span', { class: 'raster-max' }, fmtRasterValue(high)),
      ),
      notes,
    );
  }
  // The unit once above the classes, unless their labels say it ("0,5–1 m").
  const labelled = body.raster_kind === 'hazard_class' || (body.items ?? []).some((i) => pick(i.label).endsWith(` ${unit}`));
  const items = (body.items ?? []).map((item) =>
    h(
      'li',
      { dataset: { value: String(item.value), color: item.color } },
      h('span', { class: 'key-box', style: `background:${item.color}`, 'aria-hidden': 'true' }),
      h('span', { class: 'legend-text' }, pick(item.label)),
    ),
  );
  return h(
    'div',
    { class: 'legend legend-raster', ...attrs, dataset: { ramp: body.ramp ?? 'classes' } },
    unit && !labelled ? h('p', { class: 'raster-unit-line' }, unit) : null,
    h('ul', { class: 'legend' }, items),
    notes,
  );
}

/** The layer panel's addon for a raster entry: its own legend. */
export function rasterAddon(meta) {
  if (!isRasterLayer(meta)) return null;
  return (entry) => ({
    controls: () => [], // the panel's own opacity slider is all a raster needs
    legendEl: (attrs) => (entry.legend ? rasterLegendEl(entry.legend, attrs) : null),
  });
}

/** One readout line: the kind's name (the title when two layers of a kind are shown) and value. */
function line(meta, answer, shown) {
  const twin = shown.filter((m) => m.kind === meta.kind).length > 1;
  const name = twin || !S[`k.${meta.kind}`] ? pick(meta.title) : rt(`k.${meta.kind}`);
  const value =
    answer?.label && meta.kind === 'hazard_class' ? pick(answer.label) : fmtRasterValue(answer?.value, answer?.unit ?? meta.unit);
  return h(
    'div',
    { class: 'raster-line', dataset: { layer: meta.id, value: answer?.value ?? '' } },
    h('span', { class: 'raster-name' }, `${name}: `),
    h('strong', {}, value),
  );
}

/**
 * The value under the cursor of every raster layer shown: asked at most every 150 ms while the
 * mouse moves (a newer position aborts the older request), at once on a click or a tap.
 */
export function createRasterReadout({ map, metas }) {
  const rasters = metas.filter((m) => isRasterLayer(m) && m.kind !== 'imagery');
  if (!rasters.length) return null;
  const el = h('div', { class: 'raster-readout', id: 'raster-readout', role: 'status', 'aria-label': rt('readout'), hidden: true });
  map.getContainer().append(el);
  let timer = null;
  let pending = null;
  let controller = null;
  let last = null; // {shown, answers} drawn, for a language switch

  const draw = () => {
    if (!last) return;
    el.setAttribute('aria-label', rt('readout'));
    el.replaceChildren(...last.shown.map((meta, i) => line(meta, last.answers[i], last.shown)));
    el.hidden = false;
    // Beside the cursor, kept inside the map; on a phone at the top, clear of the finger and
    // of the sheet a tap may open (the stylesheet places it).
    if (PHONE.matches) {
      el.style.left = '';
      el.style.top = '';
      return;
    }
    const { x, y } = last.point;
    const box = map.getContainer();
    const left = x + GAP + el.offsetWidth > box.clientWidth ? x - GAP - el.offsetWidth : x + GAP;
    const top = y + GAP + el.offsetHeight > box.clientHeight ? y - GAP - el.offsetHeight : y + GAP;
    el.style.left = `${Math.max(4, left)}px`;
    el.style.top = `${Math.max(4, top)}px`;
  };
  const hide = () => {
    controller?.abort();
    last = null;
    el.hidden = true;
  };
  async function ask(lngLat, point) {
    const shown = rasters.filter((m) => isLayerVisible(map, m.id));
    if (!shown.length) {
      hide();
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    const { lng, lat } = lngLat.wrap();
    const query = `lon=${lng.toFixed(6)}&lat=${lat.toFixed(6)}`;
    try {
      const answers = await Promise.all(
        shown.map((m) =>
          getJson(`${m.point ?? `/tiles/${m.id}/point`}?${query}`, { signal }).catch((e) => {
            if (e.name === 'AbortError') throw e;
            return null;
          }),
        ),
      );
      if (signal.aborted) return;
      last = { shown, answers, point };
      draw();
    } catch (error) {
      if (error.name !== 'AbortError') console.warn('gisioc: raster value:', error);
    }
  }
  map.on('mousemove', (event) => {
    pending = event;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      ask(pending.lngLat, pending.point);
    }, THROTTLE_MS);
  });
  map.on('click', (event) => ask(event.lngLat, event.point)); // a tap on a phone has no mouse moves
  map.getCanvas().addEventListener('mouseleave', () => {
    clearTimeout(timer);
    timer = null;
    hide();
  });
  // A raster switched off in the panel takes its line away (style changes fire 'styledata').
  map.on('styledata', () => {
    if (last && !last.shown.some((m) => isLayerVisible(map, m.id))) hide();
  });
  onLang(draw);
  return { el, ask, hide };
}
