"""What the feedback demo draws from: volumes and seasons per category, the channel mix, texts
with place words, invented reporters, the agencies and their routing. No real people."""

import datetime as dt

# Reports a month per category in an ordinary month (about 280 for ~125,000 residents).
MONTHLY = {
    "duong_sa": 54,
    "chieu_sang": 34,
    "cap_nuoc": 24,
    "thoat_nuoc": 28,
    "moi_truong": 52,
    "trat_tu_xay_dung": 24,
    "trat_tu_giao_thong": 31,
    "dich_vu_cong": 19,
    "khac": 17,
}
# Month → factor, per category: floods in October–November, waste after Tết (17 Feb 2026),
# lights in the rainy season (September–December).
SEASON = {
    "thoat_nuoc": {9: 1.6, 10: 3.6, 11: 3.2, 12: 1.5},
    "moi_truong": {2: 1.9, 3: 1.5},
    "chieu_sang": {9: 1.4, 10: 1.7, 11: 1.7, 12: 1.4},
    "duong_sa": {11: 1.4, 12: 1.3},
}
WEEKEND = 0.7  # fewer reports on Saturdays and Sundays
CHANNELS = (
    ("web", 35),
    ("hotline", 30),
    ("zalo", 15),
    ("facebook", 8),
    ("chatbot", 7),
    ("email", 5),
)
# The sender's id as each channel writes it.
PREFIX = {
    "web": "APP",
    "hotline": "1022",
    "zalo": "ZL",
    "facebook": "FB",
    "chatbot": "CB",
    "email": "MAIL",
}
IDENTIFIED = 0.7  # reports with a name and phone (or e-mail); the rest anonymous
REJECTED, MERGED, EXTENDED = 0.03, 0.02, 0.02
LATE = 0.09  # resolved after the deadline
STUCK, STUCK_DAYS = 0.08, (20, 160)  # forgotten for months: late by these working days
CLOSED_OF_PUBLISHED = 0.68
RATED, SATISFIED = 0.5, 0.8
AFTER_PHOTO, BEFORE_PHOTO = 0.4, 0.05

ROADS = ("ĐT610", "ĐT609", "QL1A", "ĐT610B", "đường ven biển ĐT129", "đường Hùng Vương",
         "đường Lê Lợi", "đường Nguyễn Văn Trỗi", "đường liên thôn",
         "đường bê tông nội thôn")  # fmt: skip
HAMLETS = ("thôn Mỹ Hòa", "thôn Phú Nham Đông", "thôn Trà Kiệu Tây", "thôn Xuyên Đông",
           "thôn Tân Mỹ", "thôn Hà Mỹ", "thôn Chiêm Sơn", "thôn Bàn Thạch", "thôn Cổ Tháp",
           "thôn Phú Đa", "thôn Long Xuyên", "thôn Đông Bình", "tổ dân phố Châu Hiệp",
           "tổ dân phố Long Xuyên 2", "khối phố Mỹ Hòa", "tổ 5", "tổ 7", "xóm Bến Đò")  # fmt: skip
LANDMARKS = ("chợ Nam Phước", "chợ Trà Kiệu", "trường tiểu học", "trạm y tế xã", "cầu Giao Thủy",
             "cầu Câu Lâu", "nhà văn hóa thôn", "bến đò", "nghĩa trang liệt sĩ",
             "khu dân cư mới", "cổng chào thôn", "UBND xã")  # fmt: skip
