// The camera panel's own strings (Vietnamese first, then English), kept beside it; kinds and
// statuses come from the server as {vi, en} labels.

import { fmtNumber, lang } from './i18n.js';

const CAM = {
  title: ['Camera AI', 'AI camera'],
  loading: ['Đang tải…', 'Loading…'],
  notFound: ['Không tìm thấy camera này trong hệ thống camera.', 'This camera is not in the camera system.'],
  since: ['từ {d}', 'since {d}'],
  lastSeen: ['Tín hiệu cuối: {d}', 'Last heard: {d}'],
  road: ['Tuyến đường', 'Road'],
  agency: ['Đơn vị quản lý', 'Owner'],
  stream: ['Hình ảnh trực tiếp', 'Live picture'],
  snapshotAt: ['Ảnh chụp lúc {d}', 'Snapshot taken {d}'],
  noPicture: ['Camera không có luồng hình hay ảnh chụp.', 'The camera has no stream or snapshot.'],
  streamFailed: ['Không phát được luồng hình.', 'The stream could not be played.'],
  staffOnly: ['Đăng nhập với vai trò cán bộ để xem hình ảnh camera.', 'Sign in as staff to see the camera’s picture.'],
  events: ['Sự kiện mới nhất', 'Latest events'],
  noEvents: ['Chưa có sự kiện.', 'No events yet.'],
  outages: ['Mất kết nối gần đây', 'Recent outages'],
  noOutages: ['Không có lần mất kết nối nào.', 'No outages.'],
  ongoing: ['đang mất kết nối', 'ongoing'],
  confidence: ['độ tin cậy {p}', 'confidence {p}'],
  newEvent: ['Sự kiện mới', 'New event'],
  camera: ['Camera', 'Camera'],
  'a.report': ['Tạo phản ánh', 'Open a ticket'],
  'a.incident': ['Đưa vào sự việc', 'Add to an incident'],
  'a.acknowledge': ['Đã xem', 'Acknowledge'],
  'a.dismiss': ['Bỏ qua (báo nhầm)', 'Dismiss (false alarm)'],
  ticket: ['Đã tạo phiếu phản ánh {t}', 'Ticket {t} opened'],
  incident: ['Đã đưa vào sự việc #{n}', 'Added to incident #{n}'],
  done: ['Đã cập nhật', 'Updated'],
  detected: ['Phát hiện', 'Detected'],
  min: ['{n} phút', '{n} min'],
  hours: ['{n} giờ', '{n} h'],
  days: ['{n} ngày', '{n} d'],
};

/** A string of the camera panel in the page's language, `{name}` filled from `params`. */
export function ct(key, params = {}) {
  const entry = CAM[key];
  if (!entry) return key;
  const text = lang() === 'en' ? entry[1] : entry[0];
  return text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole);
}

/** "25 min", "3 h", "2 d" for a number of seconds. */
export function ctDuration(seconds) {
  if (seconds < 3600) return ct('min', { n: Math.max(1, Math.round(seconds / 60)) });
  if (seconds < 2 * 86400) return ct('hours', { n: fmtNumber(Math.round(seconds / 360) / 10) });
  return ct('days', { n: fmtNumber(Math.round(seconds / 8640) / 10) });
}
