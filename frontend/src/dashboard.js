// The district dashboard (GET /api/indicators/dashboard/?period=<year>): the headline
// indicators as cards — value and unit, a sparkline, the change from the previous period and
// the achievement of the plan target — with a count of what is on track at the top. A leader
// reaches it from the header's "Chỉ tiêu" button or the top of the district's profile; a card
// opens its indicator on the map or its ranking of communes.

import { getJsonPatiently } from './indicators.js';
import { fmtNumber, fmtPeriod, onLang, pick, t } from './i18n.js';
import { withParams } from './indicators-core.js';
import { changeEl, fmtValue, standingBadge } from './indicators-view.js';
import { addProfileAction } from './profile.js';
import { h, s } from './ui.js';

const STANDINGS = ['on_track', 'at_risk', 'missed'];

/** A sparkline of [{period, value}]: a line with its last point, the period range as its title. */
export function sparkline(points, { width = 120, height = 30 } = {}) {
  const data = (points ?? []).filter((p) => p.value !== null && p.value !== undefined);
  if (data.length < 2) return null;
  const values = data.map((p) => Number(p.value));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i) => 2 + (i * (width - 4)) / (data.length - 1);
  const y = (v) => height - 3 - ((v - lo) / (hi - lo || 1)) * (height - 6);
  const line = data.map((p, i) => `${x(i).toFixed(1)},${y(Number(p.value)).toFixed(1)}`).join(' ');
  const summary = data.map((p) => `${fmtPeriod(p.period)}: ${fmtNumber(p.value, 'decimal')}`).join('; ');
  return s(
    'svg',
    { class: 'spark', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary, 'data-points': data.length },
    s('title', {}, summary),
    s('polyline', { points: line, fill: 'none', stroke: '#0072B2', 'stroke-width': 1.6, 'stroke-linejoin': 'round' }),
    s('circle', { cx: x(data.length - 1), cy: y(values.at(-1)), r: 2.4, fill: '#0072B2' }),
  );
}

function card(item, { onMap, onRanking }) {
  const ind = item.indicator;
  const unit = pick(ind.unit);
  const mapButton = h('button', { type: 'button', class: 'link' }, t('dash.onMap'));
  mapButton.addEventListener('click', () => onMap(item));
  const rankButton = h('button', { type: 'button', class: 'link' }, t('dash.ranking'));
  rankButton.addEventListener('click', () => onRanking(item));
  const target = item.target !== null && item.target !== undefined;
  return h(
    'article',
    {
      class: `dash-card${item.standing ? ` is-${item.standing}` : ''}`,
      dataset: { indicator: ind.code, standing: item.standing ?? '', value: String(item.value ?? '') },
    },
    h('h4', { class: 'dash-name' }, pick(ind.name)),
    h(
      'p',
      { class: 'dash-value' },
      h('strong', {}, fmtValue(item.value, ind)),
      ' ',
      h('span', { class: 'dash-unit' }, unit),
      item.status && item.status !== 'reported'
        ? h('span', { class: `dash-status status-${item.status}` }, t(`ind.status.${item.status}`))
        : null,
    ),
    h(
      'div',
      { class: 'dash-row' },
      sparkline(item.spark),
      h(
        'p',
        { class: 'dash-change' },
        item.change_pct === null || item.change_pct === undefined
          ? h('span', { class: 'muted' }, t('dash.noPrevious'))
          : [changeEl(item.change_pct, ind, 'change_pct'), h('span', { class: 'muted' }, ` ${t('dash.vsPrevious')}`)],
      ),
    ),
    h(
      'div',
      { class: 'dash-target' },
      target
        ? h('span', { class: 'muted' }, t('dash.target', { v: `${fmtValue(item.target, ind)} ${unit}` }))
        : h('span', { class: 'muted' }, t('dash.noTarget')),
      standingBadge(item.standing, item.achieved),
    ),
    // Whole-area figures only (budget, growth): no commune to map or rank.
    ind.per_unit ? h('p', { class: 'dash-links' }, mapButton, ' · ', rankButton) : null,
  );
}

/**
 * The dashboard. `onMap(item)` shows an indicator on the map, `onRanking(item)` its ranking;
 * `crumbs()` leads back to the district.
 */
export function createDashboard({ ui, sheet, crumbs, onMap, onRanking }) {
  let period = '';
  let seq = 0;

  async function show({ focus = true } = {}) {
    const my = ++seq;
    sheet.busy();
    let body;
    try {
      body = await getJsonPatiently(withParams('/api/indicators/dashboard/', { period }));
    } catch (error) {
      if (my === seq) sheet.error(error, crumbs());
      return;
    }
    if (my !== seq) return;
    const items = body.items ?? [];
    const shown = body.period || items.find((i) => i.period)?.period || '';
    const counts = Object.fromEntries(STANDINGS.map((k) => [k, items.filter((i) => i.standing === k).length]));
    const years = [
      ...new Set([body.period, ...items.flatMap((i) => (i.spark ?? []).map((p) => p.period))].filter((p) => /^\d{4}$/.test(p ?? ''))),
    ]
      .sort()
      .reverse();
    const picker = h(
      'select',
      { id: 'dash-period', name: 'dash-period' },
      years.map((y) => h('option', { value: y, selected: y === shown.slice(0, 4) }, fmtPeriod(y))),
    );
    picker.addEventListener('change', () => {
      period = picker.value;
      show({ focus: false });
    });
    const content = [
      h(
        'div',
        { class: 'dash-head' },
        h('label', { class: 'control control-inline', for: 'dash-period' }, h('span', { class: 'control-label' }, t('dash.year')), picker),
        h(
          'p',
          { class: 'dash-summary', id: 'dash-summary', dataset: counts },
          STANDINGS.filter((k) => counts[k]).map((k) =>
            h('span', { class: `standing standing-${k}` }, `${fmtNumber(counts[k], 'int')} ${t(`ind.standing.${k}`).toLowerCase()}`),
          ),
        ),
      ),
      items.length
        ? h(
            'div',
            { class: 'dash-cards', id: 'dash-cards' },
            items.map((item) => card(item, { onMap, onRanking })),
          )
        : h('p', { class: 'muted' }, t('chart.noData')),
      h('p', { class: 'muted' }, t('dash.note')),
    ];
    sheet.show({
      crumbs: [...crumbs(), { label: t('dash.title') }],
      heading: t('dash.title'),
      sub: t('dash.sub', { period: fmtPeriod(shown) }),
      content,
      view: 'dashboard',
      focus,
      redraw: () => show({ focus: false }),
    });
    sheet.el.dataset.ready = 'dashboard';
  }

  // In the header, with its word beside the icons, and at the top of the district's profile.
  const tool = h(
    'button',
    { type: 'button', id: 'dashboard-tool', class: 'tool tool-dashboard' },
    s(
      'svg',
      { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
      s('path', { d: 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18zM12 7.5a4.5 4.5 0 1 1 0 9a4.5 4.5 0 1 1 0-9zM12 11.2v1.6M11.2 12h1.6' }),
    ),
    h('span', { class: 'tool-text' }),
  );
  const label = () => {
    tool.querySelector('.tool-text').textContent = t('dash.tool');
    tool.title = t('dash.title');
  };
  label();
  onLang(label);
  tool.addEventListener('click', () => show());
  // After the map tools (the keyboard reaches those first, as before), before the GIS officers'.
  ui.header.querySelector('.tools')?.insertBefore(tool, ui.tools.boundary ?? null);
  addProfileAction({ id: 'open-dashboard', when: (profile) => !profile.unit, label: () => t('dash.open'), onClick: () => show() });

  return { show, el: tool };
}
