// The ranking of communes for an indicator and period (GET /api/indicators/{code}/ranking/)
// in the sheet: sortable columns, the whole area's line, achievement badges, converted values
// marked, CSV and XLSX downloads of the same rows; a row selects its commune on the map.

import { getJson } from './api.js';
import { getJsonPatiently } from './indicators.js';
import { fmtPeriod, pick, t } from './i18n.js';
import { firstDirection, needsBase, sortRows, withParams } from './indicators-core.js';
import { changeEl, fmtValue, measureUnit, standingBadge } from './indicators-view.js';
import { flyToBox, highlightUnit } from './mapview.js';
import { bboxOf } from './records.js';
import { h } from './ui.js';

const COLUMNS = [
  { key: 'rank', label: 'rank.rank', num: true },
  { key: 'name', label: 'rank.name' },
  { key: 'value', label: 'rank.value', num: true },
  { key: 'per_capita', label: 'rank.perCapita', num: true, when: (ind) => Boolean(ind?.per_capita) },
  { key: 'avg7', label: 'rank.avg7', num: true, when: (ind) => ind?.period_type === 'day' },
  { key: 'avg7_per_capita', label: 'rank.avg7PerCapita', num: true, when: (ind) => ind?.period_type === 'day' && Boolean(ind?.per_capita) },
  { key: 'change', label: 'rank.change', num: true, when: (_, base) => Boolean(base) },
  { key: 'change_pct', label: 'rank.changePct', num: true, when: (_, base) => Boolean(base) },
  { key: 'target', label: 'rank.target', num: true, when: (_, __, rows) => rows.some((r) => r.target !== null && r.target !== undefined) },
  {
    key: 'achieved',
    label: 'rank.achieved',
    num: true,
    when: (_, __, rows) => rows.some((r) => r.achieved !== null && r.achieved !== undefined),
  },
  { key: 'standing', label: 'rank.standing', when: (_, __, rows) => rows.some((r) => r.standing) },
];

function cell(row, key, indicator) {
  if (key === 'rank') return row.rank ?? '–';
  if (key === 'name') return null; // the row header
  if (key === 'value') {
    return [
      fmtValue(row.value, indicator),
      row.status === 'converted' ? h('abbr', { class: 'converted-mark', title: t('ind.converted') }, ' *') : null,
    ];
  }
  if (key === 'per_capita' || key === 'avg7' || key === 'avg7_per_capita') return fmtValue(row[key], indicator, key);
  if (key === 'change' || key === 'change_pct') return changeEl(row[key], indicator, key);
  if (key === 'target') return fmtValue(row.target, indicator);
  if (key === 'achieved')
    return row.achieved === null || row.achieved === undefined ? '–' : `${fmtValue(row.achieved, indicator, 'achieved')} %`;
  if (key === 'standing') return standingBadge(row.standing) ?? '–';
  return String(row[key] ?? '–');
}

/** The ranking's URL: JSON, or the download of the same rows (`format` csv or xlsx). */
export const rankingUrl = (ctx, format = '') =>
  withParams(`/api/indicators/${encodeURIComponent(ctx.code)}/ranking${format ? `.${format}` : '/'}`, {
    period: ctx.period,
    base: needsBase(ctx.measure) || ctx.base ? ctx.base : '',
    version: ctx.version,
  });

/**
 * Show the ranking in the sheet. `onUnit(unit)` opens a commune's profile; `crumbs` lead back
 * (the district first); `layer` is the map layer that draws the communes (for the outline).
 */
