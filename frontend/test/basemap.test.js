import assert from 'node:assert/strict';
import { test } from 'node:test';

import './dom.js';
import { addStyleBasemap, isBasemapLayer } from '../src/basemap.js';

globalThis.window.location.href = 'http://app.example/';

/** The little of a MapLibre map addStyleBasemap uses, over a style's layers and sources. */
function fakeMap(style) {
  const layers = [...style.layers];
  const sources = { ...style.sources };
  return {
    layers,
    sources,
    getStyle: () => ({ ...style, layers, sources }),
    getSource: (id) => sources[id],
    getLayer: (id) => layers.find((l) => l.id === id),
    addSource: (id, source) => {
      sources[id] = source;
    },
    addLayer: (layer, before) => {
      const at = before ? layers.findIndex((l) => l.id === before) : layers.length;
      layers.splice(at, 0, layer);
    },
  };
}

const OURS = {
  metadata: { 'gisioc:basemap': { style_url: 'https://tiles.example.vn/styles/basic/style.json' } },
  sources: { 'admin-units': { type: 'vector' } },
  layers: [
    { id: 'background', type: 'background' },
    { id: 'admin-units', type: 'fill', source: 'admin-units', metadata: { 'gisioc:layer': 'admin-units' } },
  ],
};
const REMOTE = {
  version: 8,
  sources: { osm: { type: 'vector', tiles: ['../tiles/{z}/{x}/{y}.pbf'] }, terrain: { type: 'raster', url: '/terrain.json' } },
  layers: [
    { id: 'background', type: 'background' },
    { id: 'water', type: 'fill', source: 'osm', 'source-layer': 'water' },
    { id: 'poi', type: 'symbol', source: 'osm', layout: { 'icon-image': 'shop', 'text-font': ['Open Sans Bold'], 'text-field': '{name}' } },
  ],
};

test("the operator's style goes under the first thematic layer, renamed", async () => {
  globalThis.fetch = async () => ({ ok: true, json: async () => REMOTE });
  const map = fakeMap(OURS);
  await addStyleBasemap(map);
  assert.deepEqual(
    map.layers.map((l) => l.id),
    ['background', 'basemap-water', 'basemap-poi', 'admin-units'],
  );
  assert.ok(map.layers.slice(1, 3).every(isBasemapLayer));
  assert.equal(map.layers[1].source, 'basemap-osm');
  assert.deepEqual(map.sources['basemap-osm'].tiles, ['https://tiles.example.vn/styles/tiles/{z}/{x}/{y}.pbf']);
  assert.equal(map.sources['basemap-terrain'].url, 'https://tiles.example.vn/terrain.json');
  const poi = map.layers[2].layout;
  assert.equal(poi['icon-image'], undefined);
  assert.deepEqual(poi['text-font'], ['Noto Sans Regular']);
});

test('an unreachable style URL leaves the map as it was, with a warning', async () => {
  globalThis.fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  const warned = [];
  const warn = console.warn;
  console.warn = (...args) => warned.push(args.join(' '));
  try {
    const map = fakeMap(OURS);
    await addStyleBasemap(map);
    assert.deepEqual(
      map.layers.map((l) => l.id),
      ['background', 'admin-units'],
    );
  } finally {
    console.warn = warn;
  }
  assert.equal(warned.length, 1);
  assert.match(warned[0], /basemap style could not be read/);
});

test('no style URL, no request', async () => {
  let asked = false;
  globalThis.fetch = async () => {
    asked = true;
  };
  await addStyleBasemap(fakeMap({ ...OURS, metadata: {} }));
  assert.equal(asked, false);
});
