// The indicators' pure logic: the catalogue by domain, measures, periods, classes over two
// maps' values, sorting the ranking, and how periods of every kind are written.
import './dom.js';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { fmtPeriod, setLang } from '../src/i18n.js';
import {
  byDomain,
  changeIsGood,
  classBreaks,
  classCounts,
  defaultBase,
  fillExpression,
  firstDirection,
  isIndicatorLayer,
  measuresFor,
  sortRows,
  stepPeriod,
  withParams,
} from '../src/indicators-core.js';
import { parse, serialize } from '../src/state.js';

afterEach(() => setLang('vi'));

const POPULATION = {
  code: 'population',
  domain: 'population',
  domain_title: { vi: 'Dân số', en: 'Population' },
  periods: ['2020', '2021'],
};
const BIRTHS = { code: 'births', domain: 'population', per_capita: 1000, periods: ['2020'], target_periods: [] };
const GRDP = { code: 'grdp', domain: 'economy', periods: ['2020', '2021', '2022'], target_periods: ['2022'] };

test('the indicator layer is the one filtered by indicator_code', () => {
  assert.equal(isIndicatorLayer({ filters: [{ name: 'indicator_code' }, { name: 'indicator_period' }] }), true);
  assert.equal(isIndicatorLayer({ filters: [{ name: 'period' }] }), false);
  assert.equal(isIndicatorLayer(null), false);
});

test('the catalogue is grouped by domain in its own order', () => {
  const groups = byDomain([POPULATION, GRDP, BIRTHS]);
  assert.deepEqual(
    groups.map((g) => [g.domain, g.items.map((i) => i.code)]),
    [
      ['population', ['population', 'births']],
      ['economy', ['grdp']],
    ],
  );
  assert.deepEqual(groups[0].title, { vi: 'Dân số', en: 'Population' });
});

test('an indicator offers only the measures it can be drawn by', () => {
  assert.deepEqual(measuresFor(BIRTHS), ['value', 'per_capita'], 'one period and no target: no change, no % of target');
  assert.deepEqual(measuresFor({ ...BIRTHS, periods: ['2020', '2021'] }), ['value', 'per_capita', 'change', 'change_pct']);
  assert.deepEqual(measuresFor(GRDP), ['value', 'change', 'change_pct', 'achieved']);
  assert.deepEqual(measuresFor({ period_type: 'day', per_capita: 100000, periods: ['2021-08-01', '2021-08-02'] }), [
    'value',
    'per_capita',
    'avg7',
    'avg7_per_capita',
    'change',
    'change_pct',
  ]);
  assert.deepEqual(measuresFor(null), ['value']);
});

test('periods step within the list; a change is compared with a year earlier when there is one', () => {
  const days = ['2021-08-14', '2021-08-15', '2021-08-16'];
  assert.equal(stepPeriod(days, '2021-08-15', 1), '2021-08-16');
  assert.equal(stepPeriod(days, '2021-08-16', 1), '2021-08-16');
  assert.equal(stepPeriod(days, '', -1), '2021-08-15', 'no period: from the latest');
  assert.equal(stepPeriod([], '', 1), '');
  assert.equal(defaultBase(['2022-Q3', '2023-Q1', '2023-Q2', '2023-Q3'], '2023-Q3'), '2022-Q3');
  assert.equal(defaultBase(['2023-Q1', '2023-Q2', '2023-Q3'], '2023-Q3'), '2023-Q2');
  assert.equal(defaultBase(['2022-2023', '2023-2024', '2024-2025'], '2024-2025'), '2023-2024');
  assert.equal(defaultBase(['2020', '2021'], ''), '2020', 'no period: the latest is compared');
  assert.equal(defaultBase(['2020'], '2020'), '');
});

