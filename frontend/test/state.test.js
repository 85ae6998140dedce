import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parse, serialize } from '../src/state.js';

const EMPTY = { lang: 'vi', view: null, layers: null, opacity: {}, choro: {}, period: '', filters: {}, sel: null };

test('an empty query is the default state and writes nothing', () => {
  assert.deepEqual(parse(''), EMPTY);
  assert.equal(serialize(EMPTY), '');
});

test('a view facing north (no bearing written) reads back', () => {
  // The share button leaves the bearing out when it is 0; such a link once lost its view.
  assert.deepEqual(parse('map=11.82/15.805/108.125').view, { center: [108.125, 15.805], zoom: 11.82, bearing: 0 });
  assert.equal(serialize(parse('map=11.82/15.805/108.125')), 'map=11.82/15.805/108.125');
});

test('a shared link reads back to the same query', () => {
  const query =
    'lang=en&map=12.5/15.80123/108.21456/30&layers=base,points~60&choro=per-commune:schools:jenks:5' +
    '&period=2025-Q3&f=points.kind:school&sel=facility:12';
  const state = parse(query);
  assert.equal(state.lang, 'en');
  assert.deepEqual(state.view, { center: [108.21456, 15.80123], zoom: 12.5, bearing: 30 });
  assert.deepEqual(
    [...state.layers],
    [
      ['base', 1],
      ['points', 0.6],
    ],
  );
  assert.deepEqual(state.opacity, { base: 1, points: 0.6 });
  assert.deepEqual(state.choro, { 'per-commune': { indicator: 'schools', method: 'jenks', classes: '5' } });
  assert.deepEqual(state.filters, { points: { kind: 'school' } });
  assert.deepEqual(state.sel, { type: 'facility', id: 12 });
  assert.equal(serialize(state), query);
});

test('the view is rounded and a bearing of 0 is left out', () => {
  const state = { ...EMPTY, view: { center: [108.123456789, 15.987654321], zoom: 11.23456, bearing: 0.01 } };
  assert.equal(serialize(state), 'map=11.23/15.98765/108.12346');
});

test('nonsense is dropped, not carried into the state', () => {
  const state = parse('lang=fr&map=12/95/108&period=2025-Q5&f=broken&sel=:3&layers=a~abc');
  assert.equal(state.lang, 'vi');
  assert.equal(state.view, null); // latitude out of range
  assert.equal(state.period, '');
  assert.deepEqual(state.filters, {});
  assert.equal(state.sel, null);
  assert.equal(state.layers.get('a'), 1); // an unreadable opacity is full opacity
});

test('opacities are clamped to 0–100 % and record ids that are not numbers stay text', () => {
  const state = parse('layers=a~150,b~-5&sel=document:VB-12');
  assert.equal(state.layers.get('a'), 1);
  assert.equal(state.layers.get('b'), 0);
  assert.deepEqual(state.sel, { type: 'document', id: 'VB-12' });
});

test('filter values and periods survive encoding', () => {
  const state = { ...EMPTY, period: '2025-07', filters: { docs: { status: 'đang xử lý', empty: '' } } };
  const query = serialize(state);
  assert.ok(!query.includes('empty'), 'an empty filter is not written');
  assert.deepEqual(parse(query).filters, { docs: { status: 'đang xử lý' } });
  assert.equal(parse(query).period, '2025-07');
});
