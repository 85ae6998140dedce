"""The education adapter: school management software exports (one row per school and school
year, Vietnamese headers) → school-year figures, placed at the school.

Aggregates only: a file or batch with a column naming pupils (họ tên học sinh, mã học sinh,
ngày sinh, …) is refused whole, naming the column, and nothing is stored.
"""

from gisioc.education import rules
from gisioc.education.models import SchoolYear
from gisioc.geo.models import Facility
from gisioc.ingest.fields import field, words
from gisioc.ingest.locate import AtFacility
from gisioc.ingest.systems import PERSONAL_HEADERS, Field, System, register_system
from gisioc.texts import Text

LEVELS = words(
    mam_non=("mam non", "mn", "mau giao", "nha tre", "giao duc mam non", "preschool"),
    tieu_hoc=("tieu hoc", "th", "cap 1", "cap i", "primary"),
    thcs=("trung hoc co so", "cap 2", "cap ii", "lower secondary"),
    thpt=("trung hoc pho thong", "cap 3", "cap iii", "upper secondary"),
    lien_cap=(
        "lien cap", "th thcs", "thcs thpt", "th thcs thpt", "pho thong co so", "ptcs",
        "pho thong nhieu cap hoc", "multi level",
    ),
)  # fmt: skip
OWNERSHIPS = words(
    cong_lap=("cong lap", "cl", "public", "truong cong lap"),
    tu_thuc=("tu thuc", "dan lap", "ngoai cong lap", "tt", "private", "truong tu thuc"),
)
STANDARDS = words(
    chua_dat=("chua dat", "chua", "khong", "khong dat", "chua dat chuan", "0", "no"),
    muc_1=("muc 1", "muc do 1", "dat chuan muc 1", "dat chuan quoc gia muc 1", "dat", "dat chuan",
           "co", "1", "x", "level 1"),
    muc_2=("muc 2", "muc do 2", "dat chuan muc 2", "dat chuan quoc gia muc 2", "2", "level 2"),
)  # fmt: skip
# Columns of a pupil list, never of a school's figures: any of them refuses the file.
PUPIL_HEADERS = (
    "ten hoc sinh", "ho ten hoc sinh", "ho va ten hoc sinh", "ten hs", "ho ten hs",
    "ma hoc sinh", "ma hs", "ma dinh danh hoc sinh", "ma dinh danh", "ma dinh danh bo gd",
    "ten tre", "ho ten tre", "ho va ten tre", "ma tre", "ten phu huynh", "ho ten phu huynh",
    "ho ten cha", "ho ten me", "ho ten bo", "ngay thang nam sinh", "noi sinh", "que quan",
    "gioi tinh", "dia chi thuong tru", "cho o hien nay", "ho khau", "student name", "pupil name",
    "student id", "pupil id",
)  # fmt: skip


def _grade_fields() -> list[Field]:
    found = []
    for grade in rules.GRADES:
        found.append(
            field(f"grade_{grade}", "int", f"Khối {grade}", f"Grade {grade}", f"khoi {grade}",
                  f"lop {grade}", f"hoc sinh khoi {grade}", f"hs khoi {grade}",
                  f"so hoc sinh lop {grade}", f"grade {grade}")
        )  # fmt: skip
    for group, (vi, en, *aliases) in rules.GROUPS.items():
        found.append(field(f"group_{group}", "int", vi, en, *aliases))
    return found


FIELDS = (
    field("external_id", "text", "Mã bản ghi", "Record id", "id", "ma ban ghi", max_length=120),
    field("school_code", "text", "Mã trường", "School code", "ma truong", "ma don vi",
          "ma co so giao duc", "ma truong hoc", "school code", required=True, max_length=120),
    field("school_name", "text", "Tên trường", "School name", "ten truong", "ten don vi",
          "ten co so giao duc", "truong", "school name", max_length=300),
    field("school_year", "text", "Năm học", "School year", "nam hoc", "school year",
          required=True, max_length=40),
    field("level", "choice", "Cấp học", "Level", "cap hoc", "bac hoc", "cap", "level",
          choices=LEVELS),
    field("ownership", "choice", "Loại hình", "Ownership", "loai hinh", "loai hinh truong",
          "loai hinh dao tao", "ownership", choices=OWNERSHIPS),
    field("classes", "int", "Số lớp", "Classes", "so lop", "tong so lop", "so nhom lop",
          "so lop nhom", "classes"),
    field("pupils", "int", "Tổng số học sinh", "Pupils", "tong so hoc sinh", "so hoc sinh",
          "tong so hs", "tong so tre", "so tre", "tong so", "hoc sinh", "pupils", "students"),
    field("pupils_female", "int", "Học sinh nữ", "Female pupils", "hoc sinh nu", "hs nu",
          "so hoc sinh nu", "trong do nu", "nu", "tre nu", "female"),
    field("teachers", "int", "Số giáo viên", "Teachers", "so giao vien", "giao vien",
          "tong so giao vien", "gv", "teachers"),
    field("managers", "int", "Cán bộ quản lý", "Managers", "can bo quan ly", "cbql",
          "so can bo quan ly", "managers"),
    field("employees", "int", "Nhân viên", "Staff", "nhan vien", "so nhan vien", "nv", "staff"),
    field("capacity", "int", "Quy mô thiết kế", "Designed places", "quy mo thiet ke",
          "suc chua", "so cho thiet ke", "cong suat thiet ke", "so cho", "capacity"),
    field("attendance_rate", "text", "Tỷ lệ chuyên cần (%)", "Attendance (%)",
          "ty le chuyen can", "chuyen can", "ty le di hoc chuyen can", "attendance",
          max_length=20),
    field("dropouts", "int", "Số học sinh bỏ học", "Drop-outs", "so hoc sinh bo hoc", "bo hoc",
          "hoc sinh bo hoc", "so hs bo hoc", "dropouts"),
    field("promoted", "int", "Lên lớp", "Promoted", "len lop", "so hoc sinh len lop",
          "hoc sinh len lop", "promoted"),
    field("completed", "int", "Hoàn thành chương trình / tốt nghiệp", "Completed",
          "hoan thanh chuong trinh", "tot nghiep", "hoan thanh chuong trinh lop hoc",
          "hoan thanh chuong trinh tieu hoc", "hoan thanh chuong trinh mam non",
          "tot nghiep thcs", "tot nghiep thpt", "so hoc sinh tot nghiep", "completed"),
    field("ethnic_minority", "int", "Học sinh dân tộc thiểu số", "Ethnic-minority pupils",
          "hoc sinh dan toc thieu so", "hs dan toc thieu so", "dan toc thieu so", "hs dtts",
          "dtts"),
    field("standard", "choice", "Đạt chuẩn quốc gia", "National standard",
          "dat chuan quoc gia", "chuan quoc gia", "truong chuan quoc gia", "muc dat chuan",
          "national standard", choices=STANDARDS),
    field("reported_on", "date", "Ngày báo cáo", "Reported on", "ngay bao cao",
          "ngay cap nhat", "thoi diem bao cao", "reported on"),
    *_grade_fields(),
)  # fmt: skip

# The school's point, and its commune in the version in force on the school year's first day.
school_locate = AtFacility(
    Facility.Kind.SCHOOL,
    "school_code",
    Text("trường", "school"),
    link="school_id",
    day="year_start",
    kind_title=Text("trường", "school"),
)


SYSTEM = register_system(
    System(
        "education",
        FIELDS,
        rules.school_year_rules,
        school_locate,
        SchoolYear,
        personal=PERSONAL_HEADERS + PUPIL_HEADERS,
        refuse_personal=True,
    )
)
