"""The check before a session: only a recent check without a warning sign lets a session start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bumpwell.domain.check_gate import Finding, check_problem, followed_up, holding, stops

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("triage", ["emergency", "urgent_same_day", "contact_within_24h"])
def test_a_check_that_sends_her_to_someone_stops_the_session(triage: str) -> None:
    assert stops(triage, "yes_modified")
    assert check_problem(NOW, triage, "yes_modified", NOW, 60) is not None


def test_a_check_that_advised_no_exercise_stops_the_session_however_recent() -> None:
    assert stops("ok_to_exercise", "no")
    assert "advised no exercise" in (check_problem(NOW, "ok_to_exercise", "no", NOW, 60) or "")


def test_a_calm_check_counts_until_the_policys_minutes_are_over() -> None:
    assert not stops("discuss_at_next_visit", "yes")
    assert check_problem(NOW, "ok_to_exercise", "yes", NOW + timedelta(minutes=60), 60) is None
    assert check_problem(NOW, "ok_to_exercise", "yes", NOW + timedelta(minutes=61), 60) is not None
    assert check_problem(NOW, "ok_to_exercise", "yes", NOW + timedelta(minutes=61), 90) is None


@pytest.mark.parametrize(
    ("age", "words"),
    [(timedelta(minutes=75), "75 minutes ago"), (timedelta(hours=5), "5 hours ago"), (timedelta(days=5), "5 days ago")],
)
def test_an_old_check_says_how_old_it_is_and_to_check_in_again(age: timedelta, words: str) -> None:
    problem = check_problem(NOW, "ok_to_exercise", "yes", NOW + age, 60) or ""
    assert problem.startswith("check in again first")
    assert words in problem


def test_an_open_flag_at_the_threshold_holds_and_the_newest_one_is_named() -> None:
    old = Finding("a", "contact_within_24h", datetime(2026, 12, 1, 9, tzinfo=UTC), closed=False)
    new = Finding("b", "emergency", datetime(2026, 12, 2, 9, tzinfo=UTC), closed=False)
    assert holding([old, new], [], "contact_within_24h") == new
    assert holding([old], [], "urgent_same_day") is None, "below the threshold nothing is held"


def test_a_closed_flag_or_a_later_clearance_ends_the_hold_but_an_earlier_one_does_not() -> None:
    raised = datetime(2026, 12, 2, 9, tzinfo=UTC)
    flag = Finding("a", "emergency", raised, closed=False)
    assert holding([Finding("a", "emergency", raised, closed=True)], [], "contact_within_24h") is None
    assert holding([flag], [raised + timedelta(hours=5)], "contact_within_24h") is None
    assert holding([flag], [raised - timedelta(hours=5)], "contact_within_24h") == flag


def test_only_a_named_professional_saying_she_may_exercise_counts_as_followed_up() -> None:
    assert followed_up({"seen": True, "seen_by": "midwife Ana", "told": "may_exercise"})
    assert not followed_up({"seen": True, "seen_by": " ", "told": "may_exercise"})
    assert not followed_up({"seen": True, "seen_by": "midwife Ana", "told": "not_yet"})
    assert not followed_up(None)
