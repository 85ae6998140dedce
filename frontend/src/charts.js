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

const TARGET = '#D55E00'; // Okabe–Ito vermillion: the plan target, dashed
const CONVERTED_BAND = '#eef0f2';
const MANY = 60; // more points than this: a line without dots

const has = (v) => v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v));

/**
 * A trend: line and dots for 3 points or more, columns for fewer. Points may carry a `target`
 * (drawn as a dashed line, or a dashed tick over a column) and a `status`: 'converted' points
 * (values computed from former communes) are hollow, over a shaded band. `series.unit` ({vi,
 * en}) labels the value axis.
 */
export function trendChart(series, format = 'decimal') {
  const all = (series.points ?? []).filter((p) => has(p.value) || has(p.target));
  const points = all.filter((p) => has(p.value));
  const title = pick(series.title);
  if (!points.length) {
    // Nothing to draw: every point is a small count held back, or there is no data.
    const held = (series.points ?? []).some((p) => p.suppressed);
    return h(
      'figure',
      { class: 'chart' },
      h('figcaption', {}, title),
      h('p', { class: 'muted' }, t(held ? 'value.suppressedWhy' : 'chart.noData')),
    );
  }
  const targets = all.filter((p) => has(p.target));
  const converted = points.filter((p) => p.status === 'converted');
  const unit = series.unit ? pick(series.unit) : '';
  const H = 120;
  const pad = { l: 38, r: 8, t: unit ? 16 : 8, b: 20 };
  const values = [...points.map((p) => Number(p.value)), ...targets.map((p) => Number(p.target))];
  const min = Math.min(0, ...values);
  const max = niceMax(Math.max(...values));
  // Periods on the x axis: every one with a value or a target, in the series' order.
  const periods = all.map((p) => p.period);
  const slot = (p) => periods.indexOf(p.period);
  const n = periods.length;
  const lineMode = points.length >= 3;
  const x = lineMode
    ? (i) => pad.l + (n === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (n - 1))
    : (i) => pad.l + ((i + 0.5) * (W - pad.l - pad.r)) / n;
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - (v - min) / (max - min || 1));
  const label = (p) =>
    [
      `${fmtPeriod(p.period)}: ${has(p.value) ? fmtNumber(p.value, format) : p.suppressed ? t('value.suppressed') : '–'}`,
      has(p.target) ? t('chart.targetOf', { v: fmtNumber(p.target, format) }) : '',
      p.status === 'converted' ? t('chart.converted') : '',
    ]
      .filter(Boolean)
      .join(' · ');
  const marks = [];
  if (converted.length) {
    // The stretch of the series read from former communes, shaded behind the marks.
    const xs = converted.map((p) => x(slot(p)));
    const half = lineMode ? (W - pad.l - pad.r) / Math.max(n - 1, 1) / 2 : (W - pad.l - pad.r) / n / 2;
    const x0 = Math.max(Math.min(...xs) - half, pad.l);
    const x1 = Math.min(Math.max(...xs) + half, W - pad.r);
    marks.push(
      s(
        'rect',
        { x: x0, y: pad.t, width: Math.max(x1 - x0, 2), height: H - pad.t - pad.b, fill: CONVERTED_BAND, class: 'converted-band' },
        s('title', {}, t('chart.converted')),
      ),
    );
  }
  if (lineMode) {
    const line = points.map((p) => `${x(slot(p)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    const first = x(slot(points[0]));
    const last = x(slot(points.at(-1)));
    marks.push(s('polygon', { points: `${first},${y(min)} ${line} ${last},${y(min)}`, fill: BLUE, 'fill-opacity': 0.12 }));
    marks.push(s('polyline', { points: line, fill: 'none', stroke: BLUE, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
    points.forEach((p) => {
      const hollow = p.status === 'converted';
      if (points.length > MANY && !hollow) return;
      marks.push(
        s(
          'circle',
          {
            cx: x(slot(p)),
            cy: y(p.value),
            r: points.length > MANY ? 1.6 : 3,
            fill: hollow ? '#fff' : BLUE,
            stroke: BLUE,
            'stroke-width': hollow ? 1.5 : 0,
            class: hollow ? 'point converted' : 'point',
            'data-period': p.period,
          },
          s('title', {}, label(p)),
        ),
      );
    });
  } else {
    const width = Math.min(40, (W - pad.l - pad.r) / n - 12);
    points.forEach((p) => {
      const hollow = p.status === 'converted';
      marks.push(
        s(
          'rect',
          {
            x: x(slot(p)) - width / 2,
            y: y(Math.max(p.value, 0)),
            width,
            height: Math.abs(y(p.value) - y(0)),
            fill: hollow ? '#fff' : BLUE,
            stroke: BLUE,
            'stroke-width': hollow ? 1.5 : 0,
            class: hollow ? 'point converted' : 'point',
            'data-period': p.period,
          },
          s('title', {}, label(p)),
        ),
      );
    });
  }
  if (targets.length) {
    const dash = { stroke: TARGET, 'stroke-width': 1.8, 'stroke-dasharray': '5 3', fill: 'none' };
    if (lineMode && targets.length > 1) {
      const line = targets.map((p) => `${x(slot(p)).toFixed(1)},${y(p.target).toFixed(1)}`).join(' ');
      marks.push(s('polyline', { points: line, ...dash, class: 'target-line' }, s('title', {}, t('chart.target'))));
    } else {
      const half = lineMode ? 8 : Math.min(40, (W - pad.l - pad.r) / n - 12) / 2 + 4;
      targets.forEach((p) =>
        marks.push(
          s(
            'line',
            { x1: x(slot(p)) - half, x2: x(slot(p)) + half, y1: y(p.target), y2: y(p.target), ...dash, class: 'target-line' },
            s('title', {}, label(p)),
          ),
        ),
      );
    }
  }
  const text = (tx, ty, content, anchor = 'start', cls = null) =>
    s('text', { x: tx, y: ty, 'text-anchor': anchor, fill: MUTED, 'font-size': 10, class: cls }, content);
  const firstPeriod = periods[0];
  const lastPoint = points.at(-1);
  const lastPeriod = periods.at(-1);
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'chart-svg',
      role: 'img',
      'aria-label': `${title}${unit ? ` (${unit})` : ''}: ${all.map(label).join('; ')}`,
    },
    unit ? text(2, 9, unit, 'start', 'axis-unit') : null,
    s('line', { x1: pad.l, x2: W - pad.r, y1: y(min), y2: y(min), stroke: '#cfd5dc' }),
    s('line', { x1: pad.l, x2: W - pad.r, y1: y(max), y2: y(max), stroke: '#eef0f2' }),
    text(pad.l - 4, y(max) + 3, fmtNumber(max, format), 'end'),
    text(pad.l - 4, y(min) + 3, fmtNumber(min, format), 'end'),
    text(lineMode ? x(0) : pad.l, H - 5, fmtPeriod(firstPeriod, { short: true })),
    n > 1 ? text(W - pad.r, H - 5, fmtPeriod(lastPeriod, { short: true }), 'end') : null,
    marks,
  );
  const key = (swatch, words) => h('span', { class: 'chart-key-item' }, swatch, words);
  const keys =
    targets.length || converted.length
      ? h(
          'p',
          { class: 'chart-key' },
          key(h('span', { class: 'key-line', style: `border-top:2px solid ${BLUE}`, 'aria-hidden': 'true' }), t('chart.actual')),
          targets.length
            ? key(h('span', { class: 'key-line', style: `border-top:2px dashed ${TARGET}`, 'aria-hidden': 'true' }), t('chart.target'))
            : null,
          converted.length ? key(h('span', { class: 'key-hollow', 'aria-hidden': 'true' }), t('chart.converted')) : null,
        )
      : null;
  return h(
    'figure',
    { class: 'chart', dataset: { series: series.id, targets: String(targets.length), converted: String(converted.length) } },
    h(
      'figcaption',
      {},
      title,
      h(
        'span',
        { class: 'chart-last' },
        `${fmtPeriod(lastPoint.period)}: ${fmtNumber(lastPoint.value, format)}${unit && format !== 'percent' ? ` ${unit}` : ''}`,
      ),
    ),
    svg,
    keys,
  );
}

/** A breakdown as horizontal bars, largest first as the server ordered them. */
/** A bar's number; a small count held back says so. */
const itemValue = (item, format) => (item.suppressed ? t('value.suppressed') : fmtNumber(item.value, format));

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
      s('title', {}, `${name}: ${itemValue(item, format)}`),
      s('text', { x: 0, y: y0 + 13, fill: INK, 'font-size': 11 }, name.length > 20 ? `${name.slice(0, 19)}…` : name),
      s('rect', { x: labelW, y: y0 + 3, width: Math.max(width, 1), height: row - 7, rx: 2, fill: BLUE }),
      s('text', { x: labelW + width + 4, y: y0 + 13, fill: MUTED, 'font-size': 11 }, itemValue(item, format)),
    );
  });
  const summary = items.map((i) => `${pick(i.label)}: ${itemValue(i, format)}`).join('; ');
  return h(
    'figure',
    { class: 'chart', dataset: { breakdown: breakdown.id } },
    h('figcaption', {}, title),
    s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': `${title}: ${summary}` }, bars),
  );
}
