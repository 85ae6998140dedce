import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  bboxOf,
  detailUrl,
  layerOfType,
  learnLayers,
  learnRecords,
  learnType,
  propLabel,
  publicPage,
  typeOfLayer,
  typeTitle,
} from '../src/records.js';

// The module keeps what it learnt: each test uses record types of its own.

test("the style's record types say where a record's detail is and which layer draws it", () => {
  learnRecords({
    dossier: {
      title: { vi: 'Hồ sơ', en: 'Dossier' },
      detail: '/api/public-services/dossiers/{id}/',
      layer: 'dossiers-overdue',
      labels: { office_code: { vi: 'Mã nơi tiếp nhận', en: 'Office code' } },
    },
  });
  assert.equal(detailUrl('dossier', 7), '/api/public-services/dossiers/7/');
  assert.equal(detailUrl('dossier', 'a/b'), '/api/public-services/dossiers/a%2Fb/');
  assert.equal(typeOfLayer('dossiers-overdue'), 'dossier');
  assert.equal(layerOfType('dossier'), 'dossiers-overdue');
  assert.deepEqual(typeTitle('dossier'), { vi: 'Hồ sơ', en: 'Dossier' });
  assert.equal(propLabel('dossier', 'office_code').en, 'Office code');
  assert.equal(propLabel('dossier', 'nothing'), null);
});

test('an unknown type has no detail, title or labels, and a layer of no type is its own', () => {
  assert.equal(detailUrl('ghost', 1), null);
  assert.equal(typeTitle('ghost'), null);
  assert.equal(propLabel('ghost', 'code'), null);
  assert.equal(layerOfType('ghost'), null);
  assert.equal(typeOfLayer('some-layer'), 'some-layer');
});

test("a record's URL teaches its type's template, query string and all", () => {
  learnType('report', '/api/feedback/reports/42/?format=json', 42, 'reports');
  assert.equal(detailUrl('report', 5), '/api/feedback/reports/5/');
  assert.equal(layerOfType('report'), 'reports');
  learnType('report', '/elsewhere/9/', 9, 'other');
  assert.equal(detailUrl('report', 5), '/api/feedback/reports/5/', 'the first template stays');
  assert.equal(layerOfType('report'), 'reports');
  learnType('unit', '/api/admin-units/3/', 3);
  assert.equal(detailUrl('unit', 3), null, 'units are not records');
});

test("a layer's record link gives the type's detail and the first layer that draws it", () => {
  learnLayers([
    { id: 'cams', record: { type: 'camera', detail: '/api/cameras/{id}/' } },
    { id: 'cams-2', record: { type: 'camera', detail: '/api/cameras/{id}/' } },
    { id: 'plain', record: null },
  ]);
  assert.equal(typeOfLayer('cams'), 'camera');
  assert.equal(layerOfType('camera'), 'cams');
  assert.equal(detailUrl('camera', 3), '/api/cameras/3/');
});

test('the box of any GeoJSON geometry', () => {
  assert.deepEqual(bboxOf({ type: 'Point', coordinates: [108.2, 15.8] }), [108.2, 15.8, 108.2, 15.8]);
  const polygon = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [108, 15],
          [109, 15],
          [109, 16.5],
          [108, 15],
        ],
      ],
      [
        [
          [107.5, 15.2],
          [108, 15.2],
          [108, 15.9],
        ],
      ],
    ],
  };
  assert.deepEqual(bboxOf(polygon), [107.5, 15, 109, 16.5]);
  assert.equal(bboxOf(null), null);
  assert.equal(bboxOf({ type: 'Polygon', coordinates: [] }), null);
});

test('every layer drawing a record type names it, the first one draws it', () => {
  learnLayers([
    { id: 'sites', record: { type: 'site', detail: '/api/sites/{id}/' } },
    { id: 'sites-by-visits', record: { type: 'site', detail: '/api/sites/{id}/' } },
  ]);
  assert.equal(typeOfLayer('sites-by-visits'), 'site');
  assert.equal(typeOfLayer('sites'), 'site');
  assert.equal(layerOfType('site'), 'sites');
});

test('a record the public cannot open goes to its public page, when the type has one', () => {
  learnRecords({ citizenReport: { detail: '/api/x/{id}/', page: '/phan-anh/{ticket}/' } });
  assert.equal(publicPage('citizenReport', { ticket: 'PA-2612-7K3QX9' }), '/phan-anh/PA-2612-7K3QX9/');
  assert.equal(publicPage('citizenReport', { ticket: '' }), null);
  assert.equal(publicPage('citizenReport', {}), null);
  assert.equal(publicPage('dossier', { ticket: 'x' }), null);
});
