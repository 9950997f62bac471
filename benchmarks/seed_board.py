"""Seeds a realistic care-team database quickly for benchmarks/bench_board.py (bulk inserts, not the services).

One clinician ("the clinician") is on the care team of ``PEOPLE`` people; ``OTHERS`` more people belong to another
clinician (and a few of them once had the clinician, link removed), so the board's queries must pick their own
people out of a bigger database. Every person has a partner as supervisor, a profile (pregnant, 10 to 14 weeks at
the start), ``DAYS`` days of diary ending today, a check-in every 7 days whose request and answer come from the
real engine (``bumpwell.domain.assessment.assess``, one call per distinct request, reused by the people who would
send it), the plan of each check-in (with the clinicians' standing adjustments applied by
``bumpwell.domain.adjustments.apply``), the sessions of each plan (most done, some missed, a few stopped; who
supervised them for the last 90 days, none before: migration 0003 added it), red flags (about 3 % open, about 6 %
closed with a note), notices, relative contraindications waiting for a clearance (about 5 %) or cleared (about
4 %), and the audit trail of all of it. Session items are not seeded: neither the board nor the report reads them.
Rows go in table by table in the order they would have been written (by time, everyone's interleaved), so that
one person's rows lie scattered over each table as after months of use.

Random choices come from a seeded generator: the same database every run (ids included).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from bumpwell.adapters.db import tables as t
from bumpwell.bootstrap import Wiring
from bumpwell.domain.adjustments import Adjustment, apply
from bumpwell.domain.assessment import assess
from bumpwell.domain.care_board import escalation_rules, raises_flag, warning_rules
from bumpwell.domain.stage import gestation_on
from bumpwell.domain.values import SCHEMA

PEOPLE = 1000  # linked to the clinician
OTHERS = 250  # linked to another clinician
REMOVED = 20  # of the others: the clinician was on their team once (link removed)
DAYS = 180  # of diary, ending today
SUPERVISION_SINCE_DAYS = 90  # sessions older than this have no supervision status (before migration 0003)
PASSWORD = "correct horse battery"
SERVER_ENV = {"BUMPWELL_ARGON2_MEMORY_KIB": "1024", "BUMPWELL_ARGON2_TIME_COST": "1"}
FLUSH_ROWS = 20_000
WRITTEN_AT = {  # when a row of each table was written
    "users": "created_at", "people": "updated_at", "care_links": "created_at", "diary_entries": "created_at",
    "check_ins": "created_at", "plans": "created_at", "sessions": "started_at", "red_flags": "raised_at",
    "notices": "created_at", "conditions": "recorded_at", "plan_adjustments": "created_at", "audit_log": "at",
}  # fmt: skip
CLINICIAN = "Dr Mara Lind"
FIRST = ["Ana", "Bea", "Chloe", "Dana", "Eva", "Fatima", "Grace", "Hana", "Ines", "Julia", "Kemi", "Lena", "Maya"]
LAST = ["Okafor", "Lind", "Novak", "Silva", "Haddad", "Jensen", "Moreau", "Kowalska", "Tanaka", "Byrne", "Rossi"]
PAIN = {  # the check-in's pain block by kind of person
    "lumbar": {"locations": ["lumbar"], "aggravators": ["prolonged_sitting", "lifting"]},
    "pgp": {"locations": ["pubic_groin", "buttock_si"], "aggravators": ["turn_in_bed", "stairs", "single_leg"]},
}
TABLE_ORDER = [table.name for table in t.Base.metadata.sorted_tables]  # parents before children


@dataclass
class Seeded:
    """What the benchmark needs to know about the seeded database."""

    clinician_id: str
    clinician_email: str
    linked: int
    report_person: str  # a person with a bit of everything, for the report
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def rows_total(self) -> int:
        """Rows inserted in every table together."""
        return sum(self.rows.values())


@dataclass(frozen=True)
class Profile:
    """Who a seeded person is: the kind of pain and how it goes, how much she exercises, what else happens."""

    course: str  # improving | pgp_improving | pgp_stuck | worse
    adherence: float  # share of planned sessions done
    open_flag: str | None  # check_in | session_stopped | None
    closed_flag: bool
    uncleared: bool  # CI-R01 (twins) reported lately, no clearance yet
    cleared: bool  # CI-R06 cleared by the clinician with a 30 min limit
    adjustment: bool  # a standing adjustment by the clinician

    @property
    def region(self) -> str:
        return "pgp" if self.course.startswith("pgp") else "lumbar"

    def pain(self, week: int) -> int:
        """Pain at the check-in of programme week ``week``."""
        if self.course == "improving":
            return max(2, 6 - week // 3)
        if self.course == "pgp_improving":
            return max(2, 5 - week // 4)
        if self.course == "pgp_stuck":
            return 5
        return 7 if week >= 22 else 4  # worse: 3 points up for the last weeks

    def baseline(self) -> int:
        return self.pain(0)


def profile_of(rng: random.Random, index: int) -> Profile:
    """A random profile; person 0 of the clinician gets a bit of everything (the report person)."""
    if index == 0:
        return Profile("improving", 0.9, None, True, False, True, True)
    course = rng.choices(["improving", "pgp_improving", "pgp_stuck", "worse"], [72, 17, 6, 5])[0]
    kind = rng.random()
    adherence = rng.uniform(0.2, 0.55) if kind < 0.12 else 1.0 if kind < 0.5 else rng.uniform(0.7, 0.98)
    roll = rng.random()
    open_flag = "check_in" if roll < 0.02 else "session_stopped" if roll < 0.03 else None
    uncleared = rng.random() < 0.05
    return Profile(
        course, adherence, open_flag, rng.random() < 0.06, uncleared, not uncleared and rng.random() < 0.04,
        rng.random() < 0.04,
    )  # fmt: skip


class Engine:
    """Real engine answers, one per distinct request (people who would send the same request share it)."""

    def __init__(self, wiring: Wiring, today: date) -> None:
        self.catalogue = wiring.catalogue
        self.due = today + timedelta(days=14)  # nominal: the requests' stage is the same for everyone on a day
        self.cache: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}

    def answer(
        self, p: Profile, day: date, week: int, conditions: tuple[tuple[str, bool], ...], spotting: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(request, response) of a check-in on ``day``, programme week ``week``."""
        high = p.adherence >= 0.67
        key = (p.course, day, week, conditions, spotting, high)
        if key not in self.cache:
            weeks, days = gestation_on(self.due, day)
            request: dict[str, Any] = {
                "schema": SCHEMA, "today": day.isoformat(), "status": "pregnant",
                "gestation": {"weeks": weeks, "days": days},
                "plurality": 2 if ("CI-R01", False) in conditions else 1,
                "conditions": [{"code": c, "cleared": ok} for c, ok in conditions],
                "observations": {"vaginal_bleeding": "spotting" if spotting else "none", "fetal_movements": "normal"},
                "pain": {**PAIN[p.region], "nrs_now": p.pain(week), "nrs_worst_24h": p.pain(week) + 1},
                "activity_history": "active",
                "preferences": {"days_per_week": 4, "minutes_per_day": 30, "pool_access": False,
                                "supervisor_available": True},
            }  # fmt: skip
            if week > 0:
                planned = 11 * week
                request["programme"] = {
                    "days": 7 * week, "planned_sessions": planned,
                    "completed_sessions": round(planned * (0.85 if high else 0.4)),
                    "baseline_nrs": p.baseline(), "current_nrs": p.pain(week),
                    "days_worse_by_2": max(0, 7 * (week - 21)) if p.course == "worse" else 0, "provoking": [],
                }  # fmt: skip
            for condition in request["conditions"]:
                if condition["cleared"]:
                    condition["limits"] = {"max_minutes": 30}
            self.cache[key] = (request, assess(request, self.catalogue, day))
        return self.cache[key]


