"""The weekly plan: session days, aerobic minutes, strength, stretches and pelvic floor work three times a day.

The rules have already decided what is excluded, swapped or noted, and ``progression`` how much; this module only
chooses from the plan template, spreads the week's aerobic target over her days (§20.28), doses the items and fits
each session into the time available.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Exercise, Note, Selector
from bumpwell.domain.progression import Dosing, dose_for, moves_on
from bumpwell.domain.request import Request
from bumpwell.domain.timing import Item, bouts, fresh, item_seconds, session_minutes, spread

Session = dict[str, Any]
Choice = tuple[str, list[str]]  # exercise id, the notes of the swaps that led to it


@dataclass(frozen=True, slots=True)
class PlanRules:
    """What the rules decided for this week's plan."""

    excluded: Mapping[str, str]  # exercise id -> rule id
    replaces: Mapping[str, tuple[str, str]]  # exercise id -> (replacement id, note)
    notes: tuple[Note, ...]  # modification notes of the fired rules, in rule order
    support: Selector | None  # items that need a wall beside them and someone nearby (M05)
    dosing: Dosing  # the week's aerobic target and dose level (progression)
    walk_cap: int | None  # most aerobic minutes a day (RT-4's gentle subset)
    max_minutes: int | None  # clinician's limit per session
    start: date  # first day of the week
    alone: bool = False  # nobody can be there: only exercises that are safe alone
    bout_min: int | None = None  # longest walking bout (M02 with walking as an aggravator)
    bout_note: str = ""  # the words that go with walks in bouts
    harder_note: str = ""  # the words on an item that progress moved to its harder variant ({easier} filled in)


def generate_week(req: Request, catalogue: Catalogue, stage: str, rules: PlanRules) -> dict[str, Any]:
    """A week of sessions for ``req`` within ``rules``, in the contract's ``plan`` shape."""
    return {
        "week_start": rules.start.isoformat(),
        "aerobic_minutes_target": rules.dosing.target,
        "continue": [],
        "sessions": _Planner(req, catalogue, stage, rules).sessions(),
    }


