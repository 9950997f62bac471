"""Request and response bodies of the JSON API, named by intent (XCreate, XUpdate, XPublic).

Request models are strict: unknown fields are refused, strings are not read as numbers, and true is not 1.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from bumpwell.domain import input_rules
from bumpwell.domain.request import LIMIT_MINUTES
from bumpwell.errors import InvalidRequest
from bumpwell.services.people import BOUNDS, DEFAULTS
from bumpwell.web import checkin_schemas

T = TypeVar("T")
ID = r"^[0-9a-f-]+$"  # ids in paths are UUIDs: nothing else (a NUL above all) reaches a lookup


def _day(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a real date written YYYY-MM-DD") from None
    return day


Int = Annotated[int, Strict()]
# Goes after a number's bounds: placed before them, it hides them from the JSON Schema (pydantic then writes ge/le
# where minimum/maximum belong, so the published schema loses the limits).
Whole = checkin_schemas.Whole
Day = Annotated[date, BeforeValidator(_day)]
Bool = Annotated[bool, Strict()]
Pain = Annotated[Int, Field(ge=0, le=10, description="0 = no pain, 10 = worst imaginable"), Whole]
Text = Annotated[str, Field(max_length=2000)]


def _nul_at(value: object, where: str) -> str | None:
    """The dotted path of the first text in ``value`` that holds a NUL character, or ``None``."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: list[tuple[str, object]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return where
            items.append((f"{where}.{key}" if where else str(key), item))
    elif isinstance(value, list):
        items = [(f"{where}[{index}]", item) for index, item in enumerate(value)]
    for path, item in items:
        found = _nul_at(item, path)
        if found is not None:
            return found
    return None


class In(BaseModel):
    """Base of request bodies."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        """No text may hold the NUL character (PostgreSQL cannot store it, and no one means to send it), nor a
        bidirectional control (``domain.input_rules``, shared with the pages' forms)."""
        where = _nul_at(data, "")
        if where is not None:
            raise InvalidRequest(where or "body", "must not contain the NUL character")
        found = input_rules.first_text_problem(data)
        if found is not None:
            raise InvalidRequest(*found)
        return data

    @model_validator(mode="after")
    def _sane_days(self) -> Any:
        """Every date between 1900 and 2100 (``domain.input_rules``): a rule JSON Schema cannot state, so a 422."""
        for name, value in self:
            problem = input_rules.day_problem(value) if type(value) is date else None
            if problem is not None:
                raise InvalidRequest(name, problem)
        return self


class Out(BaseModel):
    """Base of response bodies."""

    model_config = ConfigDict(from_attributes=True)


class Page(Out, Generic[T]):
    """One page of a list, newest first."""

    items: list[T]
    total: int
    limit: int
    offset: int


GivenName = Annotated[str, Field(min_length=1, max_length=80, description="given (first) name")]
FamilyName = Annotated[str, Field(min_length=1, max_length=80, description="family name (surname)")]
BirthDay = Annotated[Day, Field(description="date of birth, YYYY-MM-DD; an adult (ages in content/policy.yaml)")]
HospitalNumber = Annotated[
    str, Field(max_length=20, description="hospital or NHS-style number: letters and digits, spaces, - or /")
]
Phone = Annotated[str, Field(max_length=24, description="7 to 15 digits, + in front for abroad")]


class SignUpCreate(In):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    display_name: Annotated[str, Field(min_length=1, max_length=80, description="a person's given name")]
    role: Literal["person", "supervisor", "clinician"] = "person"
    family_name: Annotated[FamilyName | None, Field(description="needed for a person")] = None
    date_of_birth: Annotated[BirthDay | None, Field(description="needed for a person")] = None
    hospital_number: HospitalNumber | None = None
    phone: Phone | None = None


class IdentityUpdate(In):
    """A person's identifiers: given and family name and date of birth needed, the rest optional."""

    given_name: GivenName
    family_name: FamilyName
    date_of_birth: BirthDay
    hospital_number: HospitalNumber | None = None
    phone: Phone | None = None


class IdentityPublic(Out):
    given_name: str
    family_name: str | None = Field(description="null on an account made before family names were asked")
    date_of_birth: date | None = Field(description="null on an account made before dates of birth were asked")
    hospital_number: str | None
    phone: str | None
    complete: bool = Field(description="true once family name and date of birth are given")
    identifiers: str = Field(description="as pages show her: 'Hana Silva · born 3 Mar 1994 · MRN 12345'")


class LoginCreate(In):
    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=200)]


