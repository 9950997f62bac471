"""The plan calendar: golden bytes, one event a day with stable UIDs, the exercises described, and parsed back."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bumpwell.exporters.calendar import SAFETY, plan_calendar
from bumpwell.exporters.read_model import PersonStory, PlannedItem, PlannedSession

GOLDEN = Path(__file__).parent / "golden" / "plan.ics"
PERSON = "6f1c2d4e-0000-4000-8000-000000000001"


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, Any]:
    return {str(e["uid"]): e for e in events(data)}


def test_the_plan_calendar_matches_its_golden_file(story: PersonStory) -> None:
    data = plan_calendar(story)
    if os.environ.get("BUMPWELL_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes(), "run with BUMPWELL_REGENERATE_GOLDEN=1 to accept a change"


def test_the_same_story_gives_the_same_bytes(story: PersonStory) -> None:
    assert plan_calendar(story) == plan_calendar(replace(story))


def test_the_calendar_names_itself_and_publishes_for_subscription(story: PersonStory) -> None:
    cal = Calendar.from_ical(plan_calendar(story))
    assert str(cal["prodid"]) == "-//bumpwell//plan//EN"
    assert str(cal["version"]) == "2.0"
    assert str(cal["calscale"]) == "GREGORIAN"
    assert str(cal["method"]) == "PUBLISH"
    assert str(cal["x-wr-calname"]) == "bumpwell: my exercise plan"  # never her name (issue 16 point 5)


def test_each_day_is_one_event_and_the_pelvic_floor_minutes_join_the_main_session(story: PersonStory) -> None:
    found = by_uid(plan_calendar(story))
    assert len(story.plan) == 4
    assert len(found) == 3
    expected = {date(2027, 2, 15): 27 + 3, date(2027, 2, 17): 27, date(2027, 2, 19): 27}
    for day, minutes in expected.items():
        event = found[f"{PERSON}-{day:%Y%m%d}@bumpwell.invalid"]
        assert event.decoded("dtstart") == datetime.combine(day, time(9, 0), tzinfo=UTC)
        assert event.decoded("duration") == timedelta(minutes=minutes)
        assert str(event["summary"]).endswith(f"({minutes} min)")
    first = found[f"{PERSON}-20270215@bumpwell.invalid"]
    assert str(first["summary"]) == "bumpwell: walking, pelvic tilt and pelvic floor (30 min)"
    assert "Also today, 3 min:\n- Pelvic floor: long holds (10 times, hold 5 s)" in str(first["description"])


def test_uids_are_unique_and_the_same_when_the_plan_is_exported_again(story: PersonStory) -> None:
    uids = [str(e["uid"]) for e in events(plan_calendar(story))]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["uid"]) for e in events(plan_calendar(story))]


def test_a_new_plan_for_the_same_days_updates_the_events_instead_of_adding_more(story: PersonStory) -> None:
    walk = (PlannedItem("walking", "Walking", "20 min"),)
    newer = replace(
        story,
        plan_id="p-2027-02-22",
        generated_at=story.generated_at + timedelta(days=1),
        plan=tuple(replace(s, kind="aerobic", minutes=20, items=walk) if s.kind != "pelvic_floor" else s
                   for s in story.plan),
    )  # fmt: skip
    before, after = by_uid(plan_calendar(story)), by_uid(plan_calendar(newer))
    assert before.keys() == after.keys()
    assert after[f"{PERSON}-20270217@bumpwell.invalid"].decoded("duration") == timedelta(minutes=20)
    assert after[f"{PERSON}-20270217@bumpwell.invalid"].decoded("dtstamp") == datetime(2027, 2, 16, 9, 30, tzinfo=UTC)


def test_every_description_lists_each_exercise_with_its_dose_supervision_and_the_safety_line(
    story: PersonStory,
) -> None:
    found = by_uid(plan_calendar(story))
    for session in story.plan:
        description = str(found[f"{PERSON}-{session.day:%Y%m%d}@bumpwell.invalid"]["description"])
        for item in session.items:
            assert f"- {item.name} ({item.dose})" in description
        if session.supervision == "required":
            assert "Someone should be with you" in description
        assert description.endswith(SAFETY)
    assert SAFETY == (
        "Stop and check in if you notice a warning sign; in an emergency call your local emergency number."
    )


def test_events_are_exercise_private_free_time_with_a_reminder_15_minutes_before(story: PersonStory) -> None:
    for event in events(plan_calendar(story)):
        assert event["categories"].cats == ["Exercise"]
        assert str(event["transp"]) == "TRANSPARENT"
        assert str(event["class"]) == "PRIVATE"
        assert event.decoded("dtstamp") == datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == timedelta(minutes=-15)
        assert str(alarm["description"]) == str(event["summary"])


def test_the_reminder_can_be_left_out_or_moved(story: PersonStory) -> None:
    assert b"VALARM" not in plan_calendar(story, reminder=None)
    (alarm, *_) = Calendar.from_ical(plan_calendar(story, reminder=timedelta(hours=1))).walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(hours=-1)


def test_a_day_with_only_pelvic_floor_gets_its_own_short_event(story: PersonStory) -> None:
    squeeze = (PlannedItem("pelvic-floor-quick-squeezes", "Pelvic floor: quick squeezes", "10 times"),)
    extra = PlannedSession(date(2027, 2, 16), "pelvic_floor", 2, "not_needed", squeeze)
    found = by_uid(plan_calendar(replace(story, plan=(*story.plan, extra))))
    event = found[f"{PERSON}-20270216@bumpwell.invalid"]
    assert len(found) == 4
    assert str(event["summary"]) == "bumpwell: pelvic floor (2 min)"
    assert event.decoded("duration") == timedelta(minutes=2)
    assert "Someone should be with you" not in str(event["description"])


def test_a_second_main_session_on_a_day_follows_the_first(story: PersonStory) -> None:
    swim = PlannedSession(date(2027, 2, 17), "aerobic", 20, "recommended", (PlannedItem("swim", "Swimming", "20 min"),))
    found = by_uid(plan_calendar(replace(story, plan=(*story.plan, swim))))
    second = found[f"{PERSON}-20270217-2@bumpwell.invalid"]
    assert second.decoded("dtstart") == datetime(2027, 2, 17, 9, 27, tzinfo=UTC)
    assert "Best with someone nearby." in str(second["description"])


def test_a_local_time_zone_adds_a_vtimezone_and_keeps_local_times(story: PersonStory) -> None:
    summer = replace(story.plan[2], day=date(2027, 7, 14))
    data = plan_calendar(replace(story, plan=(*story.plan, summer)), tz="Europe/Berlin", start_time=time(7, 30))
    cal = Calendar.from_ical(data)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Berlin"
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    assert b"DTSTART;TZID=Europe/Berlin:20270215T073000\r\n" in data
    starts = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT"))
    assert [s.astimezone(UTC).time() for s in starts] == [time(6, 30)] * 3 + [time(5, 30)]  # CET, then CEST
    assert all(s.astimezone(ZoneInfo("Europe/Berlin")).time() == time(7, 30) for s in starts)


def test_utc_needs_no_vtimezone(story: PersonStory) -> None:
    data = plan_calendar(story)
    assert b"VTIMEZONE" not in data
    assert b"DTSTART:20270215T090000Z\r\n" in data


def test_every_raw_line_is_at_most_75_octets_and_ends_with_crlf(story: PersonStory) -> None:
    long_name = "Zoë-Åsa Þórunn Müller-Lüdenscheidt, known to friends as „die Zuverlässige“ 😊" * 2
    long_item = PlannedItem("x", "Ünusually long exercise name, with commas; semicolons and ümlauts " * 3, "2 x 10")
    session = PlannedSession(date(2027, 2, 16), "strength", 12, "required", (long_item,) * 3)
    data = plan_calendar(replace(story, display_name=long_name, plan=(*story.plan, session)), tz="Europe/Berlin")
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    Calendar.from_ical(data)  # folding never splits a character, so it decodes and unfolds back
    assert long_item.name in str(by_uid(data)[f"{PERSON}-20270216@bumpwell.invalid"]["description"])


def _ical_text(value: object) -> str:
    found = value.to_ical() if hasattr(value, "to_ical") else value
    return found.decode() if isinstance(found, bytes) else str(found)


def test_the_calendar_says_nothing_diagnostic(story: PersonStory) -> None:
    data = plan_calendar(story, tz="Europe/London")
    # every value as iCalendar text (str() of some values is an object repr whose address could hold "e1")
    values = [v for c in Calendar.from_ical(data).walk() for v in c.values()]
    text = "\n".join(_ical_text(v) for v in values).lower()
    raw = data.decode("utf-8").lower()
    told = [story.status, "29+3", "lumbar", "pattern", "triage", "diagnos", "pain", "bleeding", "spotting", "twin"]
    for check_in in story.check_ins:
        told += [check_in.triage, check_in.pattern, *(r.rule for r in check_in.reasons)]
        told += [*(r.text for r in check_in.reasons), *(a[1] for a in check_in.actions)]
    for condition in story.conditions:
        told += [condition.code, condition.name, condition.cleared_by or ""]
    for word in filter(None, told):
        assert word.lower() not in text, word
        assert word.lower() not in raw, word
    assert "20270430" not in raw  # the due date


def test_an_empty_plan_still_gives_a_calendar_that_parses(story: PersonStory) -> None:
    data = plan_calendar(replace(story, plan=(), plan_week_start=None, plan_id=None), tz="Europe/Berlin")
    cal = Calendar.from_ical(data)
    assert events(data) == []
    assert str(cal["x-wr-calname"]) == "bumpwell: my exercise plan"
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]  # RFC 5545: a calendar holds at least one component


def test_a_generation_time_in_another_zone_is_stamped_in_utc(story: PersonStory) -> None:
    later = replace(story, generated_at=datetime(2027, 2, 15, 10, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert b"DTSTAMP:20270215T093000Z\r\n" in plan_calendar(later)
    assert plan_calendar(later) == plan_calendar(story)


def test_text_with_commas_semicolons_and_new_lines_comes_back_as_typed(story: PersonStory) -> None:
    name = 'Tilt; "Nana",\nthe 2nd\\'
    session = PlannedSession(date(2027, 2, 16), "strength", 12, "not_needed", (PlannedItem("x", name, "2 x 10"),))
    data = plan_calendar(replace(story, plan=(session,)))
    assert name in str(by_uid(data)[f"{PERSON}-20270216@bumpwell.invalid"]["description"])


def _vobject(data: bytes) -> Any:
    import vobject  # an independent parser: not the library that wrote the file

    return vobject.readOne(data.decode("utf-8"), validate=True)


def test_events_are_at_her_time_in_her_zone_as_an_independent_parser_reads_them(story: PersonStory) -> None:
    for tz, in_utc in (("America/New_York", (12, 30)), ("Asia/Kolkata", (2, 0))):
        mine = replace(story, time_zone=tz, session_time=time(7, 30))
        parsed = _vobject(plan_calendar(mine))
        first = min(parsed.vevent_list, key=lambda e: e.dtstart.value)
        assert first.dtstart.value.tzinfo is not None
        assert (first.dtstart.value.hour, first.dtstart.value.minute) == (7, 30), tz
        utc = first.dtstart.value.astimezone(UTC)
        assert (utc.hour, utc.minute) == in_utc, tz  # 07:30 in February: EST is 12:30 UTC, IST 02:00 UTC
        assert str(parsed.vtimezone.tzid.value) == tz


def test_every_event_carries_last_modified_and_a_sequence_that_grows_with_a_newer_plan(story: PersonStory) -> None:
    made = datetime(2027, 2, 14, 18, 5, tzinfo=UTC)
    before = _vobject(plan_calendar(replace(story, plan_made_at=made)))
    after = _vobject(plan_calendar(replace(story, plan_made_at=made + timedelta(days=2))))
    for event in before.vevent_list:
        assert event.last_modified.value == made
    newest_before = max(int(e.sequence.value) for e in before.vevent_list)
    assert min(int(e.sequence.value) for e in after.vevent_list) > newest_before


def test_an_empty_plan_is_a_valid_calendar_for_an_independent_parser_in_any_zone(story: PersonStory) -> None:
    for tz in ("UTC", "America/New_York", "Asia/Kolkata"):
        empty = replace(story, plan=(), plan_week_start=None, plan_id=None, time_zone=tz)
        parsed = _vobject(plan_calendar(empty))
        assert not hasattr(parsed, "vevent")
        assert str(parsed.vtimezone.tzid.value) == tz
