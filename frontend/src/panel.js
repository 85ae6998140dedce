// The layer panel, built from the style's "gisioc:layers" metadata: one group per system, a
// checkbox and an opacity slider per registry layer, its filters, its legend (GET
// /tiles/legend/{id}.json) and, for a choropleth, the indicator, method and number of classes,
// applied as the layer's fill-color. Every choice is kept in the URL state.

import { getJson } from './api.js';
import { fmtNumber, onLang, pick, t } from './i18n.js';
import {
  isLayerVisible,
  layerWithPurpose,
  registryLayers,
  setLayerOpacity,
  setLayerVisible,
  setSourceFilters,
  styleLayersOf,
  swatchOf,
  systemsOf,
} from './layers.js';
import { categoricalItems, choroplethItems, swatchEl } from './legend.js';
import { commit, state } from './state.js';
import { h } from './ui.js';
import { inForce, versionChoices } from './versions.js';

export const METHODS = ['equal_interval', 'quantile', 'jenks'];
const CLASSES = [3, 4, 5, 6, 7];

const option = (value, text, selected = false) => h('option', { value, selected }, text);

function select(name, label, options, onChange, layer) {
  const el = h('select', { name, id: `${name}-${layer}` }, options);
  el.addEventListener('change', () => onChange(el.value));
  return { el, wrap: h('label', { class: 'control' }, h('span', { class: 'control-label' }, label), el) };
}

/** True when the layer's tiles (and legend) take a filter of that name. */
export const takesFilter = (meta, name) => (meta.filters ?? []).some((f) => f.name === name);

class LayerEntry {
  constructor(map, meta, { versions, onChange, addon = null }) {
    this.map = map;
    this.meta = meta;
    this.onChange = onChange;
    // A system's own controls for this layer (indicators.js): {ownMeasure, filters it renders
    // itself, controls(), legendItems(body), legendEl(attrs), legendChanged(body)}.
    this.addon = addon?.(this) ?? null;
    this.swatch = swatchOf(map, meta.id);
    this.template = map.getStyle().sources[meta.id]?.tiles?.[0] ?? '';
    this.filters = { ...(state.filters[meta.id] ?? {}) };
    this.choice = { ...(state.choro[meta.id] ?? {}) }; // choropleth: indicator, method, classes
    this.opacity = state.opacity[meta.id] ?? 1;
    this.legend = null;
    this.seq = 0;
    this.loading = false;
    this.setVersions(versions);
    if (this.opacity < 1) setLayerOpacity(map, meta.id, this.opacity);
    this.applyFilters();
  }

  /** Show or hide the layer as the link says (the style's default when it says nothing). */
  applyVisibility() {
    const wanted = state.layers ? state.layers.has(this.meta.id) : isLayerVisible(this.map, this.meta.id);
    setLayerVisible(this.map, this.meta.id, wanted && !this.unavailable);
  }

  /** The versions a `version` filter offers; a layer that needs one and has none is unavailable. */
  setVersions(versions) {
    const filter = (this.meta.filters ?? []).find((f) => f.name === 'version');
    if (!filter) return;
    const { options, required } = versionChoices(this.meta.purpose, versions);
    this.versionOptions = { options, required };
    const known = options.some((v) => v.slug === this.filters.version);
    if (!known) this.filters.version = required && options.length ? options[0].slug : '';
    this.unavailable = required && !options.length;
    if (this.unavailable) setLayerVisible(this.map, this.meta.id, false);
  }

  /** The filters as the tile and legend URLs take them, the page's period included. */
  params() {
    const params = { ...this.filters };
    if (takesFilter(this.meta, 'period')) params.period = state.period;
    return params;
  }

  applyFilters() {
    setSourceFilters(this.map, this.meta.id, this.template, this.params());
  }

  setFilter(name, value) {
    this.filters[name] = value;
    this.applyFilters();
    this.changed();
    if (this.legend) this.refreshLegend();
  }

  setVisible(visible) {
    setLayerVisible(this.map, this.meta.id, visible);
    this.changed();
  }

