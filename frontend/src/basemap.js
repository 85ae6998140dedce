// The basemap under the thematic layers. An archive the server serves comes in style.json
// itself (layers `basemap-…`); with none, the style's metadata may name the operator's own
// style URL (GISIOC_BASEMAP_STYLE_URL), whose sources and layers are added here under the
// first thematic layer. A URL that cannot be read leaves the map as it is, with a warning in
// the console only.

const META = 'gisioc:basemap';
const PREFIX = 'basemap-';

/** True for a style layer of the basemap (from the archive or the style URL). */
export const isBasemapLayer = (layer) => Boolean(layer?.metadata?.[META]);

/** The id of the first layer drawn above the basemap (undefined: the top). */
function firstAbove(map) {
  return map.getStyle().layers.find((l) => l.type !== 'background' && !isBasemapLayer(l))?.id;
}

const absolute = (url, base) => (typeof url === 'string' ? new URL(url, base).href : url);

/** A source of the remote style, its URLs made absolute against the style's own URL. */
function sourceOf(source, base) {
  const out = { ...source };
  if (out.url) out.url = absolute(out.url, base);
  if (Array.isArray(out.tiles)) out.tiles = out.tiles.map((t) => absolute(t, base).replaceAll('%7B', '{').replaceAll('%7D', '}'));
  if (out.data && typeof out.data === 'string') out.data = absolute(out.data, base);
  return out;
}

/** A remote style layer renamed into our ids, its icons dropped (our sprite has none of them). */
function layerOf(layer, sources) {
  const out = { ...layer, id: PREFIX + layer.id, metadata: { ...(layer.metadata ?? {}), [META]: true } };
  if (layer.source) out.source = sources.get(layer.source);
  if (layer.layout) {
    const layout = { ...layer.layout };
    delete layout['icon-image'];
    if (layout['text-font']) layout['text-font'] = ['Noto Sans Regular'];
    out.layout = layout;
  }
  return out;
}

/** Add the operator's style (sources and layers, under the thematic layers); resolves either way. */
export async function addStyleBasemap(map) {
  const url = map.getStyle()?.metadata?.[META]?.style_url;
  if (!url) return;
  try {
    const response = await fetch(url, { credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const remote = await response.json();
    const base = new URL(url, window.location.href).href;
    const sources = new Map();
    for (const [id, source] of Object.entries(remote.sources ?? {})) {
      sources.set(id, PREFIX + id);
      if (!map.getSource(PREFIX + id)) map.addSource(PREFIX + id, sourceOf(source, base));
    }
    const before = firstAbove(map);
    for (const layer of remote.layers ?? []) {
      if (layer.type === 'background' || (layer.source && !sources.has(layer.source))) continue;
      if (!map.getLayer(PREFIX + layer.id)) map.addLayer(layerOf(layer, sources), before);
    }
  } catch (error) {
    console.warn('gisioc: the basemap style could not be read; the map goes on without it', url, error);
  }
}

/** The basemap sources' credits as plain text (kept when the app rewrites the attribution). */
export function basemapCredits(map) {
  let sources;
  try {
    sources = Object.entries(map.getStyle()?.sources ?? {});
  } catch {
    return []; // no style yet
  }
  const text = (html) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
  return sources
    .filter(([id, s]) => (id === 'basemap' || id.startsWith(PREFIX)) && s.attribution)
    .map(([, s]) => text(s.attribution).trim());
}
