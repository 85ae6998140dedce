// The page's language (Vietnamese by default, English by the switch) and every number, date
// and period formatted with Intl for it. UI strings live in strings.js; the server's texts come
// as {vi, en} and are read with pick().

import { STRINGS } from './strings.js';

export const LANGS = ['vi', 'en'];
const LOCALES = { vi: 'vi-VN', en: 'en-GB' };

let current = 'vi';
const listeners = new Set();
const formatters = new Map();

/** The current language: 'vi' or 'en'. */
export const lang = () => current;

/** The Intl locale of the current language. */
export const locale = () => LOCALES[current];

/** Switch the language; listeners re-render their texts. */
export function setLang(next) {
  const value = LANGS.includes(next) ? next : 'vi';
  document.documentElement.lang = value;
  if (value === current) return;
  current = value;
  for (const fn of listeners) fn(value);
}

/** Call `fn(lang)` after every language switch; returns the unsubscribe function. */
export function onLang(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A UI string in the current language, `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const entry = STRINGS[key];
  if (!entry) {
    console.warn(`gisioc: no string ${key}`);
    return key;
  }
  const text = (current === 'en' ? entry[1] : entry[0]) ?? entry[0];
  return text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole);
}

/** True when the dictionary has the key. */
export const hasString = (key) => Object.hasOwn(STRINGS, key);

/** The server's {vi, en} text (or a plain string) in the current language. */
export function pick(text) {
  if (text === null || text === undefined) return '';
  if (typeof text !== 'object') return String(text);
  return text[current] ?? text.vi ?? text.en ?? '';
}

function formatter(kind, make) {
  const key = `${current}:${kind}`;
  if (!formatters.has(key)) formatters.set(key, make(locale()));
  return formatters.get(key);
}

const NUMBER_STYLES = {
  int: { maximumFractionDigits: 0 },
  decimal: { maximumFractionDigits: 2 },
  percent: { style: 'percent', maximumFractionDigits: 1 },
};

/**
 * A number as text: 'int', 'decimal' (two places at most) or 'percent' (of a fraction:
 * 0.93 → 93 %); '–' when there is none.
 */
export function fmtNumber(value, format = 'decimal') {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '–';
  const style = NUMBER_STYLES[format] ?? NUMBER_STYLES.decimal;
  return formatter(`n-${format}`, (l) => new Intl.NumberFormat(l, style)).format(Number(value));
}

/** A distance in metres: "350 m" or "1,2 km" (by the language's separators). */
export function fmtDistance(metres) {
  if (!Number.isFinite(Number(metres))) return '–';
  const m = Number(metres);
  return m < 1000 ? `${fmtNumber(Math.round(m / 10) * 10, 'int')} m` : `${fmtNumber(m / 1000, 'decimal')} km`;
}

/** An ISO date (YYYY-MM-DD) as the language writes it. */
export function fmtDate(iso) {
  if (!iso) return '';
  const [y, m, d] = String(iso).slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return String(iso);
  return formatter('date', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeZone: 'UTC' })).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

const PERIOD = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

/**
 * A period label ('2025', '2025-Q3', '2025-07', a day '2021-08-15', a school year '2024-2025')
 * as the language says it; `short` for charts.
 */
export function fmtPeriod(label, { short = false } = {}) {
  const day = DAY.exec(label ?? '');
  if (day) return short ? `${day[3]}/${day[2]}/${day[1].slice(2)}` : fmtDate(label);
  const school = SCHOOL_YEAR.exec(label ?? '');
  if (school) return t(short ? 'period.schoolShort' : 'period.schoolLong', { a: school[1], b: school[2] });
  const match = PERIOD.exec(label ?? '');
  if (!match) return label ?? '';
  const [, year, quarter, month] = match;
  if (quarter) return t(short ? 'period.quarterShort' : 'period.quarterLong', { q: quarter, y: year });
  if (month) {
    if (short) return `${month}/${year}`;
    if (current === 'vi') return t('period.monthLong', { m: Number(month), y: year });
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, 1));
    return formatter('month', (l) => new Intl.DateTimeFormat(l, { month: 'long', year: 'numeric', timeZone: 'UTC' })).format(date);
  }
  return year;
}
