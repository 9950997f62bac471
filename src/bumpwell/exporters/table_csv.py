"""One export table as CSV that opens safely in a spreadsheet program (OWASP "CSV injection").

- A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula
  (``=HYPERLINK(...)`` in a diary note, say): it gets a leading apostrophe, which spreadsheets show as text and
  hide, so the cell reads as she wrote it.
- UTF-8 with a byte order mark, so Excel shows "Rücken" and not "RÃ¼cken"; rows end in CRLF (RFC 4180).
- ``true``/``false`` for booleans (not Python's ``True``), empty for a missing value, nested values as JSON text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One value as the text of a CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, int | float):
        return str(value)  # a negative number stays a number
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """``rows`` under a header of ``columns`` as UTF-8 CSV bytes with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(name) for name in columns])
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
    return (BOM + buffer.getvalue()).encode("utf-8")
