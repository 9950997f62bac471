"""JSON API over one person's record: ``/api/v1/people/{person_id}/...``. Every route asks the access policy."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from bumpwell.config import public_host
from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.session_state import ItemStatus, StopReason
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.errors import NotFound
from bumpwell.exporters.calendar import plan_calendar
from bumpwell.exporters.fhir import BundleType, fhir_bundle
from bumpwell.exporters.read_model import PersonStory
from bumpwell.exporters.report import report_file_name, report_pdf
from bumpwell.services import (
    adjustments,
    calendar_feeds,
    careteam,
    checkins,
    diary,
    flags,
    messages,
    mydata,
    people,
    presence,
    reports,
    sessions,
)
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import Store
from bumpwell.services.records import (
    ConditionRecord,
    PersonRecord,
    PresenceRequestRecord,
    SessionItemRecord,
    SessionRecord,
    UserRecord,
)
from bumpwell.web import media
from bumpwell.web import schemas as s
from bumpwell.web.deps import CallerDep, PagingDep, StoreDep, WiringDep, in_own_unit
from bumpwell.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/people/{person_id}", responses=PROBLEM_RESPONSES)
PersonId = Annotated[str, Path(max_length=36, pattern=s.ID, description="the person's account id (GET /api/v1/me)")]
ItemId = Annotated[str, Path(max_length=36, pattern=s.ID)]
Code = Annotated[str, Path(max_length=16, pattern="^[A-Z0-9-]+$", description="a condition code such as CI-R01")]


def _profile(record: PersonRecord, wiring: WiringDep) -> s.ProfilePublic:
    today = wiring.today()
    if record.status == "pregnant" and record.due_date is not None:
        weeks, days = gestation_on(record.due_date, today)
    else:
        weeks, days = postpartum_on(record.birth_date or today, today)
    stage = s.Stage(status=record.status, weeks=weeks, days=days)
    return s.ProfilePublic(**_fields(record), stage=stage)


def _fields(record: PersonRecord) -> dict[str, Any]:
    keys = s.ProfilePublic.model_fields.keys() - {"stage"}
    return {key: getattr(record, key) for key in keys}


@router.get("/profile", tags=["person"])
def get_profile(person_id: PersonId, who: CallerDep, unit: StoreDep, wiring: WiringDep) -> s.ProfilePublic:
    """Pregnancy (due date) or birth, activity and what time and help there is."""
    record = people.get_profile(unit, who.call, person_id)
    unit.commit()
    return _profile(record, wiring)


@router.put("/profile", tags=["person"])
def put_profile(
    person_id: PersonId, body: s.ProfileUpdate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.ProfilePublic:
    """Create or replace the profile."""
    data = people.ProfileInput(**body.model_dump())
    record = people.put_profile(unit, who.call, wiring.catalogue, person_id, data, wiring.today())
    unit.commit()
    return _profile(record, wiring)


def _conditions(records: list[ConditionRecord]) -> list[s.ConditionPublic]:
    return [
        s.ConditionPublic(
            cleared=r.cleared_at is not None,
            **{k: getattr(r, k) for k in s.ConditionPublic.model_fields if k != "cleared"},
        )
        for r in records
    ]


@router.get("/screening", tags=["person"])
def get_screening(person_id: PersonId, who: CallerDep, unit: StoreDep) -> list[s.ConditionPublic]:
    """The contraindications that apply, with any clearance (by whom, when, with which limits)."""
    found = people.get_screening(unit, who.call, person_id)
    unit.commit()
    return _conditions(found)


@router.put("/screening", tags=["person"])
def put_screening(
    person_id: PersonId, body: s.ScreeningUpdate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> list[s.ConditionPublic]:
    """Replace the screening answers; clearances of conditions still listed are kept."""
    found = people.put_screening(unit, who.call, wiring.catalogue, person_id, body.conditions)
    unit.commit()
    return _conditions(found)


@router.put("/screening/{code}/clearance", tags=["clinician"])
def clear(
    person_id: PersonId,
    code: Code,
    body: s.ClearanceCreate,
    who: CallerDep,
    unit: StoreDep,
    wiring: WiringDep,
) -> s.ConditionPublic:
    """A clinician records clearance for a condition, with limits; the next check-in plans within them."""
    data = people.ClearanceInput(body.allowed, body.max_minutes, body.until)
    record = people.clear_condition(unit, who.call, wiring.catalogue, person_id, code, data, wiring.today())
    unit.commit()
    return _conditions([record])[0]


@router.delete("/screening/{code}/clearance", tags=["clinician"])
def unclear(person_id: PersonId, code: Code, who: CallerDep, unit: StoreDep) -> s.ConditionPublic:
    """A clinician withdraws a clearance."""
    record = people.withdraw_clearance(unit, who.call, person_id, code)
    unit.commit()
    return _conditions([record])[0]


@router.post("/check-ins", tags=["check-ins"], status_code=status.HTTP_201_CREATED)
def check_in(
    person_id: PersonId, body: s.CheckInCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.CheckInPublic:
    """Today's warning signs and pain through the engine; the answer and the week's plan are kept."""
    answers = body.model_dump(exclude_none=True)
    record, _plan = checkins.check_in(
        unit, who.call, wiring.catalogue, person_id, answers, wiring.today(), mail=wiring.mail
    )
    unit.commit()
    return s.CheckInPublic.model_validate(record)


@router.get("/check-ins", tags=["check-ins"])
def list_check_ins(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.CheckInPublic]:
    """Check-ins, newest first."""
    found, total = checkins.list_check_ins(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.CheckInPublic.model_validate(c) for c in found], total)


@router.get("/check-ins/{check_in_id}", tags=["check-ins"])
def get_check_in(person_id: PersonId, check_in_id: ItemId, who: CallerDep, unit: StoreDep) -> s.CheckInDetail:
    """One check-in with the exact request the engine saw, so its answer can be replayed and explained."""
    record = checkins.get_check_in(unit, who.call, person_id, check_in_id)
    unit.commit()
    return s.CheckInDetail.model_validate(record)


@router.get("/plan", tags=["plans"])
def current_plan(person_id: PersonId, who: CallerDep, unit: StoreDep) -> s.PlanPublic:
    """The current week's plan (from the latest check-in)."""
    record = checkins.current_plan(unit, who.call, person_id)
    unit.commit()
    return s.PlanPublic.model_validate(record)


