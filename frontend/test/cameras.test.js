// The camera panel's words: Vietnamese first, English on the switch, durations of outages.
import './dom.js';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { ct, ctDuration } from '../src/cameras-strings.js';
import { setLang } from '../src/i18n.js';

afterEach(() => setLang('vi'));

test('the panel speaks Vietnamese first and English after the switch', () => {
  assert.equal(ct('a.report'), 'Tạo phản ánh');
  assert.equal(ct('a.incident'), 'Đưa vào sự việc');
  assert.equal(ct('ticket', { t: 'PA-12' }), 'Đã tạo phiếu phản ánh PA-12');
  setLang('en');
  assert.equal(ct('a.incident'), 'Add to an incident');
  assert.equal(ct('incident', { n: 7 }), 'Added to incident #7');
  assert.equal(ct('no.such.key'), 'no.such.key');
});

test("an outage's duration reads in minutes, hours or days", () => {
  assert.equal(ctDuration(20), '1 phút');
  assert.equal(ctDuration(25 * 60), '25 phút');
  assert.equal(ctDuration(3 * 3600), '3 giờ');
  assert.equal(ctDuration(5400), '1,5 giờ');
  assert.equal(ctDuration(3 * 86400), '3 ngày');
  setLang('en');
  assert.equal(ctDuration(40 * 3600), '40 h');
  assert.equal(ctDuration(5400), '1.5 h');
});