  setOpacity(opacity) {
    this.opacity = opacity;
    setLayerOpacity(this.map, this.meta.id, opacity);
    this.changed();
  }

  visible() {
    return !this.unavailable && isLayerVisible(this.map, this.meta.id);
  }

  changed() {
    this.render();
    this.onChange(this);
  }

  render() {
    const { id, title, description } = this.meta;
    const visible = this.visible();
    if (visible && !this.legend && !this.loading) this.refreshLegend();
    const input = h('input', {
      type: 'checkbox',
      id: `toggle-${id}`,
      dataset: { layer: id },
      checked: visible,
      disabled: this.unavailable,
    });
    input.addEventListener('change', () => this.setVisible(input.checked));
    const colours = this.legend?.kind === 'choropleth' ? this.legend.classes.map((c) => c.color) : null;
    const row = h(
      'label',
      { class: `layer-row${this.unavailable ? ' unavailable' : ''}`, for: `toggle-${id}`, title: pick(description) },
      input,
      swatchEl(this.swatch, colours?.length ? colours : null),
      h('span', { class: 'layer-text' }, h('span', { class: 'layer-title' }, pick(title)), h('span', { class: 'detail' }, this.detail())),
    );
    const extra = visible ? h('div', { class: 'layer-extra' }, h('div', { class: 'controls' }, this.controls()), this.legendEl()) : null;
    const el = h('div', { class: `layer${visible ? ' on' : ''}`, dataset: { layer: id } }, row, extra);
    const focused = this.el?.contains(document.activeElement) ? document.activeElement.id : null;
    if (this.el?.isConnected) this.el.replaceWith(el);
    this.el = el;
    if (focused) document.getElementById(focused)?.focus();
    return el;
  }

  detail() {
    if (this.unavailable) return t('layer.noVersion');
    const { options = [], required = false } = this.versionOptions ?? {};
    if (required && options.length === 1) return options[0].name;
    return this.extraDetail ?? '';
  }

  controls() {
    const out = [this.addon?.controls() ?? []];
    for (const filter of this.meta.filters ?? []) {
      if (this.addon?.filters?.has(filter.name)) continue;
      const value = this.filters[filter.name] ?? '';
      if (filter.name === 'version') {
        const { options = [], required = false } = this.versionOptions ?? {};
        if (!options.length || (required && options.length === 1)) continue;
        const opts = [...(required ? [] : [option('', t('filter.all'))]), ...options.map((v) => option(v.slug, v.name, v.slug === value))];
        out.push(select('version', pick(filter.title), opts, (v) => this.setFilter('version', v), this.meta.id).wrap);
      } else if (filter.kind === 'choice' && filter.choices.length) {
        const labels = new Map((this.legend?.items ?? []).filter((i) => i.value).map((i) => [i.value, pick(i.label)]));
        for (const [c, label] of Object.entries(filter.labels ?? {})) labels.set(c, pick(label));
        // A filter with a default always has a value: its default stands for "not chosen".
        const all = filter.default === null || filter.default === undefined ? [option('', t('filter.all'))] : [];
        const chosen = value || filter.default || '';
        const opts = [...all, ...filter.choices.map((c) => option(c, labels.get(c) ?? c, c === chosen))];
        out.push(select(filter.name, pick(filter.title), opts, (v) => this.setFilter(filter.name, v), this.meta.id).wrap);
      }
    }
    if (this.legend?.kind === 'choropleth') out.push(this.choroplethControls(this.legend));
    const percent = Math.round(this.opacity * 100);
    const slider = h('input', {
      type: 'range',
      name: 'opacity',
      id: `opacity-${this.meta.id}`,
      min: 0,
      max: 100,
      step: 5,
      value: percent,
      'aria-valuetext': `${percent} %`,
      'aria-label': t('layer.opacityOf', { layer: pick(this.meta.title) }),
    });
    const shown = h('output', { for: slider.id }, `${fmtNumber(percent, 'int')} %`);
    slider.addEventListener('input', () => {
      shown.textContent = `${fmtNumber(Number(slider.value), 'int')} %`;
      slider.setAttribute('aria-valuetext', `${slider.value} %`);
      this.opacity = Number(slider.value) / 100;
      setLayerOpacity(this.map, this.meta.id, this.opacity);
    });
    slider.addEventListener('change', () => this.onChange(this));
    out.push(
      h(
        'label',
        { class: 'control control-inline control-opacity', for: slider.id },
        h('span', { class: 'control-label' }, t('layer.opacity')),
        slider,
        shown,
      ),
    );
    return out;
  }

