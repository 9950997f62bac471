"""Findings: which rule fired, with what outcome. Rule ids, the engine's required rules, action order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bumpwell.domain.values import ACTION_KINDS, Level

RULE_ID = re.compile(r"^(CI-[AR]\d{2}|CI-N01|RF-[EUCD]\d{2}|RT-\d|T-[A-Z]+|G-\d|M\d{2}|E\d)$")

# Conditions under which a rule's `conditional` exclusions apply (named in content, decided in code).
CONDITIONS = frozenset({"not_vigorous", "hypermobility", "before_running", "before_vigorous", "after_caesarean"})


def _ids(prefix: str, first: int, last: int, width: int = 2) -> tuple[str, ...]:
    return tuple(f"{prefix}{n:0{width}d}" for n in range(first, last + 1))


RED_FLAG_RULES = (
    *_ids("RF-E", 1, 6),
    *_ids("RF-U", 1, 12),
    *_ids("RF-C", 1, 8),
    *_ids("RF-D", 1, 2),
    "RT-1",
    "RT-4",
    "RT-6",
)
CONDITION_RULES = (*_ids("CI-A", 1, 13), *_ids("CI-R", 1, 11), "CI-N01")
GATE_RULES = ("G-1", "G-2", "G-3", "G-4")
MODIFICATION_RULES = _ids("M", 1, 13)
ESCALATION_RULES = _ids("E", 1, 7, width=1)
ENGINE_RULES = RED_FLAG_RULES + CONDITION_RULES + GATE_RULES + MODIFICATION_RULES + ESCALATION_RULES
"""Every rule id the engine can fire; content must define each one."""

MESSAGES = (
    "no_supervisor",
    "follow_up_needed",
    "perineal_tear",
    "short_of_target_other_days",
    "short_of_target_every_day",
    "active_every_day",
    "walk_in_bouts",
    "harder_variant",
    "harder_while_building",
)
"""Messages (content/messages.yaml) that the engine shows outside any one rule."""

ACTION_RANK = {kind: rank for rank, kind in enumerate(ACTION_KINDS)}


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired, with the outcome it had."""

    rule: str
    level: Level | None = None  # overrides the rule's level where one rule has two outcomes (RT-4, CI-*)
    acts: bool = True  # False where the rule's action belongs to its other outcome (RT-4 at the gentle level)
