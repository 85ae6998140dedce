"""Generate the workbooks the indicator import tests read, one per shape offices send.

Our own demo figures at Duy Xuyên magnitudes (13 old communes to 2025-06-30, 4 new ones
after), deterministic: `python tests/indicators/workbooks/make.py` rewrites the same files.
"""

import csv
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
# Old communes (code, name as the statistics office writes it) and 2022 population.
OLD = (
    ("20599", "TT. Nam Phước", 24_310),
    ("20605", "Duy Phú", 6_218),
    ("20608", "Duy Tân", 4_902),
    ("20611", "Duy Hoa", 9_815),
    ("20614", "Duy Châu", 8_327),
    ("20617", "Duy Trinh", 9_906),
    ("20620", "Duy Sơn", 14_788),
    ("20623", "Duy Trung", 8_604),
    ("20626", "Duy Phuoc", 10_412),
    ("20629", "Duy Thành", 6_533),
    ("20632", "Duy Vinh", 9_647),
    ("20635", "Duy Nghĩa", 8_921),
    ("20638", "Duy Hải", 4_788),
)
NEW = (("20599", "Nam Phước", 47_215), ("20611", "Thu Bồn", 30_102))
NEW += (("20623", "Duy Xuyên", 33_987), ("20635", "Duy Nghĩa", 21_003))
DEMO = "Số liệu minh họa, không phải số liệu chính thức / demo data, not official figures"