class _Planner:
    def __init__(self, req: Request, catalogue: Catalogue, stage: str, rules: PlanRules) -> None:
        self.req, self.cat, self.stage, self.rules = req, catalogue, stage, rules
        self.policy = catalogue.policy
        budget = req.preferences.minutes_per_day
        if rules.max_minutes is not None:
            budget = min(budget, rules.max_minutes)
        self.budget = budget
        t = catalogue.template
        self.extras = self.pick_slots((*t.stretch, *t.yoga))  # the week's stretches and yoga, taken in turn
        self.cursor = 0
        self.uses = [0] * len(self.extras)
        self.made: dict[tuple[Any, ...], Item] = {}  # items already dosed, copied out fresh for each session
        self.strong: dict[int | None, list[Choice]] = {}
        self.costs: dict[int, int] = {}  # seconds of each shared item, by its id (the items live as long as this)
        self.alternating = False  # the week has more than one strength day, so the template's alternates come in

    # -- choosing exercises -------------------------------------------------------------------------
    def allowed(self, exercise_id: str) -> bool:
        ex = self.cat.exercises[exercise_id]
        return (
            exercise_id not in self.rules.excluded
            and not (self.rules.alone and ex.supervision == "required")
            and self.stage in ex.stages
            and (ex.position != "in_water" or self.req.preferences.pool_access)
        )

    def resolve(self, exercise_id: str) -> Choice:
        """Follow the rules' swaps to the exercise actually planned, collecting their notes."""
        notes: list[str] = []
        while exercise_id in self.rules.replaces:  # swaps only go to easier variants, which never loop
            exercise_id, note = self.rules.replaces[exercise_id]
            notes.append(note)
        return exercise_id, notes

    def pick(self, candidates: tuple[str, ...]) -> Choice | None:
        for candidate in candidates:
            chosen, notes = self.resolve(candidate)
            if self.allowed(chosen):
                return chosen, notes
        return None

    def pick_slots(self, slots: tuple[tuple[str, ...], ...]) -> list[Choice]:
        out: list[Choice] = []
        for slot in slots:
            found = self.pick(slot)
            if found and all(found[0] != chosen for chosen, _ in out):
                out.append(found)
        return out

    def wanted(self, categories: tuple[str, ...]) -> list[Choice]:
        """Exercises the person asked for, when they are allowed and fit this part of the session."""
        out = []
        for exercise_id in self.req.wants:
            ex = self.cat.exercises.get(exercise_id)
            if ex is not None and ex.category in categories:
                found = self.pick((exercise_id,))
                if found:
                    out.append(found)
        return out

    def strength(self, rank: int) -> list[Choice]:
        """The strength day's exercises; on every other one the template's alternates come in, for variety."""
        if rank % 2 not in self.strong:
            self.strong[rank % 2] = self.choose_strength(rank % 2)
        return self.strong[rank % 2]

    def choose_strength(self, rank: int) -> list[Choice]:
        chosen = []
        for exercise_id, notes in self.pick_slots(self.cat.template.strength):
            other = self.cat.template.alternates.get(exercise_id)
            if rank % 2 == 1 and other is not None and not notes and self.allowed(other):
                exercise_id = other
            chosen.append((exercise_id, notes))
        wanted = self.wanted(("strength", "core"))  # what she asked for comes first, so it is not what misses out
        return [*wanted, *(c for c in chosen if c[0] not in {w[0] for w in wanted})]

    # -- items ----------------------------------------------------------------------------------
    def item(
        self,
        exercise_id: str,
        swaps: list[str],
        minutes: int | None = None,
        extra: str = "",
        *,
        dosing: Dosing | None = None,
    ) -> Item:
        key = (exercise_id, tuple(swaps), minutes, extra, dosing)
        made = self.made.get(key)
        if made is None:
            (chosen, notes), used = self.advance((exercise_id, swaps), dosing or self.rules.dosing)
            made = self.made[key] = self.new_item(chosen, notes, minutes, extra, used)
        return made  # shared: whatever goes into a session is copied out with fresh()

    def advance(self, choice: Choice, dosing: Dosing) -> tuple[Choice, Dosing]:
        """Past its most, strength or core work gives way to its first harder variant the rules allow (§20.29)."""
        exercise_id, notes = choice
        while True:  # harder variants never loop: the catalogue's variants are checked to form no cycle
            ex = self.cat.exercises[exercise_id]
            left = moves_on(ex, dosing, self.policy)
            harder = None if left is None else next((h for h in ex.harder if self.may_move_to(h)), None)
            if left is None or harder is None:
                return (exercise_id, notes), dosing
            if not (self.alternating and self.cat.template.alternates.get(exercise_id) == harder):
                dosing = replace(dosing, steps=left)  # its starting dose, unless the week already builds it up
            notes = [*notes, self.rules.harder_note.format(easier=ex.name.lower())]
            exercise_id = harder

    def may_move_to(self, harder: str) -> bool:
        """A harder variant is planned only where the rules allow it and no fired rule swaps it for a gentler one."""
        return self.allowed(harder) and harder not in self.rules.replaces

    def new_item(self, exercise_id: str, swaps: list[str], minutes: int | None, extra: str, dosing: Dosing) -> Item:
        ex = self.cat.exercises[exercise_id]
        dose = dose_for(ex, dosing, self.policy)
        if minutes is not None:
            dose["minutes"] = minutes
        support = self.rules.support is not None and self.rules.support.matches(ex)
        notes = [*swaps, *(note.text for note in self.rules.notes if note.applies_to.matches(ex))]
        if extra:
            notes.append(extra)
        return {
            "exercise": ex.id,
            "position": ex.position,
            "tags": sorted(ex.tags),
            "dose": dose,
            "wall_support": ex.wall_support or support,
            "modifications": list(dict.fromkeys(notes)),
        }

    def seconds(self, item: Item) -> int:
        cost = self.costs.get(id(item))
        if cost is None:
            cost = self.costs[id(item)] = item_seconds(item, self.policy)
        return cost

    # -- the week ---------------------------------------------------------------------------------
    def sessions(self) -> list[Session]:
        days = self.req.preferences.days_per_week
        offsets = sorted({(i * 7) // days for i in range(days)})
        strong = self.strength_days(len(offsets)) if self.strength(0) else set()
        self.alternating = len(strong) > 1
        aerobic = [self.aerobic_choice(index) for index in range(len(offsets))]
        caps = [self.aerobic_cap(self.strength_need(index, strong), aerobic[index]) for index in range(len(offsets))]
        minutes = spread(self.rules.dosing.target, caps)
        main = {}
        for index, offset in enumerate(offsets):
            rank = sorted(strong).index(index) if index in strong else None
            main[offset] = self.main_session(rank, aerobic[index], minutes[index])
        pelvic = self.pelvic_floor_session()
        out: list[Session] = []
        for offset in range(7):
            day = (self.rules.start + timedelta(days=offset)).isoformat()
            items, kind = main.get(offset, ([], ""))
            if items:
                out.append(self.session(day, kind, items))
            if pelvic:
                template = self.session(day, "pelvic_floor", pelvic)
                for _ in range(self.policy.pelvic_floor_sessions_a_day):
                    out.append({**template, "items": [fresh(item) for item in pelvic]})
        return out

    def strength_days(self, count: int) -> set[int]:
        p = self.policy
        wanted = p.strength_sessions_max if count >= p.strength_max_from_days else p.strength_sessions_min
        wanted = min(wanted, count)
        return {round(j * count / wanted) for j in range(wanted)}

    def aerobic_choice(self, index: int) -> Choice | None:
        t = self.cat.template
        return self.pick((t.aerobic_pool + t.aerobic_land) if index % 2 == 1 else (t.aerobic_land + t.aerobic_pool))

    def strength_need(self, index: int, strong: set[int]) -> int | None:
        """Minutes the day's strength work takes, or None on a day without strength work."""
        if index not in strong:
            return None
        rank = sorted(strong).index(index)
        start = replace(self.rules.dosing, steps=0)  # progress never takes a walk's minutes (invariant 13)
        items = [self.item(*choice, dosing=start) for choice in self.strength(rank)]
        return math.ceil(sum(self.seconds(item) for item in items) / 60)

    def aerobic_cap(self, strength_need: int | None, choice: Choice | None) -> int:
        """The most aerobic minutes this day takes: what strength leaves, but at least 60 % of a strength day, and
        most of any other day (§20.28)."""
        if choice is None or self.budget <= 0:
            return 0
        p = self.policy
        if strength_need is not None:
            share = max(p.aerobic_share_strength_day, (self.budget - strength_need) / self.budget)
        elif self.budget <= p.all_walk_day_max_min or not self.extras:
            share = 1.0  # a short day is all walk, and with no stretches allowed no time is kept for them
        else:
            share = p.aerobic_share_other_day
        cap = math.floor(self.budget * share)
        if self.budget >= p.shortest_aerobic_bout_min:  # a short strength day still starts with a short walk
            cap = max(cap, p.shortest_aerobic_bout_min)
        for limit in (self.rules.walk_cap, self.provoked_cap(choice)):
            if limit is not None:
                cap = min(cap, limit)
        return cap if cap >= p.shortest_aerobic_bout_min else 0

    def provoked_cap(self, choice: Choice) -> int | None:
        """Short flat walks, M10's easier walking, stay short."""
        ex = self.cat.exercises[choice[0]]
        return self.policy.provoked_walk_max_min if "walking" in ex.harder else None

    # -- one day ----------------------------------------------------------------------------------
    def walks(self, choice: Choice, minutes: int) -> list[Item]:
        """The day's aerobic minutes, in bouts when the rules or the exercise ask for them."""
        ex = self.cat.exercises[choice[0]]
        longest = self.rules.bout_min if ex.position == "walking" else None
        if "walking" in ex.harder:  # the easier variant of walking is itself a few minutes at a time
            longest = ex.dose[self.rules.dosing.level].minutes
        if longest is None or minutes <= longest:
            return [fresh(self.item(*choice, minutes=minutes))]
        parts = bouts(minutes, longest)
        note = self.rules.bout_note.format(minutes=max(parts), bouts=len(parts))
        first, *rest = parts  # the bouts' note once, on the first of them
        walks = [self.item(*choice, minutes=first, extra=note), *(self.item(*choice, minutes=m) for m in rest)]
        return [fresh(walk) for walk in walks]

    def main_session(self, rank: int | None, aerobic: Choice | None, minutes: int) -> tuple[list[Item], str]:
        """Aerobic first (its first minutes warm up), then strength, stretches in turn, and a cool-down if it fits."""
        left = self.budget * 60
        walks = self.walks(aerobic, minutes) if aerobic is not None and minutes > 0 else []
        left -= sum(item_seconds(i, self.policy) for i in walks)
        strength: list[Item] = []
        for choice in self.strength(rank) if rank is not None else []:
            left = self.fit(strength, self.item(*choice), left)
        frame: list[Item] = []
        if not walks:
            warm = self.pick(self.cat.template.warm_up)
            if warm is not None and (strength or self.extras):
                left = self.fit(frame, self.item(*warm), left)
        extras: list[Item] = []
        for choice in self.wanted(("stretch", "yoga", "relaxation")):
            left = self.fit(extras, self.item(*choice), left)
        left = self.take_turns(extras, left, self.policy.stretches_a_session_max - len(extras))
        cool: list[Item] = []
        done = self.pick(self.cat.template.cool_down)
        if done is not None and (strength or extras or not walks):
            self.fit(cool, self.item(*done), left)
        items = [*frame, *walks, *strength, *extras, *cool]
        if not (walks or strength or extras):
            return [], ""
        return items, self.kind(bool(walks), bool(strength))

    def fit(self, into: list[Item], item: Item, left: int) -> int:
        """Add ``item`` when it fits in the ``left`` seconds and is not there yet; return the seconds left."""
        cost = self.seconds(item)
        if cost <= left and all(i["exercise"] != item["exercise"] for i in into):
            into.append(fresh(item))
            return left - cost
        return left

    def take_turns(self, into: list[Item], left: int, most: int) -> int:
        """Stretches and yoga in turn across the week: the least used so far first, the source article's stretches
        before yoga poses, then the next in the list."""
        count = len(self.extras)

        def turn(i: int) -> tuple[int, bool, int]:
            yoga = self.cat.exercises[self.extras[i][0]].category != "stretch"
            return self.uses[i], yoga, (i - self.cursor) % count

        order = sorted(range(count), key=turn)
        for index in order:
            if most <= 0:
                break
            before = len(into)
            left = self.fit(into, self.item(*self.extras[index]), left)
            if len(into) > before:
                self.uses[index] += 1
                self.cursor = index + 1
                most -= 1
        return left

    @staticmethod
    def kind(walks: bool, strength: bool) -> str:
        if walks and strength:
            return "mixed"
        return "strength" if strength else "aerobic" if walks else "stretch"

    def pelvic_floor_session(self) -> list[Item]:
        items: list[Item] = []
        left = self.budget * 60
        for exercise_id in self.cat.template.pelvic_floor:
            found = self.pick((exercise_id,))
            if found:
                left = self.fit(items, self.item(*found), left)
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
