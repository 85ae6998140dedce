// Reading the server's style (GET /tiles/style.json): which registry layers it holds, which
// style layers draw each one, and the few runtime changes the app makes to it.

import { versioned } from './tile-versions.js';

const META_KEY = 'gisioc:layer';
const COLOUR = /^(#[0-9a-f]{3,8}|rgba?\([^)]*\)|hsla?\([^)]*\))$/i;

/** The registry entries the style carries ({id, system, title, legend, …}), in registry order. */
export function registryLayers(map) {
  return map.getStyle().metadata?.['gisioc:layers'] ?? [];
}

/**
 * The id of the registry layer with a part in the app, or null: 'base' (the boundaries in
 * force: the view is fitted to them, communes are drilled on them), 'versions' (a closed
 * version's boundaries), 'drafts' (boundary drafts under review).
 */
export function layerWithPurpose(metas, purpose) {
  return metas.find((m) => m.purpose === purpose)?.id ?? null;
}

/** The systems the style names: name → {title: {vi, en}, order}. */
export function systemsOf(map) {
  return map.getStyle().metadata?.['gisioc:systems'] ?? {};
}

/** The record types the style names: type → {system, title, plural, detail, layer, labels}. */
export function recordTypesOf(map) {
  return map.getStyle().metadata?.['gisioc:records'] ?? {};
}

/** Style layers (full specs) drawing a registry layer, in drawing order. */
export function styleLayersOf(map, id) {
  return map.getStyle().layers.filter((l) => l.metadata?.[META_KEY] === id);
}

/** Ids of the style layers drawing a registry layer. */
export function styleLayerIds(map, id) {
  return styleLayersOf(map, id).map((l) => l.id);
}

/** The registry layer a style layer belongs to, if any. */
export function registryIdOf(styleLayer) {
  return styleLayer?.metadata?.[META_KEY] ?? null;
}

/** Show or hide every style layer of a registry layer. */
export function setLayerVisible(map, id, visible) {
  for (const layerId of styleLayerIds(map, id)) {
    map.setLayoutProperty(layerId, 'visibility', visible ? 'visible' : 'none');
  }
}

const OPACITY = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  heatmap: ['heatmap-opacity'],
  raster: ['raster-opacity'],
  'fill-extrusion': ['fill-extrusion-opacity'],
};
const baseOpacity = new Map(); // style layer id → {property: the style's own value}

/**
 * Draw a registry layer at `opacity` (0–1) of the style's own opacities. Numbers are scaled;
 * an expression (zoom-dependent, say) is kept as it is unless the layer is hidden by it.
 */
export function setLayerOpacity(map, id, opacity) {
  for (const layer of styleLayersOf(map, id)) {
    if (!baseOpacity.has(layer.id)) {
      baseOpacity.set(layer.id, Object.fromEntries((OPACITY[layer.type] ?? []).map((p) => [p, layer.paint?.[p]])));
    }
    for (const [property, base] of Object.entries(baseOpacity.get(layer.id))) {
      if (base !== undefined && typeof base !== 'number') continue;
      const value = Math.round((base ?? 1) * opacity * 1000) / 1000;
      if (map.getPaintProperty(layer.id, property) !== value) map.setPaintProperty(layer.id, property, value);
    }
  }
}

/** True when a registry layer's style layers are drawn. */
export function isLayerVisible(map, id) {
  return styleLayerIds(map, id).some((l) => map.getLayoutProperty(l, 'visibility') !== 'none');
}

/** Ids of the visible style layers of all registry layers, optionally of some types only. */
export function visibleStyleLayers(map, types = null) {
  return map
    .getStyle()
    .layers.filter((l) => registryIdOf(l) && (!types || types.includes(l.type)))
    .filter((l) => map.getLayoutProperty(l.id, 'visibility') !== 'none')
    .map((l) => l.id);
}

/**
 * Hide every drawn layer until the returned function is called, so that no tile is requested
 * for a view that is about to change (hidden layers' sources load nothing).
 */
export function holdLayers(map) {
  const held = map
    .getStyle()
    .layers.filter((l) => l.type !== 'background' && map.getLayoutProperty(l.id, 'visibility') !== 'none')
    .map((l) => l.id);
  for (const id of held) map.setLayoutProperty(id, 'visibility', 'none');
  return () => {
    for (const id of held) map.setLayoutProperty(id, 'visibility', 'visible');
  };
}

// Rasters (hazards, people) over the area fills, under outlines, points and labels.
const RANK = { background: 0, fill: 1, 'fill-extrusion': 1, raster: 2, hillshade: 2, line: 3, heatmap: 4, circle: 5, symbol: 6 };

/**
 * Draw fills first, then outlines, points and their labels, then area names, keeping the
 * registry's order within each kind: a thematic fill switched on later must not cover the
 * boundaries, and the names of areas are placed before (so are not hidden by) point labels.
 */
