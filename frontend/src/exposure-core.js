// The flood exposure tool's pieces without a map: the hazard layers, the API's URL, a value
// with its unit, a layer's title, the default layer and one listed place (exposure.js draws
// the tool; exposure-near.js the incident panel's section).

import { getJson } from './api.js';
import { fmtNumber, pick } from './i18n.js';
import { h } from './ui.js';

const API = '/api/rasters';
const HAZARDS = new Set(['flood_depth', 'hazard_class']);

let listed = null;
let opener = () => {}; // opens a listed place's record (the tool's drill, once created)
let picked = null; // the hazard layer last looked at in the tool

/** The tool says how a place is opened and which layer was last looked at. */
export function remember({ open = null, layer = null } = {}) {
  if (open) opener = open;
  if (layer) picked = layer;
}

/** A layer's title (a doubled "(mô phỏng) (mô phỏng)" said once). */
export const titleOf = (raster) => pick(raster?.title).replace(/( \([^)]+\))\1+$/, '$1');

/** The hazard layer to use where no one picks: the tool's last, one drawn on the map, a flood. */
export function hazardDefault(rasters) {
  const drawn = (r) => document.getElementById(`toggle-${r.name}`)?.checked;
  return (
    rasters.find((r) => r.name === picked) ?? rasters.find(drawn) ?? rasters.find((r) => r.kind === 'flood_depth') ?? rasters[0] ?? null
  );
}

/** Fly to a listed place and open its record. */
export const openPlace = (item) => opener(item);

/** The hazard rasters the user may see (flood depth, hazard class); [] when none or refused.
 * `fresh`: ask again (a GIS officer may have added one since). */
export function hazardRasters({ fresh = false } = {}) {
  if (fresh) listed = null;
  listed ??= getJson(`${API}/`)
    .then((body) => (body.rasters ?? []).filter((r) => HAZARDS.has(r.kind)))
    .catch(() => []);
  return listed;
}

/** The exposure API's URL for a raster, threshold and extra parameters. */
export function exposureUrl(name, threshold, extra = {}) {
  const query = new URLSearchParams({ threshold: String(threshold), ...extra });
  return `${API}/${encodeURIComponent(name)}/exposure/?${query}`;
}

/** A value at a place, with the raster's unit ("1,2 m"). */
export function fmtValue(value, raster) {
  const unit = pick(raster?.unit) || '';
  return `${fmtNumber(value, 'decimal')}${unit ? ` ${unit}` : ''}`;
}

/** One exposed place: its name, what it is, its commune and the depth there. */
export function itemButton(item, raster, onOpen) {
  const b = h(
    'button',
    { type: 'button', class: 'link record exp-item', dataset: { type: item.record_type, id: item.id, code: item.code } },
    h('span', { class: 'record-name' }, pick(item.name)),
    h('span', { class: 'record-meta' }, [pick(item.label), item.commune].filter(Boolean).join(' · ')),
    h('span', { class: 'exp-depth' }, fmtValue(item.value, raster)),
  );
  b.addEventListener('click', () => onOpen(item));
  return h('li', {}, b);
}
