"""What the health demo draws from: diagnoses by age band, seasonal diseases, invented people.

Weights are per age band ('0-4', '5-14', '15-24', '25-44', '45-64', '65+'), roughly as the
visits of a Vietnamese district health centre and its commune stations spread: colds,
pharyngitis and bronchitis in children, hypertension, diabetes and back pain in older adults,
gastritis throughout, injuries among the young. `inpatient` is the share admitted at the
district centre. The people are invented: names from common family, middle and given names;
ID card numbers with an impossible century digit (9), so they can never be someone's.
"""

from dataclasses import dataclass

BANDS = ("0-4", "5-14", "15-24", "25-44", "45-64", "65+")
BAND_YEARS = ((0, 4), (5, 14), (15, 24), (25, 44), (45, 64), (65, 92))


@dataclass(frozen=True)
class Diagnosis:
    """An ICD-10 code, its weight in each age band, who may have it and how often admitted."""

    code: str
    weights: tuple[float, ...]
    inpatient: float = 0.0
    sex: str = ""  # 'm' or 'f' when only one has it
    reason: str = "Khám bệnh"  # LY_DO_VV as a clerk writes it
    emergency: float = 0.0  # share arriving as emergencies at the district centre


D = Diagnosis
DIAGNOSES = (
    D("J00", (6, 5, 3, 2, 1.5, 1.5), reason="Ho, sổ mũi"),
    D("J02.9", (4, 6, 5, 4, 2.5, 1.5), reason="Đau họng"),
    D("J03.9", (2, 5, 3, 2, 0.8, 0.3), reason="Sốt, đau họng"),
    D("J06.9", (12, 9, 4, 3, 2.5, 2.5), 0.01, reason="Sốt, ho"),
    D("J20.9", (4, 3, 1.5, 1.5, 2, 3), 0.05, reason="Ho kéo dài"),
    D("J18.9", (2.5, 0.8, 0.3, 0.4, 0.8, 2.5), 0.55, reason="Sốt, khó thở", emergency=0.2),
    D("J21.9", (2.5, 0, 0, 0, 0, 0), 0.5, reason="Khò khè, khó thở", emergency=0.2),
    D("J45.9", (0.3, 1, 0.6, 0.5, 0.6, 0.8), 0.1, reason="Khó thở"),
    D("I20.9", (0, 0, 0, 0.1, 0.6, 1.5), 0.3, reason="Đau ngực", emergency=0.4),
    D("I63.9", (0, 0, 0, 0.02, 0.3, 0.8), 0.9, reason="Yếu nửa người", emergency=0.9),
    D("I50.9", (0, 0, 0, 0, 0.2, 0.9), 0.6, reason="Khó thở, phù", emergency=0.4),
    D("K29.7", (0, 0.8, 3, 5, 5, 3), 0.02, reason="Đau thượng vị"),
    D("K21.0", (0, 0, 0.8, 1.5, 1.5, 0.8), reason="Ợ chua"),
    D("K35.8", (0, 0.3, 0.4, 0.3, 0.15, 0.05), 0.95, reason="Đau bụng", emergency=0.8),
    D("K59.0", (0.8, 0.4, 0.2, 0.2, 0.3, 0.8), reason="Táo bón"),
    D("A09", (5, 2, 1, 0.8, 0.6, 0.8), 0.15, reason="Tiêu chảy"),
    D("M54.5", (0, 0, 0.8, 3, 4, 3), reason="Đau lưng"),
    D("M17.9", (0, 0, 0, 0.2, 2, 4), reason="Đau khớp gối"),
    D("M79.1", (0, 0.2, 0.8, 1.5, 1.5, 1), reason="Đau mỏi cơ"),
    D("S00.9", (1, 1.5, 1.5, 1, 0.6, 0.6), 0.05, reason="Té ngã", emergency=0.5),
    D("S61.9", (0.3, 1, 1.5, 1.5, 0.8, 0.4), 0.02, reason="Vết thương bàn tay", emergency=0.4),
    D("S93.4", (0, 0.8, 1.5, 1, 0.5, 0.3), reason="Trật cổ chân"),
    D("S52.5", (0.1, 0.5, 0.4, 0.3, 0.3, 0.5), 0.3, reason="Tai nạn sinh hoạt", emergency=0.6),
    D("S72.0", (0, 0, 0, 0, 0.05, 0.4), 0.95, reason="Té ngã", emergency=0.8),
    D("S06.0", (0.1, 0.2, 0.6, 0.5, 0.3, 0.2), 0.6, reason="Tai nạn giao thông", emergency=0.9),
    D("T14.0", (0.3, 0.8, 1.2, 1.2, 0.6, 0.4), reason="Trầy xước", emergency=0.3),
    D("T63.4", (0.1, 0.2, 0.2, 0.2, 0.2, 0.1), 0.1, reason="Ong đốt", emergency=0.5),
    D("Z34.9", (0, 0, 2.5, 3, 0, 0), sex="f", reason="Khám thai"),
    D("O80", (0, 0, 0.5, 0.6, 0, 0), 1.0, sex="f", reason="Chuyển dạ"),
    D("O21.0", (0, 0, 0.3, 0.3, 0, 0), 0.5, sex="f", reason="Nôn nhiều"),
    D("H10.9", (1, 1.2, 0.8, 0.8, 0.6, 0.5), reason="Đỏ mắt"),
    D("H66.9", (2, 1.5, 0.2, 0.2, 0.1, 0.1), reason="Đau tai"),
    D("L30.9", (1.5, 1, 1, 1, 0.8, 0.8), reason="Ngứa, nổi mẩn"),
    D("L01.0", (0.8, 0.6, 0.1, 0.1, 0, 0), reason="Mụn mủ"),
    D("N39.0", (0.2, 0.2, 0.8, 1.2, 1, 1.2), 0.08, reason="Tiểu buốt"),
    D("N40", (0, 0, 0, 0, 0.8, 2), sex="m", reason="Tiểu khó"),
    D("R50.9", (3, 1.5, 0.5, 0.5, 0.4, 0.4), 0.05, reason="Sốt"),
    D("R51", (0, 0.5, 1, 1.2, 0.8, 0.5), reason="Đau đầu"),
    D("G47.0", (0, 0, 0.2, 0.6, 0.8, 1), reason="Mất ngủ"),
    D("F41.9", (0, 0, 0.2, 0.3, 0.2, 0.1), reason="Hồi hộp, lo âu"),
    D("K02.9", (0.5, 1.5, 0.5, 0.5, 0.3, 0.2), reason="Đau răng"),
    D("Z00.0", (1, 2, 1.5, 2, 1.5, 1), reason="Khám sức khỏe"),
)
# Long-term conditions followed month after month by the same patients (and their share of
# those visits); a follow-up's reason is "Tái khám".
CHRONIC = (("I10", 0.58), ("E11.9", 0.24), ("J44.9", 0.08), ("E78.5", 0.1))
CHRONIC_INPATIENT = {"I10": 0.02, "E11.9": 0.03, "J44.9": 0.25, "E78.5": 0.0}
# Seasonal and notifiable diseases: (code, weight within the disease) and inpatient shares.
DENGUE = (("A90", 0.72), ("A91", 0.28))
SEASONAL_INPATIENT = {
    "A90": 0.35, "A91": 0.8, "B08.4": 0.15, "J11.1": 0.08, "J10.1": 0.2, "B05.9": 0.4,
    "B01.9": 0.03,
}  # fmt: skip
SEASONAL_REASON = {
    "A90": "Sốt cao", "A91": "Sốt cao, xuất huyết", "B08.4": "Sốt, loét miệng",
    "J11.1": "Sốt, đau mỏi người", "J10.1": "Sốt cao, ho", "B05.9": "Sốt, phát ban",
    "B01.9": "Sốt, nổi bóng nước",
}  # fmt: skip

