"""Vietnamese text: NFC storage, folding for search, and admin-unit type prefixes."""

import re
import unicodedata

# Longest first, so "thi tran" wins over "thi" and "thanh pho" over "tp".
_UNIT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("thanh pho truc thuoc trung uong", "thành phố", "province"),
    ("dac khu", "đặc khu", "commune"),
    ("thi tran", "thị trấn", "commune"),
    ("thi xa", "thị xã", "district"),
    ("thanh pho", "thành phố", "city"),
    ("phuong", "phường", "commune"),
    ("huyen", "huyện", "district"),
    ("quan", "quận", "district"),
    ("tinh", "tỉnh", "province"),
    ("xa", "xã", "commune"),
    ("tt", "thị trấn", "commune"),
    ("tx", "thị xã", "district"),
    ("tp", "thành phố", "city"),
    ("p", "phường", "commune"),
    ("x", "xã", "commune"),
    ("h", "huyện", "district"),
    ("q", "quận", "district"),
)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Unicode NFC with surrounding and repeated white space removed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Lower-case ASCII words: no diacritics, đ→d, punctuation and spacing collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", bare).strip()


def split_unit_type(text: str) -> tuple[str | None, str | None, str]:
    """Split 'Xã Duy Phú' into ('xã', 'commune', 'duy phu'); the name part comes back folded."""
    folded = fold(text)
    for prefix, label, level in _UNIT_TYPES:
        if not folded.startswith(prefix + " ") or len(folded) <= len(prefix) + 1:
            continue
        # A one-letter abbreviation ("P.", "X.") only counts with its dot.
        if len(prefix) == 1 and text.lstrip()[1:2] != ".":
            continue
        return label, level, folded[len(prefix) + 1 :]
    return None, None, folded


def short_name(full_name: str) -> tuple[str, str]:
    """Split a full name into (type as written, short name): 'Xã Thu Bồn' → ('Xã', 'Thu Bồn')."""
    name = nfc(full_name)
    label, _, rest = split_unit_type(name)
    if label is None:
        return "", name
    words = name.split(" ")
    type_words = len(fold(name).split(" ")) - len(rest.split(" "))
    return " ".join(words[:type_words]), " ".join(words[type_words:])


_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def looks_vietnamese(text: str) -> bool:
    """True when every non-ASCII letter is a Latin letter with Vietnamese marks, or đ/Đ."""
    for char in unicodedata.normalize("NFC", text):
        if char.isascii() or char in "đĐ":
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        if not (base.isascii() and base.isalpha() and marks and set(marks) <= _VIETNAMESE_MARKS):
            return False
    return True
