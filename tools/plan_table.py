"""Print the week's volume for ten typical people, as the table in docs/engine.md ("The week in numbers").

    .venv/bin/python tools/plan_table.py

For each person: this week's aerobic target, the aerobic minutes planned (walking, swimming, water walking), the
sessions with strength work and the pelvic-floor sessions. Run it before and after a planning change and put both
tables in the docs, so the change is seen in the numbers a clinician checks.
"""

from __future__ import annotations

from typing import Any

from bumpwell import assess

TODAY = "2027-01-11"
AEROBIC = {"walking", "walking-short-bouts", "swimming", "water-walking"}
STRENGTH = {"strength", "core"}


def person(days: int, minutes: int, history: str = "active", **extra: Any) -> dict[str, Any]:
    """A pregnancy at 24+0 (unless ``extra`` says otherwise) with ``days`` x ``minutes`` of time a week."""
    req: dict[str, Any] = {
        "schema": "bumpwell.assessment/1",
        "today": TODAY,
        "status": "pregnant",
        "gestation": {"weeks": 24, "days": 0},
        "plurality": 1,
        "activity_history": history,
        "preferences": {"days_per_week": days, "minutes_per_day": minutes, "pool_access": False,
                        "supervisor_available": True},
    }  # fmt: skip
    req.update(extra)
    return req


def after_birth(weeks: int, delivery: str, days: int, minutes: int) -> dict[str, Any]:
    """Someone ``weeks`` after a ``delivery`` birth, active before, with back pain."""
    req = person(days, minutes, pain={"locations": ["lumbar"], "nrs_now": 3, "duration_weeks": 1})
    del req["gestation"]
    req["status"] = "postpartum"
    req["postpartum"] = {"weeks": weeks, "days": 0, "delivery": delivery, "perineal_tear": False}
    return req


PGP = {"locations": ["buttock_si"], "nrs_now": 4, "aggravators": ["walking", "stairs"]}
TWINS = [{"code": "CI-R01", "cleared": True}]
PEOPLE = [
    ("Inactive before, 3 days x 20 min", person(3, 20, "inactive")),
    ("Inactive before, 5 days x 15 min", person(5, 15, "inactive")),
    ("Active, 4 days x 30 min", person(4, 30)),
    ("Active, 7 days x 10 min", person(7, 10)),
    ("Active, 3 days x 45 min", person(3, 45)),
    ("Active, PGP (walking hurts), 5 days x 30 min", person(5, 30, pain=PGP)),
    ("Active, twins cleared, 5 days x 30 min", person(5, 30, plurality=2, conditions=TWINS)),
    ("6+0 weeks after a caesarean, 5 days x 30 min", after_birth(6, "caesarean", 5, 30)),
    ("12+0 weeks after a vaginal birth, 5 days x 30 min", after_birth(12, "vaginal", 5, 30)),
    ("20+0 weeks after a vaginal birth, 4 days x 45 min", after_birth(20, "vaginal", 4, 45)),
]


def row(name: str, response: dict[str, Any]) -> str:
    """One line of the table."""
    sessions = response["plan"]["sessions"]
    aerobic = sum(i["dose"]["minutes"] or 0 for s in sessions for i in s["items"] if i["exercise"] in AEROBIC)
    strength = sum(1 for s in sessions if any(STRENGTH & set(i["tags"]) for i in s["items"]))
    pelvic = sum(1 for s in sessions if s["kind"] == "pelvic_floor")
    target = response["plan"]["aerobic_minutes_target"]
    return f"| {name} | {target} | {aerobic} | {strength} | {pelvic} |"


def main() -> None:
    """Print the markdown table."""
    print("| person | aerobic target | aerobic planned | strength sessions | pelvic-floor sessions |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, req in PEOPLE:
        print(row(name, assess(req)))


if __name__ == "__main__":
    main()
