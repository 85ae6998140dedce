"""What the demo documents are made of: agencies, senders, departments, types and topics.

Names of bodies are real (Quảng Nam until 2025-06-30, Đà Nẵng after; the provincial
departments merged on 2025-03-01); symbols follow Decree 30/2020/NĐ-CP. Volumes, shares and
topics are invented but plausible.
"""

import datetime as dt
from dataclasses import dataclass

REFORM = dt.date(2025, 7, 1)
DEPARTMENTS_MERGED = dt.date(2025, 3, 1)  # Quảng Nam's departments and district police


@dataclass(frozen=True)
class Sender:
    """A body that sends documents: name, symbol abbreviation, departments, weight, validity."""

    name: str
    org: str
    subs: tuple[str, ...]
    weight: float
    per_year: int  # how high its numbers run in a year
    first: dt.date = dt.date(2000, 1, 1)
    last: dt.date = dt.date(2100, 1, 1)


BEFORE, AFTER = DEPARTMENTS_MERGED - dt.timedelta(days=1), DEPARTMENTS_MERGED
QN = "tỉnh Quảng Nam"
DN = "thành phố Đà Nẵng"
DX = "huyện Duy Xuyên"

TO_DISTRICT = (
    Sender(f"UBND {QN}", "UBND", ("KTN", "KTTH", "NC", "VX", "TH"), 24, 9000),
    Sender(f"Văn phòng UBND {QN}", "VPUBND", ("KTN", "TH"), 5, 3000),
    Sender(f"Sở Nội vụ {QN}", "SNV", ("TCBC", "CCVC", "XDCQ"), 6, 3500),
    Sender(f"Sở Tài chính {QN}", "STC", ("QLNS", "TCĐT"), 6, 4000),
    Sender(f"Sở Kế hoạch và Đầu tư {QN}", "SKHĐT", ("TH", "ĐKKD"), 3, 2500, last=BEFORE),
    Sender(f"Sở Tài nguyên và Môi trường {QN}", "STNMT", ("ĐĐ", "MT"), 4, 3000, last=BEFORE),
    Sender(f"Sở Nông nghiệp và PTNT {QN}", "SNN&PTNT", ("TL", "KL"), 3, 2500, last=BEFORE),
    Sender(f"Sở Nông nghiệp và Môi trường {QN}", "SNNMT", ("ĐĐ", "MT", "TL"), 6, 4000, AFTER),
    Sender(f"Sở Lao động - Thương binh và Xã hội {QN}", "SLĐTBXH", ("BTXH",), 3, 2500, last=BEFORE),
    Sender(f"Sở Giáo dục và Đào tạo {QN}", "SGDĐT", ("TCCB", "GDPT"), 3, 3000),
    Sender(f"Sở Y tế {QN}", "SYT", ("NVY", "KHTC"), 3, 3000),
    Sender("Huyện ủy Duy Xuyên", "HU", (), 8, 1500),
    Sender(f"HĐND {DX}", "HĐND", (), 3, 400),
    Sender(f"Công an {DX}", "CAH", ("TM",), 2, 1200, last=BEFORE),
    Sender(f"Bảo hiểm xã hội {DX}", "BHXH", (), 2, 600),
    Sender("UBND {any_commune}", "UBND", (), 14, 900),
)  # fmt: skip
TO_COMMUNE = (
    Sender(f"UBND {DX}", "UBND", ("VP", "NV", "TCKH", "TNMT", "KTHT"), 34, 6000),
    Sender(f"Văn phòng HĐND và UBND {DX}", "VP", (), 10, 2000),
    Sender(f"Phòng Nội vụ {DX}", "PNV", (), 6, 900),
    Sender(f"Phòng Tài chính - Kế hoạch {DX}", "TCKH", (), 6, 1200),
    Sender(f"Phòng Tài nguyên và Môi trường {DX}", "TNMT", (), 5, 1000),
    Sender(f"Phòng Lao động - Thương binh và Xã hội {DX}", "LĐTBXH", (), 4, 800),
    Sender(f"Phòng Giáo dục và Đào tạo {DX}", "GDĐT", (), 2, 900),
    Sender("Huyện ủy Duy Xuyên", "HU", (), 8, 1500),
    Sender("Đảng ủy {commune}", "ĐU", (), 8, 300),
    Sender(f"UBND {QN}", "UBND", ("KTN", "TH"), 4, 9000),
    Sender(f"Công an {DX}", "CAH", ("TM",), 2, 1200, last=BEFORE),
)  # fmt: skip
TO_NEW_COMMUNE = (
    Sender(f"UBND {DN}", "UBND", ("KT", "ĐTĐT", "NC", "VX", "TH"), 25, 12000),
    Sender(f"Văn phòng UBND {DN}", "VP", ("KT", "TH"), 8, 4000),
    Sender(f"Sở Nội vụ {DN}", "SNV", ("CQĐP", "CCVC", "LĐ"), 8, 5000),
    Sender(f"Sở Tài chính {DN}", "STC", ("NS", "ĐT"), 7, 5000),
    Sender(f"Sở Nông nghiệp và Môi trường {DN}", "SNNMT", ("ĐĐ", "MT"), 6, 4500),
    Sender(f"Sở Xây dựng {DN}", "SXD", ("QLXD", "HTKT"), 4, 3500),
    Sender(f"Sở Giáo dục và Đào tạo {DN}", "SGDĐT", ("TCCB",), 3, 3500),
    Sender(f"Sở Y tế {DN}", "SYT", ("NVY",), 3, 3500),
    Sender("Thành ủy Đà Nẵng", "TU", (), 4, 2500),
    Sender("Đảng ủy {commune}", "ĐU", (), 10, 600),
    Sender("HĐND {commune}", "HĐND", (), 3, 200),
    Sender("Công an {commune}", "CAX", (), 2, 400),
)  # fmt: skip

