"""The clinician's board: who needs attention first, and the one-line reasons (domain/care_board.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bumpwell.domain.care_board import (
    Facts,
    Handled,
    Need,
    counts,
    escalation_rules,
    expected_sessions,
    raises_flag,
    rank,
    row,
    warning_rules,
)

TODAY = date(2027, 1, 20)
NAMES = {"CI-R01": "Twins", "CI-A09": "Blood pressure", "E4": "Pain has been worse for a week"}
STARTED = date(2027, 1, 1)
HANDLED_E4 = Handled("escalation", ("E4",), 0, "Cleo", "Physio on Friday.", date(2027, 1, 27))


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 1, day, hour, tzinfo=UTC)


def facts(name: str, **fields: object) -> Facts:
    base: dict[str, object] = {"weekly_sessions": 4, "done_7d": 4, "programme_start": STARTED}
    return Facts(person_id=f"id-{name}", name=name, **(base | fields))  # type: ignore[arg-type]


def response(triage: str, *rules: str) -> dict[str, object]:
    return {"triage": triage, "reasons": [{"rule": r} for r in rules]}


def test_warning_signs_that_send_her_to_someone_within_a_day_raise_a_flag() -> None:
    assert raises_flag(response("emergency", "RF-E01"))
    assert raises_flag(response("contact_within_24h", "RT-4", "M01"))
    assert warning_rules(response("urgent_same_day", "M02", "RF-U02", "RT-1")) == ["RF-U02", "RT-1"]


def test_escalations_alone_or_later_visits_raise_no_flag() -> None:
    assert not raises_flag(response("contact_within_24h", "E2"))  # not improving: an escalation, not a red flag
    assert not raises_flag(response("discuss_at_next_visit", "RF-D01"))
    assert not raises_flag({"reasons": []})
    assert escalation_rules(response("contact_within_24h", "E1", "E2", "E4", "M02")) == ["E2", "E4"]


def test_the_board_puts_red_flags_then_escalations_then_clearances_then_missed_sessions_then_the_rest() -> None:
    people = [
        facts("On track"),
        facts("Missed", done_7d=1),
        facts("Waiting", uncleared=("CI-R01",), waiting_since=at(3)),
        facts("Worse", escalations=("E4",), pain_7d=6.0, pain_prev_7d=4.0),
        facts("Flagged", open_flags=1, worst_triage="contact_within_24h", latest_flag_at=at(19), flag_rules=("RT-4",)),
        facts("Handled", escalations=("E4",), handled=(HANDLED_E4,)),
    ]
    ranked = rank(people, TODAY, NAMES)
    assert [r.facts.name for r in ranked] == ["Flagged", "Worse", "Waiting", "Missed", "Handled", "On track"]
    assert [r.need for r in ranked] == list(Need)
    assert counts(ranked) == dict.fromkeys(Need, 1)


def test_within_red_flags_the_most_urgent_then_the_newest_comes_first() -> None:
    people = [
        facts("Older urgent", open_flags=1, worst_triage="urgent_same_day", latest_flag_at=at(10)),
        facts("Stopped only", open_flags=1, latest_flag_at=at(19)),
        facts("Newer urgent", open_flags=2, worst_triage="urgent_same_day", latest_flag_at=at(18)),
        facts("Emergency", open_flags=1, worst_triage="emergency", latest_flag_at=at(2)),
        facts("No time", open_flags=1, worst_triage="contact_within_24h"),
    ]
    ranked = rank(people, TODAY, NAMES)
    assert [r.facts.name for r in ranked] == ["Emergency", "Newer urgent", "Older urgent", "No time", "Stopped only"]
    assert ranked[1].reason == "Warning sign: same day; 2 open", "when it was raised stands beside, as a local time"
    assert ranked[4].reason == "Warning sign: session stopped for a warning sign"
    assert ranked[3].reason == "Warning sign: within 24 h"


def test_escalations_order_worse_before_not_improving_and_say_so_with_the_pain() -> None:
    ranked = rank(
        [
            facts("Not improving", escalations=("E3",)),
            facts("Worse", escalations=("E2", "E4"), pain_7d=6.25),
        ],
        TODAY,
        NAMES,
    )
    assert [r.facts.name for r in ranked] == ["Worse", "Not improving"]
    assert ranked[0].reason == "Pain has been worse for a week (E4); pain 6.2", "the rule's own name, from content"
    assert ranked[1].reason == "E3; no diary this week", "a rule without a name is its code alone"


def test_clearances_wait_longest_first_and_name_the_condition() -> None:
    ranked = rank(
        [
            facts("Recent", uncleared=("CI-R01",), waiting_since=at(15)),
            facts("Long", uncleared=("CI-A09", "CI-R99"), waiting_since=at(2)),
            facts("Unknown", uncleared=("CI-R01",)),
        ],
        TODAY,
        NAMES,
    )
    assert [r.facts.name for r in ranked] == ["Unknown", "Long", "Recent"]
    assert ranked[1].reason == "Waiting for clearance: Blood pressure (CI-A09), CI-R99"


def test_missed_sessions_count_against_the_weekly_plan_most_missed_first() -> None:
    ranked = rank(
        [facts("One missed", done_7d=3), facts("All missed", done_7d=0, pain_7d=3.0, pain_prev_7d=4.5)], TODAY, NAMES
    )
    assert [r.facts.name for r in ranked] == ["All missed", "One missed"]
    assert ranked[0].missed == 4
    assert ranked[0].reason == "0 of 4 planned sessions done in 7 days; pain 3.0 (week before 4.5)"


def test_the_first_week_expects_sessions_pro_rata_and_nothing_before_a_plan() -> None:
    assert expected_sessions(facts("New", programme_start=date(2027, 1, 17)), TODAY) == 1  # 3 days of 7
    assert expected_sessions(facts("Future", programme_start=date(2027, 1, 25)), TODAY) == 0
    assert expected_sessions(facts("No plan", programme_start=None), TODAY) == 0
    assert expected_sessions(facts("Rest week", weekly_sessions=0), TODAY) == 0
    on_track = row(facts("New", programme_start=date(2027, 1, 17), done_7d=1), TODAY, NAMES)
    assert on_track.need is Need.on_track
    assert on_track.reason == "On track: 1 of 1 planned sessions done in 7 days; no diary this week"


def test_people_at_the_same_level_are_in_name_order() -> None:
    ranked = rank([facts("Zoe"), facts("Amy"), facts("Mia", done_7d=9)], TODAY, NAMES)
    assert [r.facts.name for r in ranked] == ["Amy", "Mia", "Zoe"]


def test_a_handled_escalation_waits_until_its_day_or_until_a_new_escalation() -> None:
    handled = facts("Willa", escalations=("E4",), handled=(HANDLED_E4,))
    line = row(handled, TODAY, NAMES)
    assert line.need is Need.handled
    assert line.reason == "Handled by Cleo (Pain has been worse for a week (E4)), back on 27 Jan: Physio on Friday."
    assert row(handled, date(2027, 1, 27), NAMES).need is Need.escalation, "back on its day"
    newer = facts("Willa", escalations=("E4", "E7"), handled=(HANDLED_E4,))
    assert row(newer, TODAY, NAMES).need is Need.escalation, "an escalation it did not cover"


def test_a_handled_escalation_does_not_hide_a_clearance_or_a_red_flag() -> None:
    waiting = facts("Wanda", escalations=("E4",), handled=(HANDLED_E4,), uncleared=("CI-R01",))
    line = row(waiting, TODAY, NAMES)
    assert line.need is Need.clearance
    assert line.reason == "Waiting for clearance: Twins (CI-R01); E4 handled by Cleo until 27 Jan"
    flagged = facts("Flo", escalations=("E4",), handled=(HANDLED_E4,), open_flags=1, worst_triage="emergency")
    assert row(flagged, TODAY, NAMES).need is Need.red_flag


def test_missed_sessions_count_from_the_policy_threshold_and_a_handled_line_returns_when_more_are_missed() -> None:
    one = facts("Missy", done_7d=3)
    assert row(one, TODAY, NAMES, missed_min=2).need is Need.on_track
    assert row(one, TODAY, NAMES, missed_min=1).need is Need.missed
    away = Handled("missed", (), 2, "Cleo", "Away this week.", date(2027, 1, 25))
    assert row(facts("Missy", done_7d=2, handled=(away,)), TODAY, NAMES, 2).need is Need.handled
    assert row(facts("Missy", done_7d=1, handled=(away,)), TODAY, NAMES, 2).need is Need.missed


def test_sessions_done_on_her_first_day_never_read_as_one_of_none_planned() -> None:
    first_day = row(facts("New", programme_start=TODAY, done_7d=2), TODAY, NAMES)
    assert first_day.reason == "On track: 2 sessions done in 7 days (none due yet); no diary this week"
    nothing_yet = row(facts("New", programme_start=TODAY, done_7d=0), TODAY, NAMES)
    assert nothing_yet.reason == "On track: no sessions due yet; no diary this week"


def test_a_red_flag_line_names_its_warning_signs_not_only_their_codes() -> None:
    names = NAMES | {"RF-E01": "Heavy bleeding"}
    flagged = row(facts("Ana", open_flags=1, worst_triage="emergency", flag_rules=("RF-E01", "RF-X99")), TODAY, names)
    assert flagged.reason == "Warning sign: emergency (Heavy bleeding (RF-E01), RF-X99)"
