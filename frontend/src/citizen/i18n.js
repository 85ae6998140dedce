// The citizens' pages in Vietnamese (the default) or English: the choice is remembered in
// localStorage; elements with data-t="key" take the key's text; server texts come as {vi, en}.

const KEY = 'gisioc.citizen.lang';
const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
const TZ = 'Asia/Ho_Chi_Minh';

export const STRINGS = {
  brand: ['Phản ánh – kiến nghị', 'Citizen reports'],
  'nav.report': ['Gửi phản ánh', 'Report a problem'],
  'nav.map': ['Bản đồ', 'Map'],
  'lookup.label': ['Tra cứu mã phản ánh', 'Look up a ticket'],
  'lookup.go': ['Xem', 'Open'],
  'foot.hotline': ['Tổng đài 1022 — gọi miễn phí.', '1022 hotline — free of charge.'],
  'report.title': ['Gửi phản ánh', 'Report a problem'],
  'report.category': ['1. Lĩnh vực', '1. Category'],
  'report.describe': ['2. Mô tả sự việc', '2. What happened'],
  'report.titleLabel': ['Tiêu đề (không bắt buộc)', 'Title (optional)'],
  'report.descLabel': ['Mô tả', 'Description'],
  'report.descHint': [
    'Không ghi số điện thoại hay thông tin cá nhân vào phần mô tả.',
    'Do not put phone numbers or personal details in the description.',
  ],
  'report.place': ['3. Vị trí', '3. Place'],
  'report.useLocation': ['Dùng vị trí của tôi', 'Use my location'],
  'report.tapMap': ['Hoặc chạm lên bản đồ để đặt ghim.', 'Or tap the map to drop a pin.'],
  'report.address': ['Hoặc nhập địa chỉ (xã/phường)', 'Or type an address (commune)'],
  'report.find': ['Tìm', 'Find'],
  'report.media': ['4. Ảnh và video', '4. Photos and video'],
  'report.mediaLimits': [
    'Tối đa 5 ảnh (JPEG, PNG, WebP) và 1 video ngắn (MP4, WebM, MOV).',
    'Up to 5 photos (JPEG, PNG, WebP) and 1 short video (MP4, WebM, MOV).',
  ],
  'report.photos': ['Ảnh', 'Photos'],
  'report.video': ['Video', 'Video'],
  'report.you': ['5. Người gửi', '5. About you'],
  'report.private': [
    'Họ tên, số điện thoại và thư điện tử chỉ cán bộ xử lý được xem; không bao giờ công khai.',
    'Your name, phone and e-mail are seen by the staff handling the report only; never made public.',
  ],
  'report.name': ['Họ tên', 'Name'],
  'report.phone': ['Số điện thoại di động', 'Mobile phone'],
  'report.email': ['Thư điện tử (không bắt buộc)', 'E-mail (optional)'],
  'report.anonymous': ['Ẩn danh với công chúng', 'Anonymous to the public'],
  'report.anonymousHint': [
    'Dù chọn hay không, tên và số điện thoại của bạn cũng không bao giờ hiện công khai.',
    'Either way, your name and phone number are never shown in public.',
  ],
  'report.nearby': ['Có phải một trong các phản ánh này?', 'Is it one of these?'],
  'report.nearbyHint': [
    'Phản ánh cùng lĩnh vực đang xử lý trong vòng 300 m. Nếu đúng, hãy theo dõi thay vì gửi mới.',
    'Open reports of the same category within 300 m. If yours is one, follow it instead of sending a new one.',
  ],
  'report.follow': ['Theo dõi phản ánh này', 'Follow this report'],
  'report.followed': ['Đã ghi nhận. Bạn có thể theo dõi phản ánh {ticket}.', 'Noted. You can follow report {ticket}.'],
  'report.check': ['6. Câu hỏi kiểm tra', '6. Check question'],
  'report.newQuestion': ['Câu hỏi khác', 'Another question'],
  'report.send': ['Gửi phản ánh', 'Send the report'],
  'report.sending': ['Đang gửi…', 'Sending…'],
  'report.pickCategory': ['Hãy chọn lĩnh vực.', 'Choose a category.'],
  'report.located': ['Đã chọn vị trí: {place}', 'Place chosen: {place}'],
  'report.locating': ['Đang lấy vị trí…', 'Finding your location…'],
  'report.noGeo': [
    'Không lấy được vị trí; hãy chạm lên bản đồ hoặc nhập địa chỉ.',
    'Could not get your location; tap the map or type an address.',
  ],
  'report.tooMany': ['Tối đa {n} tệp.', 'At most {n} files.'],
  'report.distance': ['cách {m} m', '{m} m away'],
  'report.followers': ['{n} người theo dõi', '{n} following'],
  'receipt.title': ['Đã nhận phản ánh của bạn', 'Your report has been received'],
  'receipt.code': ['Mã phản ánh', 'Ticket'],
  'receipt.track': ['Theo dõi phản ánh', 'Track the report'],
  'receipt.keep': [
    'Hãy lưu đường dẫn này: chỉ với nó bạn mới đánh giá được kết quả xử lý.',
    'Keep this link: only with it can you rate the result.',
  ],
  'receipt.copy': ['Sao chép đường dẫn', 'Copy the link'],
  'receipt.copied': ['Đã sao chép.', 'Copied.'],
  'track.title': ['Phản ánh', 'Report'],
  'track.status': ['Trạng thái', 'Status'],
  'track.steps': ['Các bước xử lý', 'Steps'],
  'track.result': ['Kết quả xử lý', 'Result'],
  'track.rate': ['Bạn có hài lòng với kết quả?', 'Are you satisfied with the result?'],
  'track.yes': ['Hài lòng', 'Satisfied'],
  'track.no': ['Không hài lòng', 'Not satisfied'],
  'track.thanks': ['Cảm ơn bạn đã đánh giá.', 'Thank you for rating.'],
  'track.rated': ['Người gửi đã đánh giá: {value}.', 'The reporter rated it: {value}.'],
  'track.due': ['Hạn xử lý: {date}', 'Due: {date}'],
  'track.overdue': ['(quá hạn)', '(overdue)'],
  'track.agency': ['Cơ quan xử lý: {name}', 'Handled by: {name}'],
  'track.merged': [
    'Phản ánh này đã được gộp vào {ticket}; việc xử lý theo phản ánh đó.',
    'This report was merged into {ticket}; it is handled there.',
  ],
  'track.rejected': ['Không xử lý: {reason}', 'Not handled: {reason}'],
  'map.title': ['Bản đồ phản ánh', 'Reports map'],
  'map.category': ['Lĩnh vực', 'Category'],
  'map.status': ['Trạng thái', 'Status'],
  'map.commune': ['Xã/phường', 'Commune'],
  'map.period': ['Thời gian', 'Period'],
  'map.all': ['Tất cả', 'All'],
  'map.allTime': ['Mọi thời gian', 'All time'],
  'map.approximate': ['Ranh giới minh họa (gần đúng)', 'Illustrative boundaries (approximate)'],
  'map.list': ['Danh sách', 'List'],
  'map.count': ['{n} phản ánh', '{n} reports'],
  'map.prev': ['Trước', 'Previous'],
  'map.next': ['Sau', 'Next'],
  'map.counts': ['Số phản ánh theo xã/phường', 'Reports per commune'],
  'map.total': ['Tổng', 'Total'],
  'map.open': ['Đang xử lý', 'Open'],
  'map.done': ['Đã xử lý', 'Done'],
  'map.none': ['Không có phản ánh nào.', 'No reports.'],
  'map.unknownUnit': ['(chưa rõ xã)', '(commune unknown)'],
  'error.network': ['Không kết nối được máy chủ.', 'Cannot reach the server.'],
};

