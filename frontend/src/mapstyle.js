// The map's style, written in code: a plain background instead of a remote basemap, and
// GeoJSON sources filled from our API. No `glyphs` and no `sprite`, so nothing is fetched.

import { LABEL_FONT } from './fonts.js';

/** Soft fills from Paul Tol's colour-blind-safe "light" scheme, most distinct first. */
export const UNIT_PALETTE = [
  '#77AADD', '#EE8866', '#EEDD88', '#FFAABB', '#99DDFF', '#44BB99', '#BBCC33', '#AAAA00', '#DDDDDD',
];

/** Facility kinds, coloured from the Okabe–Ito colour-blind-safe palette. */
export const FACILITY_KINDS = [
  { kind: 'school', color: '#0072B2', vi: 'Trường học', en: 'School' },
  { kind: 'health', color: '#D55E00', vi: 'Cơ sở y tế', en: 'Health facility' },
  { kind: 'camera', color: '#CC79A7', vi: 'Camera', en: 'Camera' },
  { kind: 'one_stop', color: '#009E73', vi: 'Bộ phận một cửa', en: 'One-stop office' },
  { kind: 'agency', color: '#E69F00', vi: 'Cơ quan', en: 'Agency' },
];

export const BACKGROUND = '#f4f2ed';
const INK = '#2d3540';

export const SOURCES = {
  communes: 'communes',
  communeLabels: 'commune-labels',
  oldCommunes: 'old-communes',
  facilities: 'facilities',
};

export const LAYERS = {
  communeFill: 'communes-fill',
  communeLine: 'communes-outline',
  communeLabel: 'communes-label',
  oldCommuneLine: 'old-communes-outline',
  facilityCircle: 'facilities-circle',
};

/** Layer ids behind each checkbox of the layer panel. */
export const LAYER_GROUPS = {
  communes: [LAYERS.communeFill, LAYERS.communeLine, LAYERS.communeLabel],
  oldCommunes: [LAYERS.oldCommuneLine],
  facilities: [LAYERS.facilityCircle],
};

const EMPTY = { type: 'FeatureCollection', features: [] };

/** The initial style: sources start empty and are filled once the API answers. */
export function mapStyle() {
  return {
    version: 8,
    name: 'gisioc offline',
    sources: {
      [SOURCES.communes]: { type: 'geojson', data: EMPTY },
      [SOURCES.communeLabels]: { type: 'geojson', data: EMPTY },
      [SOURCES.oldCommunes]: { type: 'geojson', data: EMPTY },
      [SOURCES.facilities]: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } },
      {
        id: LAYERS.communeFill,
        type: 'fill',
        source: SOURCES.communes,
        paint: {
          'fill-color': ['coalesce', ['get', 'fill'], UNIT_PALETTE[0]],
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.8, 0.55],
        },
      },
      {
        id: LAYERS.communeLine,
        type: 'line',
        source: SOURCES.communes,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': '#ffffff',
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 11, 2.5, 14, 4],
        },
      },
      {
        id: LAYERS.oldCommuneLine,
        type: 'line',
        source: SOURCES.oldCommunes,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': '#4a5260',
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 1.6],
          'line-dasharray': [3, 2],
          'line-opacity': 0.85,
        },
      },
      {
        id: LAYERS.facilityCircle,
        type: 'circle',
        source: SOURCES.facilities,
        paint: {
          'circle-color': [
            'match', ['get', 'kind'],
            ...FACILITY_KINDS.flatMap(({ kind, color }) => [kind, color]),
            '#555555',
          ],
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3, 12, 5, 16, 8],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: LAYERS.communeLabel,
        type: 'symbol',
        source: SOURCES.communeLabels,
        layout: {
          'text-field': ['coalesce', ['get', 'short_name'], ['get', 'name']],
          'text-font': [LABEL_FONT],
          'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 13, 16],
          'text-max-width': 8,
          'text-padding': 4,
        },
        paint: {
          'text-color': INK,
          'text-halo-color': 'rgba(255, 255, 255, 0.92)',
          'text-halo-width': 1.6,
          'text-halo-blur': 0.4,
        },
      },
    ],
  };
}
