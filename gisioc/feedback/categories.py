"""What citizens report about: categories with their Open311 service codes and deadlines."""

from dataclasses import dataclass

from gisioc.texts import Text


@dataclass(frozen=True)
class Category:
    """A kind of report: its code (also the Open311 `service_code`), titles and deadline."""

    code: str
    title: Text
    description: Text
    days: int  # working days from receipt to resolution (gisioc.workdays)
    keywords: tuple[str, ...] = ()  # Open311 `keywords`


CATEGORIES = (
    Category(
        "duong_sa",
        Text("Giao thông, đường sá", "Roads"),
        Text(
            "Ổ gà, sụt lún, hư hỏng mặt đường, cầu, vỉa hè.",
            "Potholes, damaged roads, bridges, pavements.",
        ),
        10,
        ("o ga", "duong", "cau", "via he"),
    ),
    Category(
        "chieu_sang",
        Text("Chiếu sáng công cộng", "Street lighting"),
        Text(
            "Đèn đường hỏng, không sáng, sáng ban ngày.", "Street lights out, broken or lit by day."
        ),
        5,
        ("den duong", "chieu sang"),
    ),
    Category(
        "cap_nuoc",
        Text("Cấp nước", "Water supply"),
        Text("Mất nước, vỡ ống, nước bẩn.", "No water, burst mains, dirty water."),
        5,
        ("nuoc sach", "ong nuoc"),
    ),
    Category(
        "thoat_nuoc",
        Text("Thoát nước, ngập úng", "Drainage and flooding"),
        Text("Cống tắc, ngập úng, sạt lở bờ sông.", "Blocked drains, flooding, riverbank erosion."),
        7,
        ("ngap", "cong", "sat lo"),
    ),
    Category(
        "moi_truong",
        Text("Rác thải, môi trường", "Waste and environment"),
        Text(
            "Rác tồn đọng, đổ trộm phế thải, ô nhiễm, cây xanh.",
            "Uncollected waste, dumping, pollution, trees.",
        ),
        5,
        ("rac", "o nhiem", "cay xanh"),
    ),
    Category(
        "trat_tu_xay_dung",
        Text("Trật tự xây dựng", "Construction order"),
        Text(
            "Xây dựng không phép, sai phép, lấn chiếm đất công.",
            "Unlicensed building, encroachment on public land.",
        ),
        10,
        ("xay dung", "lan chiem"),
    ),
    Category(
        "trat_tu_giao_thong",
        Text("Trật tự giao thông, lòng lề đường", "Traffic order"),
        Text(
            "Lấn chiếm lòng lề đường, đỗ xe sai quy định, biển báo.",
            "Obstructed streets, illegal parking, signs.",
        ),
        7,
        ("lan chiem", "do xe", "bien bao"),
    ),
    Category(
        "dich_vu_cong",
        Text("Dịch vụ hành chính công", "Public services"),
        Text(
            "Thủ tục hành chính, thái độ phục vụ, hẹn trả trễ.",
            "Administrative procedures, service attitude, delays.",
        ),
        7,
        ("thu tuc", "mot cua"),
    ),
    Category(
        "khac",
        Text("Khác", "Other"),
        Text("Phản ánh, kiến nghị khác.", "Any other report or request."),
        10,
    ),
)
BY_CODE = {c.code: c for c in CATEGORIES}
CHOICES = [(c.code, f"{c.title.vi} / {c.title.en}") for c in CATEGORIES]
