// Small inline SVG charts for profiles: a trend line (or columns, for a short series) and
// horizontal bars for a breakdown. Drawn here, no chart library; each is an image with a
// spoken summary, and every mark has a tooltip.

import { fmtNumber, fmtPeriod, pick, t } from './i18n.js';
import { h, s } from './ui.js';

const W = 300;
const INK = '#1f2933';
const MUTED = '#5b6673';
const BLUE = '#0072B2'; // Okabe–Ito blue: readable with the common colour-vision deficiencies

function niceMax(value) {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * step).find((v) => v >= value);
}

/** A trend: line and dots for 3 points or more, columns for fewer. */
export function trendChart(series, format = 'decimal') {
  const points = (series.points ?? []).filter((p) => p.value !== null && p.value !== undefined);
  const title = pick(series.title);
  if (!points.length) return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('p', { class: 'muted' }, t('chart.noData')));
  const H = 120;
  const pad = { l: 34, r: 8, t: 8, b: 20 };
  const values = points.map((p) => Number(p.value));
  const min = Math.min(0, ...values);
  const max = niceMax(Math.max(...values));
  const x = (i) => pad.l + (points.length === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - (v - min) / (max - min || 1));
  const label = (p) => `${fmtPeriod(p.period)}: ${fmtNumber(p.value, format)}`;
  const marks = [];
  if (points.length >= 3) {
    const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    marks.push(s('polygon', { points: `${x(0)},${y(min)} ${line} ${x(points.length - 1)},${y(min)}`, fill: BLUE, 'fill-opacity': 0.12 }));
    marks.push(s('polyline', { points: line, fill: 'none', stroke: BLUE, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
    points.forEach((p, i) => marks.push(s('circle', { cx: x(i), cy: y(p.value), r: 3, fill: BLUE }, s('title', {}, label(p)))));
  } else {
    const width = Math.min(40, (W - pad.l - pad.r) / points.length - 12);
    const at = (i) => pad.l + ((i + 0.5) * (W - pad.l - pad.r)) / points.length;
    points.forEach((p, i) =>
      marks.push(
        s(
          'rect',
          { x: at(i) - width / 2, y: y(Math.max(p.value, 0)), width, height: Math.abs(y(p.value) - y(0)), fill: BLUE },
          s('title', {}, label(p)),
        ),
      ),
    );
  }
  const text = (tx, ty, content, anchor = 'start') =>
    s('text', { x: tx, y: ty, 'text-anchor': anchor, fill: MUTED, 'font-size': 10 }, content);
  const first = points[0];
  const last = points.at(-1);
  const svg = s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': `${title}: ${points.map(label).join('; ')}` },
    s('line', { x1: pad.l, x2: W - pad.r, y1: y(min), y2: y(min), stroke: '#cfd5dc' }),
    s('line', { x1: pad.l, x2: W - pad.r, y1: y(max), y2: y(max), stroke: '#eef0f2' }),
    text(pad.l - 4, y(max) + 3, fmtNumber(max, format), 'end'),
    text(pad.l - 4, y(min) + 3, fmtNumber(min, format), 'end'),
    text(points.length >= 3 ? x(0) : pad.l, H - 5, fmtPeriod(first.period, { short: true })),
    points.length > 1 ? text(W - pad.r, H - 5, fmtPeriod(last.period, { short: true }), 'end') : null,
    marks,
  );
  return h(
    'figure',
    { class: 'chart', dataset: { series: series.id } },
    h('figcaption', {}, title, h('span', { class: 'chart-last' }, `${fmtPeriod(last.period)}: ${fmtNumber(last.value, format)}`)),
    svg,
  );
}

/** A breakdown as horizontal bars, largest first as the server ordered them. */
export function barChart(breakdown, format = 'int') {
  const items = breakdown.items ?? [];
  const title = pick(breakdown.title);
  const row = 20;
  const labelW = 116;
  const valueW = 46;
  const H = items.length * row + 4;
  const max = Math.max(...items.map((i) => Number(i.value) || 0), 0) || 1;
  const bars = items.map((item, i) => {
    const y0 = i * row + 2;
    const width = ((Number(item.value) || 0) / max) * (W - labelW - valueW);
    const name = pick(item.label);
    return s(
      'g',
      { 'data-key': item.key },
      s('title', {}, `${name}: ${fmtNumber(item.value, format)}`),
      s('text', { x: 0, y: y0 + 13, fill: INK, 'font-size': 11 }, name.length > 20 ? `${name.slice(0, 19)}…` : name),
      s('rect', { x: labelW, y: y0 + 3, width: Math.max(width, 1), height: row - 7, rx: 2, fill: BLUE }),
      s('text', { x: labelW + width + 4, y: y0 + 13, fill: MUTED, 'font-size': 11 }, fmtNumber(item.value, format)),
    );
  });
  const summary = items.map((i) => `${pick(i.label)}: ${fmtNumber(i.value, format)}`).join('; ');
  return h(
    'figure',
    { class: 'chart', dataset: { breakdown: breakdown.id } },
    h('figcaption', {}, title),
    s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': `${title}: ${summary}` }, bars),
  );
}
