// The indicators' pure logic (no DOM, tested in Node): the catalogue grouped by domain, which
// measures an indicator can be drawn by, periods to step through, classes computed over two
// maps' values at once (the split view's one legend), sorting the ranking table.

/** The map layer the indicator tools drive: the one whose tiles take an `indicator_code` filter. */
export const isIndicatorLayer = (meta) => (meta?.filters ?? []).some((f) => f.name === 'indicator_code');

/** What a choropleth of indicators can draw, in the order the picker offers them. */
export const MEASURES = ['value', 'per_capita', 'avg7', 'avg7_per_capita', 'change', 'change_pct', 'achieved'];

/** Indicators grouped by domain, in catalogue order: [{domain, title, items}]. */
export function byDomain(indicators) {
  const groups = new Map();
  for (const indicator of indicators) {
    if (!groups.has(indicator.domain)) groups.set(indicator.domain, { domain: indicator.domain, title: indicator.domain_title, items: [] });
    groups.get(indicator.domain).items.push(indicator);
  }
  return [...groups.values()];
}

/**
 * The measures that make sense for an indicator: per capita needs a multiplier, 7-day means
 * daily figures, % of target a target.
 */
export function measuresFor(indicator) {
  if (!indicator) return ['value'];
  return MEASURES.filter((m) => {
    if (m === 'per_capita') return Boolean(indicator.per_capita);
    if (m === 'avg7') return indicator.period_type === 'day';
    if (m === 'avg7_per_capita') return indicator.period_type === 'day' && Boolean(indicator.per_capita);
    if (m === 'achieved') return (indicator.target_periods ?? []).length > 0;
    if (m === 'change' || m === 'change_pct') return (indicator.periods ?? []).length > 1;
    return true;
  });
}

/** True when a measure compares with a base period. */
export const needsBase = (measure) => measure === 'change' || measure === 'change_pct';

/** The period `delta` steps from `current` in the list ('' or unknown: from the latest). */
export function stepPeriod(periods, current, delta) {
  if (!periods.length) return '';
  const at = periods.indexOf(current);
  const from = at < 0 ? periods.length - 1 : at;
  return periods[Math.min(Math.max(from + delta, 0), periods.length - 1)];
}

/** A sensible base for a change: the period a year (or one step) before `period`. */
export function defaultBase(periods, period) {
  const current = period || periods.at(-1) || '';
  const before = periods.filter((p) => p < current);
  if (!before.length) return '';
  const sameKind = (p) => p.length === current.length;
  // '2024-Q3' → '2023-Q3', '2021-08-15' → '2020-08-15', '2024-2025' → '2023-2024'.
  const yearEarlier = String(Number(current.slice(0, 4)) - 1) + current.slice(4).replace(/^-(\d{4})$/, (_, y) => `-${Number(y) - 1}`);
  if (before.includes(yearEarlier) && sameKind(yearEarlier)) return yearEarlier;
  return before.at(-1);
}

/** A sorted copy of numbers without the missing ones. */
const clean = (values) =>
  values
    .filter((v) => v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v)))
    .map(Number)
    .sort((a, b) => a - b);

