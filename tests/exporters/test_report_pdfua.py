"""The report is an accessible PDF (PDF/UA-1): tagged, in English, with XMP metadata and a title naming the report,
the person and the day, read in the order of the page, on A4 or US Letter. Checked with poppler's pdfinfo and by
reading the structure tree back with pypdf the way a screen reader walks it."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from bumpwell.exporters.read_model import PersonStory
from bumpwell.exporters.report import report_pdf

needs_pdfinfo = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo (make test installs poppler-utils as root)"
)


def _pdfinfo(pdf: bytes, *flags: str) -> str:
    done = subprocess.run(["pdfinfo", *flags, "-"], input=pdf, capture_output=True, check=True, timeout=30)
    return done.stdout.decode()


def _marked_text(reader: PdfReader) -> dict[int, str]:
    """The text of each marked-content id of the page (the chart's labels too, drawn inside their Figure)."""
    stack: list[int | None] = []
    texts: dict[int, str] = {}

    def before(op: bytes, args: Any, _cm: Any, _tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(value: str, *_rest: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + value

    reader.pages[0].extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def _read_aloud(pdf: bytes) -> list[tuple[str, str]]:
    """(structure type, words) in the order of the structure tree: a Figure says its alternate text, not its
    drawing; every other element the text of its own marked content."""
    reader = PdfReader(io.BytesIO(pdf))
    texts = _marked_text(reader)
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, int):
            out.append(("", texts.get(node, "").strip()))
            return
        if not isinstance(node, DictionaryObject):
            return
        if node.get("/Type") == "/MCR":
            out.append(("", texts.get(int(node["/MCID"]), "").strip()))
            return
        kind = str(node.get("/S", ""))
        if kind == "/Figure":
            out.append(("Figure", str(node.get("/Alt", ""))))
            return
        kids = node.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]
        if kind in ("/H1", "/H2"):
            out.append((kind[1:], ""))
        for kid in kids:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return [(kind, words) for kind, words in out if kind or words]


def test_the_report_is_tagged_in_english_with_xmp_metadata_declaring_pdf_ua_1(story: PersonStory) -> None:
    reader = PdfReader(io.BytesIO(report_pdf(story)))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject, not a bool
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - as above
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "bumpwell report for Ana Sofia Lindqvist, 15 Feb 2027" in xmp
    assert reader.metadata is not None
    assert reader.metadata.title == "bumpwell report for Ana Sofia Lindqvist, 15 Feb 2027"


def test_a_screen_reader_reads_the_chart_as_words_between_its_heading_and_the_clearances(story: PersonStory) -> None:
    spoken = _read_aloud(report_pdf(story))
    headings = [words for (kind, _), (_, words) in pairwise(spoken) if kind in ("H1", "H2")]
    assert headings == [
        "Ana Sofia Lindqvist: back and pelvic pain exercise", "Red flags and escalations", "Pain trend (diary, 0-10)",
        "Clearances", "Why bumpwell advised this", "Current plan",
    ]  # fmt: skip
    at = spoken.index(("H2", ""), next(i for i, (_k, w) in enumerate(spoken) if w == "Red flags and escalations") + 1)
    assert spoken[at + 1] == ("", "Pain trend (diary, 0-10)")
    kind, words = spoken[at + 2]
    assert kind == "Figure"
    assert words.startswith("Chart of diary pain by day, 0 to 10: 6/10 on 4 Jan 2027")
    assert spoken[at + 3 : at + 5] == [("H2", ""), ("", "Clearances")]
    assert not any(w in ("10 Jan", "16 Jan") or w.startswith("0\n1\n2") for _k, w in spoken)  # no label read out


@needs_pdfinfo
@pytest.mark.parametrize(("paper", "size"), [("A4", "595.276 x 841.89 pts (A4)"), ("letter", "612 x 792 pts (letter)")])
def test_pdfinfo_sees_a_tagged_one_page_pdf_with_its_title_on_the_chosen_paper(
    story: PersonStory, paper: str, size: str
) -> None:
    info = _pdfinfo(report_pdf(story, paper))  # type: ignore[arg-type]
    assert "Tagged:          yes" in info
    assert "Metadata Stream: yes" in info
    assert "Title:           bumpwell report for Ana Sofia Lindqvist, 15 Feb 2027" in info
    assert "Pages:           1" in info
    assert f"Page size:       {size}" in info
    assert "pdfuaid:part" in _pdfinfo(report_pdf(story, paper), "-meta")  # type: ignore[arg-type]


def test_a_long_record_on_letter_paper_still_fits_on_one_page(story: PersonStory) -> None:
    long = replace(story, red_flags=story.red_flags * 6, plan=story.plan * 3)
    assert len(PdfReader(io.BytesIO(report_pdf(long, "letter"))).pages) == 1