@router.get("/plans", tags=["plans"])
def plans(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.PlanPublic]:
    """Every plan made, newest first."""
    found, total = checkins.plan_history(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.PlanPublic.model_validate(p) for p in found], total)


def _session(record: SessionRecord, items: list[SessionItemRecord]) -> dict[str, Any]:
    data = {k: getattr(record, k) for k in s.SessionPublic.model_fields if k != "items"}
    data["items"] = [s.ItemPublic.model_validate(i) for i in items]
    return data


@router.post("/sessions", tags=["sessions"], status_code=status.HTTP_201_CREATED)
def start_session(person_id: PersonId, body: s.SessionStart, who: CallerDep, wiring: WiringDep) -> s.SessionPublic:
    """Start a planned session, within an hour of a check-in without a warning sign (else 409 naming ``check_in``).

    A session whose plan says supervision is required needs ``supervision``: a supervisor's confirmation (their own
    phone, or their PIN) or the explicit choice to start alone. The session records which.
    """
    given = body.supervision
    choice = (
        presence.Choice(given.alone, given.presence_request_id, given.supervisor_id, given.pin, given.named)
        if given is not None
        else presence.Choice()
    )
    start = sessions.Start(body.day, body.index, body.pain_before, choice)

    def work(own: Store) -> s.SessionPublic:
        call = Call(who.user, wiring.clock())
        record, items = sessions.start_session(own, call, wiring.hasher, wiring.catalogue.policy, person_id, start)
        return s.SessionPublic(**_session(record, items))

    return in_own_unit(wiring, work)


@router.get("/sessions", tags=["sessions"])
def list_sessions(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.SessionSummary]:
    """Sessions, newest first."""
    found, total = sessions.list_sessions(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.SessionSummary.model_validate(x) for x in found], total)


@router.get("/sessions/{session_id}", tags=["sessions"])
def get_session(person_id: PersonId, session_id: ItemId, who: CallerDep, unit: StoreDep) -> s.SessionPublic:
    """One session with each exercise and how it went."""
    record, items = sessions.get_session(unit, who.call, person_id, session_id)
    unit.commit()
    return s.SessionPublic(**_session(record, items))


@router.post("/sessions/{session_id}/progress", tags=["sessions"])
def log_item(
    person_id: PersonId, session_id: ItemId, body: s.ItemUpdate, who: CallerDep, unit: StoreDep
) -> s.SessionPublic:
    """Log how one exercise went while the session runs."""
    result = sessions.ItemResult(
        body.position, ItemStatus(body.status), body.sets_done, body.reps_done, body.minutes_done, body.pain
    )
    record, items = sessions.log_item(unit, who.call, person_id, session_id, result)
    unit.commit()
    return s.SessionPublic(**_session(record, items))


