import './dom.js';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { fmtDate, fmtDistance, fmtNumber, fmtPeriod, hasString, lang, onLang, pick, setLang, t } from '../src/i18n.js';

afterEach(() => setLang('vi'));

test('UI strings follow the language and fill their placeholders', () => {
  assert.equal(t('panel.title'), 'Lớp bản đồ');
  setLang('en');
  assert.equal(t('panel.title'), 'Layers');
  assert.equal(t('legend.of', { layer: 'Communes' }), 'Legend: Communes');
  assert.equal(t('legend.of'), 'Legend: {layer}'); // a missing parameter stays visible
});

test('an unknown key is shown as itself', (context) => {
  context.mock.method(console, 'warn', () => {});
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(hasString('no.such.key'), false);
  assert.equal(hasString('panel.title'), true);
});

test('an unknown language falls back to Vietnamese, and listeners hear switches only', () => {
  const heard = [];
  const off = onLang((value) => heard.push(value));
  setLang('en');
  setLang('en');
  setLang('fr');
  off();
  setLang('en');
  assert.deepEqual(heard, ['en', 'vi']);
  assert.equal(lang(), 'en');
  assert.equal(globalThis.document.documentElement.lang, 'en');
});

test("the server's texts are picked in the language, with fallbacks", () => {
  const text = { vi: 'Xã', en: 'Commune' };
  assert.equal(pick(text), 'Xã');
  setLang('en');
  assert.equal(pick(text), 'Commune');
  assert.equal(pick({ vi: 'Chỉ tiếng Việt' }), 'Chỉ tiếng Việt');
  assert.equal(pick(null), '');
  assert.equal(pick(12), '12');
});

test('numbers use the language separators, and nothing is a dash', () => {
  assert.equal(fmtNumber(1234.567), '1.234,57');
  assert.equal(fmtNumber(0.934, 'percent'), '93,4%');
  assert.equal(fmtNumber(null), '–');
  assert.equal(fmtNumber('abc'), '–');
  setLang('en');
  assert.equal(fmtNumber(1234.567, 'int'), '1,235');
  assert.equal(fmtDistance(349), '350 m');
  assert.equal(fmtDistance(1234), '1.23 km');
});

test('dates and periods as each language says them', () => {
  assert.equal(fmtPeriod('2025-Q3'), 'Quý 3/2025');
  assert.equal(fmtPeriod('2025-07'), 'Tháng 7/2025');
  assert.equal(fmtPeriod('2025-07', { short: true }), '07/2025');
  assert.equal(fmtPeriod('2025'), '2025');
  assert.equal(fmtPeriod('soon'), 'soon');
  setLang('en');
  assert.equal(fmtPeriod('2025-Q3'), 'Q3 2025');
  assert.equal(fmtPeriod('2025-07'), 'July 2025');
  assert.equal(fmtDate('2025-07-01T08:00:00Z'), '1 Jul 2025');
  assert.equal(fmtDate('not a date'), 'not a date');
});
