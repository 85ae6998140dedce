// The incidents tool's own strings (Vietnamese first, then English); kinds, severities,
// statuses and timeline actions come from the server in both languages.

import { lang } from './i18n.js';

const INC = {
  tool: ['Sự việc', 'Incidents'],
  title: ['Sự việc đột xuất', 'Incidents'],
  open: ['Mở sự việc', 'Open an incident'],
  loading: ['Đang tải…', 'Loading…'],
  none: ['Không có sự việc nào đang xử lý', 'No open incidents'],
  count: ['{n} sự việc đang xử lý', '{n} open incidents'],
  kind: ['Loại sự việc', 'Type'],
  severity: ['Mức độ', 'Severity'],
  name: ['Tiêu đề', 'Title'],
  radius: ['Bán kính ảnh hưởng (m)', 'Radius of effect (m)'],
  note: ['Ghi chú ban đầu', 'First note'],
  place: ['Vị trí', 'Place'],
  openedAt: ['Mở lúc', 'Opened'],
  pick: ['Bấm vào bản đồ để chọn vị trí sự việc', 'Click the map to place the incident'],
  picked: ['Đã chọn: {p} (bấm lại để đổi)', 'Placed at {p} (click again to move)'],
  noPlace: ['Chưa chọn vị trí trên bản đồ', 'No place picked on the map yet'],
  send: ['Mở sự việc', 'Open'],
  cancel: ['Hủy', 'Cancel'],
  'k.flood': ['Ngập lụt', 'Flood'],
  'k.fire': ['Cháy nổ', 'Fire'],
  'k.accident': ['Tai nạn', 'Accident'],
  'k.landslide': ['Sạt lở', 'Landslide'],
  'k.storm': ['Bão, lốc', 'Storm'],
  'k.other': ['Khác', 'Other'],
  's.1': ['Thấp', 'Low'],
  's.2': ['Trung bình', 'Medium'],
  's.3': ['Cao', 'High'],
  's.4': ['Nghiêm trọng', 'Critical'],
  near: ['Trong bán kính {r}', 'Within {r}'],
  facilities: ['Trường học, cơ sở y tế ({n})', 'Schools and health facilities ({n})'],
  events: ['Sự kiện camera ({n})', 'Camera events ({n})'],
  reports: ['Phản ánh đang mở ({n})', 'Open citizen reports ({n})'],
  cameras: ['Camera ({n})', 'Cameras ({n})'],
  linked: ['Đã gắn vào sự việc', 'Linked to the incident'],
  link: ['Gắn', 'Link'],
  nothing: ['Không có', 'None'],
  timeline: ['Diễn biến xử lý', 'Timeline'],
  summary: ['Tóm tắt kết quả', 'Summary'],
  'a.note': ['Thêm ghi chú', 'Add a note'],
  'a.assign': ['Giao xử lý', 'Assign'],
  'a.severity': ['Đổi mức độ', 'Change severity'],
  'a.close': ['Kết thúc sự việc', 'Close the incident'],
  'f.text': ['Nội dung', 'Text'],
  'f.agency': ['Cơ quan', 'Agency'],
  'f.noAgency': ['(không chọn cơ quan)', '(no agency)'],
  'f.person': ['Người hoặc tổ nhận việc', 'Person or team'],
  'f.summary': ['Tóm tắt kết quả xử lý (bắt buộc)', 'What was done and how it ended (required)'],
  'f.send': ['Gửi', 'Send'],
  closedAt: ['Kết thúc lúc {d}', 'Closed {d}'],
  updated: ['Sự việc vừa được cập nhật', 'The incident was just updated'],
};

/** A string of the incidents tool in the page's language, with {name} filled from `params`. */
export function it(key, params = {}) {
  const pair = INC[key];
  if (!pair) return key;
  const text = pair[lang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Whether the tool's dictionary has `key` (the tests check every key the tool asks for). */
export const hasIncidentString = (key) => Object.hasOwn(INC, key);

export const KINDS = ['flood', 'fire', 'accident', 'landslide', 'storm', 'other'];
export const SEVERITIES = [1, 2, 3, 4];
export const SEVERITY_COLOURS = { 1: '#fdd835', 2: '#fb8c00', 3: '#e53935', 4: '#7f0000' };
