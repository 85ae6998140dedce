// The incidents tool: every string it asks for exists in both languages, the kinds and
// severities it offers are the server's, and its words switch with the language.
import './dom.js';

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, test } from 'node:test';

import { setLang } from '../src/i18n.js';
import { KINDS, SEVERITIES, hasIncidentString, it } from '../src/incidents-strings.js';

afterEach(() => setLang('vi'));

const SRC = new URL('../src/', import.meta.url);
const sources = readdirSync(SRC)
  .filter((name) => name.startsWith('incidents') && name.endsWith('.js'))
  .map((name) => readFileSync(new URL(name, SRC), 'utf8'));
const MODELS = readFileSync(new URL('../../gisioc/incidents/models.py', import.meta.url), 'utf8');

test('every literal key the tool asks for is in its dictionary', () => {
  const keys = new Set(sources.flatMap((text) => [...text.matchAll(/\bit\('([^']+)'/g)].map((m) => m[1])));
  assert.ok(keys.size > 25, `only ${keys.size} keys found: the scan is broken`);
  assert.deepEqual(
    [...keys].filter((key) => !hasIncidentString(key)),
    [],
  );
});

test('the kinds and severities offered are the model’s, each named', () => {
  const kinds = [...MODELS.matchAll(/^ {8}[A-Z]+ = "([a-z]+)", "[^"]+ \/ /gm)].map((m) => m[1]);
  for (const kind of KINDS) assert.ok(kinds.includes(kind), kind);
  assert.deepEqual(SEVERITIES, [1, 2, 3, 4]);
  const made = [
    ...KINDS.map((k) => `k.${k}`),
    ...SEVERITIES.map((s) => `s.${s}`),
    ...['note', 'assign', 'severity', 'close'].map((a) => `a.${a}`),
  ];
  assert.deepEqual(
    made.filter((key) => !hasIncidentString(key)),
    [],
  );
});

test('Vietnamese first, English on switch, with parameters filled', () => {
  assert.equal(it('tool'), 'Sự việc');
  assert.equal(it('s.4'), 'Nghiêm trọng');
  setLang('en');
  assert.equal(it('tool'), 'Incidents');
  assert.equal(it('count', { n: 3 }), '3 open incidents');
});