def vi_number(value: float, decimals: int = 0) -> str:
    """1234.5 as a Vietnamese office writes it: 1.234,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _populations(rng: random.Random) -> dict[str, list[int]]:
    """Population of each old commune in 2022, 2023, 2024 (growing ~0.4–1 % a year)."""
    out: dict[str, list[int]] = {}
    for code, _, base in OLD:
        series = [base]
        for _ in range(2):
            series.append(round(series[-1] * (1 + rng.uniform(0.004, 0.01))))
        out[code] = series
    return out


def _merge(sheet: Worksheet, ref: str, value: object) -> None:
    sheet[ref.split(":")[0]] = value
    sheet.merge_cells(ref)


def _form_header(sheet: Worksheet, agency: str) -> None:
    sheet["A1"], sheet["E1"] = "UBND HUYỆN DUY XUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["A2"], sheet["E2"] = agency, "Độc lập - Tự do - Hạnh phúc"


def wide_by_period(*, broken: bool = False) -> Workbook:
    """Population by commune × year (2-row merged header), poverty rate by commune × year."""
    rng = random.Random(1402)
    people = _populations(rng)
    book = Workbook()
    sheet = book.active
    sheet.title = "Dân số"
    _form_header(sheet, "CHI CỤC THỐNG KÊ")
    _merge(sheet, "A4:F4", "DÂN SỐ TRUNG BÌNH PHÂN THEO XÃ, THỊ TRẤN")
    _merge(sheet, "A5:F5", DEMO)
    _merge(sheet, "A7:A8", "STT")
    _merge(sheet, "B7:B8", "Xã, thị trấn")
    _merge(sheet, "C7:E7", "Dân số trung bình (người)")
    _merge(sheet, "F7:F8", "Ghi chú")
    years = ["2022", "2023", "Quý 3/2024" if broken else "2024"]
    for column, year in zip("CDE", years, strict=True):
        sheet[f"{column}8"] = int(year) if year.isdigit() else year
    for column, mark in zip("ABCDEF", ["A", "B", "1", "2", "3", "C"], strict=True):
        sheet[f"{column}9"] = mark
    row = 10
    for number, (code, name, _) in enumerate(OLD, start=1):
        if broken and code == "20608":
            name = "Duy Tânn"
        sheet[f"A{row}"], sheet[f"B{row}"] = number, name
        for column, value in zip("CDE", people[code], strict=True):
            sheet[f"{column}{row}"] = vi_number(value)
        row += 1
    sheet["D11"] = "-"  # Duy Phú 2023: no figure
    sheet["C20"] = ".."  # Duy Vinh 2022: not yet available
    sheet["F12"] = "Số ước tính"
    if broken:
        sheet["C13"] = "chưa có"  # text in a number cell
        sheet["D16"] = "8,640.0"  # an English number in a Vietnamese sheet
    sheet[f"B{row}"] = "Tổng cộng"
    for index, column in enumerate("CDE"):
        sheet[f"{column}{row}"] = vi_number(sum(p[index] for p in people.values()))
    sheet[f"A{row + 2}"] = "Ghi chú: số liệu năm 2024 là số ước tính."
    sheet[f"A{row + 3}"] = "Nguồn: Chi cục Thống kê (minh họa)."
    poverty = book.create_sheet("Hộ nghèo")
    _merge(poverty, "A1:D1", "TỶ LỆ HỘ NGHÈO PHÂN THEO XÃ (%)")
    poverty.append([])
    poverty.append(["Đơn vị", "Năm 2022", "Năm 2023", "Năm 2024"])
    for _, name, _ in OLD:
        start = rng.uniform(2.0, 7.5)
        rates = [start, start * 0.86, start * 0.74]
        poverty.append([name, *(vi_number(r, 2) for r in rates)])
    poverty["D16"] = "x"
    poverty.append([])
    poverty.append(["(*) Theo chuẩn nghèo đa chiều giai đoạn 2022–2025."])
    return book


def wide_by_indicator() -> Workbook:
    """The 4 new communes by code × indicators (3-row merged header), English numbers."""
    rng = random.Random(2025)
    book = Workbook()
    sheet = book.active
    sheet.title = "KT-XH 2025"
    _merge(sheet, "A1:F1", "CHỈ TIÊU KINH TẾ - XÃ HỘI THEO XÃ NĂM 2025")
    _merge(sheet, "A2:F2", DEMO)
    _merge(sheet, "A4:A6", "Mã xã")
    _merge(sheet, "B4:D4", "Chỉ tiêu năm 2025")
    _merge(sheet, "B5:C5", "Dân số và lao động")
    sheet["D5"] = "Xã hội"
    for column, code in zip("BCD", ["population", "births", "poverty_rate"], strict=True):
        sheet[f"{column}6"] = code
    for code, _, people in NEW:
        births = round(people * rng.uniform(0.011, 0.014))
        rate = rng.uniform(1.2, 3.4)
        sheet.append([code, f"{people:,}", f"{births:,}", f"{rate:.2f}"])
    sheet.append(["Tổng cộng", f"{sum(p for _, _, p in NEW):,}.0", "", ""])
    sheet.append([])
    sheet.append(["Source: demo data (Ghi chú: số liệu minh họa)."])
    return book


def plan_vs_actual() -> Workbook:
    """Budget revenue by item against the estimate; commune targets against results."""
    book = Workbook()
    budget = book.active
    budget.title = "Thu NS 2024"
    _merge(budget, "A1:E1", "BÁO CÁO THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN NĂM 2024")
    _merge(budget, "A2:E2", "Đơn vị tính: triệu đồng — " + DEMO)
    _merge(budget, "A4:A5", "STT")
    _merge(budget, "B4:B5", "Nội dung")
    _merge(budget, "C4:E4", "Năm 2024")
    budget["C5"], budget["D5"], budget["E5"] = "Dự toán", "Thực hiện", "% so DT"
    items = (
        ("", "Tổng thu ngân sách nhà nước trên địa bàn", 185_400.0, 201_318.5),
        ("I.", "Thu nội địa", 185_400.0, 201_318.5),
        ("1", "Thu từ thuế", 98_200.0, 104_775.25),
        ("2", "Thu tiền sử dụng đất", 72_000.0, 81_940.0),
        ("3", "Thu phí và lệ phí", 15_200.0, 14_603.25),
    )
    for number, name, estimate, actual in items:
        label = f"{number} {name}" if number == "I." else name
        budget.append([number if number != "I." else "", label, estimate, actual,
                       actual / estimate])  # fmt: skip
        budget.cell(budget.max_row, 5).number_format = "0.0%"
    budget.append([])
    budget.append(["Nguồn: Phòng Tài chính – Kế hoạch (minh họa)."])
    targets = book.create_sheet("KH-TH theo xã")
    _merge(targets, "A1:G1", "KẾT QUẢ THỰC HIỆN CHỈ TIÊU KẾ HOẠCH NĂM 2024")
    _merge(targets, "A3:A4", "Đơn vị")
    _merge(targets, "B3:D3", "Tỷ lệ hộ nghèo (%)")
    _merge(targets, "E3:G3", "Dân số trung bình (người)")
    for column, title in zip("BCDEFG", ["KH", "TH", "% KH", "KH", "Ước TH", "% KH"],
                             strict=True):  # fmt: skip
        targets[f"{column}4"] = title
    rng = random.Random(2024)
    for _, name, people in OLD[:6]:
        plan, done = rng.uniform(2.0, 5.0), rng.uniform(1.8, 5.2)
        grown = people * 1.012
        row = [name, vi_number(plan, 2), vi_number(done, 2), vi_number(done / plan * 100, 1)]
        targets.append([*row, vi_number(grown), vi_number(grown * 1.001), "100,1"])
    targets.append([])
    targets.append(["Ghi chú: KH theo Nghị quyết HĐND huyện (minh họa)."])
    return book


def long_csv() -> str:
    """Long rows (unit, indicator, period, value), ';'-separated as Vietnamese Excel saves."""
    rng = random.Random(77)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Số liệu chỉ tiêu theo xã (" + DEMO + ")"])
    writer.writerow(["Đơn vị hành chính", "Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Loại", "Ghi chú"])
    for code, name, people in OLD:
        folded = name.replace("TT. ", "")
        writer.writerow(
            [folded, "Dân số trung bình", "Năm 2023", vi_number(people * 1.007), "", ""]
        )
        writer.writerow([code, "Tỷ lệ hộ nghèo", "2023", vi_number(rng.uniform(2, 6), 2), "", ""])
    for _, name, people in NEW:
        writer.writerow([f"Xã {name}", "population", "Năm 2025", vi_number(people), "", ""])
        writer.writerow([name, "Tỷ lệ hộ nghèo", "Năm 2025", vi_number(rng.uniform(1, 3), 1),
                         "Kế hoạch", "Nghị quyết HĐND"])  # fmt: skip
    writer.writerow(["Duy Son", "Số ca mắc COVID-19 mới", "15/08/2021", "12", "", ""])
    writer.writerow(["Duy Son", "Số ca mắc COVID-19 mới", "16/08/2021", "-", "", ""])
    writer.writerow(["Duy Trung", "Số học sinh đầu năm học", "NH 2024-2025", "1.245", "", ""])
    writer.writerow(["Toàn huyện", "Dân số trung bình", "Năm 2023", "128.512", "", ""])
    return out.getvalue()


def _save(book: Workbook, name: str) -> None:
    """Save with a fixed timestamp so the bytes repeat."""
    moment = dt.datetime(2025, 1, 1)
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(HERE / name, "w") as target:
        for item in source.infolist():
            item.date_time = (2025, 1, 1, 0, 0, 0)
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the moment it saved
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data
                )
            target.writestr(item, data, zipfile.ZIP_DEFLATED)


def main() -> None:
    """Write every workbook beside this script."""
    _save(wide_by_period(), "wide_by_period.xlsx")
    _save(wide_by_period(broken=True), "broken.xlsx")
    _save(wide_by_indicator(), "wide_by_indicator.xlsx")
    _save(plan_vs_actual(), "plan_vs_actual.xlsx")
    (HERE / "long.csv").write_bytes(long_csv().encode("utf-8-sig"))


if __name__ == "__main__":
    main()
