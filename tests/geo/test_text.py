"""Vietnamese text folding: properties that must hold for any input."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from gisioc.geo.text import fold, looks_vietnamese, nfc, short_name, split_unit_type

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-", min_size=0, max_size=40)


@given(words)
def test_fold_is_ascii_lowercase_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(folded) == folded


@given(words)
def test_fold_ignores_normal_form_and_case(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert fold(nfd) == fold(unicodedata.normalize("NFC", text)) == fold(text.upper())


@given(words)
def test_nfc_is_stable_and_vietnamese_stays_vietnamese(text: str) -> None:
    assert nfc(nfc(text)) == nfc(text)
    assert looks_vietnamese(text)
    assert looks_vietnamese(unicodedata.normalize("NFD", text))


def test_fold_maps_d_with_stroke_and_marks() -> None:
    assert fold("Điện Bàn, ĐÀ NẴNG") == "dien ban da nang"
    assert fold("Duy  Hòa") == fold("Duy Hoà") == fold("duy hoa")


def test_mojibake_is_not_vietnamese() -> None:
    assert not looks_vietnamese("XaÞ Nam Phýõìc")


def test_unit_types() -> None:
    assert split_unit_type("Thị trấn Nam Phước") == ("thị trấn", "commune", "nam phuoc")
    assert split_unit_type("TT. Nam Phuoc")[2] == "nam phuoc"
    assert split_unit_type("huyện Duy Xuyên")[1] == "district"
    assert split_unit_type("Xã Duy Phú")[2] == "duy phu"
    # One-letter abbreviations need their dot: "X Duy Phu" is a name, not "xã Duy Phú".
    assert split_unit_type("X Duy Phu") == (None, None, "x duy phu")
    assert split_unit_type("P. Hòa Khánh Bắc")[2] == "hoa khanh bac"
    assert short_name("Thị trấn Nam Phước") == ("Thị trấn", "Nam Phước")
    assert short_name("Duy Xuyên") == ("", "Duy Xuyên")