class PasswordResetCreate(In):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=10, max_length=200)]


class PasswordChange(In):
    current_password: Annotated[str, Field(max_length=200)]
    new_password: Annotated[str, Field(min_length=10, max_length=200)]


class UserPublic(Out):
    id: str
    email: str
    display_name: str
    role: str
    created_at: datetime


class MePublic(UserPublic):
    csrf_token: str | None = Field(None, description="send back as X-CSRF-Token on changes made with the cookie")
    has_profile: bool
    identity: IdentityPublic | None = Field(None, description="a person's identifiers; null for other roles")


class MeUpdate(In):
    display_name: Annotated[str, Field(min_length=1, max_length=80)]


class AccountDelete(In):
    password: Annotated[str, Field(max_length=200)]
    confirm: Annotated[str, Field(max_length=60, description="type: delete my account")]


class TokenCreate(In):
    name: Annotated[str, Field(min_length=1, max_length=80)]


class TokenPublic(Out):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="shown once: keep it safe")


def _bounded(field: str) -> Any:
    """The service's bounds for ``field`` (services.people.BOUNDS), shown in the schema and checked here first."""
    low, high = BOUNDS[field]
    return Field(ge=low, le=high)


class ProfileUpdate(In):
    status: Literal["pregnant", "postpartum"]
    due_date: Day | None = None
    birth_date: Day | None = None
    delivery: Literal["vaginal", "instrumental", "caesarean"] | None = None
    perineal_tear: Bool = False
    plurality: Annotated[Int, _bounded("plurality"), Whole] = DEFAULTS["plurality"]
    activity_history: Literal["inactive", "active", "vigorous"] = DEFAULTS["activity_history"]
    days_per_week: Annotated[Int, _bounded("days_per_week"), Whole] = DEFAULTS["days_per_week"]
    minutes_per_day: Annotated[Int, _bounded("minutes_per_day"), Whole] = DEFAULTS["minutes_per_day"]
    pool_access: Bool = DEFAULTS["pool_access"]
    supervisor_available: Bool = DEFAULTS["supervisor_available"]


class Stage(Out):
    status: str
    weeks: int
    days: int


class ProfilePublic(Out):
    status: str
    due_date: date | None
    birth_date: date | None
    delivery: str | None
    perineal_tear: bool
    plurality: int
    activity_history: str
    days_per_week: int
    minutes_per_day: int
    pool_access: bool
    supervisor_available: bool
    updated_at: datetime
    stage: Stage


class ScreeningUpdate(In):
    conditions: Annotated[list[Annotated[str, Field(max_length=16)]], Field(max_length=40)] = Field(
        description="the contraindication codes that apply (CI-A*, CI-R*, CI-N01); an empty list means none"
    )


class ConditionPublic(Out):
    code: str
    recorded_at: datetime
    cleared: bool
    cleared_by_name: str | None
    cleared_at: datetime | None
    max_minutes: int | None
    allowed: list[str] | None
    until: date | None


class ClearanceCreate(In):
    allowed: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=60)] | None = None
    max_minutes: Annotated[Int, Field(ge=LIMIT_MINUTES[0], le=LIMIT_MINUTES[1]), Whole] | None = None
    until: Day | None = None


