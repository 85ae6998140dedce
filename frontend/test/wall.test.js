import assert from 'node:assert/strict';
import test from 'node:test';

import { backoff, clockText, eventText, formatValue, nextIndex, parseMap, pick } from '../src/wall/core.js';

test('a view place reads z/lat/lon with an optional bearing', () => {
  assert.deepEqual(parseMap('14.6/15.8366/108.264'), { zoom: 14.6, center: [108.264, 15.8366], bearing: 0 });
  assert.deepEqual(parseMap('12.8/15.85/108.375/-15'), { zoom: 12.8, center: [108.375, 15.85], bearing: -15 });
  for (const bad of ['', '14/15.8', '14/x/108', '1/2/3/4/5', null]) assert.equal(parseMap(bad), null);
});

test('the reconnect backoff grows and is capped', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoff), [1000, 2000, 4000, 8000, 15000, 30000, 30000]);
});

test('views rotate around the list', () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => nextIndex(i, 4)),
    [1, 2, 3, 0],
  );
  assert.equal(nextIndex(0, 0), 0);
});

test('figures read as the room reads them', () => {
  assert.equal(formatValue(0.9712, 'percent'), '97,1 %');
  assert.equal(formatValue(0.9712, 'percent', 'en'), '97.1 %');
  assert.equal(formatValue(12345, 'int'), '12.345');
  assert.equal(formatValue(null, 'int'), '–');
  assert.equal(formatValue(2.25, 'decimal', 'en'), '2.3');
});

test('each live event kind has its line', () => {
  const cam = { kind: 'camera.event', data: { label: { vi: 'Ngập nước', en: 'Flooding' }, camera: 'Cầu Câu Lâu' } };
  assert.deepEqual(eventText(cam), { kind: 'Camera AI', text: 'Ngập nước – Cầu Câu Lâu' });
  assert.equal(eventText(cam, 'en').text, 'Flooding – Cầu Câu Lâu');
  assert.equal(eventText({ kind: 'camera.status', data: { name: 'QL1A', status: 'offline' } }).text, 'QL1A: mất tín hiệu');
  assert.equal(eventText({ kind: 'dossier.overdue', data: { count: 3 } }).text, '3 hồ sơ mới quá hạn');
  assert.equal(eventText({ kind: 'alert', data: { title: { vi: 'Ngập', en: 'Flood' } } }, 'en').text, 'Flood');
  assert.equal(eventText({ kind: 'other', data: {} }).kind, 'other');
  assert.equal(pick({ vi: 'A' }, 'en'), 'A');
});

test('the clock is Vietnam time', () => {
  assert.equal(clockText(new Date('2026-12-05T15:04:05Z'), true), '22:04:05');
});
