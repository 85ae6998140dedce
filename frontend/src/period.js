// The reporting period: all time, or a year ('2025'), quarter ('2025-Q3') or month ('2025-07')
// picked on a time slider that steps and replays the periods in turn. It goes to the profile API
// and to every layer whose filters include one named "period".

import { fmtPeriod, onLang, t } from './i18n.js';
import { commit, state } from './state.js';
import { h } from './ui.js';
import { vietnamToday } from './versions.js';

const KINDS = ['', 'year', 'quarter', 'month'];
const FIRST_YEAR = 2019;
const STEP_MS = 1600;

export const periodKind = (p) => (!p ? '' : /-Q/.test(p) ? 'quarter' : /-\d\d$/.test(p) ? 'month' : 'year');

/** The periods of a kind the slider offers, oldest first, up to the current one (Vietnam time). */
export function periods(kind, extra = '') {
  const [y, m] = vietnamToday().split('-').map(Number);
  const out = [];
  if (kind === 'year') for (let year = FIRST_YEAR; year <= y; year += 1) out.push(String(year));
  if (kind === 'quarter') {
    for (let year = y - 2; year <= y; year += 1) {
      for (let q = 1; q <= 4 && (year < y || q <= Math.ceil(m / 3)); q += 1) out.push(`${year}-Q${q}`);
    }
  }
  if (kind === 'month') {
    for (let i = 23; i >= 0; i -= 1) {
      const d = new Date(Date.UTC(y, m - 1 - i, 1));
      out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
    }
  }
  if (extra && periodKind(extra) === kind && !out.includes(extra)) out.push(extra);
  return out.sort();
}

/** 'YYYY-MM' of a period's first month. */
const startOf = (p) => {
  const [year, part = '01'] = p.split('-');
  return `${year}-${part.startsWith('Q') ? String(3 * Number(part[1]) - 2).padStart(2, '0') : part}`;
};

/** The period of `kind` that holds the start of `from` (the latest one when none does). */
function convert(from, kind) {
  const list = periods(kind);
  if (!from) return list.at(-1) ?? '';
  const start = startOf(from);
  const [year, month] = start.split('-').map(Number);
  const target = kind === 'year' ? String(year) : kind === 'quarter' ? `${year}-Q${Math.ceil(month / 3)}` : start;
  return list.includes(target) ? target : (list.at(-1) ?? '');
}

export function createPeriod({ onChange }) {
  const kind = h('select', { id: 'period-kind', name: 'period-kind' });
  const range = h('input', { type: 'range', id: 'period-range', min: 0, step: 1 });
  const prev = h('button', { type: 'button', class: 'step', id: 'period-prev' }, h('span', { 'aria-hidden': 'true' }, '‹'));
  const next = h('button', { type: 'button', class: 'step', id: 'period-next' }, h('span', { 'aria-hidden': 'true' }, '›'));
  const play = h('button', { type: 'button', class: 'step play', id: 'period-play', 'aria-pressed': 'false' });
  const shown = h('output', { id: 'period-label', for: 'period-range', 'aria-live': 'polite' });
  const title = h('h2', { class: 'group-title', id: 'period-title' });
  const kindLabel = h('label', { for: 'period-kind', class: 'control-label' });
  const slider = h('div', { class: 'period-slider' }, prev, range, next, play);
  const el = h(
    'section',
    { class: 'period', 'aria-labelledby': 'period-title' },
    title,
    h('div', { class: 'period-row' }, kindLabel, kind),
    slider,
    shown,
  );
  let list = [];
  let timer = null;

  function set(value, { quiet = false } = {}) {
    if (value === state.period) return;
    state.period = value;
    commit();
    draw();
    if (!quiet) onChange(value);
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    draw();
  }

  function tick() {
    const at = list.indexOf(state.period);
    if (at < 0 || at >= list.length - 1) {
      stop();
      return;
    }
    set(list[at + 1]);
    timer = at + 1 >= list.length - 1 ? null : setTimeout(tick, STEP_MS);
    draw();
  }

  function draw() {
    const current = periodKind(state.period);
    list = periods(current, state.period);
    kind.replaceChildren(...KINDS.map((k) => h('option', { value: k, selected: k === current }, t(`period.kind.${k || 'all'}`))));
    title.textContent = t('period.title');
    kindLabel.textContent = t('period.kind');
    slider.hidden = !current;
    const at = Math.max(list.indexOf(state.period), 0);
    range.max = String(Math.max(list.length - 1, 0));
    range.value = String(at);
    const label = state.period ? fmtPeriod(state.period) : t('period.allTime');
    range.setAttribute('aria-valuetext', label);
    range.setAttribute('aria-label', t('period.slider'));
    shown.textContent = label;
    prev.disabled = at <= 0;
    next.disabled = at >= list.length - 1;
    prev.setAttribute('aria-label', t('period.prev'));
    next.setAttribute('aria-label', t('period.next'));
    play.setAttribute('aria-pressed', String(Boolean(timer)));
    play.setAttribute('aria-label', timer ? t('period.pause') : t('period.play'));
    play.title = play.getAttribute('aria-label');
    play.replaceChildren(h('span', { 'aria-hidden': 'true' }, timer ? '❚❚' : '▶'));
    el.dataset.period = state.period;
  }

  kind.addEventListener('change', () => {
    const chosen = kind.value; // stop() redraws the options
    stop();
    set(chosen ? convert(state.period, chosen) : '');
  });
  range.addEventListener('input', () => set(list[Number(range.value)] ?? ''));
  prev.addEventListener('click', () => {
    stop();
    set(list[Math.max(list.indexOf(state.period) - 1, 0)]);
  });
  next.addEventListener('click', () => {
    stop();
    set(list[Math.min(list.indexOf(state.period) + 1, list.length - 1)]);
  });
  play.addEventListener('click', () => {
    if (timer) {
      stop();
      return;
    }
    if (list.indexOf(state.period) >= list.length - 1) set(list[0]); // replay from the start
    timer = setTimeout(tick, STEP_MS);
    draw();
  });
  el.addEventListener('keydown', (event) => {
    if (event.key === ' ' && event.target === range) {
      event.preventDefault();
      play.click();
    }
  });

  draw();
  onLang(draw);
  return { el, set, stop };
}