@router.post("/sessions/{session_id}/complete", tags=["sessions"])
def complete(
    person_id: PersonId, session_id: ItemId, body: s.SessionComplete, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.SessionCompleted:
    """Finish the session: pain now, effort by the talk test, anything unusual."""
    record, items, easier = sessions.complete_session(
        unit, who.call, wiring.catalogue, person_id, session_id, body.pain_after, body.effort, body.unusual
    )
    unit.commit()
    if easier:
        message = "Your pain went up with " + ", ".join(easier) + ". Next time bumpwell will plan an easier version."
    else:
        message = "Well done. Your plan carries on as it is."
    return s.SessionCompleted(**_session(record, items), easier_next_time=list(easier), message=message)


@router.post("/sessions/{session_id}/stop", tags=["sessions"])
def stop(
    person_id: PersonId, session_id: ItemId, body: s.SessionStop, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.SessionStopped:
    """Stop early and say why; a warning sign leads straight to a check-in."""
    reason = StopReason(body.reason)
    record, items = sessions.stop_session(
        unit, who.call, person_id, session_id, reason, body.note, body.pain_after, mail=wiring.mail
    )
    unit.commit()
    next_step = "check_in" if reason is StopReason.warning_sign else "rest"
    return s.SessionStopped(**_session(record, items), next_step=next_step)


@router.post(
    "/diary",
    tags=["diary"],
    responses={200: {"model": s.DiaryPublic, "description": "the day's entry was replaced"}},
    status_code=status.HTTP_201_CREATED,
)
def write_diary(
    person_id: PersonId, body: s.DiaryCreate, response: Response, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.DiaryPublic:
    """The day's pain (0-10) and a note; a second entry for the same day replaces the first."""
    entry, created = diary.write_entry(unit, who.call, person_id, body.day, body.pain, body.note, wiring.today())
    unit.commit()
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return s.DiaryPublic.model_validate(entry)


@router.get("/diary", tags=["diary"])
def read_diary(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.DiaryPublic]:
    """Diary entries, newest day first."""
    found, total = diary.list_entries(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.DiaryPublic.model_validate(d) for d in found], total)


@router.delete("/diary/{entry_id}", tags=["diary"], status_code=status.HTTP_204_NO_CONTENT)
def delete_diary(person_id: PersonId, entry_id: ItemId, who: CallerDep, unit: StoreDep) -> Response:
    """Remove one diary entry."""
    diary.delete_entry(unit, who.call, person_id, entry_id)
    unit.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/progress", tags=["diary"])
def progress(
    person_id: PersonId, who: CallerDep, unit: StoreDep, wiring: WiringDep,
    weeks: Annotated[int, Query(ge=1, le=52, description="how many weeks back, this one included")] = 8,
) -> s.ProgressPublic:  # fmt: skip
    """Week by week: diary pain, sessions and minutes; and the latest review of whether exercise is helping."""
    data = diary.progress_summary(unit, who.call, person_id, wiring.today(), weeks)
    unit.commit()
    return s.ProgressPublic.model_validate(data)


@router.get("/red-flags", tags=["care team"])
def red_flags(
    person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep,
    open_only: Annotated[bool, Query(description="only flags no clinician has closed yet")] = False,
) -> s.Page[s.RedFlagPublic]:  # fmt: skip
    """Warning signs the person reported (check-ins that sent her to someone, sessions stopped), newest first."""
    found, total = flags.list_flags(unit, who.call, person_id, open_only, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.RedFlagPublic.model_validate(f) for f in found], total)


@router.post("/red-flags/{flag_id}/close", tags=["clinician"])
def close_red_flag(
    person_id: PersonId, flag_id: ItemId, body: s.FlagClose, who: CallerDep, unit: StoreDep
) -> s.RedFlagPublic:
    """A clinician closes a red flag, saying what was done; it then leaves the top of the board."""
    flag = flags.close_flag(unit, who.call, person_id, flag_id, body.note)
    unit.commit()
    return s.RedFlagPublic.model_validate(flag)


@router.get("/adjustments", tags=["clinician"])
def list_adjustments(
    person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep
) -> s.Page[s.AdjustmentPublic]:
    """The clinicians' changes to the plans, standing and ended, newest first (the person sees them too)."""
    found, total = adjustments.list_adjustments(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.AdjustmentPublic.model_validate(a) for a in found], total)


