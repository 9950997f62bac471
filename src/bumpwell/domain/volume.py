"""The plan's words about the week's aerobic minutes (clinical-reference §20.28).

When her days cannot hold the week's target the plan says so, and what would reach it: a short walk on the days
without a session, or a longer walk when she has the time. Walking on days without a session is encouraged, never
planned as a session she has not offered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bumpwell.domain.catalogue import Action, Catalogue
from bumpwell.domain.request import Request
from bumpwell.domain.timing import aerobic_minutes

WEEK_DAYS = 7


def volume_words(req: Request, plan: Mapping[str, Any], catalogue: Catalogue) -> tuple[Action, ...]:
    """The message that goes with this week's aerobic minutes, if any (content/messages.yaml)."""
    messages = catalogue.messages
    target = int(plan["aerobic_minutes_target"])
    planned = aerobic_minutes(plan, catalogue)
    days = {session["day"] for session in plan["sessions"] if session["kind"] != "pelvic_floor"}
    free = WEEK_DAYS - len(days)
    if planned >= target:
        return (messages["active_every_day"],) if free > 0 else ()
    values = {"planned": planned, "target": target, "days": free}
    if free > 0:
        values["walk"] = math.ceil((target - planned) / free)
        chosen = messages["short_of_target_other_days"]
    else:
        chosen = messages["short_of_target_every_day"]
    return (Action(kind=chosen.kind, text=chosen.text.format(**values)),)
