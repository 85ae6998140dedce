// Split view: the indicator map of two periods (or two measures) side by side (stacked on a
// phone), two MapLibre maps moving together, with ONE legend. For one measure the classes are
// computed here over both periods' values (the ranking endpoint's rows), by the layer's method
// and number of classes (indicators-core.js classBreaks, the server's algorithms); then the
// legend endpoint is asked for each period with those breaks as manual ones, which gives the
// colours, the fill expression both maps draw with and each period's count per class. Two
// measures (a value and its per-capita rate, say) have no common scale: each map is classed
// on its own, by the same method and number of classes, and the one legend gives each class's
// range on the left and on the right side by side.

import maplibregl from 'maplibre-gl';

import { getJson } from './api.js';
import { fmtNumber, fmtPeriod, onLang, pick, t } from './i18n.js';
import { classBreaks, defaultBase, extent, measuresFor, needsBase } from './indicators-core.js';
import { getJsonPatiently } from './indicators.js';
import { HATCH, hatchImage, measureTitle, measureUnit } from './indicators-view.js';
import { styleLayersOf, withQuery } from './layers.js';
import { classRange } from './legend.js';
import { rankingUrl } from './ranking.js';
import { commit, state } from './state.js';
import { versioned } from './tile-versions.js';
import { PHONE, h } from './ui.js';

const valuesOf = (rows, measure) => rows.map((r) => r[measure]).filter((v) => v !== null && v !== undefined);

/** The other period to compare with: the base of a change, else the first period, else none. */
export function otherPeriod(periods, current, base = '') {
  if (base && periods.includes(base)) return base;
  const before = periods.filter((p) => p < current);
  return before[0] ?? periods.find((p) => p !== current) ?? '';
}

