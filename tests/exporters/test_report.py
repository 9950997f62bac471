"""The doctor's report: one page, the facts that matter first, golden text."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from bumpwell.exporters.read_model import PersonStory
from bumpwell.exporters.report import report_html, report_pdf

GOLDEN = Path(__file__).parent / "golden" / "report.txt"


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), re.sub(r"[ \t]+", " ", text).strip() + "\n"


def test_the_report_is_one_page_and_matches_its_golden_text(story: PersonStory) -> None:
    pages, text = text_of(report_pdf(story))
    assert pages == 1
    if os.environ.get("BUMPWELL_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    # Compared without white space: where a PDF reader breaks lines or splits a kerned word is not the report's text.
    squeeze = re.compile(r"\s+")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert squeeze.sub("", text) == squeeze.sub("", expected), (
        "run with BUMPWELL_REGENERATE_GOLDEN=1 to accept a change"
    )


def test_the_first_lines_give_stage_pattern_pain_and_adherence(story: PersonStory) -> None:
    _pages, text = text_of(report_pdf(story))
    for fact in ("29+3 weeks pregnant", "fits a lumbar (lower back) pattern", "6/10 on 4 Jan 2027", "17 of 18 (94 %)"):
        assert fact in text.replace("\n", " "), fact


def test_red_flags_clearances_and_reasons_are_listed_with_dates_and_sources(story: PersonStory) -> None:
    _pages, text = text_of(report_pdf(story))
    flat = text.replace("\n", " ")
    assert "25 Jan 2027 Contact within 24 hours RF-C01" in flat
    assert "cleared by Dr Mara Lind on 5 Jan 2027" in flat
    assert "[CAN-2019, TOMMYS, DESIGN]" in flat


def test_a_person_without_data_still_gets_a_clear_page(story: PersonStory) -> None:
    empty = replace(story, diary=(), check_ins=(), sessions=(), conditions=(), plan=(), plan_week_start=None)
    pages, text = text_of(report_pdf(empty))
    assert pages == 1
    assert "No red flags or escalations recorded." in text
    assert "No plan yet." in text


def test_the_report_never_speaks_of_a_diagnosis_and_escapes_what_people_typed(story: PersonStory) -> None:
    html = report_html(replace(story, display_name="<b>Ana</b>"))
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "diagnos" not in html.replace("not a\ndiagnosis", "")