TEXTS = {
    "duong_sa": (
        "Mặt đường {road} đoạn qua {hamlet} có ổ gà lớn, đường kính khoảng {n}0 cm, rất nguy "
        "hiểm cho xe máy vào ban đêm.",
        "Đoạn {road} gần {landmark} bị sụt lún, nứt dọc mặt đường, đề nghị sửa chữa sớm.",
        "Vỉa hè trước {landmark} bị bong tróc, gạch vỡ, người đi bộ phải đi xuống lòng đường.",
        "Cầu tạm ở {hamlet} xuống cấp, lan can gãy {n} đoạn, học sinh đi qua rất nguy hiểm.",
    ),
    "chieu_sang": (
        "Đèn đường trên {road} đoạn {hamlet} không sáng {n} ngày nay, đi lại ban đêm tối om.",
        "Cột đèn chiếu sáng gần {landmark} bị nghiêng, dây điện võng thấp, nguy hiểm.",
        "Đèn đường ở {hamlet} sáng cả ban ngày, lãng phí điện.",
        "Cụm {n} bóng đèn trên {road} chập chờn, lúc sáng lúc tắt.",
    ),
    "cap_nuoc": (
        "Khu vực {hamlet} mất nước sinh hoạt {n} ngày, chưa có thông báo.",
        "Ống nước bị vỡ trên {road} gần {landmark}, nước chảy lênh láng ra đường.",
        "Nước máy ở {hamlet} có màu vàng đục và mùi lạ, không dùng được.",
        "Áp lực nước yếu vào giờ cao điểm ở {hamlet}, tầng 2 không có nước.",
    ),
    "thoat_nuoc": (
        "Mưa lớn làm ngập úng {hamlet}, nước sâu khoảng {n}0 cm, cống thoát nước bị tắc.",
        "Cống thoát nước trên {road} đoạn gần {landmark} bị nghẹt rác, nước tràn vào nhà dân.",
        "Bờ sông Thu Bồn đoạn qua {hamlet} bị sạt lở khoảng {n}0 m, đe dọa nhà dân.",
        "Sau mưa, đoạn {road} gần {landmark} ngập kéo dài, xe cộ không qua được.",
        "Mương thoát nước ở {hamlet} bị bồi lấp, nước đọng gây mùi hôi.",
    ),
    "moi_truong": (
        "Rác thải tồn đọng {n} ngày tại điểm tập kết gần {landmark}, bốc mùi hôi thối.",
        "Có người đổ trộm phế thải xây dựng ven {road} đoạn qua {hamlet}.",
        "Cơ sở sản xuất ở {hamlet} xả khói, nước thải gây ô nhiễm.",
        "Cây xanh trên {road} gần {landmark} bị gãy nhánh lớn, có nguy cơ đổ.",
        "Sau Tết, rác ở {landmark} chưa được thu gom, tràn ra lòng đường.",
    ),
    "trat_tu_xay_dung": (
        "Một hộ ở {hamlet} đang xây dựng lấn chiếm hành lang {road}.",
        "Công trình gần {landmark} xây dựng không có biển báo giấy phép, lấn ra đất công.",
        "Đổ đất san lấp ruộng trái phép ở {hamlet}, làm tắc mương nước.",
    ),
    "trat_tu_giao_thong": (
        "Xe tải đỗ dưới lòng đường {road} gần {landmark} suốt đêm, che khuất tầm nhìn.",
        "Hàng quán lấn chiếm vỉa hè, lòng đường trước {landmark}.",
        "Biển báo giao thông ở ngã ba {road} – {hamlet} bị gãy, mất.",
        "Xe chở cát quá tải chạy trên {road} qua {hamlet}, làm hư đường.",
    ),
    "dich_vu_cong": (
        "Hồ sơ {n} ngày quá hẹn trả kết quả tại Trung tâm phục vụ hành chính công xã.",
        "Đề nghị hướng dẫn rõ thủ tục chứng thực trên cổng dịch vụ công, tôi làm {n} lần lỗi.",
        "Thái độ tiếp dân tại bộ phận một cửa chưa đúng mực.",
    ),
    "khac": (
        "Chó thả rông ở {hamlet}, đã có {n} người bị cắn.",
        "Loa phát thanh thôn ở {hamlet} bật quá to vào sáng sớm.",
        "Kiến nghị lắp thêm camera an ninh tại {landmark}.",
    ),
}
RESULTS = {
    "duong_sa": "Đã vá ổ gà, hoàn trả mặt đường; đơn vị quản lý đường bộ tiếp tục theo dõi.",
    "chieu_sang": "Đã thay bóng, sửa chữa tủ điện; hệ thống chiếu sáng hoạt động bình thường.",
    "cap_nuoc": "Đã khắc phục sự cố đường ống, cấp nước trở lại bình thường.",
    "thoat_nuoc": "Đã nạo vét, khơi thông cống; nước đã rút, khu vực được theo dõi khi mưa lớn.",
    "moi_truong": "Đã thu gom, vận chuyển rác; bố trí thêm chuyến thu gom tại điểm này.",
    "trat_tu_xay_dung": "Đã kiểm tra, lập biên bản, yêu cầu tháo dỡ phần lấn chiếm.",
    "trat_tu_giao_thong": "Đã kiểm tra, nhắc nhở, xử lý vi phạm; lòng lề đường đã thông thoáng.",
    "dich_vu_cong": "Đã rà soát, trả kết quả hồ sơ và hướng dẫn công dân; chấn chỉnh cán bộ.",
    "khac": "Đã tiếp nhận, giao thôn và lực lượng liên quan xử lý theo thẩm quyền.",
}
TITLES = {
    "duong_sa": "Hư hỏng mặt đường",
    "chieu_sang": "Đèn đường hỏng",
    "cap_nuoc": "Sự cố cấp nước",
    "thoat_nuoc": "Ngập úng, tắc cống",
    "moi_truong": "Rác thải, môi trường",
    "trat_tu_xay_dung": "Vi phạm trật tự xây dựng",
    "trat_tu_giao_thong": "Lấn chiếm lòng lề đường",
    "dich_vu_cong": "Dịch vụ hành chính công",
    "khac": "Phản ánh khác",
}
REJECTIONS = (
    ("spam", "Tin nhắn quảng cáo, không có nội dung phản ánh."),
    ("duplicate", "Trùng với phản ánh đã tiếp nhận trước đó cùng vị trí."),
    ("out_of_scope", "Tranh chấp dân sự giữa các hộ, không thuộc phạm vi; hướng dẫn khởi kiện."),
    ("out_of_scope", "Vị trí ngoài địa bàn, đã hướng dẫn gửi đến địa phương có thẩm quyền."),
)
EXTENSION_REASONS = (
    "Cần chờ vật tư thay thế từ nhà cung cấp.",
    "Mưa lớn kéo dài, không thể thi công.",
    "Cần phối hợp với đơn vị quản lý tuyến đường.",
)
# Invented people: family, middle and given names drawn separately.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Đức", "Thị Thu", "Quốc", "Hoài")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai",
         "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Vy", "Yến")  # fmt: skip