export async function showRanking({ sheet, map, ui, ctx, crumbs, onUnit, layer }) {
  sheet.busy();
  let body;
  try {
    body = await getJsonPatiently(rankingUrl(ctx));
  } catch (error) {
    sheet.error(error, crumbs);
    return;
  }
  const indicator = body.indicator?.code ? body.indicator : ctx.indicator;
  const base = body.base || '';
  const rows = body.rows ?? [];
  const columns = COLUMNS.filter((c) => !c.when || c.when(indicator, base, rows));
  let sort = { key: 'rank', dir: 'asc' };
  let selected = null;
  const tbody = h('tbody');
  const heads = new Map();

  const select = async (row, tr) => {
    selected = row.unit_id;
    for (const other of tbody.children) other.setAttribute('aria-selected', String(other === tr));
    highlightUnit(map, row.unit_id, layer);
    sheet.el.dataset.selected = String(row.unit_id);
    try {
      const unit = await getJson(`/api/admin-units/${row.unit_id}/`);
      const box = bboxOf(unit.geometry);
      if (box && selected === row.unit_id) flyToBox(map, ui, box);
    } catch (error) {
      console.error('gisioc: ranking unit:', error);
    }
  };

  const drawRows = () => {
    const sorted = sortRows(rows, sort.key, sort.dir);
    tbody.replaceChildren(
      ...sorted.map((row) => {
        const open = h('button', { type: 'button', class: 'link rank-open', title: t('rank.profile') }, t('rank.profileShort'));
        open.addEventListener('click', (event) => {
          event.stopPropagation();
          onUnit({ id: row.unit_id, name: row.name });
        });
        const tr = h(
          'tr',
          {
            class: `rank-row${row.status === 'converted' ? ' converted' : ''}`,
            tabindex: '0',
            'aria-selected': String(row.unit_id === selected),
            dataset: {
              unit: String(row.unit_id),
              code: row.code,
              value: row.value === null ? '' : String(row.value),
              status: row.status ?? '',
            },
          },
          columns.map((c) =>
            c.key === 'name'
              ? h('th', { scope: 'row', class: 'rank-name' }, row.name)
              : h('td', { class: c.num ? 'num' : '', dataset: { col: c.key } }, cell(row, c.key, indicator)),
          ),
          h('td', { class: 'rank-more' }, open),
        );
        tr.addEventListener('click', () => select(row, tr));
        tr.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            select(row, tr);
          }
        });
        return tr;
      }),
    );
    for (const [key, th] of heads)
      th.setAttribute('aria-sort', key === sort.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
  };

  const header = columns.map((c) => {
    const button = h('button', { type: 'button', class: 'sort', dataset: { sort: c.key } }, t(c.label));
    const th = h('th', { scope: 'col', class: c.num ? 'num' : '' }, button);
    heads.set(c.key, th);
    button.addEventListener('click', () => {
      sort =
        sort.key === c.key
          ? { key: c.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
          : { key: c.key, dir: firstDirection(c.key, indicator?.higher_is_better) };
      drawRows();
    });
    return th;
  });
  drawRows();

  const unit = measureUnit(indicator, 'value');
  const whole = body.whole ?? null;
  const link = (format, label) =>
    h(
      'a',
      { class: 'download', href: rankingUrl({ ...ctx, base }, format), download: '', dataset: { format }, id: `ranking-${format}` },
      label,
    );
  const period = body.period || ctx.period;
  const content = [
    h(
      'p',
      { class: 'ind-facts' },
      [
        unit,
        base ? t('ind.vs', { base: fmtPeriod(base) }) : '',
        t(indicator?.higher_is_better === false ? 'rank.lowerFirst' : 'rank.higherFirst'),
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    whole
      ? h(
          'div',
          { class: 'rank-whole', dataset: { value: String(whole.value ?? '') } },
          h('span', { class: 'rank-whole-label' }, t('rank.whole')),
          h('strong', {}, `${fmtValue(whole.value, indicator)} ${unit}`),
          whole.target !== null && whole.target !== undefined
            ? h('span', { class: 'muted' }, t('rank.targetOf', { v: fmtValue(whole.target, indicator) }))
            : null,
          standingBadge(whole.standing, whole.achieved),
        )
      : null,
    h('p', { class: 'downloads' }, t('rank.download'), ' ', link('csv', 'CSV'), ' · ', link('xlsx', 'XLSX')),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table ranking', id: 'ranking-table', dataset: { indicator: indicator?.code ?? ctx.code, period } },
        h('caption', { class: 'visually-hidden' }, t('rank.caption')),
        h('thead', {}, h('tr', {}, header, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('rank.profile'))))),
        tbody,
      ),
    ),
    rows.some((r) => r.status === 'converted') ? h('p', { class: 'muted converted-note' }, `* ${t('ind.convertedLong')}`) : null,
    rows.some((r) => r.approximate) ? h('p', { class: 'muted approx-note' }, t('badge.approximate')) : null,
    rows.length ? h('p', { class: 'muted' }, t('rank.clickHint')) : h('p', { class: 'muted' }, t('chart.noData')),
  ];
  const redraw = () => showRanking({ sheet, map, ui, ctx, crumbs, onUnit, layer });
  sheet.show({
    crumbs: [...crumbs, { label: t('rank.crumb') }],
    heading: t('rank.title', { name: pick(indicator?.name) }),
    sub: fmtPeriod(period),
    content,
    view: 'ranking',
    focus: true,
    redraw,
  });
  sheet.el.dataset.ready = `ranking:${indicator?.code ?? ctx.code}`;
}
