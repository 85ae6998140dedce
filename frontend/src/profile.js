// What the sheet shows for a place: the district's or a commune's profile (GET
// /api/profiles/…: KPIs, trends, breakdowns, record lists and not-located counts of every
// system), a list of records, and one record's detail. Pure rendering: drill.js loads the data.

import { barChart, trendChart } from './charts.js';
import { fmtDate, fmtNumber, fmtPeriod, hasString, pick, t } from './i18n.js';
import { standingBadge } from './indicators-view.js';
import { propLabel } from './records.js';
import { h } from './ui.js';

const kpiValue = (kpi) => {
  if (kpi.suppressed) return t('value.suppressed'); // a small count held back, never 0
  const unit = kpi.unit ? pick(kpi.unit) : '';
  const value = fmtNumber(kpi.value, kpi.format);
  return unit && kpi.value !== null && kpi.value !== undefined ? `${value} ${unit}` : value;
};

function kpiGrid(kpis) {
  return h(
    'dl',
    { class: 'kpis' },
    kpis.map((k) =>
      h(
        'div',
        { class: 'kpi', dataset: { kpi: k.id, value: k.value === null || k.value === undefined ? '' : String(k.value) } },
        h('dt', {}, pick(k.title)),
        h('dd', k.suppressed ? { title: t('value.suppressedWhy') } : {}, kpiValue(k)),
        k.standing ? h('dd', { class: 'kpi-standing' }, standingBadge(k.standing, k.achieved)) : null,
      ),
    ),
  );
}

function button(text, onClick, attrs = {}) {
  const el = h('button', { type: 'button', class: 'link', ...attrs }, text);
  el.addEventListener('click', onClick);
  return el;
}

/** A series' number format: its own, or that of the KPI it traces (dossiers_on_time_rate → on_time_rate). */
const seriesFormat = (series, kpis) =>
  series.format ?? kpis.find((k) => series.id === k.id || series.id.endsWith(`_${k.id}`))?.format ?? 'decimal';

/** How new the system's newest record is; a warning when its feed seems to have stopped. */
const freshness = (f) =>
  f
    ? h(
        'p',
        { class: `freshness${f.stale ? ' stale' : ''}`, dataset: { newest: f.newest } },
        t(f.stale ? 'profile.stale' : 'profile.newest', { date: fmtDate(f.newest), n: fmtNumber(f.days, 'int') }),
      )
    : null;

function section(sec, { onList }) {
  return h(
    'section',
    { class: 'profile-section', dataset: { section: sec.id, system: sec.system } },
    h('h3', {}, pick(sec.title)),
    freshness(sec.freshness),
    sec.kpis.length ? kpiGrid(sec.kpis) : null,
    h(
      'p',
      { class: `not-located${sec.not_located ? ' some' : ''}`, dataset: { count: String(sec.not_located ?? 0) } },
      t('profile.notLocated', { n: fmtNumber(sec.not_located ?? 0, 'int') }),
    ),
    (sec.series ?? []).map((series) => trendChart(series, seriesFormat(series, sec.kpis))),
    (sec.breakdowns ?? []).map((b) => barChart(b)),
    (sec.tables ?? []).map(sectionTable),
    recordLists(sec.lists, onList),
  );
}

/** A cell of a section's table: numbers and yes/no in the page's language; an empty cell
 * of a row with small counts held back is one of them. */
function cellText(value, held = false) {
  if (value === null || value === undefined || value === '') return held ? t('value.suppressed') : '–';
  if (typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  if (typeof value === 'number') return fmtNumber(value, Number.isInteger(value) ? 'int' : 'decimal');
  if (typeof value === 'object') return objectText(value) ?? '–';
  return String(value);
}

/** A small table a section brings (the disease watch's flagged communes). */
function sectionTable(table) {
  return h(
    'figure',
    { class: 'section-table', dataset: { table: table.id } },
    h(
      'table',
      { class: 'table' },
      h('caption', {}, pick(table.title)),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          table.columns.map((c) => h('th', { scope: 'col' }, pick(c.title))),
        ),
      ),
      h(
        'tbody',
        {},
        table.rows.length
          ? table.rows.map((row) =>
              h(
                'tr',
                {},
                table.columns.map((c) =>
                  h(
                    'td',
                    { class: typeof row[c.id] === 'number' ? 'num' : '', dataset: { col: c.id } },
                    cellText(row[c.id], row.suppressed),
                  ),
                ),
              ),
            )
          : h('tr', {}, h('td', { colspan: String(table.columns.length), class: 'muted' }, t('table.empty'))),
      ),
    ),
    table.note ? h('figcaption', { class: 'muted' }, pick(table.note)) : null,
  );
}

