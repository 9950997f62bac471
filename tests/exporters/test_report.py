"""The doctor's report: one page, the facts that matter first, golden text."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from bumpwell.exporters.read_model import (
    AdjustmentSummary,
    PersonStory,
    PlannedItem,
    PlannedSession,
    RedFlagSummary,
    SessionSummary,
)
from bumpwell.exporters.report import report_file_name, report_html, report_pdf

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


def flat_text(story: PersonStory) -> str:
    pages, text = text_of(report_pdf(story))
    assert pages == 1
    return re.sub(r"\s+", " ", text)


def test_red_flags_clearances_and_reasons_are_listed_with_dates_and_sources(story: PersonStory) -> None:
    flat = flat_text(story)
    flag = "25 Jan 2027 08:00 Contact a clinician within 24 hours: RF-U01 Spotting or light bleeding in pregnancy"
    assert flag in flat
    assert "cleared by Dr Mara Lind on 5 Jan 2027" in flat
    assert "M01 No lying flat from 20 weeks [CAN-2019, TOMMYS, DESIGN]" in flat


def test_a_red_flag_says_who_closed_it_and_what_was_done(story: PersonStory) -> None:
    flat = flat_text(story)
    assert "Closed 25 Jan 2027 by Dr Mara Lind: Phoned her; seen at the maternity unit the same day" in flat
    assert "Open" not in flat
    assert 'class="flags"' in report_html(story)  # a closed flag is listed without the red box


def _flag(number: int, closed: bool) -> RedFlagSummary:
    raised = datetime(2027, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=number)
    return RedFlagSummary(
        f"f{number}", "session_stopped", f"s{number}", raised, None, (), None,
        raised + timedelta(hours=2) if closed else None, "Dr Mara Lind" if closed else None,
        "Called her back; all well." if closed else None,
    )  # fmt: skip


def test_open_red_flags_come_first_in_a_red_box_and_older_closed_ones_are_counted(story: PersonStory) -> None:
    flags = tuple(_flag(n, closed=n != 3) for n in range(1, 9))
    flat = flat_text(replace(story, red_flags=flags))
    assert flat.index("4 Jan 2027 09:00 Session stopped for a warning sign Open: no clinician has closed it yet") < (
        flat.index("9 Jan 2027 09:00")
    )
    assert "7 Jan 2027" in flat  # the open one and the 3 latest closed ones
    assert "6 Jan 2027" not in flat
    assert "4 earlier red flags, all closed." in flat
    assert 'class="alert"' in report_html(replace(story, red_flags=flags))


def test_escalations_are_counted_by_rule_with_the_last_check_in_that_raised_them(story: PersonStory) -> None:
    again = replace(story.check_ins[1], id="c4", day=date(2027, 2, 1))
    flat = flat_text(replace(story, check_ins=(*story.check_ins, again)))
    assert "E3 Doing the plan but pain is not better (2 check-ins, last 1 Feb 2027)" in flat


def test_the_supervision_line_says_who_was_there_for_the_ended_sessions(story: PersonStory) -> None:
    flat = flat_text(story)
    assert "of the 18 sessions, 10 with a supervisor (Ben), 2 started alone, 6 not recorded." in flat
    running = SessionSummary("s99", date(2027, 2, 15), "mixed", 25, "required", "started", None, 4, None, "alone", None)
    assert "of the 18 sessions" in flat_text(replace(story, sessions=(*story.sessions, running)))
    assert "Who was there" not in flat_text(replace(story, sessions=()))


def test_the_clinicians_standing_changes_are_shown_with_the_plan(story: PersonStory) -> None:
    dose = AdjustmentSummary(
        "walking", "Walking", "dose", "10 min", "Short walks only for now.", "Dr Ade Bello",
        datetime(2027, 2, 12, 9, 0, tzinfo=UTC), 2, 1,
    )  # fmt: skip
    flat = flat_text(replace(story, adjustments=(*story.adjustments, dose)))
    assert "Changed by the care team: Shallow wall squat taken out, by Dr Mara Lind on 10 Feb 2027: Pubic pain" in flat
    assert (
        "Walking: dose set to 10 min; left as it was in 1 session: over the time limit, by Dr Ade Bello on "
        "12 Feb 2027: Short walks only for now." in flat
    )
    gone = replace(story.adjustments[0], changed=0)
    assert "Shallow wall squat taken out (not in this week's plan)" in flat_text(replace(story, adjustments=(gone,)))


def test_the_same_session_on_several_days_is_one_row_of_the_plan(story: PersonStory) -> None:
    flat = flat_text(story)
    assert "Mon 15 Feb, Wed 17 Feb, Fri 19 Feb 27 min with someone Warm-up (5 min)" in flat
    pelvic = story.plan[1]
    week = tuple(replace(pelvic, day=date(2027, 2, 15) + timedelta(days=n)) for n in range(7))
    assert "Every day 3 min Pelvic floor" in flat_text(replace(story, plan=week))


def test_a_long_record_is_set_tighter_and_still_fits_on_one_page(story: PersonStory) -> None:
    # Seven different sessions of nine exercises (the engine's plans have up to seven session days), eight flags
    items = tuple(
        PlannedItem(f"x{n}", f"Kneeling arm-and-leg raise {n}", "8 times, hold 5 s, each side") for n in range(9)
    )
    plan = tuple(
        PlannedSession(date(2027, 2, 15) + timedelta(days=n), "mixed", 40 + n, "required", items) for n in range(7)
    )
    flags = tuple(_flag(n, closed=n > 2) for n in range(1, 9))
    long = replace(story, plan=plan, red_flags=flags)
    assert "class='compact'" not in report_html(long)
    pages, text = text_of(report_pdf(long))
    assert pages == 1
    assert "Kneeling arm-and-leg raise 8" in text
    assert "each side" not in text  # set tighter: the exercises without their doses


def test_a_person_without_data_still_gets_a_clear_page(story: PersonStory) -> None:
    empty = replace(
        story, diary=(), check_ins=(), sessions=(), red_flags=(), conditions=(), plan=(), plan_week_start=None,
        plan_id=None, adjustments=(),
    )  # fmt: skip
    pages, text = text_of(report_pdf(empty))
    assert pages == 1
    assert "No red flags or escalations recorded." in text
    assert "No plan yet." in text


def test_a_plan_without_sessions_says_the_last_check_in_advised_no_exercise(story: PersonStory) -> None:
    flat = flat_text(replace(story, plan=(), adjustments=()))
    assert "No sessions this week: the last check-in advised no exercise for now." in flat


def test_the_report_never_speaks_of_a_diagnosis_and_escapes_what_people_typed(story: PersonStory) -> None:
    html = report_html(replace(story, display_name="<b>Ana</b>", given_name="<b>Ana</b>"))
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "diagnos" not in html.replace("not a diagnosis", "")


def test_the_report_quotes_her_latest_words_after_sessions_with_her_pain_and_effort(story: PersonStory) -> None:
    last = story.ended()[-1]
    said = replace(last, unusual="Pubic bone hurt on the squats, sharp when I stood up", pain_before=2, pain_after=6,
                   effort="cannot_talk")  # fmt: skip
    html = report_html(replace(story, sessions=(*story.sessions[:-1], said) if story.sessions[-1] is last else
                               (*story.sessions, said)))  # fmt: skip
    assert "Her words after sessions:" in html
    assert "pain 2 → 6; too hard (could not talk)" in html
    assert "“Pubic bone hurt on the squats, sharp when I stood up”" in html
    assert "Her words after sessions" not in report_html(story), "nothing said: no line"


def test_the_report_says_who_made_it_about_whom_and_its_file_is_named_for_her_and_the_day(story: PersonStory) -> None:
    made = flat_text(replace(story, made_by="Cleo, clinician"))
    assert f"made by Cleo, clinician, about {story.identity.full_name}" in made
    assert "made by" not in flat_text(story), "no one named: no line"
    day = date(2027, 2, 15)
    assert report_file_name("Zoë Lindqvist-Ahl", day) == "bumpwell-report-zoe-lindqvist-ahl-2027-02-15.pdf"
    assert report_file_name("", day) == "bumpwell-report-person-2027-02-15.pdf"
