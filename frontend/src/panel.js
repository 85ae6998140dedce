// The layer panel, built from the style's "gisioc:layers" metadata: one group per system, a
// checkbox per registry layer, its filters, its legend (GET /tiles/legend/{id}.json) and, for a
// choropleth, the indicator, method and number of classes, applied as the layer's fill-color.

import { getJson } from './api.js';
import {
  isLayerVisible, registryLayers, setLayerVisible, setSourceFilters, styleLayersOf, swatchOf,
} from './layers.js';
import { AREA, bilingual, h } from './ui.js';
import { inForce, versionChoices } from './versions.js';

const SYSTEMS = {
  boundaries: ['Ranh giới và cơ sở', 'Boundaries and facilities'],
  public_services: ['Dịch vụ công', 'Public services'],
  documents: ['Văn bản', 'Documents'],
  indicators: ['Chỉ tiêu kinh tế – xã hội', 'Socio-economic indicators'],
  health: ['Y tế', 'Health'],
  education: ['Giáo dục', 'Education'],
  feedback: ['Phản ánh hiện trường', 'Citizen feedback'],
  cameras: ['Camera', 'Cameras'],
};

export const METHODS = [
  { id: 'equal_interval', vi: 'Khoảng đều', en: 'Equal interval' },
  { id: 'quantile', vi: 'Phân vị', en: 'Quantile' },
  { id: 'jenks', vi: 'Ngắt tự nhiên (Jenks)', en: 'Natural breaks' },
];
const CLASSES = [3, 4, 5, 6, 7];

const ALL = { value: '', vi: 'Tất cả', en: 'All' };

function option(value, text, selected = false) {
  return h('option', { value, selected }, text);
}

function select(name, label, options, onChange) {
  const el = h('select', { name }, options);
  el.addEventListener('change', () => onChange(el.value));
  return { el, wrap: h('label', { class: 'control' }, h('span', { class: 'control-label' }, ...label), el) };
}

/** A small picture of how the layer is drawn, read from its style layers. */
function swatchEl(swatch) {
  if (swatch.kind === 'fill') {
    const fills = swatch.fills.length ? swatch.fills : ['#ddd'];
    const background = fills.length > 1 ? `linear-gradient(90deg, ${fills.join(', ')})` : fills[0];
    const border = swatch.line ? `box-shadow: inset 0 0 0 1.5px ${swatch.line};` : 'box-shadow: inset 0 0 0 1px rgba(0,0,0,.2);';
    return h('span', { class: 'swatch swatch-fill', 'aria-hidden': 'true', style: `background:${background};${border}` });
  }
  if (swatch.kind === 'line') {
    return h('span', {
      class: 'swatch swatch-line', 'aria-hidden': 'true',
      style: `border-top: 2px ${swatch.dashed ? 'dashed' : 'solid'} ${swatch.line}`,
    });
  }
  if (swatch.kind === 'point') {
    const spots = ['25% 35%', '72% 30%', '50% 78%'];
    const [first = '#777'] = swatch.points;
    const dots = spots.map((at, i) => `radial-gradient(circle at ${at}, ${swatch.points[i] ?? first} 0 3px, transparent 3.5px)`);
    return h('span', { class: 'swatch swatch-points', 'aria-hidden': 'true', style: `background:${dots.join(',')}` });
  }
  return h('span', { class: 'swatch', 'aria-hidden': 'true' });
}

function legendSymbol(swatch, color) {
  if (swatch.kind === 'point') return h('span', { class: 'dot', style: `background:${color}`, 'aria-hidden': 'true' });
  if (swatch.kind === 'line') {
    return h('span', { class: 'key-line', 'aria-hidden': 'true', style: `border-top: 2px ${swatch.dashed ? 'dashed' : 'solid'} ${color}` });
  }
  if (swatch.line && color.toLowerCase() === swatch.line.toLowerCase()) {
    // The item names the outline of a filled layer: draw the fill inside that outline.
    const fill = swatch.fills?.length === 1 ? swatch.fills[0] : 'transparent';
    return h('span', { class: 'key-box', style: `background:${fill};box-shadow: inset 0 0 0 1.5px ${color}`, 'aria-hidden': 'true' });
  }
  return h('span', { class: 'key-box', style: `background:${color}`, 'aria-hidden': 'true' });
}

function categoricalItems(body, swatch) {
  const items = body.items.map((item) => h('li', { dataset: { value: item.value ?? '', color: item.color } },
    legendSymbol(swatch, item.color), h('span', { class: 'legend-text' }, ...bilingual(item.label.vi, item.label.en))));
  if (swatch.kind === 'point' && swatch.cluster) {
    items.push(h('li', { class: 'cluster-item' },
      h('span', { class: 'cluster-dot', style: `background:${swatch.cluster}`, 'aria-hidden': 'true' }, '5'),
      h('span', { class: 'legend-text' }, ...bilingual('Nhóm điểm (số lượng)', 'Cluster (count)'))));
  }
  return items;
}