class Rows:
    """Rows to insert, by table; inserted at the end in the order they were written in real life (by time, every
    person's rows interleaved), so that a person's rows are scattered over the tables as they are after months of
    use, not stored side by side."""

    def __init__(self, wiring: Wiring, rng: random.Random) -> None:
        self.engine = wiring.engine
        self.rng = rng
        self.pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_ORDER}
        self.count: Counter[str] = Counter()

    def id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, table: str, **row: Any) -> dict[str, Any]:
        self.pending[table].append(row)
        return row

    def flush(self) -> None:
        """Insert every pending row: parents first, each table in time order, ``FLUSH_ROWS`` to a statement."""
        for name in TABLE_ORDER:
            rows = self.pending[name]
            rows.sort(key=lambda row: row[WRITTEN_AT[name]])
            for start in range(0, len(rows), FLUSH_ROWS):
                with self.engine.begin() as connection:
                    connection.execute(insert(t.Base.metadata.tables[name]), rows[start : start + FLUSH_ROWS])
            self.count[name] += len(rows)
            self.pending[name] = []


def at(day: date, hour: float, now: datetime) -> datetime:
    """``hour`` o'clock UTC on ``day``, never later than a minute before ``now``."""
    moment = datetime.combine(day, time(0), UTC) + timedelta(hours=hour)
    return min(moment, now - timedelta(minutes=1))


