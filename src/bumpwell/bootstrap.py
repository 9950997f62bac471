"""The composition root: builds the catalogue once and hands the clock to the edges."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from bumpwell.catalogue import load_catalogue
from bumpwell.domain.assessment import assess
from bumpwell.domain.catalogue import Catalogue


@cache
def catalogue() -> Catalogue:
    """The validated catalogue shipped with the package, loaded on first use."""
    return load_catalogue()


def assess_document(document: object, today: date | None = None) -> dict[str, Any]:
    """Answer a ``bumpwell.assessment/1`` request; ``today`` defaults to the local date."""
    return assess(document, catalogue(), today or date.today())
