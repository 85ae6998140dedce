// Record types as the server names them (style.json's "gisioc:records": type → {system, title,
// plural, detail, layer, labels}): which API gives a record's detail, which map layer draws
// it and what its properties are called. Search results and near-me features teach the detail
// URL of a type the style does not list.

const TYPES = new Map();
const LAYER_TYPES = new Map(); // layer id → the record type its features are

/** Learn the record types the style's metadata declares. */
export function learnRecords(records = {}) {
  for (const [type, info] of Object.entries(records ?? {})) TYPES.set(type, { ...TYPES.get(type), ...info });
}

/** The public's page of a record whose details are for staff ('/phan-anh/{ticket}/' filled
 * from the feature's properties), or null when the type has none or a property is missing. */
export function publicPage(type, properties) {
  const page = TYPES.get(type)?.page;
  let missing = !page;
  const url = page?.replace(/\{(\w+)\}/g, (_, name) => {
    const value = properties?.[name];
    if (value === undefined || value === null || value === '') missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? null : url;
}

/** Remember a type's detail URL template from one record's URL (…/12/ → …/{id}/). */
export function learnType(type, url, id, layer = null) {
  if (!type || type === 'unit') return;
  const known = TYPES.get(type) ?? {};
  if (url && id !== undefined && !known.detail) {
    const template = url.replace(new RegExp(`/${id}/?(\\?.*)?$`), '/{id}/');
    if (template.includes('{id}')) known.detail = template;
  }
  if (layer && !known.layer) known.layer = layer;
  TYPES.set(type, known);
}

/** Learn the types the style's layers declare ("record": {"type", "detail"}). */
export function learnLayers(metas) {
  for (const meta of metas) {
    if (!meta.record?.type) continue;
    LAYER_TYPES.set(meta.id, meta.record.type); // several layers may draw one type (facilities)
    learnType(meta.record.type, null, undefined, meta.id);
  }
  for (const meta of metas) {
    if (meta.record?.detail) TYPES.set(meta.record.type, { ...TYPES.get(meta.record.type), detail: meta.record.detail });
  }
}

/** The detail URL of a record, or null when its type is unknown. */
export function detailUrl(type, id) {
  const template = TYPES.get(type)?.detail;
  return template ? template.replace('{id}', encodeURIComponent(id)) : null;
}

/** The record type a registry layer's points are (the layer id when nothing says). */
export function typeOfLayer(layerId) {
  if (LAYER_TYPES.has(layerId)) return LAYER_TYPES.get(layerId);
  for (const [type, info] of TYPES) if (info.layer === layerId) return type;
  return layerId;
}

/** The registry layer that draws a record type, if known. */
export const layerOfType = (type) => TYPES.get(type)?.layer ?? null;

/** A record type's {vi, en} name ('Hồ sơ' / 'Dossier'), or null when the server gave none. */
export const typeTitle = (type) => TYPES.get(type)?.title ?? null;

/** The server's {vi, en} label of a record type's property, or null. */
export const propLabel = (type, key) => TYPES.get(type)?.labels?.[key] ?? null;

/** [w, s, e, n] of a GeoJSON geometry. */
export function bboxOf(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  if (geometry?.coordinates) walk(geometry.coordinates);
  return Number.isFinite(box[0]) ? box : null;
}
