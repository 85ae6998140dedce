"""Choice labels in Vietnamese and English, sent with every record the API returns."""

from typing import Any

from django.db import models
from rest_framework import serializers

from layers.registry import Text


class ChoiceLabelsField(serializers.Field):
    """{field: {'vi', 'en'}} for the record's choice fields, so clients need no label table."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: models.Model) -> dict[str, dict[str, str]]:
        """The labels of the choice fields the serializer also returns, that have a value."""
        names = set(getattr(self.parent.Meta, "fields", ()))
        labels = {}
        for field in value._meta.concrete_fields:
            raw = getattr(value, field.attname)
            if field.choices and field.name in names and raw not in (None, ""):
                labels[field.name] = Text.of(dict(field.flatchoices).get(raw, raw)).as_dict()
        return labels