class FollowUp(In):
    """After a warning sign: whether she was seen, by whom, and what she was told (issue 15 point 8)."""

    seen: bool = Field(description="she has been seen by a midwife, doctor or physiotherapist since the warning sign")
    seen_by: Annotated[str, Field(max_length=120, description="who saw her: role and name, like 'midwife Ana'")] | (
        None
    ) = None
    told: Literal["may_exercise", "not_yet", "other"] | None = Field(
        None, description="may_exercise needs seen and seen_by; it ends the hold on exercise"
    )


class CheckInCreate(In):
    """Today's answers, shaped as in the ``bumpwell.assessment/1`` request; the rest comes from the profile.

    ``follow_up`` answers the question asked after a warning sign; it is kept with the check-in, not sent to the
    engine.
    """

    follow_up: FollowUp | None = None
    observations: checkin_schemas.Observations | None = None
    pain: checkin_schemas.Pain | None = None
    wants: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=40)] | None = None


class CheckInPublic(Out):
    id: str
    day: date
    created_at: datetime
    triage: str
    exercise: str
    pattern: str
    response: dict[str, Any]
    follow_up: dict[str, Any] | None = Field(None, description="her answer after a warning sign, as recorded")
    held_by: str | None = Field(
        None, description="the red flag not yet followed up that keeps exercise off after this check; null when none"
    )


class CheckInDetail(CheckInPublic):
    request: dict[str, Any] = Field(description="exactly what the engine saw, so the answer can be replayed")


class PlanPublic(Out):
    id: str
    check_in_id: str
    week_start: date
    created_at: datetime
    plan: dict[str, Any] = Field(description="the engine's plan with the clinicians' standing changes applied")
    adjustments: list[dict[str, Any]] = Field(
        description=(
            "what each clinician changed (exercise, action, dose, reason, by, at) and how many items it hit; "
            "a supervisor gets no reason"
        )
    )


class PresenceIn(In):
    """Who is there: exactly one of ``alone``, ``named``, ``presence_request_id``, or ``supervisor_id`` with ``pin``."""

    alone: bool = Field(False, description="the person chooses to start alone; recorded and shown to the clinician")
    named: Annotated[str, Field(min_length=1, max_length=80)] | None = Field(
        None, description="someone with her who has no account, by name: recorded as her word, not their confirmation"
    )
    presence_request_id: Annotated[str, Field(min_length=36, max_length=36)] | None = Field(
        None, description="a request a supervisor confirmed on their own phone"
    )
    supervisor_id: Annotated[str, Field(min_length=36, max_length=36)] | None = None
    pin: Annotated[str, Field(pattern=r"^[0-9]{6,8}$")] | None = Field(
        None, description="the supervisor's own PIN, typed on the person's phone"
    )


class SessionStart(In):
    day: Day
    index: Annotated[Int, Field(ge=0, le=9), Whole] = 0
    pain_before: Pain | None = None
    supervision: PresenceIn | None = None


class ItemPublic(Out):
    position: int
    exercise: str
    dose: dict[str, Any]
    status: str
    sets_done: int | None
    reps_done: int | None
    minutes_done: int | None
    pain: int | None


class SessionPublic(Out):
    id: str
    plan_id: str
    day: date
    kind: str
    minutes: int
    supervision: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    stop_reason: str | None
    stop_note: str | None
    pain_before: int | None
    pain_after: int | None
    effort: str | None
    unusual: str | None
    supervision_status: str | None = Field(
        None, description="confirmed, alone (the person chose to), not_confirmed, not_needed; null if not recorded"
    )
    supervised_by: str | None = None
    supervised_by_name: str | None = None
    supervision_method: str | None = Field(None, description="own_phone or pin")
    items: list[ItemPublic] = []


class SessionSummary(Out):
    id: str
    day: date
    kind: str
    minutes: int
    supervision: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    stop_reason: str | None
    supervision_status: str | None = Field(
        None, description="confirmed, alone (the person chose to), not_confirmed, not_needed; null if not recorded"
    )
    supervised_by: str | None = None
    supervised_by_name: str | None = None
    supervision_method: str | None = Field(None, description="own_phone or pin")


