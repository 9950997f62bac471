"""Summarising a running programme from sessions and diary days (domain/programme.py, domain/stage.py)."""

from __future__ import annotations

from datetime import date

import pytest

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.programme import History, SessionOutcome, counts_for_adherence, days_worse, provoking, summarise
from bumpwell.domain.session_state import require_running
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.errors import Conflict

D = date(2027, 1, 11)


def outcome(before: int | None, after: int | None, *exercises: str, day: date = D, item_pain=()) -> SessionOutcome:  # type: ignore[no-untyped-def]
    return SessionOutcome(day, True, before, after, exercises, tuple(item_pain))


def test_pain_rising_more_than_two_points_marks_the_sessions_exercises_provoking(catalogue: Catalogue) -> None:
    assert provoking((outcome(2, 5, "wall-squat", "bird-dog"),), catalogue.policy) == ("bird-dog", "wall-squat")


def test_a_rise_of_exactly_two_points_is_within_the_rule(catalogue: Catalogue) -> None:
    assert provoking((outcome(2, 4, "wall-squat"),), catalogue.policy) == ()


def test_pain_above_five_after_a_session_is_provoking_even_without_a_start_score(catalogue: Catalogue) -> None:
    assert provoking((outcome(None, 6, "wall-squat"),), catalogue.policy) == ("wall-squat",)
    assert provoking((outcome(None, 5, "wall-squat"),), catalogue.policy) == ()


def test_pain_logged_for_one_exercise_decides_for_that_exercise(catalogue: Catalogue) -> None:
    session = outcome(2, 6, "wall-squat", "bird-dog", item_pain=[("bird-dog", 3)])
    assert provoking((session,), catalogue.policy) == ("wall-squat",)


def test_the_latest_session_of_an_exercise_decides(catalogue: Catalogue) -> None:
    bad = outcome(2, 6, "wall-squat", day=date(2027, 1, 4))
    fine = outcome(2, 3, "wall-squat", day=date(2027, 1, 8))
    assert provoking((fine, bad), catalogue.policy) == ()


def test_a_session_without_pain_afterwards_tells_nothing(catalogue: Catalogue) -> None:
    assert provoking((outcome(2, None, "wall-squat"),), catalogue.policy) == ()


def history(**kw) -> History:  # type: ignore[no-untyped-def]
    base = {
        "started": date(2026, 12, 14),
        "today": D,
        "planned_sessions": 12,
        "sessions": (),
        "diary": (),
        "baseline_nrs": 4,
        "current_nrs": 4,
    }
    return History(**(base | kw))


def test_days_worse_counts_back_from_the_latest_diary_day_until_pain_drops() -> None:
    diary = ((date(2027, 1, 8), 6), (date(2027, 1, 10), 7), (date(2027, 1, 9), 6), (date(2027, 1, 7), 3))
    assert days_worse(history(diary=diary), 2) == 3


def test_days_worse_needs_a_baseline() -> None:
    assert days_worse(history(baseline_nrs=None, diary=((D, 9),)), 2) == 0


def test_the_summary_has_the_contracts_programme_fields(catalogue: Catalogue) -> None:
    sessions = (outcome(2, 3, "walking"), SessionOutcome(D, False, 2, 3, ("walking",)))
    summary = summarise(history(sessions=sessions), catalogue.policy)
    assert summary == {
        "days": 28,
        "planned_sessions": 12,
        "completed_sessions": 1,
        "baseline_nrs": 4,
        "current_nrs": 4,
        "days_worse_by_2": 0,
        "provoking": [],
    }


def test_completed_sessions_never_exceed_planned_and_are_zero_with_nothing_planned(catalogue: Catalogue) -> None:
    three = tuple(outcome(1, 1, "walking") for _ in range(3))
    assert summarise(history(sessions=three, planned_sessions=2), catalogue.policy)["completed_sessions"] == 2
    assert summarise(history(sessions=three, planned_sessions=0), catalogue.policy)["completed_sessions"] == 0


@pytest.mark.parametrize(
    ("due", "expected"),
    [(date(2027, 5, 10), (23, 0)), (date(2027, 5, 9), (23, 1)), (D, (40, 0)), (date(2027, 1, 1), (41, 3))],
)
def test_gestation_counts_back_forty_weeks_from_the_due_date(due: date, expected: tuple[int, int]) -> None:
    assert gestation_on(due, D) == expected


def test_weeks_after_birth_are_whole_weeks_and_days() -> None:
    assert postpartum_on(date(2026, 12, 1), D) == (5, 6)


def test_only_a_started_session_can_change() -> None:
    require_running("started")
    with pytest.raises(Conflict, match="already completed"):
        require_running("completed")


def test_due_dates_and_weeks_agree_with_the_contracts_range() -> None:
    from bumpwell.domain.stage import GESTATION_WEEKS, due_date_for, due_dates_accepted

    assert gestation_on(due_date_for(24, D), D) == (24, 0)
    earliest, latest = due_dates_accepted(D)
    assert gestation_on(earliest, D) == (GESTATION_WEEKS[1], 6)
    assert gestation_on(latest, D) == (GESTATION_WEEKS[0], 0)


def test_days_worse_counts_only_days_after_the_programme_started() -> None:
    """A week of high pain written in the diary before the first plan is not "worse than the baseline"."""
    diary = tuple((date(2027, 1, n), 9) for n in range(3, 12))
    assert days_worse(history(started=date(2027, 1, 9), diary=diary), 2) == 2
    assert days_worse(history(started=D, diary=diary), 2) == 0
    later = ((date(2027, 1, 12), 9),)  # a day after today (a clock behind the diary) never counts
    assert days_worse(history(diary=later), 2) == 0


def test_pelvic_floor_sessions_three_times_a_day_do_not_count_in_adherence() -> None:
    assert not counts_for_adherence("pelvic_floor")
    assert all(counts_for_adherence(kind) for kind in ("strength", "aerobic", "stretch", "mixed"))
