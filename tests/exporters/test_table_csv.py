"""CSV exports open safely in a spreadsheet: formulas neutralised (OWASP), UTF-8 with a BOM, true/false."""

from __future__ import annotations

import csv
import io

import pytest

from bumpwell.exporters.table_csv import cell, table_csv

DANGEROUS = ["=1+1", "+41 79 000 00 00", "-2+3", "@SUM(A1:A2)", "\tindent", "\rreturn", '=HYPERLINK("http://x")']


def as_spreadsheet_reads_it(data: bytes) -> list[list[str]]:
    """What a spreadsheet program reads: the BOM says UTF-8 and is not part of the first cell."""
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(text: str) -> None:
    rows = as_spreadsheet_reads_it(table_csv(["note"], [{"note": text}]))
    assert rows == [["note"], ["'" + text]]


def test_ordinary_text_numbers_and_dates_are_left_as_they_are() -> None:
    row = {"note": "Rücken, stairs", "pain": -1, "day": "2027-01-10", "mean": 2.5, "none": None}
    rows = as_spreadsheet_reads_it(table_csv(list(row), [row]))
    assert rows[1] == ["Rücken, stairs", "-1", "2027-01-10", "2.5", ""]


def test_booleans_are_true_and_false_and_nested_values_are_json() -> None:
    assert [cell(True), cell(False)] == ["true", "false"]
    assert cell({"b": 1, "a": [True]}) == '{"a": [true], "b": 1}'
    assert cell(["=1"]) == '["=1"]'  # JSON text starts with a bracket: nothing to run


def test_the_file_is_utf8_with_a_bom_and_crlf_rows() -> None:
    data = table_csv(["a"], [{"a": "x"}])
    assert data == "\ufeffa\r\nx\r\n".encode()