test('breaks over two periods follow the server: quantile, equal interval, jenks', () => {
  const a = [1, 2, 3, 4, 5];
  const b = [6, 7, 8, 9, 10];
  assert.deepEqual(classBreaks([...a, ...b], 'equal_interval', 3), [4, 7]);
  // numpy.quantile([1..10], [0.25, 0.5, 0.75]) = 3.25, 5.5, 7.75
  assert.deepEqual(classBreaks([...a, ...b], 'quantile', 4), [3.25, 5.5, 7.75]);
  assert.deepEqual(classBreaks([1, 1, 2, 10, 11, 12, 30, 31], 'jenks', 3), [10, 30]);
  assert.deepEqual(classBreaks([4, 4, 9, null, undefined], 'quantile', 5), [9], 'fewer distinct values than classes');
  assert.deepEqual(classBreaks([], 'quantile', 5), []);
  const breaks = classBreaks([...a, ...b], 'quantile', 2);
  assert.deepEqual(classCounts(a, breaks), [5, 0], 'the first period falls in the low class only');
  assert.deepEqual(classCounts(b, breaks), [0, 5]);
  assert.deepEqual(classCounts([5.5, null], [5.5]), [0, 1], 'a break is the lower bound of its class');
});

test('the fill expression paints missing values grey and steps at the breaks', () => {
  assert.deepEqual(fillExpression('value', [10], ['#fff', '#000']), [
    'case',
    ['==', ['get', 'value'], null],
    '#d9d9d9',
    ['step', ['to-number', ['get', 'value']], '#fff', 10, '#000'],
  ]);
  assert.deepEqual(fillExpression('achieved', [], ['#abc'])[3], '#abc');
});

test('ranking rows sort by any column, missing values last, names by Vietnamese collation', () => {
  const rows = [
    { rank: 1, name: 'Xã Điện Bàn', value: 30, standing: 'missed' },
    { rank: 2, name: 'Xã Duy Xuyên', value: 20, standing: 'on_track' },
    { rank: 3, name: 'Xã Ân Hòa', value: null, standing: null },
    { rank: 4, name: 'Xã Bình Dương', value: 25, standing: 'at_risk' },
  ];
  assert.deepEqual(
    sortRows(rows, 'value', 'asc').map((r) => r.value),
    [20, 25, 30, null],
  );
  assert.deepEqual(
    sortRows(rows, 'value', 'desc').map((r) => r.value),
    [30, 25, 20, null],
  );
  assert.deepEqual(
    sortRows(rows, 'name', 'asc').map((r) => r.rank),
    [3, 4, 2, 1],
    'Ân before Bình before Duy before Điện',
  );
  assert.deepEqual(
    sortRows(rows, 'standing', 'asc').map((r) => r.standing),
    ['on_track', 'at_risk', 'missed', null],
  );
  assert.equal(firstDirection('value', false), 'asc', 'lower is better: the lowest first');
  assert.equal(firstDirection('value', true), 'desc');
  assert.equal(firstDirection('name', true), 'asc');
});

test('a change is good news by the side the indicator is better on', () => {
  assert.equal(changeIsGood(3, true), true);
  assert.equal(changeIsGood(-3, true), false);
  assert.equal(changeIsGood(-0.5, false), true, 'poverty falling is good');
  assert.equal(changeIsGood(2, null), null);
  assert.equal(changeIsGood(0, true), null);
});

test('query strings get their parameters, empty ones dropped', () => {
  assert.equal(
    withParams('/api/indicators/x/ranking/', { period: '2024', base: '', version: null }),
    '/api/indicators/x/ranking/?period=2024',
  );
  assert.equal(withParams('/a?b=1', { b: '' }), '/a');
});

test('every kind of period is written as the language says it', () => {
  assert.equal(fmtPeriod('2024-2025'), 'Năm học 2024–2025');
  assert.equal(fmtPeriod('2021-08-15', { short: true }), '15/08/21');
  assert.match(fmtPeriod('2021-08-15'), /2021/);
  setLang('en');
  assert.equal(fmtPeriod('2024-2025'), 'School year 2024–2025');
  assert.equal(fmtPeriod('2025-Q3'), 'Q3 2025');
});

test("the split view's second period is in the link, of any kind", () => {
  assert.equal(parse('?split=2021-08-15').split, '2021-08-15');
  assert.equal(parse('?split=2023-2024').split, '2023-2024');
  assert.equal(parse('?split=nonsense').split, undefined);
  assert.equal(parse('?split=2024:per_capita').split, '2024:per_capita', 'another measure on the right');
  assert.match(serialize({ ...parse(''), split: '2020' }), /(^|&)split=2020$/);
  assert.equal(serialize(parse('')), '');
});
