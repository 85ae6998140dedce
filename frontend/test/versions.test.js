import assert from 'node:assert/strict';
import { test } from 'node:test';

import { closed, inForce, versionChoices } from '../src/versions.js';

const VERSIONS = [
  { slug: 'v2008', status: 'published', valid_from: '2008-01-01', valid_to: '2019-12-31' },
  { slug: 'v2020', status: 'published', valid_from: '2020-01-01', valid_to: '2025-06-30' },
  { slug: 'v2025', status: 'published', valid_from: '2025-07-01', valid_to: null },
  { slug: 'draft', status: 'draft', valid_from: '2026-01-01', valid_to: null },
];
const slugs = (list) => list.map((v) => v.slug);

test('the version in force and the closed ones, newest closed first', () => {
  assert.deepEqual(slugs(inForce(VERSIONS, '2025-07-01')), ['v2025']);
  assert.deepEqual(slugs(inForce(VERSIONS, '2025-06-30')), ['v2020']);
  assert.deepEqual(slugs(closed(VERSIONS, '2026-01-01')), ['v2020', 'v2008']);
  assert.deepEqual(slugs(closed(VERSIONS, '2019-12-31')), []);
});

test("a layer's version choices follow its purpose, not its id", () => {
  const versions = versionChoices('versions', VERSIONS);
  assert.equal(versions.required, true);
  assert.deepEqual(slugs(versions.options), slugs(closed(VERSIONS)));
  assert.deepEqual(versionChoices('drafts', VERSIONS), { options: [VERSIONS[3]], required: false });
  assert.deepEqual(slugs(versionChoices(null, VERSIONS).options), ['v2008', 'v2020', 'v2025']);
});