  /** Pick the choropleth's indicator, method or classes. */
  setChoice(name, value) {
    this.choice[name] = value;
    this.onChange(this);
    this.refreshLegend();
  }

  choroplethControls(body) {
    const choose = (name) => (value) => this.setChoice(name, value);
    const indicator = this.addon?.ownMeasure
      ? null
      : select(
          'indicator',
          t('choro.indicator'),
          body.indicators.map((i) => option(i.id, pick(i.title), i.id === body.indicator)),
          choose('indicator'),
          this.meta.id,
        );
    const method = select(
      'method',
      t('choro.method'),
      METHODS.map((m) => option(m, t(`method.${m}`), m === body.method)),
      choose('method'),
      this.meta.id,
    );
    const shown = String(this.choice.classes || Math.min(Math.max(body.classes.length, CLASSES[0]), CLASSES.at(-1)));
    const classes = select(
      'classes',
      t('choro.classes'),
      CLASSES.map((n) => option(String(n), fmtNumber(n, 'int'), String(n) === shown)),
      choose('classes'),
      this.meta.id,
    );
    classes.wrap.classList.add('control-inline');
    return h('div', { class: 'choropleth-controls' }, indicator?.wrap, method.wrap, classes.wrap);
  }

  legendEl() {
    const body = this.legend;
    const attrs = {
      id: `legend-${this.meta.id}`,
      'aria-label': t('legend.of', { layer: pick(this.meta.title) }),
      'aria-busy': this.loading ? 'true' : null,
    };
    if (this.legendError) return h('ul', { class: 'legend', ...attrs }, h('li', { class: 'legend-error' }, t('legend.error')));
    if (!body) return h('ul', { class: 'legend', ...attrs });
    const own = this.addon?.legendEl?.(attrs);
    if (own) return own;
    if (body.kind === 'choropleth') {
      return h(
        'ul',
        {
          class: 'legend legend-choropleth',
          ...attrs,
          dataset: { indicator: body.indicator, method: body.method, breaks: JSON.stringify(body.breaks) },
        },
        choroplethItems(body),
        this.addon?.legendItems?.(body),
      );
    }
    return h('ul', { class: 'legend', ...attrs }, categoricalItems(body, this.swatch));
  }

  legendUrl() {
    const url = new URL(this.meta.legend, window.location.href);
    const own = this.addon?.legendParams?.() ?? {}; // the indicators' fixed classes while playing
    for (const [key, value] of Object.entries({ ...this.params(), ...this.choice, ...own })) if (value) url.searchParams.set(key, value);
    return url;
  }

  async refreshLegend() {
    const seq = ++this.seq;
    this.loading = true;
    this.el?.querySelector('.legend')?.setAttribute('aria-busy', 'true');
    try {
      const body = await getJson(this.legendUrl());
      if (seq !== this.seq) return; // a later choice has been made meanwhile
      this.legend = body;
      this.legendError = false;
      if (body.kind === 'choropleth') {
        for (const layer of styleLayersOf(this.map, this.meta.id)) {
          if (layer.type === 'fill') this.map.setPaintProperty(layer.id, 'fill-color', body.expression);
        }
      }
      this.addon?.legendChanged?.(body);
    } catch (error) {
      if (seq !== this.seq) return;
      this.legendError = true;
      console.error(`gisioc: legend of ${this.meta.id}:`, error);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.render();
      }
    }
  }

  /** {id, title} of the numbers a choropleth's features carry. */
  indicators() {
    return this.legend?.kind === 'choropleth' ? this.legend.indicators : [];
  }
}

/** A system's name in the current language, from the style's systems (its code when unnamed). */
export const systemTitle = (systems, system) => (systems?.[system]?.title ? pick(systems[system].title) : system);

