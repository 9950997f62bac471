"""Closed vocabularies of the ``bumpwell.assessment/1`` contract and small value types."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

SCHEMA = "bumpwell.assessment/1"

POSITIONS = frozenset(
    {
        "supine",
        "semi_reclined",
        "side_lying",
        "prone",
        "four_point_kneeling",
        "kneeling",
        "seated",
        "standing",
        "standing_wall",
        "in_water",
        "walking",
    }
)

# Tags that rules act on (an exercise carries every one that applies).
LOAD_TAGS = frozenset(
    {
        "single_leg",
        "wide_stance",
        "deep_squat",
        "hip_abduction",
        "adductor_stretch",
        "straddle",
        "asymmetric_load",
        "spinal_flexion_loaded",
        "full_plank",
        "double_leg_raise",
        "end_range_pelvic_stretch",
        "balance_challenge",
        "high_impact",
        "running",
        "breaststroke_kick",
        "breath_hold",
        "heat",
        "vigorous",
    }
)
DESCRIPTIVE_TAGS = frozenset(
    {
        "spinal_mobility",
        "core",
        "pelvic_floor",
        "aerobic",
        "stretch",
        "strength",
        "relaxation",
        "breathing",
        "mobility",
        "yoga",
        "squat",
        "kneeling_balance",
        "forward_bend",
    }
)
TAGS = LOAD_TAGS | DESCRIPTIVE_TAGS

# What the catalogue must mark supervision "required" (engine-contract invariant 6; the source article: "especially
# bending, squatting and stretching"): stretches, seated ones included, squats, kneeling balance, forward bends.
SUPERVISED_TAGS = frozenset({"stretch", "squat", "kneeling_balance", "forward_bend"})

ACTIVITY_IDS = frozenset(
    {
        "hot_yoga",
        "scuba_diving",
        "skydiving",
        "contact_sports",
        "high_fall_risk_sports",
        "exercise_at_altitude_unacclimatised",
        "exercise_in_heat",
        "running",
        "high_impact",
        "breaststroke_kick",
        "vigorous_intensity",
    }
)

# What an exercise is for in a session; the planner fills session blocks by category.
CATEGORIES = frozenset(
    {"aerobic", "strength", "core", "stretch", "pelvic_floor", "warm_up", "cool_down", "relaxation", "yoga"}
)

STAGES = (
    "trimester_1",
    "trimester_2",
    "trimester_3",
    "postpartum_0_6w",
    "postpartum_6_12w",
    "postpartum_12w_plus",
)

SUPERVISION = ("required", "recommended", "not_needed")
ACTIVITY_LEVELS = ("inactive", "active", "vigorous")
SIDES = ("both", "each")

ACTION_KINDS = (
    "call_emergency",
    "call_maternity_unit_now",
    "stop_session",
    "contact_provider_24h",
    "see_physiotherapist",
    "mention_at_next_visit",
    "education",
)
"""Action kinds, most urgent first: the response lists actions in this order."""


class Level(IntEnum):
    """Triage levels; a higher value is more urgent and the highest level fired wins."""

    OK_TO_EXERCISE = 0
    DISCUSS_AT_NEXT_VISIT = 1
    CONTACT_WITHIN_24H = 2
    URGENT_SAME_DAY = 3
    EMERGENCY = 4

    @property
    def wire(self) -> str:
        """The level as the contract spells it."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        """The level for its contract spelling; raises KeyError when unknown."""
        return cls[text.upper()]


LEVEL_NAMES = tuple(level.wire for level in Level)


@dataclass(frozen=True, slots=True)
class Gestation:
    """Weeks and days of pregnancy, compared as total days (20+0 is 140 days)."""

    weeks: int
    days: int

    @property
    def total_days(self) -> int:
        """Weeks and days as a single count of days."""
        return self.weeks * 7 + self.days
