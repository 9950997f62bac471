"""Parse and validate a ``bumpwell.assessment/1`` request into typed values.

Every refusal raises InvalidRequest naming the dotted field and what is allowed. Missing observations take the
safe reading of the clinical reference (no bleeding, movements normal ...); a clearance is never assumed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from bumpwell.domain.reading import JsonObject, describe, examples
from bumpwell.domain.stage import GESTATION_WEEKS
from bumpwell.domain.values import SCHEMA, Gestation
from bumpwell.errors import InvalidRequest

BLEEDING = ("none", "spotting", "light", "heavy")
MOVEMENTS = ("normal", "reduced_or_changed", "never_felt")
HEADACHE = ("none", "mild_resolved", "persistent", "severe")
SWELLING = ("none", "gradual_ankles", "sudden_face_hands_feet", "one_leg")
CHEST_PAIN = ("none", "mild", "severe_or_with_breathlessness")
DIZZINESS = ("none", "resolved_with_rest", "persisting")
LOCATIONS = (
    "lumbar",
    "thoracic",
    "buttock_si",
    "posterior_thigh",
    "pubic_groin",
    "below_knee_one_leg",
    "both_legs",
    "flank",
)
AGGRAVATORS = (
    "turn_in_bed",
    "stairs",
    "single_leg",
    "walking",
    "parting_legs",
    "sit_to_stand",
    "forward_bend",
    "prolonged_sitting",
    "prolonged_standing",
    "lifting",
)
DELIVERY = ("vaginal", "instrumental", "caesarean")
LIMIT_MINUTES = (5, 240)  # a clearance's most minutes a session, as the engine contract accepts it


@dataclass(frozen=True, slots=True)
class Contractions:
    """Tightenings reported today."""

    per_hour: int = 0
    regular: bool = False
    painful: bool = False
    settled_with_rest_min: int | None = None
    during_exercise: bool = False


@dataclass(frozen=True, slots=True)
class Observations:
    """What the person reports today; defaults are the safe reading of an unanswered question."""

    vaginal_bleeding: str = "none"
    fluid_leak: bool = False
    contractions: Contractions = Contractions()
    pelvic_pressure: bool = False
    rhythmic_backache: bool = False
    show: bool = False
    fetal_movements: str = "normal"
    headache: str = "none"
    visual_disturbance: bool = False
    pain_below_ribs: bool = False
    vomiting: bool = False
    swelling: str = "none"
    temperature_c: float | None = None
    urinary_burning: bool = False
    flank_pain: bool = False
    shivering: bool = False
    calf_pain_one_side: bool = False
    chest_pain: str = "none"
    breathless_at_rest: bool = False
    sudden_severe_breathlessness: bool = False
    coughing_blood: bool = False
    dizziness: str = "none"
    fainted: bool = False
    seizure: bool = False
    confusion: bool = False
    muscle_weakness_affecting_balance: bool = False
    saddle_numbness: bool = False
    new_bladder_or_bowel_change: bool = False
    both_legs_weak_or_numb: bool = False
    one_leg_tingling_below_knee: bool = False
    serious_accident: bool = False
    blow_to_abdomen: bool = False
    sudden_severe_abdominal_pain: bool = False
    uterus_hard_tender: bool = False
    night_pain: bool = False
    unexplained_weight_loss: bool = False
    history_of_cancer: bool = False
    urinary_leakage: bool = False
    vaginal_heaviness_or_bulge: bool = False
    supine_symptoms: bool = False
    doming_seen: bool = False
    hypermobility: bool = False


_ENUMS: dict[str, tuple[str, ...]] = {
    "vaginal_bleeding": BLEEDING,
    "fetal_movements": MOVEMENTS,
    "headache": HEADACHE,
    "swelling": SWELLING,
    "chest_pain": CHEST_PAIN,
    "dizziness": DIZZINESS,
}


@dataclass(frozen=True, slots=True)
class Pain:
    """Where it hurts, how much, and what makes it worse."""

    locations: frozenset[str] = frozenset()
    nrs_now: int = 0
    nrs_worst_24h: int = 0
    onset: str = "gradual"
    pattern: str = "mechanical"
    aggravators: frozenset[str] = frozenset()
    days_at_or_above_7: int = 0
    duration_weeks: int = 0
    function_limit: str = "none"

    @property
    def present(self) -> bool:
        """Whether any pain is reported at all."""
        return bool(self.locations) or self.nrs_now > 0 or self.nrs_worst_24h > 0


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition code with the clinician's clearance and limits, if any."""

    code: str
    cleared: bool
    allowed: frozenset[str] | None = None
    max_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Postpartum:
    """Time since birth and how the baby was born."""

    weeks: int
    days: int
    delivery: str
    perineal_tear: bool

    @property
    def total_days(self) -> int:
        """Weeks and days since birth as days."""
        return self.weeks * 7 + self.days


