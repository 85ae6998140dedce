// Swatches and legend items: how a layer is drawn (read from its style layers) and what its
// legend (GET /tiles/legend/{id}.json) says, in the current language.

import { fmtNumber, pick, t } from './i18n.js';
import { h } from './ui.js';

/** A small picture of how the layer is drawn. */
export function swatchEl(swatch, colours = null) {
  if (swatch.kind === 'fill') {
    const fills = colours ?? (swatch.fills.length ? swatch.fills : ['#ddd']);
    const background = fills.length > 1 ? `linear-gradient(90deg, ${fills.join(', ')})` : fills[0];
    const border = swatch.line ? `box-shadow: inset 0 0 0 1.5px ${swatch.line};` : 'box-shadow: inset 0 0 0 1px rgba(0,0,0,.2);';
    return h('span', { class: 'swatch swatch-fill', 'aria-hidden': 'true', style: `background:${background};${border}` });
  }
  if (swatch.kind === 'line') {
    return h('span', {
      class: 'swatch swatch-line',
      'aria-hidden': 'true',
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

/** The number range a choropleth class covers, formatted. */
export function classRange(item) {
  const fmt = (v) => (v === null || v === undefined ? '…' : fmtNumber(v, 'decimal'));
  return item.min === item.max ? fmt(item.min) : `${fmt(item.min)} – ${fmt(item.max)}`;
}

/** Legend items of a categorical legend (kinds, outlines), clusters included. */
export function categoricalItems(body, swatch) {
  const items = body.items.map((item) =>
    h(
      'li',
      { dataset: { value: item.value ?? '', color: item.color } },
      legendSymbol(swatch, item.color),
      h('span', { class: 'legend-text' }, pick(item.label)),
    ),
  );
  if (swatch.kind === 'point' && swatch.cluster) {
    items.push(
      h(
        'li',
        { class: 'cluster-item' },
        h('span', { class: 'cluster-dot', style: `background:${swatch.cluster}`, 'aria-hidden': 'true' }, '5'),
        h('span', { class: 'legend-text' }, t('legend.cluster')),
      ),
    );
  }
  return items;
}

/** Legend items of a choropleth: one per class, with its range and how many features fall in it. */
export function choroplethItems(body) {
  return body.classes.map((item) =>
    h(
      'li',
      { dataset: { min: String(item.min), max: String(item.max), color: item.color, count: String(item.count) } },
      legendSymbol({ kind: 'fill' }, item.color),
      h('span', { class: 'legend-text' }, classRange(item)),
      h('span', { class: 'count', title: t('legend.count') }, fmtNumber(item.count, 'int')),
    ),
  );
}

/** What an export draws for a legend: [{color, label, kind}] in the current language. */
export function legendRows(body, swatch) {
  if (!body) return [];
  if (body.kind === 'choropleth') {
    return body.classes.map((c) => ({ color: c.color, label: classRange(c), kind: 'fill' }));
  }
  const outline = (color) => swatch.kind === 'fill' && swatch.line && color.toLowerCase() === swatch.line.toLowerCase();
  return (body.items ?? []).map((i) => ({
    color: i.color,
    label: pick(i.label),
    kind: outline(i.color) ? 'outline' : swatch.kind,
    dashed: swatch.dashed,
  }));
}
