"""What Open311 clients discover: the jurisdiction, the endpoint, the services (our report
categories) and their definitions' attributes, with the check of attributes a client posts."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from gisioc.feedback.categories import BY_CODE, CATEGORIES, Category
from gisioc.feedback.open311.render import Open311Error
from gisioc.texts import Text

JURISDICTION = "duyxuyen.danang.gov.vn"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-05T00:00:00+07:00"  # when the services or their attributes last changed
CONTACT = "Tổng đài 1022 Đà Nẵng / Đà Nẵng 1022 hotline"
KEY_SERVICE = "Khóa API: liên hệ quản trị hệ thống / API keys: ask the system administrators"
GROUP = Text("Phản ánh – kiến nghị", "Citizen feedback")


def english(request: HttpRequest) -> bool:
    """Whether the client asks for English (`locale=en…` or an Accept-Language led by en)."""
    locale = request.GET.get("locale") or request.POST.get("locale") or ""
    if locale:
        return locale.lower().startswith("en")
    return request.headers.get("Accept-Language", "").strip().lower().startswith("en")


def say(text: Text, en: bool) -> str:
    """The text in the client's language."""
    return text.en if en else text.vi


def jurisdiction_check(request: HttpRequest) -> None:
    """A `jurisdiction_id` other than ours (or our host's name) is a 404, per the spec."""
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    given = given.strip()
    if given and given.lower() not in {JURISDICTION, request.get_host().split(":")[0].lower()}:
        raise Open311Error(
            404,
            f"Không phục vụ jurisdiction_id «{given[:60]}»; ở đây là {JURISDICTION}.",
            f"jurisdiction_id '{given[:60]}' is not served here; ours is {JURISDICTION}.",
        )


def discovery(base_url: str) -> dict[str, Any]:
    """The discovery document: who to contact, and the one production endpoint."""
    return {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


@dataclass(frozen=True)
class Attribute:
    """A question a service asks: a list to choose from (`values`) or a whole number."""

    code: str
    description: Text
    required: bool = False
    values: tuple[tuple[str, Text], ...] = ()
    low: int = 0  # for numbers
    high: int = 0

    @property
    def datatype(self) -> str:
        """The spec's datatype."""
        return "singlevaluelist" if self.values else "number"


YES_NO = (("yes", Text("Có", "Yes")), ("no", Text("Không", "No")))
ANONYMOUS = Attribute(
    "anonymous",
    Text("Ẩn danh khi công khai?", "Anonymous in public?"),
    values=YES_NO,
)
SEVERITY = (
    ("minor", Text("Nhẹ", "Minor")),
    ("moderate", Text("Vừa", "Moderate")),
    ("severe", Text("Nặng, nguy hiểm", "Severe, dangerous")),
)
ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    "duong_sa": (
        Attribute("severity", Text("Mức độ hư hỏng", "How bad is the damage"), values=SEVERITY),
    ),
    "thoat_nuoc": (
        Attribute("severity", Text("Mức độ ngập", "How bad is the flooding"), True, SEVERITY),
    ),
    "chieu_sang": (Attribute("lamps", Text("Số đèn hỏng", "Lamps out"), low=1, high=100),),
}


def attributes_of(code: str) -> tuple[Attribute, ...]:
    """The attributes of a service: its own, then whether to stay anonymous."""
    return (*ATTRIBUTES.get(code, ()), ANONYMOUS)


def category_get(code: str) -> Category:
    """The category of a service code; 404 (the spec's unknown service) otherwise."""
    category = BY_CODE.get((code or "").strip())
    if category is None:
        raise Open311Error(
            404,
            f"Không có dịch vụ (service_code) «{(code or '')[:40]}».",
            f"No service with service_code '{(code or '')[:40]}'.",
        )
    return category


def notice(category: Category, en: bool) -> str:
    """The service notice: how long handling takes."""
    if en:
        return f"Handled within {category.days} working days."
    return f"Thời hạn xử lý {category.days} ngày làm việc."


def services(en: bool) -> list[dict[str, Any]]:
    """Every service: one per report category."""
    return [
        {
            "service_code": c.code,
            "service_name": say(c.title, en),
            "description": say(c.description, en),
            "metadata": True,  # every service has at least the anonymous attribute
            "type": "realtime",
            "keywords": ", ".join(c.keywords),
            "group": say(GROUP, en),
        }
        for c in CATEGORIES
    ]


def definition(code: str, en: bool) -> dict[str, Any]:
    """A service's definition: its attributes, in order."""
    category = category_get(code)
    items = []
    for order, item in enumerate(attributes_of(category.code), start=1):
        described = say(item.description, en)
        row: dict[str, Any] = {
            "variable": True,
            "code": item.code,
            "datatype": item.datatype,
            "required": item.required,
            "datatype_description": (
                ("Whole number" if en else "Số nguyên") + f" {item.low}–{item.high}"
                if not item.values
                else ""
            ),
            "order": order,
            "description": described,
        }
        if item.values:
            row["values"] = [{"key": k, "name": say(name, en)} for k, name in item.values]
        items.append(row)
    return {"service_code": category.code, "attributes": items}


def attributes_clean(code: str, posted: Mapping[str, str]) -> dict[str, str]:
    """The posted `attribute[code]` values checked against the service's definition.

    Unknown codes, values outside a list, numbers out of range and missing required ones are
    a 400 naming the attribute."""
    known = {a.code: a for a in attributes_of(code)}
    unknown = sorted(set(posted) - set(known))
    if unknown:
        names = ", ".join(u[:40] for u in unknown[:5])
        raise Open311Error(
            400,
            f"Dịch vụ {code} không có thuộc tính: {names}.",
            f"Service {code} has no attribute: {names}.",
        )
    clean = {}
    for item in known.values():
        value = (posted.get(item.code) or "").strip()
        if not value:
            if item.required:
                raise Open311Error(
                    400,
                    f"Thiếu thuộc tính bắt buộc attribute[{item.code}] ({item.description.vi}).",
                    f"Required attribute[{item.code}] is missing ({item.description.en}).",
                )
            continue
        clean[item.code] = _value_check(item, value)
    return clean


def _value_check(item: Attribute, value: str) -> str:
    if item.values:
        keys = [k for k, _ in item.values]
        if value not in keys:
            raise Open311Error(
                400,
                f"attribute[{item.code}] phải là một trong: {', '.join(keys)}.",
                f"attribute[{item.code}] must be one of: {', '.join(keys)}.",
            )
        return value
    if not value.isdigit() or not item.low <= int(value) <= item.high:
        raise Open311Error(
            400,
            f"attribute[{item.code}] phải là số nguyên {item.low}–{item.high}.",
            f"attribute[{item.code}] must be a whole number {item.low}–{item.high}.",
        )
    return str(int(value))


def attributes_text(code: str, clean: Mapping[str, str]) -> str:
    """The answers as one line of text for the report (the anonymous choice is a field)."""
    parts = []
    for item in ATTRIBUTES.get(code, ()):
        if item.code not in clean:
            continue
        value = clean[item.code]
        shown = dict(item.values).get(value, Text(value, value))
        parts.append(f"{item.description.vi}: {shown.vi}")
    return "; ".join(parts)