const names = (units) => units.map((u) => u.name).join(', ');

function unitFacts(unit) {
  const rows = [
    [t('prop.code'), h('code', {}, unit.code)],
    [t('prop.version'), unit.version],
    Number.isFinite(Number(unit.area_km2)) && unit.area_km2 !== null
      ? [t('prop.area'), `${fmtNumber(unit.area_km2, 'decimal')} km²`]
      : null,
    unit.predecessors?.length ? [t('profile.formerly'), names(unit.predecessors)] : null,
    unit.successors?.length ? [t('profile.becomes'), names(unit.successors)] : null,
  ].filter(Boolean);
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([dt, dd]) => [h('dt', {}, dt), h('dd', {}, dd)]),
  );
}

function childrenTable(children, onUnit) {
  const heads = children[0]?.kpis ?? [];
  return h(
    'section',
    { class: 'profile-section children' },
    h('h3', {}, t('profile.communes')),
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('profile.commune')),
          heads.map((k) => h('th', { scope: 'col', class: 'num' }, pick(k.title))),
        ),
      ),
      h(
        'tbody',
        {},
        children.map((c) =>
          h(
            'tr',
            { dataset: { unit: String(c.id), code: c.code } },
            h(
              'th',
              { scope: 'row' },
              button(c.name, () => onUnit(c), { dataset: { unit: String(c.id) } }),
            ),
            heads.map((head) => {
              const kpi = c.kpis.find((k) => k.id === head.id);
              return h('td', { class: 'num', dataset: { kpi: head.id } }, kpi ? kpiValue(kpi) : '–');
            }),
          ),
        ),
      ),
    ),
  );
}

const actions = [];

/**
 * A button a system puts at the top of the profiles it concerns (the indicators' dashboard on
 * the district's): {id, when(profile), label(), onClick(profile)}.
 */
export function addProfileAction(action) {
  actions.push(action);
}

function profileActions(profile) {
  const shown = actions.filter((a) => a.when(profile));
  if (!shown.length) return null;
  return h(
    'div',
    { class: 'profile-actions' },
    shown.map((a) => {
      const el = h('button', { type: 'button', class: 'profile-action', id: a.id }, a.label());
      el.addEventListener('click', () => a.onClick(profile));
      return el;
    }),
  );
}

/** The sheet's content for a profile; `numbers` are the clicked map feature's [{title, value}]. */
export function profileView(profile, { onUnit, onList, numbers = [] }) {
  const content = [
    profileActions(profile),
    profile.approximate ? h('p', { class: 'note' }, t('badge.approximate')) : null,
    profile.unit ? unitFacts(profile.unit) : null,
    numbers.length
      ? h(
          'section',
          { class: 'profile-section on-map' },
          h('h3', {}, t('profile.onMap')),
          h(
            'dl',
            { class: 'kpis' },
            numbers.map((n) =>
              h(
                'div',
                { class: 'kpi', dataset: { indicator: n.id, value: String(n.value) } },
                h('dt', {}, pick(n.title)),
                h('dd', {}, fmtNumber(n.value, 'decimal')),
              ),
            ),
          ),
        )
      : null,
    profile.sections.map((sec) => section(sec, { onList })),
    profile.children?.length ? childrenTable(profile.children, onUnit) : null,
  ];
  const sub = profile.period ? t('profile.period', { period: fmtPeriod(profile.period) }) : '';
  return { heading: pick(profile.title), sub, content };
}

