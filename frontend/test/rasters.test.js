// Raster values and ramps as the readout and the legend write them, in both languages.
import './dom.js';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { setLang } from '../src/i18n.js';
import { S, fmtRasterValue, isRasterLayer, rampGradient, rt } from '../src/rasters-format.js';

afterEach(() => setLang('vi'));

const M = { vi: 'm', en: 'm' };

test('a flood depth reads with the language decimal mark and its unit', () => {
  assert.equal(fmtRasterValue(1.2, M), '1,2 m');
  assert.equal(fmtRasterValue(1.23456, M), '1,23 m');
  setLang('en');
  assert.equal(fmtRasterValue(1.2, M), '1.2 m');
});

test('larger values lose their decimals, thousands are grouped, none is said', () => {
  assert.equal(fmtRasterValue(42.26, M), '42,3 m');
  assert.equal(fmtRasterValue(1234.4, { vi: 'người/ô', en: 'people/cell' }), '1.234 người/ô');
  assert.equal(fmtRasterValue(0, M), '0 m');
  assert.equal(fmtRasterValue(null, M), 'không có dữ liệu');
  setLang('en');
  assert.equal(fmtRasterValue(1234.4, { vi: 'người/ô', en: 'people/cell' }), '1,234 people/cell');
  assert.equal(fmtRasterValue(undefined), 'no data');
});

test('a ramp places its colours by value', () => {
  assert.equal(
    rampGradient([
      [10, '#1a9850'],
      [60, '#fee08b'],
      [210, '#f5f5f5'],
    ]),
    'linear-gradient(90deg, #1a9850 0%, #fee08b 25%, #f5f5f5 100%)',
  );
  assert.equal(rampGradient([]), 'transparent');
});

test('every string has both languages and raster entries are told apart', () => {
  for (const [key, pair] of Object.entries(S)) assert.equal(pair.length, 2, key);
  setLang('en');
  assert.equal(rt('k.flood_depth'), 'Flood depth');
  assert.ok(isRasterLayer({ geometry: 'raster' }) && !isRasterLayer({ geometry: 'polygon' }));
});