class ItemUpdate(In):
    position: Annotated[Int, Field(ge=0, le=99), Whole]
    status: Literal["done", "partial", "skipped"]
    sets_done: Annotated[Int, Field(ge=0, le=20), Whole] | None = None
    reps_done: Annotated[Int, Field(ge=0, le=500), Whole] | None = None
    minutes_done: Annotated[Int, Field(ge=0, le=240), Whole] | None = None
    pain: Pain | None = None


class SessionComplete(In):
    pain_after: Pain
    effort: Literal["can_sing", "can_talk_not_sing", "cannot_talk"] = Field(
        description="the talk test: can sing (light), can talk but not sing (moderate, the aim), cannot talk (hard)"
    )
    unusual: Text = ""


class SessionCompleted(SessionPublic):
    easier_next_time: list[str]
    message: str


class SessionStop(In):
    reason: Literal["pain", "warning_sign", "tired", "other"]
    note: Text = ""
    pain_after: Pain | None = None


class SessionStopped(SessionPublic):
    next_step: str


class DiaryCreate(In):
    day: Day
    pain: Pain
    note: Text = ""


class DiaryPublic(Out):
    id: str
    day: date
    pain: int
    note: str
    created_at: datetime
    updated_at: datetime


class DiaryBrief(Out):
    """A diary day without its text (what a supervisor would see, if ever)."""

    day: date
    pain: int


class WeekProgress(Out):
    week_start: date
    diary_days: int
    pain_mean: float | None
    sessions_completed: int
    sessions_stopped: int
    minutes: int


class ProgressPublic(Out):
    weeks: list[WeekProgress]
    review: list[dict[str, str]]
    review_actions: list[dict[str, str]]
    checked_on: date | None


class InvitationCreate(In):
    role: Literal["supervisor", "clinician"]


class MemberBrief(Out):
    id: str
    display_name: str
    role: str


class CareLinkPublic(Out):
    id: str
    person_id: str
    role: str
    status: str
    member: MemberBrief | None
    created_at: datetime
    expires_at: datetime
    joined_at: datetime | None
    accepted_at: datetime | None
    removed_at: datetime | None


class InvitationCreated(CareLinkPublic):
    code: str = Field(description="give this one-time code to the person you invite; it is shown once")


class JoinCreate(In):
    code: Annotated[str, Field(min_length=1, max_length=40)]


class LinkedPerson(Out):
    link_id: str
    person_id: str
    display_name: str
    role: str
    status: str


class NoteVisibility(StrEnum):
    """Who reads a clinician's note: ``to_her`` (she does, on her progress page) or ``clinical`` (her care team's
    clinicians only; never she, never her supervisors)."""

    to_her = "to_her"
    clinical = "clinical"


class NoteCreate(In):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    visibility: NoteVisibility = Field(
        default=NoteVisibility.to_her,
        description="to_her: she reads it; clinical: her care team's clinicians only. The clinic page makes the "
        "clinician choose; an API client that sends none keeps the meaning notes had before (to_her).",
    )


class NotePublic(Out):
    id: str
    author_name: str
    text: str
    created_at: datetime
    visibility: NoteVisibility


class MessageCreate(In):
    """A short message from her clinician to her: a notice she reads in the app (and an e-mail when set up)."""

    text: Annotated[str, Field(min_length=1, max_length=500)]


class MessagePublic(Out):
    id: str
    text: str
    created_at: datetime
    read_at: datetime | None
    email_status: str


class RedFlagPublic(Out):
    """A warning sign the person reported; open until a clinician closes it, saying what was done."""

    id: str
    kind: Literal["check_in", "session_stopped"]
    source_id: str = Field(description="the check-in or the session that raised it")
    triage: str | None
    rules: list[str]
    action: str | None = Field(description="the first thing the person was told to do")
    raised_at: datetime
    closed_at: datetime | None
    closed_by_name: str | None
    close_note: str | None