PHONE_HEADS = ("090", "093", "098", "097", "091", "094", "070", "077", "035", "036")
ASCII = {"Đ": "D", "đ": "d"}

# code, name, subtype, old commune (2019) whose centre it sits near, closed on
AGENCIES = (
    ("IOC-DN", "Trung tâm Giám sát, điều hành đô thị thông minh Đà Nẵng (1022)", "ioc", "20599"),
    ("MTDT-DN", "Công ty Môi trường đô thị Đà Nẵng – chi nhánh Duy Xuyên", "moi_truong", "20599"),
    ("DL-DX", "Điện lực Duy Xuyên (chiếu sáng công cộng)", "dien_luc", "20599"),
    ("CN-QN", "Công ty Cổ phần Cấp thoát nước Quảng Nam – chi nhánh Duy Xuyên", "cap_nuoc",
     "20599"),
    ("BQLDA-DX", "Ban Quản lý dự án đầu tư xây dựng khu vực Duy Xuyên", "giao_thong", "20623"),
)  # fmt: skip
POLICE = "CA-{code}"  # Công an xã of a new (2025) commune
# Category → agency for any commune; the commune's own rules come first.
DEFAULTS = {
    "duong_sa": "BQLDA-DX",
    "chieu_sang": "DL-DX",
    "cap_nuoc": "CN-QN",
    "thoat_nuoc": "CN-QN",
    "moi_truong": "MTDT-DN",
    "trat_tu_xay_dung": "IOC-DN",
    "trat_tu_giao_thong": "IOC-DN",
    "dich_vu_cong": "IOC-DN",
    "khac": "IOC-DN",
}
COMMITTEE_CATEGORIES = ("trat_tu_xay_dung", "dich_vu_cong", "khac")  # → the commune's UBND
POLICE_CATEGORIES = ("trat_tu_giao_thong",)  # → Công an xã (2025); the UBND before
HANDED_OVER = COMMITTEE_CATEGORIES + POLICE_CATEGORIES  # an old UBND's, open at the reform
HANDOVER = "Chuyển giao theo sắp xếp đơn vị hành chính / handed over at the 2025 reform"
REFORM = dt.date(2025, 7, 1)
