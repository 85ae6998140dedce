"""User-facing texts in Vietnamese and English: the vocabulary every part of gisioc shares."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A user-facing text in Vietnamese and English."""

    vi: str
    en: str

    @classmethod
    def of(cls, label: str) -> "Text":
        """From a choice label written 'Tiếng Việt / English' (or one word for both)."""
        vi, _, en = str(label).partition(" / ")
        return cls(vi, en or vi)

    def as_dict(self) -> dict[str, str]:
        """{'vi': …, 'en': …}."""
        return {"vi": self.vi, "en": self.en}
