"""The weekly plan: session days, aerobic minutes, strength, stretches and daily pelvic floor work.

The rules have already decided what is excluded, swapped or noted; this module only chooses from the plan
template, doses the items and fits each session into the time available.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import zip_longest
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Exercise, Note, Policy, Selector
from bumpwell.domain.request import Request

Item = dict[str, Any]
Session = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlanRules:
    """What the rules decided for this week's plan."""

    excluded: Mapping[str, str]  # exercise id -> rule id
    replaces: Mapping[str, tuple[str, str]]  # exercise id -> (replacement id, note)
    notes: tuple[Note, ...]  # modification notes of the fired rules, in rule order
    support: Selector | None  # items that need a wall beside them and someone nearby (M05)
    dose_level: str  # inactive | active | vigorous
    weekly_goal: int  # aerobic minutes wanted this week
    walk_cap: int | None  # most aerobic minutes a session (RT-4 gentle subset)
    max_minutes: int | None  # clinician's limit per session
    start: date  # first day of the week
    alone: bool = False  # nobody can be there: only exercises that are safe alone


def generate_week(req: Request, catalogue: Catalogue, stage: str, rules: PlanRules) -> dict[str, Any]:
    """A week of sessions for ``req`` within ``rules``, in the contract's ``plan`` shape."""
    planner = _Planner(req, catalogue, stage, rules)
    sessions = planner.sessions()
    aerobic = sum(
        item["dose"]["minutes"] or 0
        for session in sessions
        for item in session["items"]
        if catalogue.exercises[item["exercise"]].category == "aerobic"
    )
    return {
        "week_start": rules.start.isoformat(),
        "aerobic_minutes_target": aerobic,
        "continue": [],
        "sessions": sessions,
    }


def item_seconds(item: Item, policy: Policy) -> int:
    """How long one planned item takes, rests and the change-over included."""
    dose = item["dose"]
    if dose["minutes"]:
        return int(dose["minutes"]) * 60
    sets = dose["sets"] or 1
    per_rep = (dose["hold_s"] or 0) + policy.seconds_per_rep
    sides = 2 if dose["sides"] == "each" else 1
    work = sets * (dose["reps"] or 1) * per_rep * sides
    return int(work + policy.rest_between_sets_s * (sets - 1) + policy.change_over_s)


def session_minutes(items: list[Item], policy: Policy) -> int:
    """A session's estimated length in whole minutes (at least one)."""
    return max(1, math.ceil(sum(item_seconds(i, policy) for i in items) / 60))


