"""What the API's file answers are, for OpenAPI: each one's media type and schema, so that a generated client
reads a PDF as bytes, a FHIR Bundle as JSON and a calendar or CSV table as text."""

from __future__ import annotations

from typing import Any

PDF = "application/pdf"
FHIR_JSON = "application/fhir+json"
CALENDAR = "text/calendar"
CSV = "text/csv"

BINARY = {"type": "string", "format": "binary", "contentMediaType": PDF}
TEXT = {"type": "string"}
FHIR_BUNDLE = {
    "type": "object",
    "description": "A FHIR R4 Bundle (https://hl7.org/fhir/R4/bundle.html); its entries' resources follow R4.",
    "required": ["resourceType", "type"],
    "properties": {
        "resourceType": {"type": "string", "const": "Bundle"},
        "type": {"type": "string", "enum": ["collection", "transaction"]},
        "timestamp": {"type": "string", "format": "date-time"},
        "entry": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
    "additionalProperties": True,
}


def file_answer(media_type: str, schema: dict[str, Any], description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 answer of a route that returns a file of ``media_type``."""
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}
