// Versioned tile URLs: a change makes the app ask for the new version's URLs, filters kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { withQuery } from '../src/layers.js';
import { sourcesRefresh, versioned, versionsLearn } from '../src/tile-versions.js';

const TEMPLATE = 'http://x/tiles/facilities/{z}/{x}/{y}.mvt';

test('a learnt version replaces the one in the URL and keeps the filters and braces', () => {
  versionsLearn({ sources: { facilities: { tiles: [`${TEMPLATE}?v=7-2026-12-06`] } } });
  assert.equal(versioned('facilities', `${TEMPLATE}?v=6&kind=school`), `${TEMPLATE}?kind=school&v=7-2026-12-06`);
  assert.equal(versioned('other', `${TEMPLATE}?v=6`), `${TEMPLATE}?v=6`); // nothing heard of it
  assert.equal(versioned('facilities', `${TEMPLATE}?kind=school`), `${TEMPLATE}?kind=school`); // unversioned
});

test('filters set on a versioned template keep the version last', () => {
  assert.equal(withQuery(`${TEMPLATE}?v=3`, { kind: 'school' }), `${TEMPLATE}?kind=school&v=3`);
  assert.equal(withQuery(`${TEMPLATE}?kind=school&v=3`, { kind: '' }), `${TEMPLATE}?v=3`);
});

test('a refresh learns the versions first, then sets the new URLs on the sources asked', async () => {
  const set = [];
  const source = (tiles) => ({ tiles, setTiles: (urls) => set.push(urls) });
  const sources = { 'admin-units': source([`${TEMPLATE}?v=1`]), untouched: source([`${TEMPLATE}?v=1`]) };
  const map = { getSource: (id) => sources[id] };
  let loads = 0;
  const load = async () => {
    loads += 1;
    return { sources: { 'admin-units': { tiles: [`${TEMPLATE}?v=2`] }, untouched: { tiles: [`${TEMPLATE}?v=2`] } } };
  };
  await Promise.all([sourcesRefresh(map, ['admin-units'], load), sourcesRefresh(map, ['admin-units'], load)]);
  assert.equal(loads, 1); // asked twice at once: one style.json
  assert.deepEqual(set, [[`${TEMPLATE}?v=2`]]);
  await sourcesRefresh(map, ['admin-units'], async () => Promise.reject(new Error('offline')));
  assert.deepEqual(set.at(-1), [`${TEMPLATE}?v=2`]); // offline: the newest version known
});