class _Planner:
    def __init__(self, req: Request, catalogue: Catalogue, stage: str, rules: PlanRules) -> None:
        self.req, self.cat, self.stage, self.rules = req, catalogue, stage, rules
        self.policy = catalogue.policy
        budget = req.preferences.minutes_per_day
        if rules.max_minutes is not None:
            budget = min(budget, rules.max_minutes)
        self.budget_s = budget * 60

    # -- choosing exercises -------------------------------------------------------------------------
    def allowed(self, exercise_id: str) -> bool:
        ex = self.cat.exercises[exercise_id]
        return (
            exercise_id not in self.rules.excluded
            and not (self.rules.alone and ex.supervision == "required")
            and self.stage in ex.stages
            and (ex.position != "in_water" or self.req.preferences.pool_access)
        )

    def resolve(self, exercise_id: str) -> tuple[str, list[str]]:
        """Follow the rules' swaps to the exercise actually planned, collecting their notes."""
        notes: list[str] = []
        while exercise_id in self.rules.replaces:  # swaps only go to easier variants, which never loop
            exercise_id, note = self.rules.replaces[exercise_id]
            notes.append(note)
        return exercise_id, notes

    def pick(self, candidates: tuple[str, ...]) -> tuple[str, list[str]] | None:
        for candidate in candidates:
            chosen, notes = self.resolve(candidate)
            if self.allowed(chosen):
                return chosen, notes
        return None

    def pick_slots(self, slots: tuple[tuple[str, ...], ...]) -> list[tuple[str, list[str]]]:
        out: list[tuple[str, list[str]]] = []
        for slot in slots:
            found = self.pick(slot)
            if found and all(found[0] != chosen for chosen, _ in out):
                out.append(found)
        return out

    # -- items ----------------------------------------------------------------------------------
    def item(self, exercise_id: str, swaps: list[str], minutes: int | None = None) -> Item:
        ex = self.cat.exercises[exercise_id]
        dose = ex.dose[self.rules.dose_level].as_dict()
        if minutes is not None:
            dose["minutes"] = minutes
        support = self.rules.support is not None and self.rules.support.matches(ex)
        notes = [*swaps, *(note.text for note in self.rules.notes if note.applies_to.matches(ex))]
        return {
            "exercise": ex.id,
            "position": ex.position,
            "tags": sorted(ex.tags),
            "dose": dose,
            "wall_support": ex.wall_support or support,
            "modifications": list(dict.fromkeys(notes)),
        }

    def seconds(self, item: Item) -> int:
        return item_seconds(item, self.policy)

    # -- sessions ---------------------------------------------------------------------------------
    def sessions(self) -> list[Session]:
        days = self.req.preferences.days_per_week
        offsets = sorted({(i * 7) // days for i in range(days)})
        strength_days = self.strength_days(len(offsets))
        per_day = math.ceil(self.rules.weekly_goal / len(offsets))
        if self.rules.walk_cap is not None:
            per_day = min(per_day, self.rules.walk_cap)
        main = {
            offset: self.main_session(index in strength_days, index % 2 == 1, per_day)
            for index, offset in enumerate(offsets)
        }
        pelvic = self.pelvic_floor_session()
        out: list[Session] = []
        for offset in range(7):
            day = (self.rules.start + timedelta(days=offset)).isoformat()
            for items, kind in (main.get(offset, ([], "")), (pelvic, "pelvic_floor")):
                if items:
                    out.append(self.session(day, kind, items))
        return out

    def strength_days(self, count: int) -> set[int]:
        p = self.policy
        wanted = p.strength_sessions_max if count >= p.strength_max_from_days else p.strength_sessions_min
        wanted = min(wanted, count)
        return {round(j * count / wanted) for j in range(wanted)}

    def main_session(self, strength_day: bool, pool_day: bool, aerobic_min: int) -> tuple[list[Item], str]:
        t = self.cat.template
        strength = self.pick_slots(t.strength) if strength_day else []
        mixed = tuple(slot for pair in zip_longest(t.stretch, t.yoga) for slot in pair if slot)
        extras = self.pick_slots(t.stretch[:2] if strength_day else mixed)
        if strength_day:  # what the person asked for comes first, so it is not the part that misses out
            strength = [*self.wanted(("strength", "core")), *strength]
        else:
            extras = [*self.wanted(("stretch", "yoga", "relaxation")), *extras]
        aerobic_ids = (t.aerobic_pool + t.aerobic_land) if pool_day else (t.aerobic_land + t.aerobic_pool)
        aerobic = self.pick(aerobic_ids)
        warm, cool = self.pick(t.warm_up), self.pick(t.cool_down)
        return self.pack(strength, warm, cool, aerobic, extras, aerobic_min)

    def wanted(self, categories: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        """Exercises the person asked for, when they are allowed and fit this part of the session."""
        out = []
        for exercise_id in self.req.wants:
            ex = self.cat.exercises.get(exercise_id)
            if ex is not None and ex.category in categories:
                found = self.pick((exercise_id,))
                if found:
                    out.append(found)
        return out

    def pack(
        self,
        strength: list[tuple[str, list[str]]],
        warm: tuple[str, list[str]] | None,
        cool: tuple[str, list[str]] | None,
        aerobic: tuple[str, list[str]] | None,
        extras: list[tuple[str, list[str]]],
        aerobic_min: int,
    ) -> tuple[list[Item], str]:
        """Fit the session into its time: strength, warm-up, cool-down, a share of stretches, then aerobic."""
        left = self.budget_s
        kept: dict[str, Item] = {}

        def take(choice: tuple[str, list[str]] | None, key: str, minutes: int | None = None, keep: int = 0) -> None:
            nonlocal left
            if choice is None or choice[0] in {i["exercise"] for i in kept.values()}:
                return
            item = self.item(choice[0], choice[1], minutes)
            cost = self.seconds(item)
            if cost <= left - keep:
                kept[key] = item
                left -= cost

        for index, choice in enumerate(strength):
            take(choice, f"s{index}")
        take(warm, "warm")
        share = int(self.budget_s * self.policy.stretch_share)
        shortest = min(self.policy.shortest_aerobic_bout_min, aerobic_min)
        walking_day = not strength and aerobic is not None
        if walking_day:  # the walk comes first, then the stretches' share; its slow last minutes can be the cool-down
            minutes = min(aerobic_min, max(0, left - share) // 60)
            if minutes >= shortest and minutes > 0:
                take(aerobic, "aerobic", minutes)
        else:
            take(cool, "cool")
        for_others = max(0, left - share)  # stretches get a share first
        for index, choice in enumerate(extras):
            take(choice, f"x{index}", keep=for_others)
        minutes = min(aerobic_min, left // 60)
        if aerobic is not None and minutes >= shortest and minutes > 0:
            take(aerobic, "aerobic", minutes)
        for index, choice in enumerate(extras):
            take(choice, f"x{index}")
        if walking_day:
            take(cool, "cool")
        order = ["warm", "aerobic", *(f"s{i}" for i in range(len(strength)))]
        order += [*(f"x{i}" for i in range(len(extras))), "cool"]
        items = [kept[key] for key in order if key in kept]
        core = {k for k in kept if k not in ("warm", "cool")}
        if not core:
            return [], ""
        has_strength = any(k.startswith("s") for k in core)
        has_aerobic = "aerobic" in core
        kind = "mixed" if has_strength and has_aerobic else "strength" if has_strength else "aerobic"
        if not has_strength and not has_aerobic:
            kind = "stretch"
        return items, kind

    def pelvic_floor_session(self) -> list[Item]:
        items: list[Item] = []
        left = self.budget_s
        for exercise_id in self.cat.template.pelvic_floor:
            found = self.pick((exercise_id,))
            if found:
                item = self.item(*found)
                if self.seconds(item) <= left:
                    items.append(item)
                    left -= self.seconds(item)
        return items

    def session(self, day: str, kind: str, items: list[Item]) -> Session:
        exercises = [self.cat.exercises[i["exercise"]] for i in items]
        return {
            "day": day,
            "kind": kind,
            "minutes": session_minutes(items, self.policy),
            "supervision": self.supervision(exercises),
            "items": items,
        }

    def supervision(self, exercises: list[Exercise]) -> str:
        levels = {ex.supervision for ex in exercises}
        if "required" in levels:
            return "required"
        support = self.rules.support
        if "recommended" in levels or (support is not None and any(support.matches(ex) for ex in exercises)):
            return "recommended"
        return "not_needed"
