// The indicator choropleth's own controls, plugged into its layer entry in the panel: the
// indicator (grouped by domain, from GET /api/indicators/), a period among that indicator's
// own periods (years, quarters, months, school years or days) on a slider with play, the
// measure drawn (value, per capita, change against a base period, % of target), and legend
// lines for the unit, units converted from former communes (hatched on the map) and missing
// values. The choices are the layer's filters (indicator_code, indicator_period, base,
// version) and its choropleth indicator, so they live in the URL like every layer's.

import { getJson } from './api.js';
import { fmtPeriod, onLang, pick, t } from './i18n.js';
import { byDomain, classBreaks, defaultBase, isIndicatorLayer, measuresFor, needsBase, stepPeriod, withParams } from './indicators-core.js';
import { HATCH, hatchImage, measureTitle, measureUnit } from './indicators-view.js';
import { styleLayersOf } from './layers.js';
import { h } from './ui.js';

export const DEFAULT_CODE = 'population';
// The hatch layer's own colour: the panel gives every fill of the layer the legend's colours,
// and MapLibre then paints them where the hatch's filter matches nothing (seen in 5.x).
const CLEAR = 'rgba(0,0,0,0)';
const OWN_FILTERS = new Set(['indicator_code', 'indicator_period', 'base', 'version']);
const isConverted = ['any', ['==', ['get', 'converted'], true], ['==', ['get', 'status'], 'converted']];

/** Hatch the units whose values are converted from former communes (the style outlines them), above the fill. */
function addConvertedLayers(map, id) {
  if (map.getLayer(`${id}-converted`)) return;
  if (!map.hasImage(HATCH)) map.addImage(HATCH, hatchImage());
  const fill = styleLayersOf(map, id).find((l) => l.type === 'fill');
  if (!fill) return;
  const visibility = map.getLayoutProperty(fill.id, 'visibility') ?? 'visible';
  const above = map.getStyle().layers.find((l) => l.type !== 'fill' && l.type !== 'background' && !l.metadata?.['gisioc:basemap'])?.id;
  const common = { source: fill.source, 'source-layer': fill['source-layer'], filter: isConverted, metadata: { 'gisioc:layer': id } };
  map.addLayer(
    { id: `${id}-converted`, type: 'fill', ...common, layout: { visibility }, paint: { 'fill-pattern': HATCH, 'fill-color': CLEAR } },
    above,
  );
}

/**
 * GET JSON, again after a pause while the server answers 503: it computes only a few rankings
 * and profiles at once and refuses the others at once rather than queueing them.
 */
export async function getJsonPatiently(url, tries = 3) {
  for (let i = 1; ; i += 1) {
    try {
      return await getJson(url);
    } catch (error) {
      if (error.status !== 503 || i >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * i));
    }
  }
}

/** Every indicator of the catalogue, following its pages (it takes no limit parameter). */
async function catalogueOf(url) {
  const out = [];
  for (let next = url; next;) {
    const body = await getJson(next);
    out.push(...(Array.isArray(body) ? body : (body.results ?? [])));
    next =
      Array.isArray(body) || !body.next
        ? null
        : new URL(body.next, window.location.href).pathname + new URL(body.next, window.location.href).search;
  }
  return out;
}

function labelled(id, text, control, extra = null) {
  return h('label', { class: 'control', for: id }, h('span', { class: 'control-label' }, text, extra), control);
}

/**
 * The indicators' tools. `open.ranking(ctx)`, `open.split(ctx)` and `open.dashboard()` are
 * the views the buttons open; ctx is {indicator, code, period, base, measure, version, entry}.
 */
