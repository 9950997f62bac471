"""Immutable clinical content as domain objects: exercises, rules, thresholds, plan template.

These types are built by ``bumpwell.catalogue`` from the files in ``content/`` after strict validation;
the domain only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bumpwell.domain.checklist import Checklist
from bumpwell.domain.figure import Figure
from bumpwell.domain.values import Level


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of an exercise: any of sets, reps, hold seconds, minutes; sides is "both", "each" or None."""

    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    sides: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The dose in the contract's shape."""
        return {
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "minutes": self.minutes,
            "sides": self.sides,
        }


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of the catalogue; ``id`` is permanent."""

    id: str
    name: str
    purpose: str
    category: str
    position: str
    tags: frozenset[str]
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    stop_if: tuple[str, ...]
    dose: Mapping[str, Dose]  # by activity level: inactive, active, vigorous
    easier: tuple[str, ...]
    harder: tuple[str, ...]
    wall_support: bool
    supervision: str  # required | recommended | not_needed
    supervision_reason: str
    stages: frozenset[str]
    sources: tuple[str, ...]
    figure: Figure | None = None
    spotting: tuple[str, ...] = ()  # for the helper: what to watch for, when to help, when to stop


@dataclass(frozen=True, slots=True)
class Action:
    """Something the person should do, naming whom to contact."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """The one "stop if" block every exercise card shows below its own signs (clinical-reference §5, §20.31)."""

    heading: str
    signs: tuple[str, ...]
    then: str  # what to do, naming whom to call


@dataclass(frozen=True, slots=True)
class PlayerWords:
    """What the session player says at each kind of step (content/player.yaml); every hold says to keep breathing."""

    hold: str  # a held position (M07, §20 reading 31: never hold the breath)
    squeeze: str  # a pelvic-floor hold
    relax: str
    change_sides: str
    rest: str  # between sets
    change_over: str  # between exercises
    done: str  # the session is over: ask how it went
    pace: str  # a timed item whose card has no cue of its own
    ready: str  # before an exercise, after its first step and cue: the set-up ends with Ready
    more_time: str  # she asked for more set-up time
    count: str  # "{rep} of {reps}", after a rep's movement cue
    quick_squeeze: str  # one quick pelvic-floor squeeze, counted as a squeeze ({rep}, {reps})
    breathe: str  # said during a timed item, after its cue
    stopped: str  # she stopped the session


@dataclass(frozen=True, slots=True)
class Selector:
    """Picks exercises by id, tag or position, and activities by id."""

    exercises: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    positions: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()

    def matches(self, exercise: Exercise) -> bool:
        """Whether the exercise is picked by id, by any tag or by its position."""
        return (
            exercise.id in self.exercises
            or not self.tags.isdisjoint(exercise.tags)
            or exercise.position in self.positions
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A modification note attached to planned items that the selector picks."""

    applies_to: Selector
    text: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One clinical rule: id, plain words, level, sources, and what it does to the plan (if anything)."""

    id: str
    name: str
    text: str
    level: Level
    sources: tuple[str, ...]
    design: bool
    reviewed: date
    action: Action | None = None
    excludes: Selector = field(default_factory=Selector)
    replaces: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    conditional: Mapping[str, Selector] = field(default_factory=dict)
    supports: Selector = field(default_factory=Selector)  # items done beside a wall with someone nearby

    @property
    def source(self) -> str:
        """Source keys as one string, with DESIGN appended for product choices."""
        keys = list(self.sources)
        if self.design:
            keys.append("DESIGN")
        return ", ".join(keys)


@dataclass(frozen=True, slots=True)
class Activity:
    """An activity the engine may exclude that is not an exercise of the catalogue."""

    id: str
    name: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Policy:
    """Every threshold the rules use, in one place; values come from content/policy.yaml."""

    supine_limit_days: int
    trimester_2_from_days: int
    trimester_3_from_days: int
    term_from_days: int
    contractions_per_hour: int
    contractions_settle_max_min: int
    fetal_movements_from_days: int
    praevia_absolute_from_days: int
    preeclampsia_from_days: int
    preeclampsia_postpartum_weeks: int
    blow_to_abdomen_from_days: int
    fever_c: float
    nrs_gentle: int
    nrs_severe: int
    days_at_or_above_7: int
    pgp_aggravators_min: int
    improvement_nrs_points: int
    improvement_fraction: float
    improvement_pgq_points: int
    pgp_review_days: int
    adherence_min: float
    adherence_review_days: int
    worse_days: int
    provoking_rise_points: int
    provoking_ceiling_nrs: int
    postpartum_persistence_weeks: int
    postpartum_longterm_weeks: int
    postpartum_structured_from_days: int
    postpartum_running_from_days: int
    postpartum_vigorous_from_days: int
    aerobic_weekly_target_min: int
    aerobic_start_week_inactive: int
    aerobic_start_week_sedentary: int
    weekly_progression: float
    strength_sessions_min: int
    strength_sessions_max: int
    strength_max_from_days: int
    gentle_walk_max_min: int
    aerobic_share_strength_day: float
    aerobic_share_other_day: float
    all_walk_day_max_min: int
    shortest_aerobic_bout_min: int
    walk_bout_max_min: int
    provoked_walk_max_min: int
    progression_reps_step: int
    progression_hold_step_s: int
    progression_max_reps: int
    progression_max_hold_s: int
    progression_weeks_at_most: int
    postpartum_return_weeks: int
    pelvic_floor_sessions_a_day: int
    stretches_a_session_max: int
    seconds_per_rep: int
    rest_between_sets_s: int
    change_over_s: int
    get_ready_s: int
    relax_after_hold_s: int
    side_switch_s: int
    postpartum_max_weeks: int
    adjustment_max_sets: int
    adjustment_max_reps: int
    adjustment_max_hold_s: int
    adjustment_max_minutes: int
    identity_min_age_years: int
    board_missed_min: int
    acknowledge_max_days: int
    identity_max_age_years: int
    gentle_subset: frozenset[str]
    continue_after_symptom: tuple[str, ...]
    continue_under_gate: tuple[str, ...]
    allowed_with_pelvic_floor: frozenset[str]
    postpartum_early: frozenset[str]
    check_fresh_min: int
    presence_request_min: int
    pin_max_failures: int
    pin_window_min: int
    history_days: int
    login_attempts: int
    login_window_min: int
    login_address_free: int
    login_address_delay_ms: int
    login_address_max_delay_ms: int
    known_device_days: int
    session_extend_every_min: int
    session_max_days: int
    reset_requests: int
    follow_up_from: str  # a triage level: a finding at it or above holds exercise until it is followed up


@dataclass(frozen=True, slots=True)
class PlanTemplate:
    """Slots of a session, each an ordered list of candidate exercises; the first allowed one is used."""

    warm_up: tuple[str, ...]
    cool_down: tuple[str, ...]
    aerobic_land: tuple[str, ...]
    aerobic_pool: tuple[str, ...]
    strength: tuple[tuple[str, ...], ...]
    stretch: tuple[tuple[str, ...], ...]
    pelvic_floor: tuple[str, ...]
    yoga: tuple[tuple[str, ...], ...]
    alternates: Mapping[str, str] = field(default_factory=dict)  # on every other strength day, when allowed


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything the engine knows: exercises, activities, rules by id, policy, plan template and messages."""

    exercises: Mapping[str, Exercise]
    activities: Mapping[str, Activity]
    rules: Mapping[str, Rule]
    policy: Policy
    template: PlanTemplate
    sources: Mapping[str, str]
    messages: Mapping[str, Action]
    warning_signs: WarningSigns
    player: PlayerWords
    checklist: Checklist

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (content validation guarantees every engine rule exists)."""
        return self.rules[rule_id]
