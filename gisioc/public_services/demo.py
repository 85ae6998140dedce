"""Two deterministic years of one-stop dossiers for the former Duy Xuyên district.

Rows are written as a one-stop software export would write them (Vietnamese headers, dates as
dd/mm/yyyy HH:MM) and go through the same ingest path as a file: header mapping,
normalising, locating and the bulk upsert. Procedure codes follow the national numbering;
the pairing of codes, names and time limits is illustrative, not read from the national
procedure database. Volumes, seasons, lateness and the rising online share are invented.
"""

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from gisioc import workdays
from gisioc.geo.demo import BOUNDARY_DATA
from gisioc.geo.services import Progress
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow
from gisioc.periods import VIETNAM
from gisioc.public_services.system import SYSTEM

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-dossiers-v2"  # change when the generator changes, so the demo loads again
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 10, 31)
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)  # statuses as of this moment
REFORM = dt.date(2025, 7, 1)
PER_DAY = 80  # dossiers on an ordinary working day across the district
COLLECTED_AFTER_H = (0.5, 2, 20, 26, 50, 74)  # hours from a result to its collection
DISTRICT_OFFICE = "MOTCUA-DX"
SEASON = {1: 1.15, 2: 0.75, 3: 1.0, 4: 0.95, 5: 1.0, 6: 1.1, 7: 1.1, 8: 1.05, 9: 0.95, 12: 1.1}
OUTSIDE_ADDRESSES = ("Phường Hải Châu, thành phố Đà Nẵng", "Phường Hội An, thành phố Đà Nẵng")
HEADERS = (
    "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Nơi tiếp nhận", "Hình thức nộp",
    "Mức độ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hoàn thành", "Ngày trả kết quả",
    "Trạng thái", "Số lần bổ sung", "Địa chỉ", "Thanh toán trực tuyến",
)  # fmt: skip


@dataclass(frozen=True)
class Procedure:
    """A procedure: code, name, field, time limit in working days, share, level, lateness."""

    code: str
    name: str
    field: str
    days: int
    weight: float
    level: str
    late: float
    fee: bool = False


PROCEDURES = (
    Procedure(
        "2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, 30, "mot_phan", 0.004, True
    ),
    Procedure("2.000884", "Chứng thực chữ ký", "Chứng thực", 0, 8, "mot_phan", 0.004, True),
    Procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, 10, "toan_trinh", 0.01),
    Procedure("1.000656", "Đăng ký khai tử", "Hộ tịch", 1, 3, "toan_trinh", 0.01),
    Procedure("1.000894", "Đăng ký kết hôn", "Hộ tịch", 1, 3, "mot_phan", 0.01),
    Procedure(
        "1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, 6, "toan_trinh", 0.02
    ),
    Procedure(
        "2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 1, 4, "toan_trinh", 0.01, True
    ),
    Procedure(
        "1.004227", "Đăng ký biến động quyền sử dụng đất", "Đất đai", 10, 8, "mot_phan", 0.12, True
    ),
    Procedure(
        "1.004203",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Đất đai",
        7,
        3,
        "mot_phan",
        0.10,
        True,
    ),
    Procedure(
        "1.009994",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Hoạt động xây dựng",
        15,
        3,
        "mot_phan",
        0.08,
        True,
    ),
    Procedure(
        "2.000720",
        "Đăng ký thành lập hộ kinh doanh",
        "Hộ kinh doanh",
        3,
        4,
        "toan_trinh",
        0.03,
        True,
    ),
    Procedure(
        "2.000488",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        5,
        2,
        "mot_phan",
        0.04,
    ),
    Procedure("1.001776", "Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", 15, 3, "mot_phan", 0.05),
)