export function createIndicators({ map, open }) {
  let catalogue = null; // [indicator] once loaded
  let failed = false;
  let entry = null;
  let timer = null;
  let fixed = null; // {breaks, method} kept while playing
  const found = { converted: false, approximate: false, missing: false };
  const listeners = new Set();
  const hooks = { legendEl: null, legendChanged: null }; // the split view's shared legend
  const drawnOnce = []; // called once the next legend is in the panel

  const load = catalogueOf('/api/indicators/')
    .then((list) => {
      catalogue = list;
      if (entry && !entry.filters.indicator_code && list.length && !list.some((i) => i.code === DEFAULT_CODE)) {
        entry.filters.indicator_code = list[0].code;
        entry.applyFilters();
      }
      entry?.render();
      return list;
    })
    .catch((error) => {
      failed = true;
      console.error('gisioc: indicators:', error);
      entry?.render();
      return [];
    });

  const code = () => entry?.filters.indicator_code || DEFAULT_CODE;
  const indicator = () => catalogue?.find((i) => i.code === code()) ?? null;
  const periods = () => indicator()?.periods ?? [];
  const period = () => entry?.filters.indicator_period || indicator()?.latest || periods().at(-1) || '';
  const measure = () => entry?.choice.indicator || 'value';
  const context = () => ({
    indicator: indicator(),
    code: code(),
    period: period(),
    base: entry?.filters.base ?? '',
    measure: measure(),
    version: entry?.filters.version ?? '',
    entry,
  });
  const changed = () => {
    for (const fn of listeners) fn(context());
  };

  /** Set filters at once (one tile reload, one legend request). */
  function update(filters, choice = {}) {
    Object.assign(entry.filters, filters);
    Object.assign(entry.choice, choice);
    const available = measuresFor(indicator());
    if (!available.includes(measure())) entry.choice.indicator = 'value';
    if (!needsBase(measure())) entry.filters.base = '';
    else if (!entry.filters.base) entry.filters.base = defaultBase(periods(), period());
    if (entry.filters.base && entry.filters.base >= period()) entry.filters.base = defaultBase(periods(), period());
    entry.applyFilters();
    entry.changed();
    entry.refreshLegend();
    changed();
  }

  /** Call `fn` once the map has drawn what it shows now ('idle' comes only after a frame). */
  function afterDrawn(fn) {
    map.once('idle', fn);
    map.triggerRepaint();
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    if (!fixed) return;
    fixed = null; // each period's own classes again
    entry.refreshLegend();
  }

  /**
   * Classes kept while playing, so a colour means the same on every step: breaks over the
   * values of the periods about to be played (eight of them, evenly spread, from the ranking
   * endpoint), by the layer's method and number of classes.
   */
  async function fixScale(periodsToPlay) {
    const ind = indicator();
    const m = measure();
    const picks =
      periodsToPlay.length <= 12
        ? periodsToPlay
        : Array.from({ length: 12 }, (_, i) => periodsToPlay[Math.round((i * (periodsToPlay.length - 1)) / 11)]);
    const values = [];
    for (const p of picks) {
      // One after another: the server computes few rankings at once (503 for the others).
      const url = withParams(`/api/indicators/${encodeURIComponent(ind.code)}/ranking/`, {
        period: p,
        base: entry.filters.base,
        version: entry.filters.version,
      });
      const body = await getJsonPatiently(url).catch(() => ({ rows: [] }));
      values.push(...(body.rows ?? []).map((r) => r[m]));
      if (!timer) return null; // paused meanwhile
    }
    const method = entry.legend?.method && entry.legend.method !== 'manual' ? entry.legend.method : 'quantile';
    const classes = Math.max(Number(entry.choice.classes || entry.legend?.classes?.length || 5), 2);
    const breaks = classBreaks(values, method, classes);
    return breaks.length ? { breaks, method } : null;
  }

  function tick() {
    const list = periods();
    const next = stepPeriod(list, period(), 1);
    if (!timer || next === period() || !entry.visible()) {
      stop();
      entry.render();
      return;
    }
    update({ indicator_period: next });
    // The next step once this one is drawn, so every period is seen.
    afterDrawn(() => {
      if (timer) timer = setTimeout(tick, indicator()?.period_type === 'day' ? 350 : 1200);
    });
  }

  function periodControls(ind) {
    const list = ind.periods ?? [];
    const current = period();
    const at = Math.max(list.indexOf(current), 0);
    let direct;
    if (ind.period_type === 'day') {
      direct = h('input', { type: 'date', id: 'ind-period', name: 'ind-period', min: list[0], max: list.at(-1), value: current });
      direct.addEventListener('change', () => {
        const chosen = list.includes(direct.value) ? direct.value : (list.filter((p) => p <= direct.value).at(-1) ?? list[0]);
        stop();
        update({ indicator_period: chosen });
      });
    } else {
      direct = h(
        'select',
        { id: 'ind-period', name: 'ind-period' },
        [...list].reverse().map((p) => h('option', { value: p, selected: p === current }, fmtPeriod(p))),
      );
      direct.addEventListener('change', () => {
        stop();
        update({ indicator_period: direct.value });
      });
    }
    const range = h('input', {
      type: 'range',
      id: 'ind-period-range',
      min: 0,
      max: Math.max(list.length - 1, 0),
      step: 1,
      value: at,
      'aria-label': t('ind.periodSlider'),
      'aria-valuetext': fmtPeriod(current),
    });
    range.addEventListener('input', () => {
      shown.textContent = fmtPeriod(list[Number(range.value)]);
    });
    range.addEventListener('change', () => {
      stop();
      update({ indicator_period: list[Number(range.value)] });
    });
    const step = (delta, id, label, glyph) => {
      const b = h(
        'button',
        { type: 'button', class: 'step', id, 'aria-label': label, title: label },
        h('span', { 'aria-hidden': 'true' }, glyph),
      );
      b.disabled = delta < 0 ? at <= 0 : at >= list.length - 1;
      b.addEventListener('click', () => {
        stop();
        update({ indicator_period: stepPeriod(list, current, delta) });
      });
      return b;
    };
    const playing = Boolean(timer);
    const play = h(
      'button',
      {
        type: 'button',
        class: 'step play',
        id: 'ind-play',
        'aria-pressed': String(playing),
        'aria-label': playing ? t('period.pause') : t('ind.play'),
        title: playing ? t('period.pause') : t('ind.play'),
      },
      h('span', { 'aria-hidden': 'true' }, playing ? '❚❚' : '▶'),
    );
    play.addEventListener('click', () => {
      if (timer) {
        stop();
        entry.render();
        return;
      }
      timer = -1; // playing; tick() sets the real timer once the step is drawn
      const from = list.indexOf(current) >= list.length - 1 ? 0 : Math.max(list.indexOf(current), 0);
      entry.render();
      fixScale(list.slice(from)).then((scale) => {
        if (!timer) return; // paused meanwhile
        fixed = scale;
        update({ indicator_period: list[from] });
        afterDrawn(() => {
          if (timer) timer = setTimeout(tick, 300);
        });
      });
    });
    const shown = h('output', { id: 'ind-period-label', for: 'ind-period-range', 'aria-live': 'polite' }, fmtPeriod(current));
    return h(
      'div',
      { class: 'ind-period', dataset: { period: current, kind: ind.period_type } },
      labelled('ind-period', t('ind.period'), direct),
      list.length > 1
        ? h(
            'div',
            { class: 'period-slider' },
            step(-1, 'ind-prev', t('period.prev'), '‹'),
            range,
            step(1, 'ind-next', t('period.next'), '›'),
            play,
          )
        : null,
      shown,
    );
  }

  function controls() {
    if (failed) return h('p', { class: 'legend-error' }, t('ind.loadFailed'));
    if (!catalogue) return h('p', { class: 'muted' }, t('ind.loading'));
    if (!catalogue.length) return h('p', { class: 'muted' }, t('ind.none'));
    const ind = indicator();
    const picker = h(
      'select',
      { id: 'ind-code', name: 'ind-code' },
      byDomain(catalogue).map((g) =>
        h(
          'optgroup',
          { label: pick(g.title) || g.domain },
          g.items.map((i) => h('option', { value: i.code, selected: i.code === code() }, pick(i.name))),
        ),
      ),
    );
    picker.addEventListener('change', () => {
      stop();
      update({ indicator_code: picker.value, indicator_period: '', base: '' });
    });
    const out = [labelled('ind-code', t('ind.indicator'), picker)];
    if (!ind) return out;
    out.push(
      h(
        'p',
        { class: 'ind-facts' },
        [pick(ind.unit), pick(ind.source_title), ind.higher_is_better === null ? '' : t(ind.higher_is_better ? 'ind.higher' : 'ind.lower')]
          .filter(Boolean)
          .join(' · '),
      ),
    );
    if (!(ind.periods ?? []).length) {
      out.push(h('p', { class: 'muted' }, t('ind.noPeriods')));
      return out;
    }
    out.push(periodControls(ind));
    const { options: versions = [] } = entry.versionOptions ?? {};
    if (versions.length) {
      const version = h(
        'select',
        { id: 'ind-version', name: 'ind-version' },
        h('option', { value: '' }, t('ind.inForce')),
        versions.map((v) => h('option', { value: v.slug, selected: v.slug === entry.filters.version }, v.name)),
      );
      version.addEventListener('change', () => update({ version: version.value }));
      out.push(labelled('ind-version', t('ind.version'), version));
    }
    const measures = measuresFor(ind);
    const which = h(
      'select',
      { id: 'ind-measure', name: 'ind-measure' },
      measures.map((m) => h('option', { value: m, selected: m === measure() }, measureTitle(ind, m))),
    );
    which.addEventListener('change', () => update({}, { indicator: which.value }));
    out.push(labelled('ind-measure', t('ind.measure'), which));
    if (needsBase(measure())) {
      const before = (ind.periods ?? []).filter((p) => p < period());
      const base = h(
        'select',
        { id: 'ind-base', name: 'ind-base' },
        [...before].reverse().map((p) => h('option', { value: p, selected: p === entry.filters.base }, fmtPeriod(p))),
      );
      base.addEventListener('change', () => update({ base: base.value }));
      out.push(labelled('ind-base', t('ind.base'), base));
    }
    const button = (id, key, onClick) => {
      const b = h('button', { type: 'button', class: 'ind-action', id }, t(key));
      b.addEventListener('click', onClick);
      return b;
    };
    out.push(
      h(
        'div',
        { class: 'ind-actions' },
        button('ind-ranking', 'ind.ranking', () => open.ranking(context())),
        button('ind-split', 'ind.split', () => open.split(context())),
        button('ind-dashboard', 'ind.dashboard', () => open.dashboard()),
      ),
    );
    return out;
  }

  function legendItems() {
    const ind = indicator();
    const items = [];
    if (ind) {
      const title = `${pick(ind.name)} · ${fmtPeriod(period())}${needsBase(measure()) && entry.filters.base ? ` ${t('ind.vs', { base: fmtPeriod(entry.filters.base) })}` : ''}`;
      items.unshift(
        h(
          'li',
          { class: 'legend-head', dataset: { unit: measureUnit(ind, measure()) } },
          title,
          h('span', { class: 'legend-unit' }, ` (${measureUnit(ind, measure())})`),
        ),
      );
    }
    if (found.missing) {
      items.push(
        h(
          'li',
          { class: 'legend-missing' },
          h('span', { class: 'key-box', style: 'background:#d9d9d9', 'aria-hidden': 'true' }),
          h('span', { class: 'legend-text' }, t('ind.noData')),
        ),
      );
    }
    if (found.converted) {
      items.push(
        h(
          'li',
          { class: 'legend-converted', dataset: { converted: '1' } },
          h('span', { class: 'key-box key-hatch', 'aria-hidden': 'true' }),
          h('span', { class: 'legend-text' }, t('ind.converted')),
        ),
      );
    }
    if (fixed) items.push(h('li', { class: 'legend-fixed' }, h('span', { class: 'legend-text' }, t('ind.fixedScale'))));
    if (found.approximate) items.push(h('li', { class: 'legend-approx' }, h('span', { class: 'legend-text' }, t('ind.approximate'))));
    return items;
  }

  /** A clicked commune's figures for its profile: the value, the measure drawn, the target. */
  function numbers(feature) {
    const ind = indicator();
    const p = feature.properties;
    const name = `${pick(ind?.name)} · ${fmtPeriod(p.period || period())}`;
    const wanted = ['value', measure(), ...(p.target === undefined || p.target === null ? [] : ['target', 'achieved'])];
    return [...new Set(wanted)]
      .filter((k) => p[k] !== undefined && p[k] !== null)
      .map((k) => ({
        id: k,
        title:
          k === 'value'
            ? `${name} (${measureUnit(ind, 'value')})`
            : k === 'target'
              ? t('chart.target')
              : k === 'achieved' || k === 'change_pct' // their names say their unit
                ? measureTitle(ind, k)
                : `${measureTitle(ind, k)} (${measureUnit(ind, k)})`,
        value: Number(p[k]),
      }));
  }

  /** After the map has drawn: are any of the drawn units converted, approximate or missing? */
  function survey() {
    if (!entry || !entry.visible() || !map.getSource(entry.meta.id)) return;
    const fill = styleLayersOf(map, entry.meta.id).find((l) => l.type === 'fill');
    const features = map.querySourceFeatures(entry.meta.id, { sourceLayer: fill?.['source-layer'] ?? entry.meta.id });
    const m = measure();
    const now = {
      converted: features.some((f) => f.properties.converted === true || f.properties.status === 'converted'),
      approximate: features.some((f) => f.properties.approximate === true || f.properties.approximate === 'true'),
      missing: features.some((f) => f.properties[m] === undefined || f.properties[m] === null),
    };
    if (Object.keys(now).every((k) => now[k] === found[k])) return;
    Object.assign(found, now);
    entry.render();
  }

  map.on('idle', survey);
  onLang(() => entry?.render());

  return {
    load,
    context,
    /** Subscribe to changes of the indicator, period, base or measure. */
    onChange(fn) {
      listeners.add(fn);
    },
    /** The panel's addon for a layer: only the indicator choropleth gets one. */
    addonFor(meta) {
      if (!isIndicatorLayer(meta)) return null;
      return (layerEntry) => {
        entry = layerEntry;
        addConvertedLayers(map, meta.id);
        return {
          ownMeasure: true,
          filters: OWN_FILTERS,
          controls,
          legendItems,
          numbers,
          legendParams: () =>
            fixed ? { method: 'manual', classes: String(fixed.breaks.length + 1), breaks: fixed.breaks.join(',') } : null,
          legendEl: (attrs) => hooks.legendEl?.(attrs) ?? null,
          legendChanged: (body) => {
            if (map.getLayer(`${meta.id}-converted`)) map.setPaintProperty(`${meta.id}-converted`, 'fill-color', CLEAR);
            hooks.legendChanged?.(body);
            const waiting = drawnOnce.splice(0);
            requestAnimationFrame(() => waiting.forEach((fn) => fn())); // once the panel has drawn it
          },
        };
      };
    },
    /** Show an indicator (from the dashboard or a link): the layer on, that indicator and period. */
    show({ code: wanted, period: wantedPeriod = '', measure: wantedMeasure = 'value' }) {
      if (!entry) return false;
      stop();
      // Filters first, then visibility: the first tiles asked for are the wanted ones (tiles
      // requested under the old URL could be kept when it changes in the same frame).
      update({ indicator_code: wanted, indicator_period: wantedPeriod, base: '' }, { indicator: wantedMeasure });
      if (!entry.visible()) entry.setVisible(true);
      return true;
    },
    /** Call `fn` once, when the next legend has been drawn in the panel. */
    afterLegend(fn) {
      drawnOnce.push(fn);
    },
    /** The layer entry the tools drive (null when the style has no indicator layer). */
    entry: () => entry,
    hooks,
    update,
    indicator,
    found,
    stop,
  };
}