function range(item) {
  const fmt = (v) => (v === null || v === undefined ? '…' : AREA.format(v));
  return item.min === item.max ? fmt(item.min) : `${fmt(item.min)} – ${fmt(item.max)}`;
}

function choroplethItems(body) {
  return body.classes.map((item) => h('li', {
    dataset: { min: String(item.min), max: String(item.max), color: item.color, count: String(item.count) },
  }, legendSymbol({ kind: 'fill' }, item.color), h('span', { class: 'legend-text' }, range(item)),
  h('span', { class: 'count', title: 'Số đối tượng — features' }, String(item.count))));
}

class LayerEntry {
  constructor(map, meta, { versions, onChange }) {
    this.map = map;
    this.meta = meta;
    this.onChange = onChange;
    this.swatch = swatchOf(map, meta.id);
    this.template = map.getStyle().sources[meta.id]?.tiles?.[0] ?? '';
    this.filters = {};
    this.choice = {}; // choropleth: indicator, method, classes as the user picked them
    this.legend = null;
    this.seq = 0;
    this.loading = false;
    this.build(versions);
  }

  build(versions) {
    const { id, title, description } = this.meta;
    this.input = h('input', { type: 'checkbox', id: `toggle-${id}`, dataset: { layer: id } });
    this.detail = h('span', { class: 'detail' });
    this.swatchNode = swatchEl(this.swatch);
    this.row = h('label', { class: 'layer-row', for: `toggle-${id}`, title: description?.vi ?? '' },
      this.input, this.swatchNode, h('span', { class: 'layer-text' }, ...bilingual(title.vi, title.en), this.detail));
    this.controls = h('div', { class: 'controls' });
    this.legendEl = h('ul', { class: 'legend', id: `legend-${id}`, 'aria-label': `Chú giải — Legend: ${title.vi}` });
    this.extra = h('div', { class: 'layer-extra', hidden: true }, this.controls, this.legendEl);
    this.el = h('div', { class: 'layer', dataset: { layer: id } }, this.row, this.extra);
    this.input.addEventListener('change', () => this.setVisible(this.input.checked));
    for (const f of this.meta.filters ?? []) this.buildFilter(f, versions);
  }

  buildFilter(filter, versions) {
    if (filter.name === 'version') {
      const { options, required } = versionChoices(this.meta.id, versions);
      if (!options.length) {
        if (required) this.disable('Chưa có phiên bản — no version published');
        return;
      }
      this.filters.version = required ? options[0].slug : '';
      if (options.length === 1 && required) {
        this.detail.textContent = options[0].name;
      } else {
        const opts = [...(required ? [] : [option('', `${ALL.vi} — ${ALL.en}`)]),
          ...options.map((v, i) => option(v.slug, v.name, required && i === 0))];
        this.controls.append(select('version', [filter.title.vi], opts, (value) => this.setFilter('version', value)).wrap);
      }
      this.applyFilters();
    } else if (filter.kind === 'choice' && filter.choices.length) {
      const opts = [option('', `${ALL.vi} — ${ALL.en}`), ...filter.choices.map((c) => option(c, c))];
      const control = select(filter.name, [filter.title.vi, h('span', { class: 'en' }, filter.title.en)], opts,
        (value) => this.setFilter(filter.name, value));
      this.choiceSelects = [...(this.choiceSelects ?? []), control.el];
      this.controls.append(control.wrap);
    }
  }

  disable(reason) {
    this.input.checked = false;
    this.input.disabled = true;
    this.row.classList.add('unavailable');
    this.detail.textContent = reason;
    setLayerVisible(this.map, this.meta.id, false);
  }

  setFilter(name, value) {
    this.filters[name] = value;
    this.applyFilters();
    this.onChange();
  }

  applyFilters() {
    setSourceFilters(this.map, this.meta.id, this.template, this.filters);
  }

  setVisible(visible) {
    setLayerVisible(this.map, this.meta.id, visible);
    this.sync();
    this.onChange();
  }

  /** Bring the checkbox and the legend's visibility in line with the map. */
  sync() {
    const visible = !this.input.disabled && isLayerVisible(this.map, this.meta.id);
    this.input.checked = visible;
    this.extra.hidden = !visible;
    this.el.classList.toggle('on', visible);
    if (visible && !this.legend && !this.loading) this.refreshLegend();
  }

  legendUrl() {
    const url = new URL(this.meta.legend, window.location.href);
    for (const [key, value] of Object.entries(this.choice)) if (value) url.searchParams.set(key, value);
    return url;
  }

