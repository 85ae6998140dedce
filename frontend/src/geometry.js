// Small planar helpers over GeoJSON in EPSG:4326: bounds, a label point inside each polygon,
// and a colouring that keeps neighbouring units apart.

/** Every [x, y] position of a geometry. */
function* positions(geometry) {
  if (!geometry) return;
  const { type, coordinates } = geometry;
  if (type === 'Point') yield coordinates;
  else if (type === 'MultiPoint' || type === 'LineString') yield* coordinates;
  else if (type === 'Polygon' || type === 'MultiLineString') for (const ring of coordinates) yield* ring;
  else if (type === 'MultiPolygon') for (const poly of coordinates) for (const ring of poly) yield* ring;
  else if (type === 'GeometryCollection') for (const g of geometry.geometries) yield* positions(g);
}

/** [[west, south], [east, north]] of the given feature collections, or null when empty. */
export function bounds(...collections) {
  let w = Infinity; let s = Infinity; let e = -Infinity; let n = -Infinity;
  for (const fc of collections) {
    for (const feature of fc.features) {
      for (const [x, y] of positions(feature.geometry)) {
        if (x < w) w = x; if (x > e) e = x;
        if (y < s) s = y; if (y > n) n = y;
      }
    }
  }
  return Number.isFinite(w) ? [[w, s], [e, n]] : null;
}

function polygons(geometry) {
  if (geometry?.type === 'Polygon') return [geometry.coordinates];
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum) / 2;
}

/** Sorted crossings of a polygon's edges with the line coordinate[axis] = value. */
function crossings(polygon, axis, value) {
  const other = 1 - axis;
  const hits = [];
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j]; const b = ring[i];
      if ((a[axis] <= value) !== (b[axis] <= value)) {
        const t = (value - a[axis]) / (b[axis] - a[axis]);
        hits.push(a[other] + t * (b[other] - a[other]));
      }
    }
  }
  return hits.sort((p, q) => p - q);
}

/** The inside interval [from, to] of a crossing list that contains `at`, or the widest one. */
function interval(hits, at) {
  let best = null;
  for (let k = 0; k + 1 < hits.length; k += 2) {
    const span = [hits[k], hits[k + 1]];
    if (at !== undefined && span[0] <= at && at <= span[1]) return span;
    if (!best || span[1] - span[0] > best[1] - best[0]) best = span;
  }
  return at === undefined ? best : null;
}

/**
 * A point inside the unit's largest polygon, well away from its edges: the centre of the
 * widest horizontal chord on a few scanlines, re-centred vertically, scored by the shorter
 * of its two chords (a cheap stand-in for the pole of inaccessibility).
 */
export function labelPoint(geometry) {
  const polys = polygons(geometry);
  if (!polys.length) return null;
  const poly = polys.reduce((a, b) => (ringArea(b[0]) > ringArea(a[0]) ? b : a));
  let s = Infinity; let n = -Infinity;
  for (const [, y] of poly[0]) { if (y < s) s = y; if (y > n) n = y; }
  const kx = Math.cos(((s + n) / 2) * Math.PI / 180); // degrees of longitude are shorter
  let best = null;
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const h = interval(crossings(poly, 1, s + f * (n - s)));
    if (!h) continue;
    const x = (h[0] + h[1]) / 2;
    const v = interval(crossings(poly, 0, x), s + f * (n - s));
    if (!v) continue;
    const y = (v[0] + v[1]) / 2;
    const h2 = interval(crossings(poly, 1, y), x) ?? h;
    const score = Math.min((h2[1] - h2[0]) * kx, v[1] - v[0]);
    if (!best || score > best.score) best = { score, point: [(h2[0] + h2[1]) / 2, y] };
  }
  return best ? best.point : poly[0][0];
}

/**
 * A palette index per feature such that units sharing a boundary vertex differ where the
 * palette allows (greedy colouring, most-connected units first).
 */
export function neighbourColouring(features, paletteSize) {
  const byVertex = new Map();
  features.forEach((feature, index) => {
    for (const [x, y] of positions(feature.geometry)) {
      const key = `${x.toFixed(6)},${y.toFixed(6)}`;
      let set = byVertex.get(key);
      if (!set) byVertex.set(key, (set = new Set()));
      set.add(index);
    }
  });
  const neighbours = features.map(() => new Set());
  for (const set of byVertex.values()) {
    if (set.size < 2) continue;
    for (const a of set) for (const b of set) if (a !== b) neighbours[a].add(b);
  }
  const order = features.map((_, i) => i).sort((a, b) => neighbours[b].size - neighbours[a].size || a - b);
  const colour = new Array(features.length).fill(-1);
  const used = new Array(paletteSize).fill(0);
  for (const i of order) {
    const taken = new Set([...neighbours[i]].map((j) => colour[j]));
    let pick = -1;
    for (let c = 0; c < paletteSize; c += 1) {
      if (!taken.has(c) && (pick < 0 || used[c] < used[pick])) pick = c;
    }
    if (pick < 0) pick = used.indexOf(Math.min(...used));
    colour[i] = pick;
    used[pick] += 1;
  }
  return colour;
}

/**
 * Polygon outlines as lines, with each shared edge kept once. Two dashed outlines drawn over
 * one shared edge fall out of phase and read as a solid line; one line per edge stays dashed.
 */
export function uniqueOutlines(collection) {
  const seen = new Set();
  const key = (p) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
  const features = [];
  for (const feature of collection.features) {
    const lines = [];
    for (const polygon of polygons(feature.geometry)) {
      for (const ring of polygon) {
        const runs = [];
        let run = null;
        for (let i = 1; i < ring.length; i += 1) {
          const a = key(ring[i - 1]); const b = key(ring[i]);
          const edge = a < b ? `${a}|${b}` : `${b}|${a}`;
          if (seen.has(edge)) { run = null; continue; }
          seen.add(edge);
          if (!run) runs.push((run = [ring[i - 1]]));
          run.push(ring[i]);
        }
        // A run still open at the ring's end continues into the run that opened it.
        if (runs.length > 1 && run === runs[runs.length - 1] && runs[0][0] === ring[0]) {
          runs[0] = [...runs.pop(), ...runs[0].slice(1)];
        }
        lines.push(...runs);
      }
    }
    if (lines.length) {
      features.push({
        type: 'Feature', id: feature.id, properties: feature.properties,
        geometry: { type: 'MultiLineString', coordinates: lines },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
