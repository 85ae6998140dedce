// "Trong vùng ngập / In the flood area" in an incident's panel: the facilities and open
// records within ~2 km of the incident that lie where a hazard layer (the one last looked at
// in the tool, else one drawn on the map, else a flood depth) is deeper than 0.5 m (the
// exposure API's circle), each with its depth. Nothing shows without a hazard layer.

import { getJson } from './api.js';
import { fmtDistance, fmtNumber } from './i18n.js';
import { et } from './exposure-strings.js';
import { exposureUrl, hazardDefault, hazardRasters, itemButton, openPlace, titleOf } from './exposure-core.js';
import { h } from './ui.js';

const RADIUS_M = 2000;
const THRESHOLD = 0.5;
const SHOWN = 12;

/** The section for an incident at [lon, lat]; `onOpen(item)` opens a listed place (its record). */
export function floodNear([lon, lat], { onOpen = openPlace } = {}) {
  const body = h('div', { class: 'exp-near-body', 'aria-busy': 'true' }, h('p', { class: 'muted' }, et('loading')));
  const section = h(
    'section',
    { class: 'inc-section exp-near', id: 'inc-flood', 'data-testid': 'inc-flood', hidden: true },
    h('h4', {}, et('nearTitle')),
    body,
  );
  hazardRasters()
    .then(async (rasters) => {
      const raster = hazardDefault(rasters);
      if (!raster) return;
      section.hidden = false;
      const answer = await getJson(exposureUrl(raster.name, THRESHOLD, { lon, lat, radius: RADIUS_M }));
      const items = answer.items;
      const intro = h(
        'p',
        { class: 'muted' },
        et('nearWithin', { r: fmtDistance(RADIUS_M), layer: titleOf(raster), t: fmtNumber(THRESHOLD, 'decimal') }),
      );
      const list = h(
        'ul',
        { class: 'records exp-list' },
        items.slice(0, SHOWN).map((item) => itemButton(item, raster, onOpen)),
      );
      const more = items.length > SHOWN ? h('p', { class: 'muted' }, et('more', { n: items.length - SHOWN })) : null;
      body.replaceChildren(...[intro, items.length ? list : h('p', { class: 'muted' }, et('nearNone')), more].filter(Boolean));
      body.removeAttribute('aria-busy');
    })
    .catch((error) => {
      body.replaceChildren(h('p', { class: 'sheet-error' }, error.message));
      body.removeAttribute('aria-busy');
    });
  return section;
}