class FlagClose(In):
    note: Annotated[str, Field(min_length=1, max_length=1000, description="what was done (called her, saw her...)")]


class AdjustmentDose(In):
    sets: Annotated[Int, Field(ge=1, le=6), Whole] | None = None
    reps: Annotated[Int, Field(ge=1, le=30), Whole] | None = None
    hold_s: Annotated[Int, Field(ge=1, le=60), Whole] | None = None
    minutes: Annotated[Int, Field(ge=1, le=60), Whole] | None = None


class AdjustmentCreate(In):
    exercise: Annotated[str, Field(min_length=1, max_length=64, description="an exercise id of the catalogue")]
    action: Literal["exclude", "dose"]
    dose: AdjustmentDose | None = Field(None, description="with action dose: the fields to change")
    reason: Annotated[str, Field(min_length=3, max_length=500, description="why; the person reads it")]


class AdjustmentPublic(Out):
    id: str
    author_name: str
    exercise: str
    action: str
    dose: dict[str, int] | None
    reason: str
    created_at: datetime
    ended_at: datetime | None
    ended_by_name: str | None


class PresenceCreate(In):
    day: Day
    index: Annotated[Int, Field(ge=0, le=9), Whole] = 0


class PresencePublic(Out):
    id: str
    day: date
    session_index: int
    created_at: datetime
    expires_at: datetime
    confirmed_by_name: str | None
    confirmed_at: datetime | None
    session_id: str | None


class SupervisorPublic(Out):
    id: str
    display_name: str
    has_pin: bool


class NoticePublic(Out):
    id: str
    person_id: str
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None
    email_status: str


class PinUpdate(In):
    pin: Annotated[str, Field(pattern=r"^[0-9]{6,8}$", description="6 to 8 digits, typed on the person's phone")]


class BoardRowPublic(Out):
    person_id: str
    name: str = Field(description="her given name")
    family_name: str | None
    date_of_birth: date | None
    hospital_number: str | None
    identifiers: str = Field(description="full name with date of birth and hospital number, as the board shows")
    need: str = Field(
        description="red_flag, escalation, clearance, missed, handled (acknowledged for now) or on_track (most "
        "pressing first)"
    )
    reason: str
    open_flags: int
    latest_flag_at: datetime | None
    escalations: list[str]
    uncleared: list[str]
    sessions_done_7d: int
    sessions_missed_7d: int
    pain_7d: float | None
    pain_prev_7d: float | None


class BoardPublic(Out):
    counts: dict[str, int] = Field(description="people matching the search and stage at each level (not the level)")
    items: list[BoardRowPublic]
    total: int = Field(description="people matching the search and every filter")
    everyone: int = Field(description="people linked to the clinician")
    limit: int
    offset: int


class AcknowledgementCreate(In):
    kind: Literal["escalation", "missed"] = Field(description="the board line handled")
    note: Annotated[str, Field(min_length=1, max_length=2000, description="what was done or decided")]
    until: Annotated[Day, Field(description="the day the line comes back (after today; acknowledge_max_days)")]


class AcknowledgementPublic(Out):
    id: str
    kind: str
    codes: list[str] = Field(description="the escalations it covers (a new one puts the line back)")
    missed: int = Field(description="sessions missed that it covers (more put the line back)")
    by_name: str
    note: str
    created_at: datetime
    until: date


class AuditPublic(Out):
    at: datetime
    actor_role: str
    actor_id: str | None
    verb: str
    area: str
    detail: str


class AdminUserCreate(In):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    display_name: Annotated[str, Field(min_length=1, max_length=80)]
    role: Literal["person", "supervisor", "clinician", "admin"]


class ResetLinkPublic(Out):
    user_id: str
    url: str
    expires_in_hours: int


class CalendarFeedPublic(Out):
    url: str = Field(description="subscribe to this address in a calendar app; keep it secret (shown once)")