/** Write the panel's choices into the URL state. */
function remember(entries) {
  state.layers = new Map([...entries.values()].filter((e) => e.visible()).map((e) => [e.meta.id, e.opacity]));
  state.opacity = Object.fromEntries([...entries.values()].filter((e) => e.opacity < 1).map((e) => [e.meta.id, e.opacity]));
  state.filters = {};
  state.choro = {};
  for (const e of entries.values()) {
    const filters = Object.entries(e.filters).filter(([, v]) => v);
    if (filters.length) state.filters[e.meta.id] = Object.fromEntries(filters);
    if (e.meta.choropleth && Object.values(e.choice).some(Boolean)) state.choro[e.meta.id] = { ...e.choice };
  }
  commit();
}

/**
 * The layer panel; `top` nodes (the period picker) come before the groups. It applies the
 * link's filters and opacities at once, its layers' visibility only on `show()`: called while
 * the layers are held, the filtered sources have reloaded before any tile is asked for.
 */
export function buildPanel(map, ui, { versions, top = [], onChange = () => {}, addons = () => null }) {
  const entries = new Map();
  const changed = (entry) => {
    remember(entries);
    onChange(entry);
  };
  const metas = registryLayers(map);
  for (const meta of metas) entries.set(meta.id, new LayerEntry(map, meta, { versions, onChange: changed, addon: addons(meta) }));
  const base = entries.get(layerWithPurpose(metas, 'base'));
  const systems = systemsOf(map);
  const setCurrent = (list) => {
    const current = inForce(list)[0];
    if (current && base) base.extraDetail = current.name;
  };
  setCurrent(versions);

  const render = () => {
    const bySystem = new Map();
    for (const entry of entries.values()) {
      if (!bySystem.has(entry.meta.system)) bySystem.set(entry.meta.system, []);
      bySystem.get(entry.meta.system).push(entry.render());
    }
    const groups = [...bySystem].map(([system, list]) =>
      h('section', { class: 'layer-group', dataset: { system } }, h('h2', { class: 'group-title' }, systemTitle(systems, system)), list),
    );
    ui.body.replaceChildren(...top, ...(groups.length ? groups : [h('p', { class: 'panel-empty' }, t('panel.empty'))]));
  };
  onLang(render);
  return {
    entries,
    render,
    /** Apply the link's (or the style's) visibility, draw the panel, note the state. */
    show() {
      for (const entry of entries.values()) entry.applyVisibility();
      render();
      remember(entries);
    },
    /**
     * The drill opened a route: a filter that follows a layer's picked record (a facility's
     * catchment) takes that record's id and shows its layer; any other route empties it, and
     * hides the layer again when it was shown for the pick.
     */
    follow(route) {
      for (const e of entries.values()) {
        const filter = (e.meta.filters ?? []).find((f) => f.selected);
        if (!filter) continue;
        const now = e.filters[filter.name] ?? '';
        const record = route.kind === 'record';
        // A link's record comes without the layer it was picked on: it keeps the link's filter.
        if (record && !route.layer && String(route.id) === now) continue;
        const picked = record && route.layer === filter.selected ? String(route.id) : '';
        if (now === picked) continue;
        if (picked && !e.visible()) {
          e.shownFor = true;
          setLayerVisible(map, e.meta.id, true);
        } else if (!picked && e.shownFor) {
          e.shownFor = false;
          setLayerVisible(map, e.meta.id, false);
        }
        e.setFilter(filter.name, picked);
      }
    },
    /** The period changed: layers filtered by it fetch new tiles and legends. */
    setPeriod() {
      for (const e of entries.values()) {
        if (!takesFilter(e.meta, 'period')) continue;
        e.applyFilters();
        if (e.legend) e.refreshLegend();
      }
    },
    /** New boundary versions (a draft imported or published). */
    setVersions(list) {
      setCurrent(list);
      for (const e of entries.values()) e.setVersions(list);
      for (const e of entries.values()) e.applyFilters();
      render();
      remember(entries);
    },
  };
}
