// The flood exposure tool: every string it asks for exists in both languages, a layer's title
// says "synthetic" once, the default layer follows the tool's choice, then a flood depth, and
// the API's URL carries the threshold and the circle.
import './dom.js';

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, test } from 'node:test';

import { setLang } from '../src/i18n.js';
import { et, hasExposureString } from '../src/exposure-strings.js';
import { exposureUrl, fmtValue, hazardDefault, remember, titleOf } from '../src/exposure-core.js';

afterEach(() => setLang('vi'));
globalThis.document.getElementById ??= () => null; // no layer panel here: no layer drawn

const SRC = new URL('../src/', import.meta.url);
const sources = readdirSync(SRC)
  .filter((name) => name.startsWith('exposure') && name.endsWith('.js'))
  .map((name) => readFileSync(new URL(name, SRC), 'utf8'));

test('every literal key the tool asks for is in its dictionary', () => {
  const keys = new Set(sources.flatMap((text) => [...text.matchAll(/\bet\('([^']+)'/g)].map((m) => m[1])));
  assert.ok(keys.size > 15, `only ${keys.size} keys found: the scan is broken`);
  assert.deepEqual(
    [...keys].filter((key) => !hasExposureString(key)),
    [],
  );
});

test('Vietnamese first, English on switch, with parameters filled', () => {
  assert.equal(et('tool'), 'Ảnh hưởng ngập');
  setLang('en');
  assert.equal(et('tool'), 'Flood exposure');
  assert.equal(et('count', { n: 3 }), '3 places in the flood area');
});

test('a title says synthetic once; a value carries its unit', () => {
  const raster = { title: { vi: 'Lũ 20 năm (mô phỏng) (mô phỏng)', en: 'x' }, unit: { vi: 'm', en: 'm' } };
  assert.equal(titleOf(raster), 'Lũ 20 năm (mô phỏng)');
  assert.equal(titleOf({ title: { vi: 'Lũ (mô phỏng)' } }), 'Lũ (mô phỏng)');
  assert.equal(fmtValue(1.25, raster), '1,25 m');
});

test('the default hazard layer: the one picked in the tool, else a flood depth', () => {
  const rasters = [
    { name: 'cap', kind: 'hazard_class' },
    { name: 'lu', kind: 'flood_depth' },
  ];
  assert.equal(hazardDefault(rasters).name, 'lu');
  assert.equal(hazardDefault([]), null);
  remember({ layer: 'cap' }); // the layer last looked at in the tool wins
  assert.equal(hazardDefault(rasters).name, 'cap');
});

test('the API URL carries the threshold and the circle', () => {
  const url = new URL(exposureUrl('lu-20', 0.5, { lon: 108.2, lat: 15.8, radius: 2000 }), 'http://x');
  assert.equal(url.pathname, '/api/rasters/lu-20/exposure/');
  assert.equal(url.searchParams.get('threshold'), '0.5');
  assert.equal(url.searchParams.get('radius'), '2000');
});
