"""ICD-10 codes as hospitals write them ('b084', 'A91.0', 'J18 9'), normalised, and chapters."""

import re

_CODE = re.compile(r"^([A-Z])(\d{2})(?:\.?(\d{1,2}))?[*+†]?$")
# Chapters of ICD-10 (WHO 2019, as the Ministry of Health's list): (first, last, numeral).
CHAPTERS = (
    ("A00", "B99", "I"),
    ("C00", "D48", "II"),
    ("D50", "D89", "III"),
    ("E00", "E90", "IV"),
    ("F00", "F99", "V"),
    ("G00", "G99", "VI"),
    ("H00", "H59", "VII"),
    ("H60", "H95", "VIII"),
    ("I00", "I99", "IX"),
    ("J00", "J99", "X"),
    ("K00", "K93", "XI"),
    ("L00", "L99", "XII"),
    ("M00", "M99", "XIII"),
    ("N00", "N99", "XIV"),
    ("O00", "O99", "XV"),
    ("P00", "P96", "XVI"),
    ("Q00", "Q99", "XVII"),
    ("R00", "R99", "XVIII"),
    ("S00", "T98", "XIX"),
    ("V01", "Y98", "XX"),
    ("Z00", "Z99", "XXI"),
    ("U00", "U99", "XXII"),
)


def icd_normalise(text: str) -> str | None:
    """The code upper case with its dot ('B08.4', 'A91'), None when it is not ICD-10 shaped."""
    compact = re.sub(r"\s+", "", text).upper()
    match = _CODE.match(compact)
    if match is None:
        return None
    letter, number, detail = match.groups()
    return f"{letter}{number}.{detail}" if detail else f"{letter}{number}"


def icd_chapter(code: str) -> str:
    """The chapter's Roman numeral of a normalised code; '' when the category is in none."""
    category = code[:3]
    return next((numeral for first, last, numeral in CHAPTERS if first <= category <= last), "")
