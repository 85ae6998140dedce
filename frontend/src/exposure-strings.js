// The flood exposure tool's own strings (Vietnamese first, then English); record and facility
// kinds and commune names come from the server.

import { lang } from './i18n.js';

const EXP = {
  tool: ['Ảnh hưởng ngập', 'Flood exposure'],
  title: ['Ảnh hưởng ngập', 'Flood exposure'],
  layer: ['Lớp nguy cơ', 'Hazard layer'],
  threshold: ['Sâu hơn (m)', 'Deeper than (m)'],
  thresholdClass: ['Cấp lớn hơn', 'Class above'],
  show: ['Xem', 'Show'],
  loading: ['Đang tính…', 'Computing…'],
  none: ['Không có cơ sở hay phản ánh đang mở nào trong vùng này.', 'No facility or open report lies in this area.'],
  noLayer: ['Chưa có lớp độ sâu ngập hay cấp nguy cơ nào.', 'No flood depth or hazard layer has been added yet.'],
  count: ['{n} nơi trong vùng ngập', '{n} places in the flood area'],
  schools: ['Trường học', 'Schools'],
  health: ['Cơ sở y tế', 'Health'],
  other: ['Cơ sở khác', 'Other facilities'],
  records: ['Phản ánh, sự việc đang mở', 'Open reports, incidents'],
  residents: ['Dân bị ảnh hưởng', 'Residents exposed'],
  residentsNone: ['Chưa có lớp dân số: không ước tính được số dân.', 'No population layer: residents not estimated.'],
  residentsFrom: ['Số dân ước tính từ lớp {p}.', 'Residents estimated from the layer {p}.'],
  commune: ['Xã, phường', 'Commune'],
  byCommune: ['Theo xã, phường', 'By commune'],
  list: ['Danh sách (sâu nhất trước)', 'List (deepest first)'],
  depth: ['sâu {v}', '{v} deep'],
  csv: ['Tải CSV', 'Download CSV'],
  nearTitle: ['Trong vùng ngập', 'In the flood area'],
  nearWithin: ['Trong {r} quanh sự việc, nơi {layer} sâu hơn {t} m:', 'Within {r} of the incident, where {layer} is deeper than {t} m:'],
  nearNone: ['Không có cơ sở hay phản ánh nào bị ngập quanh đây.', 'Nothing around here lies in the water.'],
  more: ['… và {n} nơi khác', '… and {n} more'],
};

/** A string of the exposure tool in the page's language, with {name} filled from `params`. */
export function et(key, params = {}) {
  const pair = EXP[key];
  if (!pair) return key;
  const text = pair[lang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Whether the tool's dictionary has `key`. */
export const hasExposureString = (key) => Object.hasOwn(EXP, key);