/** A list of records (a GeoJSON FeatureCollection); `kinds` names their kinds. */
export function listView(collection, { onRecord, kinds }) {
  const features = collection.features ?? [];
  const total = collection.count ?? features.length;
  return [
    h('p', { class: 'muted' }, t('list.count', { n: fmtNumber(total, 'int') })),
    h(
      'ul',
      { class: 'records' },
      features.map((f) => {
        const p = f.properties ?? {};
        const id = p.id ?? f.id;
        return h(
          'li',
          {},
          button(
            [
              h('span', { class: 'record-name' }, p.name ?? p.code ?? `#${id}`),
              h('span', { class: 'record-meta' }, [kinds(p.kind), p.code].filter(Boolean).join(' · ')),
            ],
            () => onRecord(f),
            { dataset: { id: String(id) }, class: 'link record' },
          ),
        );
      }),
    ),
    features.length < total ? h('p', { class: 'muted' }, t('list.more', { n: fmtNumber(total - features.length, 'int') })) : null,
  ];
}

/** Buttons opening lists of records, each with its count (a profile's, a facility's). */
function recordLists(lists, onList) {
  if (!lists?.length || !onList) return null;
  return h(
    'ul',
    { class: 'record-lists' },
    lists.map((list) =>
      h(
        'li',
        {},
        button(pick(list.title), () => onList(list), { dataset: { list: list.id } }),
        h('span', { class: 'count' }, fmtNumber(list.count, 'int')),
      ),
    ),
  );
}

const HIDDEN = new Set(['id', 'name', 'unit_id', 'layer', 'detail', 'folded_name', 'labels', 'lists']);
const DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

/** A {vi, en} text in the page's language; other objects (pupils by grade) as 'k: v' pairs. */
export function objectText(value) {
  if ('vi' in value || 'en' in value) return pick(value);
  const entries = Object.entries(value);
  if (!entries.length) return null;
  return entries.map(([k, v]) => `${k}: ${typeof v === 'number' ? fmtNumber(v, 'int') : v}`).join(' · ');
}

function valueText(key, value, kinds) {
  if (value === null || value === undefined || value === '') return null;
  if (key === 'kind') return kinds(value) || value;
  if (hasString(`value.${key}.${value}`)) return t(`value.${key}.${value}`);
  if (typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  if (typeof value === 'number') return fmtNumber(value, 'decimal');
  if (typeof value === 'object') return objectText(value);
  if (DATE.test(value)) return fmtDate(value);
  return String(value);
}

/**
 * A property's name: the core one every record shares (strings.js), else the one the server
 * gives the record type, else the key itself.
 */
export function propName(type, key) {
  if (hasString(`prop.${key}`)) return t(`prop.${key}`);
  const label = propLabel(type, key);
  return label ? pick(label) : key.replace(/_/g, ' ');
}

/** One record (a GeoJSON Feature) of a type: its properties, named in the page's language. */
export function recordView(feature, { type = null, kinds, onUnit, onList = null }) {
  const p = feature.properties ?? {};
  const labels = p.labels ?? {}; // the API's own vi/en labels of choice values
  const rows = Object.entries(p)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([key, value]) => [key, labels[key] ? pick(labels[key]) : valueText(key, value, kinds)])
    .filter(([, v]) => v !== null);
  const coords = feature.geometry?.type === 'Point' ? feature.geometry.coordinates : null;
  return {
    heading: p.name ?? p.code ?? '',
    sub: kinds(p.kind) ?? '',
    content: [
      h(
        'dl',
        { class: 'facts' },
        rows.map(([key, value]) => [
          h('dt', {}, propName(type, key)),
          h(
            'dd',
            { dataset: { prop: key } },
            key === 'code' ? h('code', {}, value) : key === 'unit_name' && onUnit ? button(value, onUnit) : value,
          ),
        ]),
      ),
      coords ? h('p', { class: 'muted coords' }, `${coords[1].toFixed(5)}, ${coords[0].toFixed(5)}`) : null,
      recordLists(p.lists, onList),
    ],
  };
}