export function stackByKind(map) {
  const geometry = new Map(registryLayers(map).map((l) => [l.id, l.geometry]));
  const rank = (l) =>
    l.metadata?.['gisioc:basemap'] // the basemap stays under everything thematic
      ? 0.5
      : (RANK[l.type] ?? 3) + (l.type === 'symbol' && geometry.get(registryIdOf(l)) !== 'point' ? 1 : 0);
  const layers = map.getStyle().layers;
  const sorted = [...layers].sort((a, b) => rank(a) - rank(b));
  if (sorted.every((l, i) => l.id === layers[i].id)) return;
  for (const layer of sorted) map.moveLayer(layer.id); // each to the top, in the new order
}

/** A tile URL template with query parameters set or, when empty, removed (braces stay unencoded). */
export function withQuery(template, params) {
  const [base, search = ''] = template.split('?');
  const query = new URLSearchParams(search);
  for (const [key, value] of Object.entries(params)) {
    if (value === '' || value === null || value === undefined) query.delete(key);
    else query.set(key, String(value));
  }
  const version = query.get('v'); // the data version (tile-versions.js) stays last
  if (version !== null) {
    query.delete('v');
    query.set('v', version);
  }
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

const tileUrls = new Map(); // source id → the URL the app last gave it

/** Resolve once a source has read its own metadata (until then a new URL could be overwritten). */
function sourceReady(map, id) {
  const source = map.getSource(id);
  if (!source || typeof source.loaded !== 'function' || source.loaded()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (event) => {
      if (event.sourceId !== id || !source.loaded()) return;
      map.off('sourcedata', check);
      resolve();
    };
    map.on('sourcedata', check);
  });
}

/** Resolve once every source of the style has read its metadata. */
export function sourcesReady(map) {
  return Promise.all(Object.keys(map.getStyle().sources).map((id) => sourceReady(map, id)));
}

/** Point a registry layer's vector source at its tiles filtered by `params`. */
export function setSourceFilters(map, id, template, params) {
  const source = map.getSource(id);
  if (!source || typeof source.setTiles !== 'function' || !template) return;
  const url = versioned(id, withQuery(template, params)); // the newest data version heard of
  // The source's own `tiles` is only set once it has loaded: until then the style's template.
  if ((tileUrls.get(id) ?? source.tiles?.[0] ?? template) === url) return;
  tileUrls.set(id, url);
  if (!source.loaded()) {
    // A source still reading its metadata would put its first URL back when done.
    sourceReady(map, id).then(() => {
      if (tileUrls.get(id) === url) source.setTiles([url]);
    });
    return;
  }
  const inFlight = source.loaded() && !map.isSourceLoaded(id);
  source.setTiles([url]);
  if (!inFlight) return;
  // A tile still loading when the URL changes is kept with the old URL's data (MapLibre
  // re-parses it rather than fetching again): once those have landed, load them once more.
  const again = (event) => {
    if (event.sourceId !== id || !map.isSourceLoaded(id)) return;
    map.off('sourcedata', again);
    if (tileUrls.get(id) === url) source.setTiles([url]);
  };
  map.on('sourcedata', again);
}

/** Every colour literal inside a paint value, expressions included, in order of appearance. */
export function coloursIn(value) {
  if (typeof value === 'string') return COLOUR.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(coloursIn);
  return [];
}

/** The colours of a paint value's ramp: the first step/interpolate/match inside it, if any. */
function rampColours(value) {
  if (!Array.isArray(value)) return coloursIn(value);
  if (['step', 'interpolate', 'match'].includes(value[0])) return coloursIn(value);
  for (const part of value) {
    if (Array.isArray(part)) {
      const found = rampColours(part);
      if (found.length > 1) return found;
    }
  }
  return coloursIn(value);
}

/**
 * How to draw a registry layer's swatch, read from its style layers:
 * {kind: 'fill' | 'line' | 'point', fills, line, dashed, points, cluster}.
 */
export function swatchOf(map, id) {
  const layers = styleLayersOf(map, id);
  const fill = layers.find((l) => l.type === 'fill');
  const line = layers.find((l) => l.type === 'line');
  const circles = layers.filter((l) => l.type === 'circle');
  const isCluster = (l) => JSON.stringify(l.filter ?? null) === JSON.stringify(['has', 'count']);
  const point = circles.find((l) => !isCluster(l)) ?? circles[0];
  const cluster = circles.find(isCluster);
  const lineColour = line && coloursIn(line.paint?.['line-color'])[0];
  const raster = layers.find((l) => l.type === 'raster' && l.metadata?.['gisioc:colors']?.length);
  if (raster) return { kind: 'fill', fills: raster.metadata['gisioc:colors'], opacity: 1, line: null };
  if (fill) {
    return {
      kind: 'fill',
      fills: rampColours(fill.paint?.['fill-color']).slice(0, 7),
      opacity: typeof fill.paint?.['fill-opacity'] === 'number' ? fill.paint['fill-opacity'] : 1,
      line: lineColour ?? null,
    };
  }
  if (line) return { kind: 'line', line: lineColour ?? '#555', dashed: Boolean(line.paint?.['line-dasharray']) };
  if (point) {
    return {
      kind: 'point',
      points: coloursIn(point.paint?.['circle-color']).slice(0, 3),
      cluster: cluster ? (coloursIn(cluster.paint?.['circle-color'])[0] ?? null) : null,
    };
  }
  return { kind: 'none' };
}
