"""A fixed person story for the exporters' golden files: six weeks of a lumbar pattern that settles, one red flag
that a clinician closed, a supervisor at most sessions, and one change the clinician made to the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bumpwell.exporters.read_model import (
    AdjustmentSummary,
    CheckInSummary,
    ConditionSummary,
    DiaryDay,
    EarlierPlan,
    PersonStory,
    PlannedItem,
    PlannedSession,
    Reason,
    RedFlagSummary,
    SessionSummary,
)

START = date(2027, 1, 4)
GENERATED = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
SPOTTING = "Spotting or light bleeding in pregnancy"
CALL = "Contact your midwife or maternity unit within 24 hours."
CLINICIAN = "9a7b0c1d-0000-4000-8000-00000000c11a"  # Dr Mara Lind's user id


def _diary() -> tuple[DiaryDay, ...]:
    pains = [6, 6, 5, 6, 5, 5, 4, 5, 4, 4, 4, 3, 4, 3, 3, 3, 2, 3, 3, 2, 2]
    return tuple(DiaryDay(f"d{i:02d}", START + timedelta(days=2 * i), p) for i, p in enumerate(pains))


def _check_ins() -> tuple[CheckInSummary, ...]:
    lumbar = Reason(
        "M04", "Lower back pattern", "Your answers fit a lower back pain pattern.", "SOURCE-ARTICLE, COCHRANE-2015"
    )
    supine = Reason(
        "M01", "No lying flat from 20 weeks", "From 20 weeks, exercises flat on your back are left out.",
        "CAN-2019, TOMMYS, DESIGN",
    )  # fmt: skip
    better = Reason(
        "E1", "Pain is clearly better", "Your pain has clearly improved since you started.", "BRIGHT-2018, DESIGN"
    )
    bleeding = Reason("RF-U01", SPOTTING, "You told us about spotting.", "NICE-NG201")
    not_better = Reason(
        "E3", "Doing the plan but pain is not better", "You have kept up most of your sessions.", "SOURCE-ARTICLE"
    )
    call = ("contact_provider_24h", CALL)
    return (
        CheckInSummary("c1", datetime(2027, 1, 4, 8, 0, tzinfo=UTC), START, "ok_to_exercise", "yes_modified",
                       "lumbar", 6, (supine, lumbar), ()),
        CheckInSummary("c2", datetime(2027, 1, 25, 8, 0, tzinfo=UTC), date(2027, 1, 25), "contact_within_24h", "no",
                       "lumbar", 4, (bleeding, not_better), (call,)),
        CheckInSummary("c3", datetime(2027, 2, 15, 8, 0, tzinfo=UTC), date(2027, 2, 15), "ok_to_exercise",
                       "yes_modified", "lumbar", 2, (supine, lumbar, better), ()),
    )  # fmt: skip


def _sessions() -> tuple[SessionSummary, ...]:
    """Three a week; who was there is recorded from week 2 on: her partner Ben, except twice when she went alone."""
    out = []
    for week in range(6):
        for offset, status in ((0, "completed"), (2, "completed"), (4, "stopped" if week == 2 else "completed")):
            day = START + timedelta(weeks=week, days=offset)
            reason = "tired" if status == "stopped" else None
            alone = (week, offset) in ((3, 2), (5, 0))
            supervision = None if week < 2 else "alone" if alone else "confirmed"
            by = "Ben" if supervision == "confirmed" else None
            started = datetime.combine(day, time(18, 0), UTC)
            stop_note = "Too tired after work" if status == "stopped" else None
            out.append(
                SessionSummary(f"s{week}{offset}", day, "mixed", 25, "required", status, reason, 4, 3, supervision, by,
                               started, started + timedelta(minutes=27 if status == "completed" else 9),
                               f"p-{week}", stop_note, "can_talk_not_sing" if status == "completed" else None)
            )  # fmt: skip
    return tuple(out)


def _red_flags() -> tuple[RedFlagSummary, ...]:
    """The spotting reported at the second check-in, closed by the clinician the same morning."""
    return (
        RedFlagSummary(
            "f1", "check_in", "c2", datetime(2027, 1, 25, 8, 0, tzinfo=UTC), "contact_within_24h",
            (("RF-U01", SPOTTING),), CALL, datetime(2027, 1, 25, 11, 30, tzinfo=UTC), "Dr Mara Lind",
            "Phoned her; seen at the maternity unit the same day, all well. She may carry on with her plan.",
            CLINICIAN,
        ),
    )  # fmt: skip


SQUATS_OUT = AdjustmentSummary(
    "wall-squat-shallow", "Shallow wall squat", "exclude", None,
    "Pubic pain on squats; leave them out until I see her on 1 March.", "Dr Mara Lind",
    datetime(2027, 2, 10, 14, 0, tzinfo=UTC), 3, 0,
)  # fmt: skip


@pytest.fixture
def story() -> PersonStory:
    """A pregnant person at 29+3 with a clinician's clearance, a running plan and a settling pain diary."""
    items = (
        PlannedItem("warm-up", "Warm-up", "5 min"),
        PlannedItem("walking", "Walking", "15 min"),
        PlannedItem("pelvic-tilt-semi-reclined", "Pelvic tilt, half-reclined", "10 times, hold 5 s"),
        PlannedItem("cool-down", "Cool-down", "5 min"),
    )
    pelvic = (PlannedItem("pelvic-floor", "Pelvic floor: long holds", "10 times, hold 5 s"),)
    plan = (
        PlannedSession(date(2027, 2, 15), "mixed", 27, "required", items),
        PlannedSession(date(2027, 2, 15), "pelvic_floor", 3, "not_needed", pelvic),
        PlannedSession(date(2027, 2, 17), "mixed", 27, "required", items),
        PlannedSession(date(2027, 2, 19), "mixed", 27, "required", items),
    )
    clearance = ConditionSummary(
        "CI-R01", "Twins", "Dr Mara Lind", datetime(2027, 1, 5, 10, 0, tzinfo=UTC), 30, ("walking", "pelvic-floor"),
        date(2027, 3, 31), CLINICIAN, datetime(2027, 1, 4, 7, 50, tzinfo=UTC),
    )  # fmt: skip
    return PersonStory(
        person_id="6f1c2d4e-0000-4000-8000-000000000001",
        display_name="Ana",
        status="pregnant",
        due_date=date(2027, 4, 30),
        birth_date=None,
        stage=(29, 3),
        generated_at=GENERATED,
        diary=_diary(),
        check_ins=_check_ins(),
        sessions=_sessions(),
        red_flags=_red_flags(),
        conditions=(clearance,),
        plan_week_start=date(2027, 2, 15),
        plan=plan,
        plan_id="p-2027-02-15",
        adjustments=(SQUATS_OUT,),
        earlier_plans=_earlier_plans(items),
        stated_at=datetime(2027, 1, 4, 7, 45, tzinfo=UTC),
        given_name="Ana Sofia",
        family_name="Lindqvist",
        date_of_birth=date(1994, 6, 2),
        hospital_number="RX4471",
        phone="+44 7700 900123",
    )


def _earlier_plans(items: tuple[PlannedItem, ...]) -> tuple[EarlierPlan, ...]:
    """The week of 1 Feb, replaced after it ended; the week of 8 Feb, replaced twice within it (two check-ins)."""

    def week(start: date) -> tuple[PlannedSession, ...]:
        return tuple(PlannedSession(start + timedelta(days=d), "mixed", 27, "required", items) for d in (0, 2, 4))

    return (
        EarlierPlan("p-2027-02-01", date(2027, 2, 1), datetime(2027, 2, 8, 8, 0, tzinfo=UTC), week(date(2027, 2, 1))),
        EarlierPlan("p-2027-02-08", date(2027, 2, 8), datetime(2027, 2, 10, 14, 0, tzinfo=UTC), week(date(2027, 2, 8))),
        EarlierPlan("p-2027-02-08b", date(2027, 2, 8), datetime(2027, 2, 15, 8, 0, tzinfo=UTC), ()),
    )
