// The wall's pure parts (no DOM, no map): a saved view's place, figures as the room reads them,
// one line per live event, the reconnect backoff and the Vietnam clock. Unit-tested in Node.

export const VIETNAM = 'Asia/Ho_Chi_Minh';
export const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** A view's "z/lat/lon[/bearing]" as MapLibre's camera, or null when it is not one. */
export function parseMap(text) {
  const parts = String(text ?? '').split('/');
  if (parts.length < 3 || parts.length > 4) return null;
  const [zoom, lat, lon, bearing = 0] = parts.map(Number);
  if (![zoom, lat, lon, bearing].every(Number.isFinite)) return null;
  return { zoom, center: [lon, lat], bearing };
}

/** The wait before reconnect attempt `n` (0-based): growing, then capped. */
export function backoff(n) {
  return BACKOFF_MS[Math.min(Math.max(n, 0), BACKOFF_MS.length - 1)];
}

/** The next view's index, around the list. */
export function nextIndex(index, count) {
  return count > 0 ? (index + 1) % count : 0;
}

/** Pick a language's text from {vi, en} (Vietnamese when the other is missing). */
export function pick(text, lang) {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : text.vi) ?? text.vi ?? '';
}

const LOCALES = { vi: 'vi-VN', en: 'en-GB' };

/** A figure's value as shown: whole numbers grouped, percentages of a 0–1 share, '–' for none. */
export function formatValue(value, format, lang = 'vi') {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '–';
  const locale = LOCALES[lang] ?? LOCALES.vi;
  if (format === 'percent') {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Number(value) * 100)} %`;
  }
  const digits = format === 'decimal' ? 1 : 0;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(Number(value));
}

const KIND_TEXT = {
  'camera.event': ['Camera AI', 'AI camera'],
  'camera.status': ['Camera', 'Camera'],
  'feedback.report': ['Phản ánh', 'Report'],
  'dossier.overdue': ['Hồ sơ quá hạn', 'Overdue dossiers'],
  alert: ['Cảnh báo', 'Alert'],
  incident: ['Sự cố', 'Incident'],
};
const STATUS_TEXT = { offline: ['mất tín hiệu', 'offline'], online: ['hoạt động lại', 'back online'] };

function two(pair, lang) {
  return pair ? pair[lang === 'en' ? 1 : 0] : '';
}

/** What the strip says of a live event: its kind and one line (nothing personal is sent). */
export function eventText(event, lang = 'vi') {
  const data = event?.data ?? {};
  const kind = two(KIND_TEXT[event?.kind], lang) || String(event?.kind ?? '');
  let text = '';
  switch (event?.kind) {
    case 'camera.event':
      text = [pick(data.label, lang) || data.kind, data.camera].filter(Boolean).join(' – ');
      break;
    case 'camera.status':
      text = [data.name || data.code, two(STATUS_TEXT[data.status], lang) || data.status].filter(Boolean).join(': ');
      break;
    case 'feedback.report':
      text = [data.ticket, data.category].filter(Boolean).join(' · ');
      break;
    case 'dossier.overdue':
      text = lang === 'en' ? `${data.count ?? '?'} became overdue` : `${data.count ?? '?'} hồ sơ mới quá hạn`;
      break;
    case 'alert':
      text = pick(data.title, lang);
      break;
    case 'incident':
      text = pick(data.title, lang) || data.kind || '';
      break;
    default:
      text = '';
  }
  return { kind, text };
}

/** "HH:MM" (or "HH:MM:SS") in Vietnam time. */
export function clockText(date, seconds = false) {
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: VIETNAM,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(date);
}

/** The day as the room reads it, in Vietnam time ("Thứ Bảy, 05/12/2026"). */
export function dayText(date, lang = 'vi') {
  return new Intl.DateTimeFormat(LOCALES[lang] ?? LOCALES.vi, {
    timeZone: VIETNAM,
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}
