// How classes, legends, layer groups, record properties and search results are named.
import './dom.js';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { setLang } from '../src/i18n.js';
import { coloursIn, layerWithPurpose, withQuery } from '../src/layers.js';
import { classRange, legendRows } from '../src/legend.js';
import { systemTitle, takesFilter } from '../src/panel.js';
import { objectText, propName } from '../src/profile.js';
import { learnRecords } from '../src/records.js';
import { resultKind } from '../src/search.js';

afterEach(() => setLang('vi'));

test("a choropleth class's range, open ends and single values included", () => {
  assert.equal(classRange({ min: 1.5, max: 12 }), '1,5 – 12');
  assert.equal(classRange({ min: 3, max: 3 }), '3');
  assert.equal(classRange({ min: null, max: null }), '…');
  setLang('en');
  assert.equal(classRange({ min: 1234.5, max: 2000 }), '1,234.5 – 2,000');
});

test('legend rows for an export: classes, or swatches with outlines told apart', () => {
  const choropleth = {
    kind: 'choropleth',
    classes: [
      { min: 0, max: 2, color: '#ffffcc' },
      { min: 2, max: 9, color: '#0c2c84' },
    ],
  };
  assert.deepEqual(legendRows(choropleth, { kind: 'fill' }), [
    { color: '#ffffcc', label: '0 – 2', kind: 'fill' },
    { color: '#0c2c84', label: '2 – 9', kind: 'fill' },
  ]);
  const outlined = { kind: 'fill', line: '#37474F', fills: ['#f4f1e8'] };
  const body = { kind: 'categorical', items: [{ label: { vi: 'Ranh giới xã', en: 'Commune boundary' }, color: '#37474f' }] };
  assert.deepEqual(legendRows(body, outlined), [{ color: '#37474f', label: 'Ranh giới xã', kind: 'outline', dashed: undefined }]);
  assert.equal(legendRows(body, { kind: 'line', dashed: true })[0].kind, 'line');
  assert.deepEqual(legendRows(null, outlined), []);
});

test('layer groups are titled by the systems the style names', () => {
  const systems = { boundaries: { title: { vi: 'Ranh giới và cơ sở', en: 'Boundaries and facilities' }, order: 0 } };
  assert.equal(systemTitle(systems, 'boundaries'), 'Ranh giới và cơ sở');
  setLang('en');
  assert.equal(systemTitle(systems, 'boundaries'), 'Boundaries and facilities');
  assert.equal(systemTitle(systems, 'cameras'), 'cameras', 'a system the style does not name shows its code');
  assert.equal(systemTitle(undefined, 'cameras'), 'cameras');
});

test('a layer takes the filters it declares only', () => {
  const meta = { filters: [{ name: 'period' }, { name: 'kind' }] };
  assert.equal(takesFilter(meta, 'period'), true);
  assert.equal(takesFilter(meta, 'version'), false);
  assert.equal(takesFilter({}, 'period'), false);
});

test('layers with a part in the app are found by purpose', () => {
  const metas = [
    { id: 'a', purpose: null },
    { id: 'b', purpose: 'base' },
    { id: 'c', purpose: 'drafts' },
  ];
  assert.equal(layerWithPurpose(metas, 'base'), 'b');
  assert.equal(layerWithPurpose(metas, 'drafts'), 'c');
  assert.equal(layerWithPurpose(metas, 'versions'), null);
});

test('tile URLs keep their {z}/{x}/{y} braces while filters come and go', () => {
  const template = 'http://x/tiles/a/{z}/{x}/{y}.mvt?kind=school';
  assert.equal(withQuery(template, { period: '2025-Q3' }), 'http://x/tiles/a/{z}/{x}/{y}.mvt?kind=school&period=2025-Q3');
  assert.equal(withQuery(template, { kind: '' }), 'http://x/tiles/a/{z}/{x}/{y}.mvt');
  assert.equal(withQuery(template, { kind: null, version: 'v 1' }), 'http://x/tiles/a/{z}/{x}/{y}.mvt?version=v+1');
});

test('colours are found inside paint expressions, in order', () => {
  const paint = ['case', ['==', ['get', 'n'], null], '#d9d9d9', ['step', ['get', 'n'], '#fff', 3, 'rgba(0,0,0,0.5)']];
  assert.deepEqual(coloursIn(paint), ['#d9d9d9', '#fff', 'rgba(0,0,0,0.5)']);
  assert.deepEqual(coloursIn('red'), []);
});

test("record properties: the core's own names, else the server's for the type, else the key", () => {
  learnRecords({
    'test-dossier': { labels: { office_code: { vi: 'Mã nơi tiếp nhận', en: 'Office code' }, status: { vi: 'X', en: 'X' } } },
  });
  assert.equal(propName('test-dossier', 'office_code'), 'Mã nơi tiếp nhận');
  assert.equal(propName('test-dossier', 'unit_name'), 'Xã');
  assert.equal(propName('test-dossier', 'status'), 'Trạng thái', 'core properties keep the core name');
  assert.equal(propName('test-dossier', 'days_left'), 'days left');
  setLang('en');
  assert.equal(propName('test-dossier', 'office_code'), 'Office code');
  assert.equal(propName(null, 'locate_method'), 'Located by');
});

test('search results say what they are: a commune, or the record type the server names', () => {
  learnRecords({ 'test-document': { title: { vi: 'Văn bản', en: 'Document' } } });
  assert.equal(resultKind('unit'), 'Xã');
  assert.equal(resultKind('test-document'), 'Văn bản');
  setLang('en');
  assert.equal(resultKind('test-document'), 'Document');
  assert.equal(resultKind('mystery'), 'mystery');
});

test("a record's figures by key show as pairs, an empty set not at all", () => {
  assert.equal(objectText({ 1: 120, 2: 1180 }), '1: 120 · 2: 1.180');
  assert.equal(objectText({}), null);
  assert.equal(objectText({ vi: 'Có', en: 'Yes' }), 'Có');
});