@router.post("/adjustments", tags=["clinician"], status_code=status.HTTP_201_CREATED)
def add_adjustment(
    person_id: PersonId, body: s.AdjustmentCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.AdjustmentPublic:
    """Take an exercise out of the plans, or change its dose, with the reason; applies to the current plan at once."""
    dose = body.dose.model_dump(exclude_none=True) if body.dose is not None else None
    record = adjustments.add(unit, who.call, wiring.catalogue, person_id, body.exercise, body.action, dose, body.reason)
    unit.commit()
    return s.AdjustmentPublic.model_validate(record)


@router.delete("/adjustments/{adjustment_id}", tags=["clinician"])
def end_adjustment(
    person_id: PersonId, adjustment_id: ItemId, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.AdjustmentPublic:
    """End a standing change: the engine's plan applies again from now."""
    record = adjustments.end(unit, who.call, wiring.catalogue, person_id, adjustment_id)
    unit.commit()
    return s.AdjustmentPublic.model_validate(record)


@router.get("/supervisors", tags=["sessions"])
def list_supervisors(person_id: PersonId, who: CallerDep, unit: StoreDep) -> list[s.SupervisorPublic]:
    """The person's accepted supervisors, to pick who types their PIN on her phone."""
    authorize(unit, who.call, Verb.read, Area.care_team, person_id)
    found = presence.supervisors(unit, person_id)
    unit.commit()
    return [s.SupervisorPublic(id=u.id, display_name=u.display_name, has_pin=u.pin_hash is not None) for u in found]


@router.post("/presence-requests", tags=["sessions"], status_code=status.HTTP_201_CREATED)
def ask_presence(
    person_id: PersonId, body: s.PresenceCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.PresencePublic:
    """Ask the supervisors to confirm on their own phones that one of them is there (valid 30 minutes: the policy's
    ``presence_request_min``)."""
    authorize(unit, who.call, Verb.write, Area.sessions, person_id, "presence requested")
    record = presence.ask(
        unit, who.call, wiring.catalogue.policy, person_id, body.day, body.index, wiring.today(), wiring.mail
    )
    unit.commit()
    return s.PresencePublic.model_validate(record)


@router.get("/presence-requests/{request_id}", tags=["sessions"])
def get_presence(person_id: PersonId, request_id: ItemId, who: CallerDep, unit: StoreDep) -> s.PresencePublic:
    """Whether a supervisor has confirmed yet (then start the session with its id)."""
    authorize(unit, who.call, Verb.read, Area.schedule, person_id)
    record = unit.get(PresenceRequestRecord, request_id)
    if record is None or record.person_id != person_id:
        raise NotFound("presence request")
    unit.commit()
    return s.PresencePublic.model_validate(record)


@router.get("/notes", tags=["clinician"])
def list_notes(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.NotePublic]:
    """Clinicians' notes on the person, newest first: she reads those to her; clinical ones only her clinicians."""
    found, total = careteam.notes(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.NotePublic.model_validate(n) for n in found], total)


@router.post("/notes", tags=["clinician"], status_code=status.HTTP_201_CREATED)
def add_note(person_id: PersonId, body: s.NoteCreate, who: CallerDep, unit: StoreDep) -> s.NotePublic:
    """A clinician writes a note on the person, to her or clinical (her care team's clinicians only)."""
    note = careteam.add_note(unit, who.call, person_id, body.text, body.visibility.value)
    unit.commit()
    return s.NotePublic.model_validate(note)


@router.post("/messages", tags=["clinician"], status_code=status.HTTP_201_CREATED)
def send_message(
    person_id: PersonId, body: s.MessageCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.MessagePublic:
    """Her clinician sends her a short message: a notice on her /notices, e-mailed to her when SMTP is set."""
    notice = messages.send_message(unit, who.call, person_id, body.text, wiring.mail)
    unit.commit()
    return s.MessagePublic.model_validate(notice)


def _link(link: object, member: UserRecord | None) -> dict[str, Any]:
    data = {k: getattr(link, k) for k in s.CareLinkPublic.model_fields if k != "member"}
    data["member"] = s.MemberBrief.model_validate(member) if member else None
    return data


@router.get("/care-team", tags=["care team"])
def care_team(person_id: PersonId, who: CallerDep, unit: StoreDep) -> list[s.CareLinkPublic]:
    """Everyone invited to, waiting on, or on the care team."""
    found = careteam.team(unit, who.call, person_id)
    unit.commit()
    return [s.CareLinkPublic(**_link(link, member)) for link, member in found]


@router.post("/care-team/invitations", tags=["care team"], status_code=status.HTTP_201_CREATED)
def invite(
    person_id: PersonId, body: s.InvitationCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.InvitationCreated:
    """Invite a supervisor or clinician: a one-time code to pass on, valid for a week."""
    link, code = careteam.invite(unit, who.call, person_id, Role(body.role), wiring.settings.invitation_days)
    unit.commit()
    return s.InvitationCreated(**_link(link, None), code=code)


@router.post("/care-team/{link_id}/accept", tags=["care team"])
def accept(person_id: PersonId, link_id: ItemId, who: CallerDep, unit: StoreDep) -> s.CareLinkPublic:
    """Accept someone who used the code; from now on they see their part of the record."""
    link = careteam.accept(unit, who.call, person_id, link_id)
    unit.commit()
    member = unit.get(UserRecord, link.member_id) if link.member_id else None
    return s.CareLinkPublic(**_link(link, member))


@router.delete("/care-team/{link_id}", tags=["care team"])
def remove(person_id: PersonId, link_id: ItemId, who: CallerDep, unit: StoreDep) -> s.CareLinkPublic:
    """Remove a member or withdraw an invitation (a member may also leave); access ends at once."""
    link = careteam.remove(unit, who.call, person_id, link_id)
    unit.commit()
    member = unit.get(UserRecord, link.member_id) if link.member_id else None
    return s.CareLinkPublic(**_link(link, member))


@router.get(
    "/report.pdf",
    tags=["reports"],
    response_class=Response,
    responses=media.file_answer(media.PDF, media.BINARY, "the one-page report (PDF/UA)"),
)
def report(person_id: PersonId, who: CallerDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The one-page report to bring to the midwife, doctor or physiotherapist (the person and their clinicians)."""
    story = reports.person_story(unit, who.call, wiring.catalogue, person_id, wiring.today())
    unit.commit()
    maker = "herself" if who.user.id == person_id else f"{who.user.display_name}, {who.user.role}"
    story = replace(story, made_by=maker)
    pdf = report_pdf(story, wiring.settings.report_paper)
    name = report_file_name(story.identity.full_name, wiring.today())
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get(
    "/fhir.json",
    tags=["reports"],
    response_class=Response,
    responses=media.file_answer(media.FHIR_JSON, media.FHIR_BUNDLE, "a FHIR R4 Bundle (collection or transaction)"),
)
def fhir(
    person_id: PersonId,
    who: CallerDep,
    unit: StoreDep,
    wiring: WiringDep,
    bundle_type: Annotated[
        BundleType,
        Query(alias="type", description="collection (to read) or transaction (conditional updates, to import)"),
    ] = "collection",
) -> Response:
    """The record as a FHIR R4 Bundle; ids and identifiers derive from stable keys, so a re-import updates."""
    story = reports.person_story(unit, who.call, wiring.catalogue, person_id, wiring.today())
    unit.commit()
    body = fhir_bundle(story, bundle_type)
    name = f"bumpwell-fhir-{bundle_type}-{wiring.today().isoformat()}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="application/fhir+json", headers=headers)


def _ics(story: PersonStory, wiring: WiringDep) -> bytes:
    host = public_host(wiring.settings)
    return plan_calendar(story, host=host)


@router.get(
    "/plan.ics",
    tags=["reports"],
    response_class=Response,
    responses=media.file_answer(media.CALENDAR, media.TEXT, "the current plan as iCalendar"),
)
def plan_ics(person_id: PersonId, who: CallerDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The current plan as a one-off calendar file (.ics)."""
    story = reports.person_story(unit, who.call, wiring.catalogue, person_id, wiring.today())
    unit.commit()
    headers = {"Content-Disposition": 'attachment; filename="bumpwell-plan.ics"'}
    return Response(_ics(story, wiring), media_type="text/calendar; charset=utf-8", headers=headers)


@router.post("/calendar-feed", tags=["reports"], status_code=status.HTTP_201_CREATED)
def calendar_feed(person_id: PersonId, who: CallerDep, unit: StoreDep, wiring: WiringDep) -> s.CalendarFeedPublic:
    """A secret address to subscribe to the plan from a phone's calendar; a new one replaces the old (shown once)."""
    secret = calendar_feeds.new_feed(unit, who.call, person_id)
    unit.commit()
    return s.CalendarFeedPublic(url=f"{wiring.settings.public_url}/calendar/{secret}.ics")


@router.delete("/calendar-feed", tags=["reports"], status_code=status.HTTP_204_NO_CONTENT)
def revoke_calendar_feed(person_id: PersonId, who: CallerDep, unit: StoreDep) -> Response:
    """Turn the calendar feed off: its address stops working at once."""
    calendar_feeds.revoke_feed(unit, who.call, person_id)
    unit.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", tags=["my data"])
def audit(person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.AuditPublic]:
    """Who read or changed this record, newest first (only the person sees it)."""
    found, total = mydata.audit_trail(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([s.AuditPublic.model_validate(a) for a in found], total)
