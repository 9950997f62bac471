"""bumpwell: safe, guided exercise for back and pelvic girdle pain in pregnancy and after birth.

The one public function here is :func:`assess`, the ``bumpwell.assessment/1`` contract. Heavy modules are
imported on first use so that the command line starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

__all__ = ["assess"]
__version__ = "0.1.0"


def assess(request: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Answer one ``bumpwell.assessment/1`` request with the installed catalogue and rules.

    ``today`` stands in for the request's ``today`` field when the request has none; when both are
    missing, the local date is used. Raises :class:`bumpwell.errors.InvalidRequest` on bad input.
    """
    from bumpwell.bootstrap import assess_document

    return assess_document(request, today)
