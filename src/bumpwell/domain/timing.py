"""How long planned items take, and how a week's minutes are shared out over its days (pure arithmetic)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Policy

Item = dict[str, Any]


def aerobic_minutes(plan: Mapping[str, Any], catalogue: Catalogue) -> int:
    """The aerobic minutes (walking, swimming, water walking) a plan holds."""
    return sum(
        item["dose"]["minutes"] or 0
        for session in plan.get("sessions", [])
        for item in session["items"]
        if catalogue.exercises[item["exercise"]].category == "aerobic"
    )


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


def fresh(item: Item) -> Item:
    """A copy of a planned item that shares nothing that can change (its dose, tags and notes)."""
    copied = {"dose": dict(item["dose"]), "tags": list(item["tags"]), "modifications": list(item["modifications"])}
    return {**item, **copied}


def spread(total: int, caps: list[int]) -> list[int]:
    """``total`` minutes over days as evenly as their ``caps`` allow (what a day cannot take goes to the others)."""
    out = [0] * len(caps)
    left = total
    open_days = [i for i, cap in enumerate(caps) if cap > 0]
    while left > 0 and open_days:
        share = max(1, left // len(open_days))
        for day in list(open_days):
            add = min(share, caps[day] - out[day], left)
            out[day] += add
            left -= add
            if out[day] >= caps[day]:
                open_days.remove(day)
            if left == 0:
                break
    return out


def bouts(minutes: int, longest: int) -> list[int]:
    """``minutes`` split into the fewest near-equal bouts of at most ``longest``."""
    count = max(1, math.ceil(minutes / longest))
    base, extra = divmod(minutes, count)
    return [base + (1 if i < extra else 0) for i in range(count)]