@dataclass(frozen=True, slots=True)
class Preferences:
    """Time, days and help available."""

    days_per_week: int = 3
    minutes_per_day: int = 30
    pool_access: bool = False
    supervisor_available: bool = False


@dataclass(frozen=True, slots=True)
class Programme:
    """How the running programme has gone so far."""

    days: int
    planned_sessions: int = 0
    completed_sessions: int = 0
    baseline_nrs: int | None = None
    current_nrs: int | None = None
    days_worse_by_2: int = 0
    provoking: tuple[str, ...] = ()
    baseline_pgq: int | None = None
    current_pgq: int | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """A validated assessment request."""

    today: date
    status: str
    gestation: Gestation | None
    postpartum: Postpartum | None
    plurality: int
    conditions: tuple[Condition, ...]
    observations: Observations
    pain: Pain
    activity_history: str
    wants: tuple[str, ...]
    preferences: Preferences
    programme: Programme | None

    @property
    def pregnant(self) -> bool:
        """True while pregnant, False after birth."""
        return self.status == "pregnant"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ids a request may name, taken from the catalogue."""

    exercises: Collection[str]
    activities: Collection[str]
    conditions: Collection[str]
    postpartum_max_weeks: int


def parse_request(data: object, vocabulary: Vocabulary, default_today: date) -> Request:
    """Validate a request document and return it typed; raises InvalidRequest naming the field."""
    top = JsonObject(data, "", _TOP_KEYS)
    if top.data.get("schema") != SCHEMA:
        raise InvalidRequest("schema", f"must be {SCHEMA!r}, got {describe(top.data.get('schema'))}")
    status = top.choice("status", ("pregnant", "postpartum"))
    gestation = _gestation(top, status)
    postpartum = _postpartum(top, status, vocabulary.postpartum_max_weeks)
    return Request(
        today=_today(top, default_today),
        status=status,
        gestation=gestation,
        postpartum=postpartum,
        plurality=top.integer("plurality", 1, 3, default=1),
        conditions=_conditions(top, vocabulary),
        observations=_observations(top.child("observations", _OBSERVATION_KEYS)),
        pain=_pain(top.child("pain", _PAIN_KEYS)),
        activity_history=top.choice("activity_history", ("inactive", "active", "vigorous"), default="inactive"),
        wants=top.ids("wants", {*vocabulary.exercises, *vocabulary.activities}, "exercise or activity id"),
        preferences=_preferences(top.child("preferences", _PREFERENCE_KEYS)),
        programme=_programme(top.child("programme", _PROGRAMME_KEYS), vocabulary),
    )


_TOP_KEYS = (
    "schema",
    "today",
    "status",
    "gestation",
    "postpartum",
    "plurality",
    "conditions",
    "observations",
    "pain",
    "activity_history",
    "wants",
    "preferences",
    "programme",
)
_OBSERVATION_KEYS = tuple(f.name for f in fields(Observations))
_CONTRACTION_KEYS = tuple(f.name for f in fields(Contractions))
_PAIN_KEYS = tuple(f.name for f in fields(Pain))
_PREFERENCE_KEYS = tuple(f.name for f in fields(Preferences))
_PROGRAMME_KEYS = tuple(f.name for f in fields(Programme))


def _today(top: JsonObject, default: date) -> date:
    value = top.data.get("today")
    if value is None:
        return default
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest("today", f"must be a date written YYYY-MM-DD, got {describe(value)}") from None


def _gestation(top: JsonObject, status: str) -> Gestation | None:
    block = top.child("gestation", ("weeks", "days"))
    if status == "postpartum":
        if block is not None:
            raise InvalidRequest("gestation", "only allowed while pregnant; after birth send 'postpartum'")
        return None
    if block is None:
        raise InvalidRequest("gestation", 'is required when status is \'pregnant\': {"weeks": 4-42, "days": 0-6}')
    return Gestation(block.integer("weeks", *GESTATION_WEEKS), block.integer("days", 0, 6, default=0))


def _postpartum(top: JsonObject, status: str, max_weeks: int) -> Postpartum | None:
    block = top.child("postpartum", ("weeks", "days", "delivery", "perineal_tear"))
    if status == "pregnant":
        if block is not None:
            raise InvalidRequest("postpartum", "only allowed when status is 'postpartum'")
        return None
    if block is None:
        raise InvalidRequest("postpartum", "is required when status is 'postpartum': weeks, days and delivery")
    return Postpartum(
        weeks=block.integer("weeks", 0, max_weeks),
        days=block.integer("days", 0, 6, default=0),
        delivery=block.choice("delivery", DELIVERY),
        perineal_tear=block.boolean("perineal_tear"),
    )


def _conditions(top: JsonObject, vocabulary: Vocabulary) -> tuple[Condition, ...]:
    raw = top.data.get("conditions", [])
    if not isinstance(raw, list):
        raise InvalidRequest("conditions", f"must be a list of conditions, got {describe(raw)}")
    out: list[Condition] = []
    for index, item in enumerate(raw):
        obj = JsonObject(item, f"conditions[{index}]", ("code", "cleared", "limits"))
        code = obj.data.get("code")
        if code not in vocabulary.conditions:
            raise InvalidRequest(
                obj.at("code"), f"unknown condition code {describe(code)}; {examples(vocabulary.conditions)}"
            )
        if any(c.code == code for c in out):
            raise InvalidRequest(obj.at("code"), f"{code} is listed twice")
        cleared = obj.boolean("cleared")
        limits = obj.child("limits", ("max_minutes", "allowed"))
        if limits is not None and not cleared:
            raise InvalidRequest(obj.at("limits"), "only allowed with cleared: true (a clinician sets the limits)")
        allowed = None
        if limits is not None and "allowed" in limits.data:
            allowed = frozenset(limits.ids("allowed", vocabulary.exercises, "exercise id"))
        max_minutes = limits.optional_integer("max_minutes", *LIMIT_MINUTES) if limits is not None else None
        out.append(Condition(code=str(code), cleared=cleared, allowed=allowed, max_minutes=max_minutes))
    return tuple(out)


def _observations(obj: JsonObject | None) -> Observations:
    if obj is None:
        return Observations()
    values: dict[str, Any] = {}
    for key in obj.data:
        if key == "contractions":
            values[key] = _contractions(obj.child(key, _CONTRACTION_KEYS))
        elif key == "temperature_c":
            values[key] = _temperature(obj)
        elif key in _ENUMS:
            values[key] = obj.choice(key, _ENUMS[key], default=_ENUMS[key][0])
        else:
            values[key] = obj.boolean(key)
    return Observations(**values)


def _temperature(obj: JsonObject) -> float | None:
    value = obj.data.get("temperature_c")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 30.0 <= value <= 45.0:
        raise InvalidRequest(obj.at("temperature_c"), f"must be degrees Celsius from 30 to 45, got {describe(value)}")
    return float(value)


def _contractions(obj: JsonObject | None) -> Contractions:
    if obj is None:
        return Contractions()
    return Contractions(
        per_hour=obj.integer("per_hour", 0, 60, default=0),
        regular=obj.boolean("regular"),
        painful=obj.boolean("painful"),
        settled_with_rest_min=obj.optional_integer("settled_with_rest_min", 0, 1440),
        during_exercise=obj.boolean("during_exercise"),
    )


def _pain(obj: JsonObject | None) -> Pain:
    if obj is None:
        return Pain()
    return Pain(
        locations=frozenset(obj.ids("locations", LOCATIONS, "pain location")),
        nrs_now=obj.integer("nrs_now", 0, 10, default=0),
        nrs_worst_24h=obj.integer("nrs_worst_24h", 0, 10, default=0),
        onset=obj.choice("onset", ("gradual", "sudden"), default="gradual"),
        pattern=obj.choice("pattern", ("mechanical", "constant", "night"), default="mechanical"),
        aggravators=frozenset(obj.ids("aggravators", AGGRAVATORS, "aggravator")),
        days_at_or_above_7=obj.integer("days_at_or_above_7", 0, 3650, default=0),
        duration_weeks=obj.integer("duration_weeks", 0, 520, default=0),
        function_limit=obj.choice("function_limit", ("none", "some", "severe"), default="none"),
    )


def _preferences(obj: JsonObject | None) -> Preferences:
    if obj is None:
        return Preferences()
    usual = Preferences()  # the dataclass holds the defaults; they are not repeated here
    return Preferences(
        days_per_week=obj.integer("days_per_week", 1, 7, default=usual.days_per_week),
        minutes_per_day=obj.integer("minutes_per_day", 5, 240, default=usual.minutes_per_day),
        pool_access=obj.boolean("pool_access"),
        supervisor_available=obj.boolean("supervisor_available"),
    )


def _programme(obj: JsonObject | None, vocabulary: Vocabulary) -> Programme | None:
    if obj is None:
        return None
    days = obj.integer("days", 0, 3650)
    planned = obj.integer("planned_sessions", 0, 10000, default=0)
    completed = obj.integer("completed_sessions", 0, 10000, default=0)
    if completed > planned:
        raise InvalidRequest(obj.at("completed_sessions"), f"cannot be more than planned_sessions ({planned})")
    return Programme(
        days=days,
        planned_sessions=planned,
        completed_sessions=completed,
        baseline_nrs=obj.optional_integer("baseline_nrs", 0, 10),
        current_nrs=obj.optional_integer("current_nrs", 0, 10),
        days_worse_by_2=obj.integer("days_worse_by_2", 0, days, default=0),
        provoking=obj.ids("provoking", vocabulary.exercises, "exercise id"),
        baseline_pgq=obj.optional_integer("baseline_pgq", 0, 100),
        current_pgq=obj.optional_integer("current_pgq", 0, 100),
    )
