// Raster layers' words and numbers: the readout's and legend's strings (Vietnamese first) and
// how a raster value and a colour ramp are written. Pure, so Node's tests import it.

import { fmtNumber, lang, pick } from './i18n.js';

export const S = {
  readout: ['Giá trị tại vị trí con trỏ', 'Value under the cursor'],
  noData: ['không có dữ liệu', 'no data'],
  relief: ['Kèm địa hình bóng đổ', 'With hillshade'],
  synthetic: ['Dữ liệu mô phỏng', 'Synthetic data'],
  'k.flood_depth': ['Độ sâu ngập', 'Flood depth'],
  'k.population': ['Mật độ dân số', 'Population density'],
  'k.elevation': ['Độ cao', 'Elevation'],
  'k.hazard_class': ['Cấp nguy cơ', 'Hazard class'],
  'k.imagery': ['Ảnh', 'Imagery'],
};

/** A string of this module in the current language. */
export function rt(key) {
  return (S[key] ?? [key, key])[lang() === 'en' ? 1 : 0];
}

/** True for a raster layer's panel entry (style.json's metadata). */
export const isRasterLayer = (meta) => meta?.geometry === 'raster';

/** A raster value as people read it: two decimals under 10, one under 100, whole above. */
export function fmtRasterValue(value, unit = null) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return rt('noData');
  const v = Number(value);
  const rounded = Math.abs(v) < 10 ? Math.round(v * 100) / 100 : Math.abs(v) < 100 ? Math.round(v * 10) / 10 : Math.round(v);
  const text = fmtNumber(rounded, Math.abs(v) < 100 ? 'decimal' : 'int');
  const u = pick(unit);
  return u ? `${text} ${u}` : text;
}

/** The CSS gradient of a continuous colour map's stops between its first and last value. */
export function rampGradient(stops) {
  if (!stops?.length) return 'transparent';
  const low = Number(stops[0][0]);
  const span = Number(stops.at(-1)[0]) - low || 1;
  const parts = stops.map(([v, c]) => `${c} ${Math.round(((Number(v) - low) / span) * 1000) / 10}%`);
  return `linear-gradient(90deg, ${parts.join(', ')})`;
}
