"""Reading answers in tests: GeoJSON lists are streamed, which the test client's .json() refuses."""

import json
from typing import Any

from django.http import HttpResponseBase


def json_body(response: HttpResponseBase) -> Any:
    """The JSON of an answer, streamed or not."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)