FAMILY = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 6), ("Phan", 4),
    ("Võ", 6), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 3), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1), ("Trương", 2), ("Đoàn", 1), ("Mai", 1),
)  # fmt: skip
MIDDLE = {
    "m": ("Văn", "Văn", "Hữu", "Đức", "Minh", "Thanh", "Công", "Quốc", "Ngọc"),
    "f": ("Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Bích", "Mỹ"),
}
GIVEN = {
    "m": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc",
          "Quang", "Sơn", "Tài", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hòa"),
    "f": ("Anh", "Cúc", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Mai",
          "Nga", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Tuyết", "Vân", "Yến"),
}  # fmt: skip
# Insurance card prefixes (mã đối tượng on the card): pensioners, the poor, children under
# six, pupils, households, workers.
CARD_PREFIXES = {
    "0-4": ("TE1",), "5-14": ("HS4", "GD4"), "15-24": ("HS4", "GD4", "DN4"),
    "25-44": ("GD4", "DN4", "HN2", "CN3"), "45-64": ("GD4", "DN4", "HN2", "HT3"),
    "65+": ("HT3", "BT2", "GD4"),
}  # fmt: skip
# Places outside the district some patients of the district centre come from (GSO codes of
# communes in neighbouring districts, outside the demo's boundaries: counted as not known).
ELSEWHERE = ("20578", "20581", "20653", "20656", "20701")