# Departments that handle documents (name, symbol part, weight), by level.
DISTRICT_DEPARTMENTS = (
    ("Văn phòng HĐND và UBND huyện", "VP", 22), ("Phòng Nội vụ", "NV", 10),
    ("Phòng Tài chính - Kế hoạch", "TCKH", 14), ("Phòng Tài nguyên và Môi trường", "TNMT", 12),
    ("Phòng Kinh tế và Hạ tầng", "KTHT", 9), ("Phòng Nông nghiệp và PTNT", "NN", 7),
    ("Phòng Giáo dục và Đào tạo", "GDĐT", 7), ("Phòng Lao động - Thương binh và Xã hội",
    "LĐTBXH", 7), ("Phòng Văn hóa và Thông tin", "VHTT", 5), ("Phòng Tư pháp", "TP", 4),
    ("Thanh tra huyện", "TTr", 3),
)  # fmt: skip
COMMUNE_DEPARTMENTS = (
    ("Văn phòng - Thống kê", "VP", 30), ("Địa chính - Xây dựng", "ĐCXD", 20),
    ("Tài chính - Kế toán", "TC", 15), ("Tư pháp - Hộ tịch", "TP", 12),
    ("Văn hóa - Xã hội", "VHXH", 15), ("Chỉ huy Quân sự", "QS", 5),
)  # fmt: skip
NEW_COMMUNE_DEPARTMENTS = (
    ("Văn phòng HĐND và UBND", "VP", 35), ("Phòng Kinh tế", "KT", 30),
    ("Phòng Văn hóa - Xã hội", "VHXH", 25), ("Trung tâm Phục vụ hành chính công", "TTPVHCC", 10),
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A document type: export name, symbol part, weights in and out, share with a deadline."""

    name: str
    symbol: str  # '' for a công văn: its symbol names only the body and department
    incoming: float
    outgoing: float
    with_due: float
    lead: str


KINDS = (
    Kind("Công văn", "", 55, 45, 0.55, "V/v"),
    Kind("Quyết định", "QĐ", 8, 15, 0.3, "Về việc"),
    Kind("Kế hoạch", "KH", 8, 7, 0.4, "Kế hoạch"),
    Kind("Thông báo", "TB", 8, 7, 0.25, "Thông báo"),
    Kind("Giấy mời", "GM", 10, 8, 0.9, "Mời dự họp về"),
    Kind("Báo cáo", "BC", 5, 12, 0.15, "Báo cáo"),
    Kind("Tờ trình", "TTr", 2, 6, 0.9, "Đề nghị phê duyệt"),
    Kind("Hướng dẫn", "HD", 2, 0, 0.4, "Hướng dẫn"),
    Kind("Nghị quyết", "NQ", 1, 0, 0.2, "Nghị quyết về"),
    Kind("Chỉ thị", "CT", 0.5, 0, 0.4, "Chỉ thị về"),
    Kind("Công điện", "CĐ", 0.5, 0, 0.95, "Công điện về"),
)
URGENCY = (("Thường", 89), ("Khẩn", 8), ("Thượng khẩn", 2), ("Hỏa tốc", 1))
DUE_DAYS = {"Thường": (5, 7, 10, 15, 20, 30), "Khẩn": (2, 3, 5), "Thượng khẩn": (1, 2),
            "Hỏa tốc": (0, 1)}  # fmt: skip
TOPICS = (
    "triển khai thực hiện chuyển đổi số năm {year}",
    "tình hình kinh tế - xã hội tháng {month}",
    "công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
    "thu ngân sách nhà nước và giải ngân vốn đầu tư công",
    "công tác cải cách hành chính",
    "quản lý đất đai và trật tự xây dựng",
    "công tác tuyển chọn và gọi công dân nhập ngũ năm {next_year}",
    "kiểm tra an toàn thực phẩm",
    "chi trả trợ cấp xã hội hằng tháng",
    "phòng, chống dịch sốt xuất huyết",
    "bảo hiểm y tế học sinh, sinh viên",
    "xây dựng nông thôn mới",
    "phòng cháy, chữa cháy mùa khô",
    "giải quyết đơn kiến nghị của công dân",
    "tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm",
    "rà soát hộ nghèo, hộ cận nghèo",
    "quản lý, sử dụng tài sản công",
    "công tác dân số và phát triển",
)
SEASONAL_TOPICS = (  # (first day, last day, topic)
    (dt.date(2024, 11, 15), dt.date(2025, 1, 24), "tổ chức Tết Nguyên đán Ất Tỵ 2025"),
    (dt.date(2025, 3, 1), dt.date(2025, 6, 30), "sắp xếp đơn vị hành chính cấp xã"),
    (dt.date(2025, 7, 1), dt.date(2025, 12, 31), "vận hành chính quyền địa phương hai cấp"),
    (dt.date(2025, 12, 1), dt.date(2026, 2, 13), "tổ chức Tết Nguyên đán Bính Ngọ 2026"),
    (dt.date(2026, 1, 5), dt.date(2026, 3, 15), "bầu cử đại biểu Quốc hội và HĐND các cấp"),
)
RECIPIENTS = {
    "district": f"UBND {QN}; Các phòng, ban thuộc UBND huyện; UBND các xã, thị trấn; Lưu: VT.",
    "commune": f"UBND {DX}; Đảng ủy xã; Lưu: VT.",
    "new_commune": f"UBND {DN}; Sở Nội vụ; Các phòng, đơn vị thuộc UBND xã; Lưu: VT.",
}
SEASON = {1: 1.1, 2: 0.75, 6: 1.05, 8: 0.95, 10: 1.05, 11: 1.05, 12: 1.2}