@dataclass(frozen=True)
class Commune:
    """A former commune, the 2025 commune it joined, and the weight of its population."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    weight: float


def _communes() -> list[Commune]:
    with (BOUNDARY_DATA / "crosswalk_2025.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        Commune(
            r["old_code"],
            r["old_name"],
            r["new_code"],
            r["new_name"],
            2.0 if r["old_name"].startswith("Thị trấn") else 1.0,
        )
        for r in rows
    ]


def _at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM) + dt.timedelta(hours=hour)


def _text(moment: dt.datetime | None) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else ""


def _online_share(day: dt.date) -> float:
    """Rises from about 18 % to 60 % over the two years, with a step at the reform."""
    progress = (day - FIRST_DAY).days / (LAST_DAY - FIRST_DAY).days
    return 0.18 + 0.34 * progress + (0.08 if day >= REFORM else 0.0)


def _address(rng: random.Random, commune: Commune, day: dt.date) -> str:
    roll = rng.random()
    if roll < 0.01:
        return ""
    if roll < 0.035:
        return rng.choice(OUTSIDE_ADDRESSES)
    place = f"Thôn {rng.randint(1, 8)}"
    old = commune.old_name[0].lower() + commune.old_name[1:]
    if day < REFORM or rng.random() < 0.35:  # many still write the address on their ID card
        return f"{place}, {old}, huyện Duy Xuyên, tỉnh Quảng Nam"
    return f"{place}, {commune.new_name[0].lower()}{commune.new_name[1:]}, thành phố Đà Nẵng"


def _timeline(rng: random.Random, proc: Procedure, received: dt.datetime) -> dict[str, object]:
    day = received.astimezone(VIETNAM).date()
    late_day = day < REFORM + dt.timedelta(days=60) and day >= REFORM  # the switch-over
    if proc.days == 0:
        due = _at(day, 17) if received.hour < 15 else _at(workdays.after(day, 1), 17)
    else:
        due = _at(workdays.after(day, proc.days), 17)
    roll = rng.random()
    if roll < 0.015:
        return {"status": "Đã hủy", "due": due, "finished": None}
    if roll < 0.015 + proc.late * (2.5 if late_day else 1.0):
        finished = _at(workdays.after(due.date(), rng.randint(1, 10)), rng.uniform(8, 16.5))
    elif due.date() > day and rng.random() < 0.7:
        span = max((due.date() - day).days, 1)
        early_day = day + dt.timedelta(days=rng.randrange(span))
        finished = max(_at(early_day, rng.uniform(8, 16.5)), received + dt.timedelta(minutes=20))
    else:
        finished = min(
            max(_at(due.date(), rng.uniform(8, 16.9)), received + dt.timedelta(minutes=20)), due
        )
    return {"status": "", "due": due, "finished": finished}


@dataclass(frozen=True)
class Life:
    """A dossier from receipt to result: what the software would show of it at any moment."""

    code: str
    values: dict[str, object]  # the row's values that never change
    received: dt.datetime
    due: dt.datetime
    finished: dt.datetime | None  # None: cancelled at receipt
    returned: dt.datetime | None  # None: the result is never collected
    waiting: str  # the status until it is finished

    def settled_by(self, moment: dt.datetime) -> bool:
        """Nothing more happens to the dossier after `moment`."""
        last = self.returned or self.finished
        return last is None or last <= moment


def _life(rng: random.Random, day: dt.date, seq: int, communes: list[Commune]) -> Life:
    proc = rng.choices(PROCEDURES, weights=[p.weight for p in PROCEDURES])[0]
    commune = rng.choices(communes, weights=[c.weight for c in communes])[0]
    received = _at(day, rng.choice((7.5, 8, 9, 10, 13.5, 14, 15, 16)) + rng.random() * 0.9)
    timeline = _timeline(rng, proc, received)
    finished = timeline["finished"]
    online = rng.random() < _online_share(day) * (1.2 if proc.level == "toan_trinh" else 0.6)
    channel = (
        "Trực tuyến" if online else ("Bưu chính công ích" if rng.random() < 0.03 else "Trực tiếp")
    )
    supplements = 1 if rng.random() < 0.06 else 0
    drawn: tuple[float, float] | None = None  # hours from result to collection, the 12 % roll
    waiting = "Chờ bổ sung" if supplements else "Đang giải quyết"
    if finished is not None and finished > SNAPSHOT:  # open in the demo's snapshot
        if not supplements:
            waiting = rng.choice(["Đang giải quyết"] * 9 + ["Tạm dừng"])
    elif finished is not None:
        drawn = (rng.choice(COLLECTED_AFTER_H), rng.random())
    if day < REFORM:
        office, prefix = DISTRICT_OFFICE, "DX"
    else:
        office_code = commune.new_code if rng.random() < 0.9 else rng.choice(communes).new_code
        office, prefix = f"HCC-{office_code}", office_code
    code = f"{prefix}-{day:%y%m%d}-{seq:04d}"
    returned = None
    if finished is not None:
        # Open in the snapshot: its future comes from its own generator, so the demo's draws
        # (and so the demo) stay as they were.
        if drawn is None:
            after = random.Random(f"gisioc-demo-dossiers-after:{code}")
            drawn = (after.choice(COLLECTED_AFTER_H), after.random())
        hours, roll = drawn
        returned = None if roll < 0.12 else finished + dt.timedelta(hours=hours)
    values = dict(zip(HEADERS, (
        code, proc.code, proc.name, proc.field, office, channel,
        "Toàn trình" if proc.level == "toan_trinh" else "Một phần", _text(received),
        _text(timeline["due"]), "", "", timeline["status"], supplements,
        _address(rng, commune, day), "Có" if online and proc.fee and rng.random() < 0.6 else "",
    ), strict=True))  # fmt: skip
    return Life(code, values, received, timeline["due"], finished, returned, waiting)


def row_as_of(life: Life, moment: dt.datetime) -> dict[str, object]:
    """The dossier's row as the software shows it at `moment` (not before its receipt)."""
    row = dict(life.values)
    if life.finished is None:
        return row  # cancelled
    if life.finished > moment:
        row["Trạng thái"] = life.waiting
    elif life.returned is None or life.returned > moment:
        row |= {"Ngày hoàn thành": _text(life.finished), "Trạng thái": "Đã giải quyết"}
    else:
        row |= {
            "Ngày hoàn thành": _text(life.finished),
            "Ngày trả kết quả": _text(life.returned),
            "Trạng thái": "Đã trả kết quả",
        }
    return row


def demo_lives() -> Iterator[Life]:
    """The demo's dossiers, identical on every call, day by day."""
    rng = random.Random("gisioc-demo-dossiers")
    communes = _communes()
    day = FIRST_DAY
    while day <= LAST_DAY:
        if workdays.is_working(day):
            switch = 0.8 if dt.date(2025, 7, 1) <= day < dt.date(2025, 7, 15) else 1.0
            mean = PER_DAY * SEASON.get(day.month, 1.0) * switch
            for seq in range(1, max(0, round(rng.gauss(mean, mean**0.5))) + 1):
                yield _life(rng, day, seq, communes)
        day += dt.timedelta(days=1)


def demo_dossier_rows() -> Iterator[RawRow]:
    """The demo rows as of SNAPSHOT, identical on every call, day by day."""
    for number, life in enumerate(demo_lives(), 1):
        yield RawRow(number, row_as_of(life, SNAPSHOT))


def load(*, progress: Progress = print) -> None:
    """The public services part of `gisioc demo load`: once per generator version."""
    demo_ingest(
        system="public_services",
        title="Dịch vụ công / public services",
        source=SOURCE,
        key=KEY,
        rows=demo_dossier_rows,
        progress=progress,
    )
