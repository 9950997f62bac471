"""The typed shape of a check-in's answers (``observations`` and ``pain``), for the OpenAPI document and generated
clients: each field of ``bumpwell.assessment/1`` with its type, allowed values and bounds, all optional.

The models are built from the engine's own dataclasses (``domain.request``), so the published schema cannot drift
from what the engine reads; the engine still checks every value and names the field it refuses.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, create_model

from bumpwell.domain import request as engine

CHOICES: dict[str, tuple[str, ...]] = {  # the text fields of the request and what each may be
    "vaginal_bleeding": engine.BLEEDING,
    "fetal_movements": engine.MOVEMENTS,
    "headache": engine.HEADACHE,
    "swelling": engine.SWELLING,
    "chest_pain": engine.CHEST_PAIN,
    "dizziness": engine.DIZZINESS,
    "onset": ("gradual", "sudden"),
    "pattern": ("mechanical", "constant", "night"),
    "function_limit": ("none", "some", "severe"),
}
NUMBERS: dict[str, tuple[float, float, str]] = {  # low, high, what it is
    "per_hour": (0, 60, "tightenings an hour"),
    "settled_with_rest_min": (0, 1440, "minutes of rest after which they settled"),
    "temperature_c": (30.0, 45.0, "body temperature, degrees Celsius"),
    "nrs_now": (0, 10, "pain now, 0 none to 10 worst"),
    "nrs_worst_24h": (0, 10, "worst pain in the last 24 hours, 0 to 10"),
    "days_at_or_above_7": (0, 3650, "days with pain 7 or more"),
    "duration_weeks": (0, 520, "weeks this pain has lasted"),
}
LISTS: dict[str, tuple[str, ...]] = {"locations": engine.LOCATIONS, "aggravators": engine.AGGRAVATORS}
STRICT = ConfigDict(extra="forbid", strict=True)


def whole_number(value: object) -> object:
    """A float with no fraction as the integer it is: JSON Schema counts 9.0 as an integer, strict pydantic does not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = BeforeValidator(whole_number)  # after a number's bounds, or pydantic hides them from the JSON Schema


def _annotation(name: str, kind: str) -> Any:
    """The pydantic type of one field of the engine's dataclass (its annotation is a string)."""
    if name in CHOICES:
        return Literal[CHOICES[name]]
    if name in LISTS:
        return Annotated[list[Literal[LISTS[name]]], Field(max_length=len(LISTS[name]))]  # type: ignore[valid-type]
    if name in NUMBERS:
        low, high, what = NUMBERS[name]
        if kind.startswith("float"):
            return Annotated[float, Field(ge=low, le=high, description=what)]
        return Annotated[int, Field(ge=low, le=high, description=what), Whole]
    if kind == "bool":
        return bool
    raise TypeError(f"no schema type for {name}: {kind}")


def _model(name: str, source: type, nested: dict[str, Any] | None = None) -> Any:
    """A model with one optional field for each field of ``source``: left out (or null), the engine's default."""
    nested = nested or {}
    spec: dict[str, Any] = {}
    for f in fields(source):
        kind = nested.get(f.name) or _annotation(f.name, str(f.type))
        default = f.default if f.default is not MISSING and not isinstance(f.default, frozenset | tuple) else None
        described = f"when left out: {default!r}" if default not in (None, False, 0, "") else None
        spec[f.name] = (kind | None, Field(default=None, description=described))
    return create_model(name, __config__=STRICT, __doc__=source.__doc__, **spec)


Contractions = _model("Contractions", engine.Contractions)
Observations = _model("Observations", engine.Observations, {"contractions": Contractions})
Pain = _model("PainReport", engine.Pain)