function quantile(sorted, q) {
  // numpy's default (linear) interpolation, as the server's legends use.
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Fisher–Jenks optimal breaks of sorted values (minimum within-class squared deviation). */
function jenks(data, classes) {
  const n = data.length;
  const s1 = [0];
  const s2 = [0];
  for (const v of data) {
    s1.push(s1.at(-1) + v);
    s2.push(s2.at(-1) + v * v);
  }
  const ssd = (start, end) => s2[end] - s2[start] - (s1[end] - s1[start]) ** 2 / (end - start);
  let cost = Array.from({ length: n + 1 }, (_, end) => (end ? ssd(0, end) : 0));
  const cuts = Array.from({ length: classes }, () => new Array(n + 1).fill(0));
  for (let k = 1; k < classes; k += 1) {
    const next = new Array(n + 1).fill(Infinity);
    for (let end = k + 1; end <= n; end += 1) {
      for (let start = k; start < end; start += 1) {
        const total = cost[start] + ssd(start, end);
        if (total < next[end]) {
          next[end] = total;
          cuts[k][end] = start;
        }
      }
    }
    cost = next;
  }
  const breaks = [];
  let end = n;
  for (let k = classes - 1; k > 0; k -= 1) {
    end = cuts[k][end];
    breaks.push(data[end]);
  }
  return breaks.sort((a, b) => a - b);
}

/**
 * classes − 1 ascending breaks of the values by a method (equal_interval, quantile, jenks), as
 * the server's tiles/classify.py computes them: v is in class i when breaks[i-1] ≤ v < breaks[i].
 */
export function classBreaks(values, method, classes) {
  const data = clean(values);
  if (!data.length) return [];
  const distinct = [...new Set(data)];
  if (distinct.length < classes) return distinct.slice(1);
  if (method === 'equal_interval') {
    const [low, high] = [data[0], data.at(-1)];
    return Array.from({ length: classes - 1 }, (_, i) => low + ((high - low) * (i + 1)) / classes);
  }
  if (method === 'jenks') return jenks(data, classes);
  return Array.from({ length: classes - 1 }, (_, i) => quantile(data, (i + 1) / classes));
}

/** How many of the values fall in each class of the breaks (length breaks + 1). */
export function classCounts(values, breaks) {
  const counts = new Array(breaks.length + 1).fill(0);
  for (const v of clean(values)) {
    let i = 0;
    while (i < breaks.length && v >= breaks[i]) i += 1;
    counts[i] += 1;
  }
  return counts;
}

/** [min, max] of the values, or [null, null]. */
export function extent(values) {
  const data = clean(values);
  return data.length ? [data[0], data.at(-1)] : [null, null];
}

const STANDING_ORDER = { on_track: 0, at_risk: 1, missed: 2 };

/**
 * Ranking rows sorted by a column. Numbers: missing ones last whatever the direction;
 * `name` by Vietnamese collation; `standing` from on track to missed.
 */
export function sortRows(rows, key, direction = 'asc', collator = new Intl.Collator('vi')) {
  const sign = direction === 'desc' ? -1 : 1;
  const valueOf = (row) => (key === 'standing' ? (STANDING_ORDER[row.standing] ?? null) : row[key]);
  return [...rows].sort((a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    const missingA = va === null || va === undefined;
    const missingB = vb === null || vb === undefined;
    if (missingA || missingB) return missingA === missingB ? (a.rank ?? 0) - (b.rank ?? 0) : missingA ? 1 : -1;
    if (typeof va === 'string' || typeof vb === 'string') return sign * collator.compare(String(va), String(vb));
    return sign * (va - vb) || (a.rank ?? 0) - (b.rank ?? 0);
  });
}

/** The direction a column sorts first: best first for the value columns when higher is better. */
export function firstDirection(key, higherIsBetter) {
  if (key === 'name' || key === 'rank' || key === 'standing') return 'asc';
  return higherIsBetter === false ? 'asc' : 'desc';
}

/** Whether a change is good news: true, false, or null when the indicator has no better side. */
export function changeIsGood(change, higherIsBetter) {
  if (change === null || change === undefined || !Number(change) || higherIsBetter === null || higherIsBetter === undefined) return null;
  return Number(change) > 0 === Boolean(higherIsBetter);
}

/** The MapLibre fill colour of classes (as the server's legend expression): grey where missing. */
export function fillExpression(measure, breaks, colors, noData = '#d9d9d9') {
  let ramp = colors[0];
  if (breaks.length) {
    ramp = ['step', ['to-number', ['get', measure]], colors[0]];
    breaks.forEach((b, i) => ramp.push(b, colors[i + 1]));
  }
  return ['case', ['==', ['get', measure], null], noData, ramp];
}

/** The same query string with parameters set (empty ones removed). */
export function withParams(path, params) {
  const [base, search = ''] = path.split('?');
  const query = new URLSearchParams(search);
  for (const [key, value] of Object.entries(params)) {
    if (value === '' || value === null || value === undefined) query.delete(key);
    else query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}