def user(
    rows: Rows, role: str, email: str, name: str, now: datetime, password_hash: str = "!bench",
    identity: tuple[str, date, str] | None = None,
) -> str:  # fmt: skip
    """An account; a person's ``identity`` is her family name, date of birth and hospital number (migration 0006)."""
    uid = rows.id()
    family, born, number = identity or (None, None, None)
    rows.add("users", id=uid, email=email, display_name=name, role=role, password_hash=password_hash,
             created_at=now - timedelta(days=DAYS + 20), pin_hash=None, family_name=family, date_of_birth=born,
             hospital_number=number, phone=None)  # fmt: skip
    return uid


def hospital_number(index: int) -> str:
    """The seeded person's hospital number: unique, so that one search finds exactly her."""
    return f"RX{index:05d}" if index >= 0 else f"OT{-index:05d}"


def link(rows: Rows, person: str, member: str, role: str, start: datetime, status: str = "active") -> None:
    removed = start + timedelta(days=30) if status == "removed" else None
    rows.add("care_links", id=rows.id(), person_id=person, member_id=member, role=role, status=status, code_hash=None,
             created_at=start, expires_at=start + timedelta(days=7), joined_at=start + timedelta(hours=2),
             accepted_at=start + timedelta(hours=5), removed_at=removed)  # fmt: skip


def audit(rows: Rows, when: datetime, actor: str, role: str, subject: str, verb: str, area: str, detail: str) -> None:
    rows.add("audit_log", at=when, actor_id=actor, actor_role=role, subject_id=subject, verb=verb, area=area,
             detail=detail)  # fmt: skip