export function createSplit({ map, ui, sheet, indicators, onUnit, box = null }) {
  let open = null; // {mapB, el, bar, legend, periodB, ...} while the split view is shown
  let seq = 0;

  const entry = () => indicators.entry();

  /** The base period of the right-hand map: the left's, else one before its own period. */
  function baseB() {
    const e = entry();
    if (!needsBase(open.measureB)) return e.filters.base ?? '';
    return e.filters.base || defaultBase(indicators.context().indicator?.periods ?? [], open.periodB);
  }

  /** Map B's tile URL: the layer's own filters with period B (and its base). */
  function tilesB() {
    const e = entry();
    const url = withQuery(e.template, { ...e.params(), indicator_period: open.periodB, base: baseB() });
    return versioned(e.meta.id, url);
  }

  /** Point map B at its period and measure, note them in the URL, class both maps again. */
  function retarget() {
    const ctx = indicators.context();
    state.split = open.measureB === ctx.measure ? open.periodB : `${open.periodB}:${open.measureB}`;
    commit();
    open.mapB.getSource(entry().meta.id)?.setTiles([tilesB()]);
    drawBar();
    classify();
  }

  function fillLayers(target) {
    return styleLayersOf(map, entry().meta.id)
      .filter((l) => l.type === 'fill' && !l.paint?.['fill-pattern'])
      .map((l) => l.id)
      .filter((id) => target.getLayer(id));
  }

  function paint(left, right = left) {
    for (const [target, expression] of [
      [map, left],
      [open?.mapB, right],
    ]) {
      if (target) for (const id of fillLayers(target)) target.setPaintProperty(id, 'fill-color', expression);
    }
  }

  /** Classes over both periods' values, the legend asked for each with them, both maps painted. */
  async function classify() {
    if (!open) return;
    const my = ++seq;
    const e = entry();
    const ctx = indicators.context();
    const measure = ctx.measure;
    const ctxB = { ...ctx, period: open.periodB, measure: open.measureB, base: baseB() };
    open.legend.setAttribute('aria-busy', 'true');
    try {
      if (open.measureB !== measure) {
        await classifyApart(ctx, ctxB, my);
        return;
      }
      // One after another: the server computes few rankings at once (503 for the others).
      const a = await getJsonPatiently(rankingUrl(ctx));
      const b = await getJsonPatiently(rankingUrl(ctxB));
      if (my !== seq || !open) return;
      const valuesA = valuesOf(a.rows ?? [], measure);
      const valuesB = valuesOf(b.rows ?? [], measure);
      const method = e.legend?.method && e.legend.method !== 'manual' ? e.legend.method : 'quantile';
      const wanted = Number(e.choice.classes || e.legend?.classes?.length || 5);
      const breaks = classBreaks([...valuesA, ...valuesB], method, Math.max(wanted, 2));
      const legendOf = async (period) => {
        const url = e.legendUrl();
        url.searchParams.set('indicator_period', period);
        if (breaks.length) {
          url.searchParams.set('method', 'manual');
          url.searchParams.set('classes', String(breaks.length + 1));
          url.searchParams.set('breaks', breaks.join(','));
        }
        return getJson(url);
      };
      const [legendA, legendB] = await Promise.all([legendOf(ctx.period), legendOf(open.periodB)]);
      if (my !== seq || !open) return;
      open.classes = legendA.classes.map((c, i) => ({ ...c, countB: legendB.classes[i]?.count ?? 0 }));
      const [lo, hi] = extent([...valuesA, ...valuesB]);
      if (open.classes.length) {
        open.classes[0].min = lo;
        open.classes.at(-1).max = hi;
      }
      open.breaks = breaks;
      open.method = method;
      open.expression = legendA.expression;
      open.expressionB = null;
      open.pair = null;
      open.converted = [...(a.rows ?? []), ...(b.rows ?? [])].some((r) => r.status === 'converted');
      paint(legendA.expression);
      drawLegend();
    } catch (error) {
      if (my !== seq) return;
      console.error('gisioc: split classes:', error);
      open.legend.replaceChildren(h('p', { class: 'legend-error' }, t('legend.error')));
    } finally {
      if (my === seq) open?.legend.removeAttribute('aria-busy');
    }
  }

  /** Two measures: each map classed on its own (same method and classes), one legend for both. */
  async function classifyApart(ctx, ctxB, my) {
    const e = entry();
    const legendOf = (c) => {
      const url = e.legendUrl();
      url.searchParams.set('indicator_period', c.period);
      url.searchParams.set('indicator', c.measure);
      if (c.base) url.searchParams.set('base', c.base);
      else url.searchParams.delete('base');
      return getJson(url);
    };
    const [legendA, legendB] = await Promise.all([legendOf(ctx), legendOf(ctxB)]);
    const b = await getJsonPatiently(rankingUrl(ctxB));
    if (my !== seq || !open) return;
    open.pair = { a: legendA, b: legendB };
    open.classes = null;
    open.breaks = [legendA.breaks, legendB.breaks];
    open.method = legendA.method;
    open.expression = legendA.expression;
    open.expressionB = legendB.expression;
    open.converted = indicators.found.converted || (b.rows ?? []).some((r) => r.status === 'converted');
    paint(legendA.expression, legendB.expression);
    drawLegend();
  }

  /** The legend of two measures: per class, its colour and its range on each side. */
  function pairLegend(ctx) {
    const { a, b } = open.pair;
    const ind = ctx.indicator;
    const counted = (l) => l.classes.some((c) => c.count > 0);
    const n = counted(a) || counted(b) ? Math.max(a.classes.length, b.classes.length) : 0;
    const side = (c) =>
      c
        ? [
            h('span', { class: 'key-box', style: `background:${c.color}`, 'aria-hidden': 'true' }),
            h('span', { class: 'legend-range' }, classRange(c)),
          ]
        : h('span', { class: 'legend-range' }, '–');
    return [
      h('p', { class: 'split-legend-title' }, pick(ind?.name)),
      h(
        'ul',
        { class: 'legend legend-choropleth legend-shared legend-pair', id: 'split-legend-classes' },
        h(
          'li',
          { class: 'legend-cols' },
          h(
            'span',
            { class: 'legend-side' },
            `${fmtPeriod(ctx.period, { short: true })} · ${measureTitle(ind, ctx.measure)} (${measureUnit(ind, ctx.measure)})`,
          ),
          h(
            'span',
            { class: 'legend-side' },
            `${fmtPeriod(open.periodB, { short: true })} · ${measureTitle(ind, open.measureB)} (${measureUnit(ind, open.measureB)})`,
          ),
        ),
        n ? null : h('li', { class: 'legend-missing' }, t('ind.noCommuneData')),
        Array.from({ length: n }, (_, i) =>
          h(
            'li',
            { dataset: { count: String(a.classes[i]?.count ?? 0), countB: String(b.classes[i]?.count ?? 0) } },
            h('span', { class: 'legend-side' }, side(a.classes[i])),
            h('span', { class: 'legend-side' }, side(b.classes[i])),
          ),
        ),
        convertedItem(),
      ),
      approximateNote(),
      h('p', { class: 'split-legend-how' }, t('split.howApart', { method: t(`method.${open.method ?? 'quantile'}`) })),
    ];
  }

  /** The legend's line for units converted from former communes, when some are drawn. */
  const convertedItem = () =>
    open.converted
      ? h(
          'li',
          { class: 'legend-converted' },
          h('span', { class: 'key-box key-hatch', 'aria-hidden': 'true' }),
          h('span', { class: 'legend-text' }, t('ind.converted')),
        )
      : null;

  const approximateNote = () => (indicators.found.approximate ? h('p', { class: 'legend-approx' }, t('ind.approximate')) : '');

  function drawLegend() {
    if (!open) return;
    const ctx = indicators.context();
    if (open.pair) {
      open.legend.dataset.breaks = JSON.stringify(open.breaks ?? []);
      open.legend.replaceChildren(...pairLegend(ctx).filter(Boolean));
      return;
    }
    const ind = ctx.indicator;
    const rows = (open.classes ?? []).map((c) =>
      h(
        'li',
        { dataset: { color: c.color, count: String(c.count), countB: String(c.countB), min: String(c.min), max: String(c.max) } },
        h('span', { class: 'key-box', style: `background:${c.color}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-text' }, classRange(c)),
        h('span', { class: 'count', title: t('split.countA', { period: fmtPeriod(ctx.period) }) }, fmtNumber(c.count, 'int')),
        h('span', { class: 'count', title: t('split.countB', { period: fmtPeriod(open.periodB) }) }, fmtNumber(c.countB, 'int')),
      ),
    );
    open.legend.dataset.breaks = JSON.stringify(open.breaks ?? []);
    open.legend.replaceChildren(
      h(
        'p',
        { class: 'split-legend-title' },
        `${pick(ind?.name)} — ${measureTitle(ind, ctx.measure)}`,
        h('span', { class: 'legend-unit' }, ` (${measureUnit(ind, ctx.measure)})`),
      ),
      h(
        'ul',
        { class: 'legend legend-choropleth legend-shared', id: 'split-legend-classes' },
        h(
          'li',
          { class: 'legend-cols', 'aria-hidden': 'true' },
          h('span', { class: 'legend-text' }, t('split.classes')),
          h('span', { class: 'count' }, fmtPeriod(ctx.period, { short: true })),
          h('span', { class: 'count' }, fmtPeriod(open.periodB, { short: true })),
        ),
        rows.some((r) => Number(r.dataset.count) + Number(r.dataset.countB) > 0)
          ? rows
          : h('li', { class: 'legend-missing' }, t('ind.noCommuneData')),
        convertedItem(),
      ),
      approximateNote(),
      h('p', { class: 'split-legend-how' }, t('split.how', { method: t(`method.${open.method ?? 'quantile'}`) })),
    );
  }

  function drawBar() {
    if (!open) return;
    const ctx = indicators.context();
    const periods = ctx.indicator?.periods ?? [];
    const pick2 = (id, value, onChange) => {
      const el = h(
        'select',
        { id, name: id },
        [...periods].reverse().map((p) => h('option', { value: p, selected: p === value }, fmtPeriod(p))),
      );
      el.addEventListener('change', () => onChange(el.value));
      return el;
    };
    const close = h(
      'button',
      { type: 'button', class: 'split-close', id: 'split-close', 'aria-label': t('split.close'), title: t('split.close') },
      '×',
    );
    close.addEventListener('click', () => api.close());
    // The right-hand map may draw another measure of the indicator (per capita beside value…).
    const measuresB = measuresFor(ctx.indicator);
    const measureB = h(
      'select',
      { id: 'split-measure-b', name: 'split-measure-b', 'aria-label': t('split.measureB') },
      measuresB.map((m) => h('option', { value: m, selected: m === open.measureB }, measureTitle(ctx.indicator, m))),
    );
    measureB.addEventListener('change', () => {
      open.measureB = measureB.value;
      retarget();
    });
    // Side by side on a wide screen, one above the other on a phone.
    const label = (side, forId) =>
      h(
        'label',
        { class: 'split-side-label', for: forId },
        h('span', { class: 'wide-only' }, t(`split.${side}`)),
        h('span', { class: 'phone-only' }, t(`split.${side === 'left' ? 'top' : 'bottom'}`)),
      );
    open.bar.replaceChildren(
      h(
        'div',
        { class: 'split-side split-a' },
        label('left', 'split-period-a'),
        pick2('split-period-a', ctx.period, (p) => indicators.update({ indicator_period: p })),
      ),
      h('p', { class: 'split-what' }, pick(ctx.indicator?.name), ` · ${measureTitle(ctx.indicator, ctx.measure)}`),
      h(
        'div',
        { class: 'split-side split-b' },
        label('right', 'split-period-b'),
        pick2('split-period-b', open.periodB, (p) => {
          open.periodB = p;
          retarget();
        }),
        measuresB.length > 1 ? measureB : null,
      ),
      close,
    );
  }

  function syncMaps(a, b) {
    let moving = false;
    const follow = (from, to) => () => {
      if (moving) return;
      moving = true;
      to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() });
      moving = false;
    };
    const ab = follow(a, b);
    const ba = follow(b, a);
    a.on('move', ab);
    b.on('move', ba);
    return () => {
      a.off('move', ab);
      b.off('move', ba);
    };
  }

  const api = {
    isOpen: () => Boolean(open),
    /**
     * Open (or retarget) the split view. `wanted` is the right-hand map's 'period' or
     * 'period:measure' (a link's `split`); by default the base or first period, same measure.
     */
    open(ctx = indicators.context(), wanted = '') {
      const e = entry();
      if (!e || !ctx.indicator) return;
      if (!e.visible()) e.setVisible(true);
      const periods = ctx.indicator.periods ?? [];
      const [periodB = '', measureB = ''] = wanted.split(':');
      const other = periods.includes(periodB) ? periodB : otherPeriod(periods, ctx.period, ctx.base);
      const measure = measuresFor(ctx.indicator).includes(measureB) ? measureB : ctx.measure;
      if (open) {
        Object.assign(open, { periodB: other, measureB: measure });
        retarget();
        return;
      }
      const stage = ui.mapEl.parentElement;
      const el = h('div', { id: 'map-b', class: 'map map-b', role: 'region', 'aria-label': t('split.mapB') });
      const bar = h('div', { class: 'split-bar', id: 'split-bar' });
      const legend = h('div', { class: 'split-legend', id: 'split-legend', 'aria-label': t('split.legend'), role: 'group' });
      stage.append(el, bar, legend);
      stage.classList.add('split');
      // Room for two maps: fold the panel, hide the sheet; both come back on closing.
      const folded = !ui.panel.classList.contains('collapsed');
      if (folded) ui.panel.querySelector('.panel-toggle')?.click();
      const hidSheet = sheet.isOpen();
      sheet.hide({ focus: false });
      map.resize();
      // The whole district in both halves (the panel is folded, the sheet hidden).
      if (box) map.fitBounds(box, { padding: { top: 64, bottom: PHONE.matches ? 64 : 150, left: 20, right: 20 }, animate: false });
      open = { el, bar, legend, periodB: other, measureB: measure, folded, hidSheet };
      const style = structuredClone(map.getStyle());
      const source = style.sources[e.meta.id];
      if (source) {
        source.tiles = [tilesB()];
        delete source.url;
      }
      style.layers = style.layers.filter((l) => !l.id.startsWith('gisioc-highlight'));
      const mapB = new maplibregl.Map({
        container: el,
        style,
        center: map.getCenter(),
        zoom: map.getZoom(),
        bearing: map.getBearing(),
        maxZoom: map.getMaxZoom(),
        attributionControl: false,
      });
      mapB.on('styleimagemissing', (event) => {
        if (event.id === HATCH && !mapB.hasImage(HATCH)) mapB.addImage(HATCH, hatchImage());
      });
      window.gisiocMapB = mapB;
      open.mapB = mapB;
      open.unsync = syncMaps(map, mapB);
      mapB.on('click', (event) => {
        const layers = fillLayers(mapB);
        const hit = layers.length ? mapB.queryRenderedFeatures(event.point, { layers })[0] : null;
        if (hit) onUnit({ id: hit.id, name: hit.properties.name });
      });
      mapB.once('load', () => {
        if (open?.expression) paint(open.expression, open.expressionB ?? open.expression);
      });
      retarget();
      document.body.dataset.split = '1';
    },
    close() {
      if (!open) return;
      seq += 1;
      open.unsync();
      open.mapB.remove();
      open.el.remove();
      open.bar.remove();
      open.legend.remove();
      const was = open;
      open = null;
      delete window.gisiocMapB;
      delete document.body.dataset.split;
      ui.mapEl.parentElement.classList.remove('split');
      if (was.folded && ui.panel.classList.contains('collapsed')) ui.panel.querySelector('.panel-toggle')?.click();
      if (was.hidSheet && !sheet.isOpen()) sheet.reveal();
      map.resize();
      state.split = '';
      commit();
      entry()?.refreshLegend(); // the single period's own classes again
    },
  };

  // The panel's choices (period A, base, measure, method, classes) redraw both maps' classes.
  indicators.hooks.legendChanged = () => {
    if (!open) return;
    if (open.expression) paint(open.expression, open.expressionB ?? open.expression);
    if (!measuresFor(indicators.context().indicator).includes(open.measureB)) open.measureB = indicators.context().measure;
    retarget();
  };
  indicators.hooks.legendEl = (attrs) => (open ? h('p', { class: 'muted legend-elsewhere', ...attrs }, t('split.legendThere')) : null);
  onLang(() => {
    drawBar();
    drawLegend();
  });
  return api;
}
