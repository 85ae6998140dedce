// How the indicators' figures are shown wherever they appear (panel, ranking, split view,
// dashboard, profile): units and names of the measures, numbers with the indicator's decimals,
// achievement badges, changes coloured by good or bad news, the hatch of converted units.

import { fmtNumber, pick, t } from './i18n.js';
import { changeIsGood } from './indicators-core.js';
import { h } from './ui.js';

export const HATCH = 'gisioc-hatch';

/** An 8×8 diagonal hatch (dark lines on transparent) for fill-pattern. */
export function hatchImage(size = 8) {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if ((x + y) % size > 1) continue;
      data.set([31, 41, 51, 150], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The unit a measure of an indicator is in, in the current language. */
export function measureUnit(indicator, measure) {
  if (!indicator) return '';
  const unit = pick(indicator.unit);
  if (measure === 'per_capita' || measure === 'avg7_per_capita')
    return t('ind.perCapitaUnit', { unit, n: fmtNumber(indicator.per_capita, 'int') });
  if (measure === 'change_pct') return '%';
  if (measure === 'achieved') return t('ind.ofTarget');
  return unit;
}

/** A measure's name for an indicator (per capita says per how many people). */
export const measureTitle = (indicator, measure) => t(`ind.m.${measure}`, { n: fmtNumber(indicator?.per_capita ?? 1000, 'int') });

/** A number of an indicator with its own decimals. */
export function fmtValue(value, indicator, measure = 'value') {
  if (value === null || value === undefined) return '–';
  const places = measure === 'value' || measure === 'change' ? (indicator?.decimals ?? 0) : 1;
  return fmtNumber(Number(value).toFixed(places), places ? 'decimal' : 'int');
}

/** A standing (on_track | at_risk | missed) as a badge; nothing when there is no target. */
export function standingBadge(standing, achieved = null) {
  if (!standing) return null;
  const text = t(`ind.standing.${standing}`);
  const pct = achieved === null || achieved === undefined ? '' : ` · ${fmtValue(achieved, null, 'achieved')} %`;
  return h(
    'span',
    { class: `standing standing-${standing}`, dataset: { standing } },
    text,
    pct ? h('span', { class: 'standing-pct' }, pct) : null,
  );
}

/** A change with its sign, coloured by whether it is good news. */
export function changeEl(change, indicator, measure = 'change') {
  if (change === null || change === undefined) return '–';
  const good = changeIsGood(change, indicator?.higher_is_better);
  const sign = Number(change) > 0 ? '+' : '';
  const text = `${sign}${fmtValue(change, indicator, measure)}${measure === 'change_pct' ? ' %' : ''}`;
  return h('span', { class: `change${good === null ? '' : good ? ' good' : ' bad'}` }, text);
}
