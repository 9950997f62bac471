"""The pain diary: one entry a day (a second one the same day replaces the first), and the progress summary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import mean
from typing import Any

from bumpwell.domain import input_rules
from bumpwell.domain.access import Area, Verb
from bumpwell.errors import InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import CheckInRecord, DiaryRecord, SessionRecord

NOTE_MAX = 2000
PAIN_MAX = 10
ESCALATIONS = ("E1", "E2", "E3", "E4", "E5", "E6", "E7")


def write_entry(
    store: Store, call: Call, person_id: str, day: date, pain: int, note: str, today: date
) -> tuple[DiaryRecord, bool]:
    """Keep the day's pain (0-10) and note; returns the entry and whether it is new."""
    authorize(store, call, Verb.write, Area.diary, person_id, f"diary {day.isoformat()}")
    if day > today:
        raise InvalidRequest("day", f"must be today ({today.isoformat()}) or earlier")
    if input_rules.day_problem(day) is not None:
        raise InvalidRequest("day", f"must be a date from {input_rules.EARLIEST_DAY.isoformat()} to today")
    if not 0 <= pain <= PAIN_MAX:
        raise InvalidRequest("pain", f"must be a whole number from 0 to {PAIN_MAX}")
    if len(note) > NOTE_MAX:
        raise InvalidRequest("note", f"must be at most {NOTE_MAX} characters long")
    found = store.find(DiaryRecord, {"person_id": person_id, "day": day}, limit=1)
    if found:
        entry = found[0]
        entry.pain, entry.note, entry.updated_at = pain, note, call.now
        store.save(entry)
        return entry, False
    entry = DiaryRecord(new_id(), person_id, day, pain, note, call.now, call.now)
    store.add(entry)
    return entry, True


def list_entries(store: Store, call: Call, person_id: str, limit: int, offset: int) -> tuple[list[DiaryRecord], int]:
    """Diary entries, newest day first."""
    authorize(store, call, Verb.read, Area.diary, person_id)
    where = {"person_id": person_id}
    items = store.find(DiaryRecord, where, order_by="day", descending=True, limit=limit, offset=offset)
    return items, store.count(DiaryRecord, where)


def delete_entry(store: Store, call: Call, person_id: str, entry_id: str) -> None:
    """Remove one diary entry."""
    authorize(store, call, Verb.write, Area.diary, person_id, "diary entry deleted")
    entry = store.get(DiaryRecord, entry_id)
    if entry is None or entry.person_id != person_id:
        raise NotFound("diary entry")
    store.remove(entry)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def progress_summary(store: Store, call: Call, person_id: str, today: date, weeks: int) -> dict[str, Any]:
    """Week by week: average diary pain, sessions done and stopped, minutes; and the latest escalation findings."""
    authorize(store, call, Verb.read, Area.progress, person_id)
    first_week = _monday(today) - timedelta(weeks=weeks - 1)
    diary = store.find(DiaryRecord, {"person_id": person_id}, since=("day", first_week))
    sessions = store.find(SessionRecord, {"person_id": person_id}, since=("day", first_week))
    pain: dict[date, list[int]] = defaultdict(list)
    for entry in diary:
        pain[_monday(entry.day)].append(entry.pain)
    rows = []
    for n in range(weeks):
        week = first_week + timedelta(weeks=n)
        done = [s for s in sessions if _monday(s.day) == week and s.status == "completed"]
        stopped = [s for s in sessions if _monday(s.day) == week and s.status == "stopped"]
        values = pain.get(week, [])
        rows.append({
            "week_start": week.isoformat(),
            "diary_days": len(values),
            "pain_mean": round(mean(values), 1) if values else None,
            "sessions_completed": len(done),
            "sessions_stopped": len(stopped),
            "minutes": sum(s.minutes for s in done),
        })  # fmt: skip
    latest = store.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    review = [r for r in latest[0].response["reasons"] if r["rule"] in ESCALATIONS] if latest else []
    actions = [a for a in latest[0].response["actions"] if a["kind"] == "see_physiotherapist"] if latest else []
    return {
        "weeks": rows,
        "review": review,
        "review_actions": actions,
        "checked_on": latest[0].day.isoformat() if latest else None,
    }