  async refreshLegend() {
    const seq = ++this.seq;
    this.loading = true;
    this.legendEl.setAttribute('aria-busy', 'true');
    try {
      const body = await getJson(this.legendUrl());
      if (seq !== this.seq) return; // a later choice has been made meanwhile
      this.legend = body;
      this.renderLegend(body);
    } catch (error) {
      if (seq !== this.seq) return;
      this.legendEl.replaceChildren(h('li', { class: 'legend-error' }, 'Không tải được chú giải — legend unavailable'));
      console.error(`gisioc: legend of ${this.meta.id}:`, error);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.legendEl.removeAttribute('aria-busy');
      }
    }
  }

  renderLegend(body) {
    if (body.kind === 'choropleth') {
      this.renderChoroplethControls(body);
      for (const layer of styleLayersOf(this.map, this.meta.id)) {
        if (layer.type === 'fill') this.map.setPaintProperty(layer.id, 'fill-color', body.expression);
      }
      const colours = body.classes.map((c) => c.color);
      if (colours.length) this.swatchNode.style.background = `linear-gradient(90deg, ${colours.join(', ')})`;
      Object.assign(this.legendEl.dataset, {
        indicator: body.indicator, method: body.method, breaks: JSON.stringify(body.breaks),
      });
      this.legendEl.className = 'legend legend-choropleth';
      this.legendEl.replaceChildren(...choroplethItems(body));
    } else {
      this.legendEl.className = 'legend';
      this.legendEl.replaceChildren(...categoricalItems(body, this.swatch));
      this.relabelChoices(body);
    }
  }

  /** Name a choice filter's options after the legend's labels (facility kinds and the like). */
  relabelChoices(body) {
    const labels = new Map(body.items.filter((i) => i.value).map((i) => [i.value, i.label]));
    for (const el of this.choiceSelects ?? []) {
      for (const opt of el.options) {
        const label = labels.get(opt.value);
        if (label) opt.textContent = label.vi === label.en ? label.vi : `${label.vi} — ${label.en}`;
      }
    }
  }

  renderChoroplethControls(body) {
    const choose = (name) => (value) => { this.choice[name] = value; this.refreshLegend(); };
    if (!this.choroplethControls) {
      const indicator = select('indicator', ['Chỉ tiêu', h('span', { class: 'en' }, 'Indicator')], [], choose('indicator'));
      const method = select('method', ['Phân lớp', h('span', { class: 'en' }, 'Method')],
        METHODS.map((m) => option(m.id, `${m.vi} — ${m.en}`)), choose('method'));
      const classes = select('classes', ['Số lớp', h('span', { class: 'en' }, 'Classes')],
        CLASSES.map((n) => option(String(n), String(n))), choose('classes'));
      this.choroplethControls = { indicator: indicator.el, method: method.el, classes: classes.el };
      classes.wrap.classList.add('control-inline');
      this.controls.append(h('div', { class: 'choropleth-controls' }, indicator.wrap, method.wrap, classes.wrap));
    }
    const c = this.choroplethControls;
    c.indicator.replaceChildren(...body.indicators.map((i) => option(i.id, `${i.title.vi} — ${i.title.en}`, i.id === body.indicator)));
    c.method.value = body.method;
    const shown = Math.min(Math.max(body.classes.length, CLASSES[0]), CLASSES.at(-1));
    c.classes.value = this.choice.classes ?? String(shown);
  }

  /** {id, title} of the numbers this layer's popup shows: the choropleth's indicators. */
  indicators() {
    return this.legend?.kind === 'choropleth' ? this.legend.indicators : [];
  }
}

/** The groups of layers the user may see, each with its Vietnamese then English title. */
export function buildPanel(map, ui, { versions, onChange = () => {} }) {
  const metas = registryLayers(map);
  const entries = new Map();
  const bySystem = new Map();
  for (const meta of metas) {
    const entry = new LayerEntry(map, meta, { versions, onChange });
    entries.set(meta.id, entry);
    if (!bySystem.has(meta.system)) bySystem.set(meta.system, []);
    bySystem.get(meta.system).push(entry);
  }
  const current = inForce(versions)[0];
  if (current && entries.has('admin-units')) entries.get('admin-units').detail.textContent = current.name;

  const groups = [...bySystem].map(([system, list]) => {
    const [vi, en] = SYSTEMS[system] ?? [system, system];
    return h('section', { class: 'layer-group', dataset: { system } },
      h('h2', { class: 'group-title' }, ...bilingual(vi, en)), list.map((e) => e.el));
  });
  ui.body.replaceChildren(...(groups.length ? groups
    : [h('p', { class: 'panel-empty' }, 'Không có lớp bản đồ nào — no layers available')]));
  for (const entry of entries.values()) entry.sync();
  return entries;
}
