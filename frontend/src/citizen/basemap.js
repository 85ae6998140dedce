// A MapLibre map on our own style (/tiles/style.json: our tiles, glyphs and sprite, nothing
// from outside): only the boundaries in force are kept visible, the systems' layers hidden.

import maplibregl from 'maplibre-gl';

export { maplibregl };

export const CENTER = [108.22, 15.8]; // Duy Xuyên, Đà Nẵng
export const FONT = ['Noto Sans Regular']; // served by /tiles/fonts/

/** A map in `container`, at the district unless told otherwise. */
export function createMap(container, { center = CENTER, zoom = 10 } = {}) {
  const map = new maplibregl.Map({
    container,
    style: '/tiles/style.json',
    center,
    zoom,
    maxZoom: 18,
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
  map.once('style.load', () => keepBoundaries(map));
  return map;
}

/** Hide every registry layer but the boundaries in force ('base'). */
function keepBoundaries(map) {
  const metas = map.getStyle().metadata?.['gisioc:layers'] ?? [];
  const base = new Set(metas.filter((m) => m.purpose === 'base').map((m) => m.id));
  for (const layer of map.getStyle().layers) {
    const id = layer.metadata?.['gisioc:layer'];
    if (id && !base.has(id)) map.setLayoutProperty(layer.id, 'visibility', 'none');
    else if (id) map.setLayoutProperty(layer.id, 'visibility', 'visible');
  }
}

/** Whether any drawn boundary is approximate (the demo's), as the map app's badge asks. */
export function drawsApproximate(map) {
  const layers = map
    .getStyle()
    .layers.filter(
      (l) =>
        l.metadata?.['gisioc:layer'] && (l.type === 'fill' || l.type === 'line') && map.getLayoutProperty(l.id, 'visibility') !== 'none',
    )
    .map((l) => l.id);
  if (!layers.length) return false;
  return map.queryRenderedFeatures({ layers }).some((f) => f.properties.approximate === true || f.properties.approximate === 'true');
}
