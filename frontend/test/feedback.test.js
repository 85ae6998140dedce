// The staff's feedback tool: every string it asks for exists in both languages, deadlines read
// as working days left or late, moments in Vietnam's time.
import './dom.js';

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, test } from 'node:test';

import { dueText, fmtMoment } from '../src/feedback-detail.js';
import { ft, hasFeedbackString } from '../src/feedback-strings.js';
import { setLang } from '../src/i18n.js';

afterEach(() => setLang('vi'));

const SRC = new URL('../src/', import.meta.url);
const sources = readdirSync(SRC)
  .filter((name) => name.startsWith('feedback') && name.endsWith('.js'))
  .map((name) => readFileSync(new URL(name, SRC), 'utf8'));

test('every literal key the tool asks for is in its dictionary', () => {
  const keys = new Set(sources.flatMap((text) => [...text.matchAll(/\bft\('([^']+)'/g)].map((m) => m[1])));
  assert.ok(keys.size > 40, `only ${keys.size} keys found: the scan is broken`);
  const missing = [...keys].filter((key) => !hasFeedbackString(key));
  assert.deepEqual(missing, []);
});

test('the keys made from server codes exist too', () => {
  const actions = ['verify', 'reject', 'assign', 'start', 'resolve', 'publish', 'close', 'extend', 'merge', 'moderate'];
  const made = [
    ...actions.map((a) => `a.${a}`),
    ...['hide', 'blur', 'show'].map((op) => `m.${op}`),
    ...['hotline', 'zalo', 'facebook', 'email', 'chatbot'].map((c) => `ch.${c}`),
    ...['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'].map((c) => `compass.${c}`),
    ...['queue', 'overdue', 'near', 'hotline'].map((tab) => `tab.${tab}`),
    ...['spam', 'duplicate', 'out_of_scope'].map((r) => `f.${r}`),
  ];
  assert.deepEqual(
    made.filter((key) => !hasFeedbackString(key)),
    [],
  );
});

test('deadlines read as working days left, due today or late, in both languages', () => {
  assert.equal(dueText({ days_left: 3, due_on: '2026-03-05' }), 'còn 3 ngày làm việc');
  assert.equal(dueText({ days_left: 0, due_on: '2026-03-02' }), 'hạn hôm nay');
  assert.equal(dueText({ days_left: -2, due_on: '2026-02-26' }), 'quá hạn 2 ngày làm việc');
  setLang('en');
  assert.equal(dueText({ days_left: -2, due_on: '2026-02-26' }), '2 working days late');
  assert.equal(ft('near.dir', { d: '350 m', c: ft('compass.NE') }), '350 m north-east');
  assert.equal(dueText({ days_left: null, due_on: null }), '');
});

test("moments are shown on Vietnam's clock", () => {
  setLang('en');
  assert.match(fmtMoment('2026-03-02T01:15:00Z'), /02\/03\/2026, 08:15/);
  assert.equal(fmtMoment(null), '');
});