class Person:
    """Writes one person's whole history."""

    def __init__(self, rows: Rows, engine: Engine, today: date, now: datetime, clinician: str, index: int) -> None:
        self.rows, self.engine, self.today, self.now, self.clinician = rows, engine, today, now, clinician
        self.index = index
        rng = rows.rng
        self.p = profile_of(rng, index)
        self.first_day = today - timedelta(days=DAYS - 1)
        self.start = self.first_day + timedelta(days=rng.randrange(7))  # first check-in
        self.name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        self.due = today + timedelta(days=rng.randrange(0, 29))
        self.pain_noise = [rng.choice((-1, 0, 0, 0, 1)) for _ in range(DAYS)]

    def write(self, email: str, clinician_link: tuple[str, str] | None = None) -> str:
        rows, now = self.rows, self.now
        given, family = self.name.split(" ", 1)
        born = date(1984 + self.index % 18, 1 + self.index % 12, 1 + self.index % 28)  # not drawn: the seed stays
        pid = user(rows, "person", email, given, now, identity=(family, born, hospital_number(self.index)))
        self.pid = pid
        self.partner = user(rows, "supervisor", email.replace("@", "+partner@"), f"Partner of {self.name}", now)
        rows.add("people", user_id=pid, status="pregnant", due_date=self.due, birth_date=None, delivery=None,
                 perineal_tear=False, plurality=2 if self.p.uncleared else 1, activity_history="active",
                 days_per_week=4, minutes_per_day=30, pool_access=False, supervisor_available=True,
                 updated_at=at(self.first_day, 9, now))  # fmt: skip
        joined = at(self.first_day, 10, now)
        link(rows, pid, self.clinician, "clinician", joined)
        link(rows, pid, self.partner, "supervisor", joined)
        if clinician_link is not None:
            link(rows, pid, clinician_link[0], "clinician", joined, clinician_link[1])
        self._diary()
        conditions = self._conditions()
        adjustments = self._adjustments()
        self._check_ins(conditions, adjustments)
        return pid

    def diary_pain(self, day: date) -> int:
        week = max(0, (day - self.start).days // 7)
        return max(0, min(10, self.p.pain(week) + self.pain_noise[(day - self.first_day).days]))

    def _diary(self) -> None:
        for n in range(DAYS):
            day = self.first_day + timedelta(days=n)
            when = at(day, 20, self.now)
            self.rows.add("diary_entries", id=self.rows.id(), person_id=self.pid, day=day, pain=self.diary_pain(day),
                          note="", created_at=when, updated_at=when)  # fmt: skip
            audit(self.rows, when, self.pid, "person", self.pid, "write", "diary", "diary")

    def _conditions(self) -> list[tuple[date, str, bool]]:
        """(reported on, code, cleared) of the person's relative contraindications."""
        out = []
        if self.p.uncleared:
            day = self.today - timedelta(days=self.rows.rng.randrange(3, 31))
            self.rows.add("conditions", id=self.rows.id(), person_id=self.pid, code="CI-R01",
                          recorded_at=at(day, 8, self.now), cleared_by=None, cleared_by_name=None, cleared_at=None,
                          max_minutes=None, allowed=None, until=None)  # fmt: skip
            out.append((day, "CI-R01", False))
        if self.p.cleared:
            cleared = at(self.start + timedelta(days=1), 11, self.now)
            self.rows.add("conditions", id=self.rows.id(), person_id=self.pid, code="CI-R06",
                          recorded_at=at(self.start, 8, self.now), cleared_by=self.clinician, cleared_by_name=CLINICIAN,
                          cleared_at=cleared, max_minutes=30, allowed=None, until=None)  # fmt: skip
            audit(self.rows, cleared, self.clinician, "clinician", self.pid, "write", "clearance", "clearance")
            out.append((self.start, "CI-R06", True))
        return out

    def _adjustments(self) -> list[tuple[datetime, Adjustment]]:
        if not self.p.adjustment:
            return []
        made = at(self.today - timedelta(days=self.rows.rng.randrange(20, 100)), 14, self.now)
        reason = "Pubic pain on squats at her last visit; leave them out until I see her again."
        aid = self.rows.id()
        self.rows.add("plan_adjustments", id=aid, person_id=self.pid, author_id=self.clinician, author_name=CLINICIAN,
                      exercise="wall-squat-shallow", action="exclude", dose=None, reason=reason, created_at=made,
                      ended_at=None, ended_by_name=None)  # fmt: skip
        audit(self.rows, made, self.clinician, "clinician", self.pid, "write", "adjustments",
              "plan adjusted: exclude wall-squat-shallow")  # fmt: skip
        return [(made, Adjustment(aid, "wall-squat-shallow", "exclude", None, reason, CLINICIAN, made.isoformat()))]

    def _check_ins(
        self, conditions: list[tuple[date, str, bool]], adjustments: list[tuple[datetime, Adjustment]]
    ) -> None:
        rng, days = (
            self.rows.rng,
            [self.start + timedelta(days=7 * w) for w in range((self.today - self.start).days // 7 + 1)],
        )
        spot_week = None
        if self.p.open_flag == "check_in":
            spot_week = len(days) - 1
        elif self.p.closed_flag:
            spot_week = rng.randrange(4, 19)
        for week, day in enumerate(days):
            known = tuple((code, ok) for since, code, ok in conditions if since <= day)
            request, response = self.engine.answer(self.p, day, week, known, week == spot_week)
            created = at(day, 7.5 + rng.random(), self.now)
            cid = self.rows.id()
            self.rows.add("check_ins", id=cid, person_id=self.pid, day=day, created_at=created, request=request,
                          response=response, triage=response["triage"], exercise=response["exercise"],
                          pattern=response["pattern"], escalations=" ".join(escalation_rules(response)))  # fmt: skip
            audit(self.rows, created, self.pid, "person", self.pid, "write", "check_ins", "check-in")
            if raises_flag(response):
                self._flag("check_in", cid, response, created, closed=self.p.open_flag != "check_in")
            standing = [a for made, a in adjustments if made <= created]
            plan, applied = apply(response["plan"], standing, self.engine.catalogue, 30 if self.p.cleared else None)
            plan_id = self.rows.id()
            self.rows.add("plans", id=plan_id, person_id=self.pid, check_in_id=cid,
                          week_start=date.fromisoformat(plan["week_start"]), created_at=created, plan=plan,
                          session_count=len(plan["sessions"]), adjustments=applied)  # fmt: skip
            self._sessions(plan_id, plan, day + timedelta(days=7), last=week == len(days) - 1)

    def _sessions(self, plan_id: str, plan: dict[str, Any], until: date, last: bool) -> None:
        rng = self.rows.rng
        recent = self.today - timedelta(days=SUPERVISION_SINCE_DAYS)
        due = [s for s in plan["sessions"] if date.fromisoformat(s["day"]) < until]
        # today's sessions: some people have already done theirs
        due = [
            s
            for s in due
            if s["day"] < self.today.isoformat() or (s["day"] == self.today.isoformat() and rng.random() < 0.5)
        ]
        for index, s in enumerate(due):
            day = date.fromisoformat(s["day"])
            warning = last and self.p.open_flag == "session_stopped" and index == len(due) - 1
            roll = rng.random()
            if not warning and roll >= self.p.adherence + 0.015:
                continue  # missed
            status = "completed" if not warning and roll < self.p.adherence else "stopped"
            if not warning and rng.random() < 0.003:
                status = "started"  # left open
            reason = (
                "warning_sign" if warning else rng.choice(("pain", "tired", "other")) if status == "stopped" else None
            )
            started = at(day, 17 + 3 * rng.random(), self.now)
            ended = None if status == "started" else min(started + timedelta(minutes=s["minutes"]), self.now)
            before = self.diary_pain(day)
            supervision = self._supervision(s["supervision"], day >= recent)
            sid = self.rows.id()
            self.rows.add("sessions", id=sid, person_id=self.pid, plan_id=plan_id, day=day, kind=s["kind"],
                          minutes=s["minutes"], supervision=s["supervision"], status=status, started_at=started,
                          ended_at=ended, stop_reason=reason, stop_note=None, pain_before=before,
                          pain_after=None if ended is None else max(0, before - rng.randrange(2)),
                          effort="can_talk_not_sing" if status == "completed" else None, unusual=None,
                          **supervision)  # fmt: skip
            if ended is not None:
                detail = "session completed" if status == "completed" else f"session stopped: {reason}"
                audit(self.rows, ended, self.pid, "person", self.pid, "write", "sessions", detail)
            if warning and ended is not None:
                self._flag("session_stopped", sid, None, ended, closed=False)

    def _supervision(self, needed: str, recorded: bool) -> dict[str, Any]:
        none = {"supervision_status": None, "supervised_by": None, "supervised_by_name": None,
                "supervision_method": None}  # fmt: skip
        if not recorded:
            return none
        rng = self.rows.rng
        if needed == "not_needed":
            return {**none, "supervision_status": "not_needed"}
        if (needed == "required" and rng.random() < 0.82) or (needed == "recommended" and rng.random() < 0.3):
            method = "own_phone" if rng.random() < 0.55 else "pin"
            return {"supervision_status": "confirmed", "supervised_by": self.partner,
                    "supervised_by_name": f"Partner of {self.name}", "supervision_method": method}  # fmt: skip
        return {**none, "supervision_status": "alone" if needed == "required" else "not_confirmed"}

    def _flag(self, kind: str, source: str, response: dict[str, Any] | None, raised: datetime, closed: bool) -> None:
        actions = (response or {}).get("actions") or []
        fid = self.rows.id()
        closed_at = min(raised + timedelta(hours=3), self.now) if closed else None
        note = "Phoned her; seen at the maternity unit the same day, all fine. She may carry on with her plan."
        self.rows.add("red_flags", id=fid, person_id=self.pid, kind=kind, source_id=source,
                      triage=response["triage"] if response else None,
                      rules=warning_rules(response) if response else [], action=actions[0]["text"] if actions else None,
                      raised_at=raised, closed_at=closed_at, closed_by=self.clinician if closed else None,
                      closed_by_name=CLINICIAN if closed else None, close_note=note if closed else None)  # fmt: skip
        for member in (self.clinician, self.partner):
            self.rows.add("notices", id=self.rows.id(), person_id=self.pid, recipient_id=member, flag_id=fid,
                          kind="red_flag", text=f"{self.name} reported a warning sign", created_at=raised,
                          read_at=closed_at, email_status="none", attempts=0, next_attempt_at=None, last_error=None,
                          sent_at=None)  # fmt: skip
        if closed_at is not None:
            audit(self.rows, closed_at, self.clinician, "clinician", self.pid, "write", "red_flags", "red flag closed")


def seed(wiring: Wiring, today: date) -> Seeded:
    """Fill a migrated, empty database; returns who the clinician is and what was inserted."""
    rng = random.Random(20261124)
    now = datetime.now(UTC)
    rows = Rows(wiring, rng)
    engine = Engine(wiring, today)
    email = "clinician@bench.invalid"
    clinician = user(rows, "clinician", email, CLINICIAN, now, wiring.hasher.hash(PASSWORD))
    other = user(rows, "clinician", "other-clinician@bench.invalid", "Dr Other", now, "!bench")
    report_person = ""
    for index in range(PEOPLE):
        pid = Person(rows, engine, today, now, clinician, index).write(f"person{index:04d}@bench.invalid")
        report_person = report_person or pid
    for index in range(OTHERS):
        removed = (clinician, "removed") if index < REMOVED else None
        Person(rows, engine, today, now, other, -1 - index).write(f"other{index:04d}@bench.invalid", removed)
    rows.flush()
    return Seeded(clinician, email, PEOPLE, report_person, dict(rows.count))