let current = 'vi';

/** The current language: 'vi' or 'en'. */
export const lang = () => current;

/** A UI string, `{name}` placeholders filled from params. */
export function t(key, params = {}) {
  const entry = STRINGS[key];
  const text = entry ? entry[current === 'en' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** A server text {vi, en} in the current language. */
export const pick = (text) => (text && typeof text === 'object' ? (text[current] ?? text.vi) : (text ?? ''));

/** A date-time as Vietnam's clock reads it. */
export function dateTime(value) {
  if (!value) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short', timeZone: TZ }).format(new Date(value));
}

/** A calendar day ('2026-12-05'). */
export function day(value) {
  if (!value) return '';
  const [y, m, d] = value.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

const listeners = new Set();

/** Call fn after every switch of language. */
export const onLang = (fn) => listeners.add(fn);

/** Put the current language's texts into every [data-t] element. */
export function applyTexts(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  const toggle = document.getElementById('lang-toggle');
  if (toggle) {
    toggle.textContent = current === 'vi' ? 'EN' : 'VI';
    toggle.setAttribute('aria-label', current === 'vi' ? 'English' : 'Tiếng Việt');
  }
}

/** Read the remembered language and wire the toggle. */
export function initLang() {
  try {
    current = localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
  } catch {
    current = 'vi';
  }
  applyTexts();
  document.getElementById('lang-toggle')?.addEventListener('click', () => {
    current = current === 'vi' ? 'en' : 'vi';
    try {
      localStorage.setItem(KEY, current);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    applyTexts();
    for (const fn of listeners) fn(current);
  });
}
