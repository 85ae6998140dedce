"""Proof of a human and rate limits for the public's writes, offline (no outside service).

The challenge is a sum written in words, in Vietnamese and English ("Bảy cộng năm bằng mấy?"),
so a bot that reads digits fails. Its token is signed with the site's secret and carries a
random id, its expiry and an HMAC of the answer (not the answer): the server keeps nothing
until it is answered, then remembers the id until it expires, so a token answers once.

Rate limits count a client's successful writes in sliding windows, per address and per phone;
a phone is keyed by an HMAC of its normalised form, never the number itself. Both live in
Django's default cache (one process serves the site: `gisioc serve`).
"""

import hashlib
import hmac
import math
import re
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from gisioc.errors import Forbidden, InvalidInput, Throttled

CHALLENGE_TTL_S = 600  # ten minutes to answer
_SALT = "gisioc.feedback.human"
VI_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
EN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# Answers typed in words are read too (either language, with or without diacritics).
_WORD_VALUES = {
    **{w: n for n, w in enumerate(VI_WORDS)},
    **{w: n for n, w in enumerate(EN_WORDS)},
    "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "mot": 1,
    "khong": 0, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip


@dataclass(frozen=True)
class Challenge:
    """A question in both languages and the signed token that goes back with the answer."""

    token: str
    vi: str
    en: str
    expires_in: int = CHALLENGE_TTL_S


def _answer_mac(nonce: str, answer: int) -> str:
    key = f"{settings.SECRET_KEY}:{_SALT}".encode()
    return hmac.new(key, f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()[:32]


def challenge_new() -> Challenge:
    """A new question: the sum of two numbers from one to ten, written in words."""
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_mac(nonce, a + b)}, salt=_SALT, compress=True)
    vi = f"{VI_WORDS[a].capitalize()} cộng {VI_WORDS[b]} bằng mấy?"
    en = f"What is {EN_WORDS[a]} plus {EN_WORDS[b]}?"
    return Challenge(token=token, vi=vi, en=en)


def _answer_value(answer: str) -> int | None:
    text = (answer or "").strip().lower()
    if re.fullmatch(r"[0-9]{1,3}", text):
        return int(text)
    return _WORD_VALUES.get(text)


def challenge_check(token: str, answer: str) -> None:
    """Accept a right answer to an unexpired, unused token (once); Forbidden otherwise."""
    if not token or not (answer or "").strip():
        raise Forbidden(
            "Hãy trả lời câu hỏi kiểm tra (chống máy gửi tự động).",
            "Answer the check question (it keeps automated senders out).",
            field="challenge",
        )
    try:
        payload = signing.loads(token, salt=_SALT, max_age=CHALLENGE_TTL_S)
        nonce, mac = str(payload["n"]), str(payload["h"])
    except signing.SignatureExpired:
        raise Forbidden(
            "Câu hỏi kiểm tra đã hết hạn (10 phút); hãy lấy câu hỏi mới.",
            "The check question has expired (10 minutes); get a new one.",
            field="challenge",
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Forbidden(
            "Mã câu hỏi kiểm tra không hợp lệ; hãy lấy câu hỏi mới.",
            "The check question's token is not valid; get a new one.",
            field="challenge",
        ) from None
    # Used up whether right or wrong: a wrong answer cannot be retried on the same question.
    if not cache.add(f"fb-human:{nonce}", 1, CHALLENGE_TTL_S + 5):
        raise Forbidden(
            "Câu hỏi kiểm tra này đã được dùng; hãy lấy câu hỏi mới.",
            "This check question has been used; get a new one.",
            field="challenge",
        )
    value = _answer_value(answer)
    if value is None or not hmac.compare_digest(_answer_mac(nonce, value), mac):
        raise Forbidden(
            "Câu trả lời kiểm tra chưa đúng; hãy thử câu hỏi mới.",
            "The answer to the check question is wrong; try a new question.",
            field="challenge",
        )


PHONE_MOBILE = re.compile(r"0(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}")


def phone_normalise(raw: str) -> str:
    """A Vietnamese mobile number as 0xxxxxxxxx (10 digits); InvalidInput when it is not one."""
    text = re.sub(r"[\s.\-()]", "", raw or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    if not PHONE_MOBILE.fullmatch(text):
        raise InvalidInput(
            "Số điện thoại di động không hợp lệ (ví dụ 0912 345 678 hoặc +84 912 345 678).",
            "Not a valid Vietnamese mobile number (e.g. 0912 345 678 or +84 912 345 678).",
            field="phone",
        )
    return text


def phone_key(phone: str) -> str:
    """A key for a normalised phone that does not reveal it (HMAC with the site's secret)."""
    key = f"{settings.SECRET_KEY}:phone".encode()
    return hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Limit:
    """At most `count` writes of a kind per `window_s` seconds for one key."""

    name: str
    count: int
    window_s: int
    vi: str  # what is limited, e.g. "phản ánh từ địa chỉ của bạn"
    en: str


REPORTS_PER_IP = Limit("report-ip", 5, 3600, "phản ánh từ địa chỉ mạng của bạn trong một giờ",
                       "reports from your network address in an hour")  # fmt: skip
REPORTS_PER_PHONE = Limit("report-phone", 3, 86400, "phản ánh của số điện thoại này trong một ngày",
                          "reports from this phone number in a day")  # fmt: skip
FOLLOWS_PER_IP = Limit("follow-ip", 20, 3600, "lượt theo dõi từ địa chỉ mạng của bạn trong một giờ",
                       "follows from your network address in an hour")  # fmt: skip
RATES_PER_IP = Limit("rate-ip", 20, 3600, "lượt đánh giá từ địa chỉ mạng của bạn trong một giờ",
                     "ratings from your network address in an hour")  # fmt: skip
CHALLENGES_PER_IP = Limit(
    "challenge-ip",
    120,
    3600,
    "câu hỏi kiểm tra cho địa chỉ mạng của bạn trong một giờ",
    "check questions for your network address in an hour",
)
_lock = threading.Lock()


def _times(limit: Limit, key: str, now: float) -> list[float]:
    return [t for t in cache.get(f"fb-rate:{limit.name}:{key}", []) if t > now - limit.window_s]


def limit_check(limit: Limit, key: str) -> None:
    """Throttled (429 with Retry-After) when the key has used up its writes in the window."""
    now = time.time()
    times = _times(limit, key, now)
    if len(times) < limit.count:
        return
    wait = max(1, math.ceil(min(times) + limit.window_s - now))
    minutes = math.ceil(wait / 60)
    raise Throttled(
        f"Đã đủ {limit.count} {limit.vi}; hãy thử lại sau {minutes} phút hoặc gọi tổng đài 1022.",
        f"You have reached {limit.count} {limit.en}; try again in {minutes} minutes "
        "or call the 1022 hotline.",
        headers={"Retry-After": str(wait)},
    )


def limit_note(limit: Limit, key: str) -> None:
    """Count one write of the key."""
    with _lock:
        now = time.time()
        times = [*_times(limit, key, now), now]
        cache.set(f"fb-rate:{limit.name}:{key}", times[-limit.count :], limit.window_s)
