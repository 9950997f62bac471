"""The care team at work through the API: red flags and notices, presence, plan adjustments, the board."""

from __future__ import annotations

from typing import Any

from bumpwell.bootstrap import Wiring
from tests.api.conftest import CHECK_IN, Clock, User, onboard, sign_up

BLEEDING = {"observations": {"vaginal_bleeding": "heavy"}}


def team(wiring: Wiring) -> tuple[User, User, User]:
    """Ana (onboarded) with Sam (supervisor) and Cleo (clinician) accepted on her team."""
    ana = sign_up(wiring, "person", "Ana")
    onboard(ana)
    members = sign_up(wiring, "supervisor", "Sam"), sign_up(wiring, "clinician", "Cleo")
    for member in members:
        invited = ana.post(f"/api/v1/people/{ana.id}/care-team/invitations", {"role": member.role}).json()
        assert member.post("/api/v1/care-team/join", {"code": invited["code"]}).status_code == 200
        assert ana.post(f"/api/v1/people/{ana.id}/care-team/{invited['id']}/accept").status_code == 200
    return ana, *members


def url(person: User, path: str) -> str:
    return f"/api/v1/people/{person.id}{path}"


def required_session(person: User) -> tuple[str, int]:
    """Today's day and the index of a session whose plan says supervision is required."""
    plan = person.get(url(person, "/plan")).json()["plan"]
    day = plan["sessions"][0]["day"]
    todays = [s for s in plan["sessions"] if s["day"] == day]
    index = next(i for i, s in enumerate(todays) if s["supervision"] == "required")
    return day, index


def test_a_red_flag_check_in_notifies_the_team_and_stays_open_until_a_clinician_closes_it(wiring: Wiring) -> None:
    ana, sam, cleo = team(wiring)
    answer = ana.post(url(ana, "/check-ins"), BLEEDING).json()
    assert answer["triage"] == "emergency"
    flags = ana.get(url(ana, "/red-flags"), params={"open_only": True}).json()
    assert flags["total"] == 1
    flag = flags["items"][0]
    assert flag["kind"] == "check_in"
    assert flag["source_id"] == answer["id"]
    assert flag["rules"]
    assert flag["action"], "the flag keeps what she was told to do first"
    for member in (sam, cleo):
        notices = member.get("/api/v1/me/notices").json()["items"]
        assert len(notices) == 1
        assert notices[0]["kind"] == "red_flag"
        assert "Ana" in notices[0]["text"]
        assert "emergency" in notices[0]["text"]
        assert notices[0]["email_status"] == "none", "no SMTP server is configured in the tests"
    board = cleo.get("/api/v1/me/board").json()
    assert board["items"][0]["need"] == "red_flag"
    assert board["counts"]["red_flag"] == 1

    refused = cleo.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": ""})
    assert refused.status_code == 422
    assert sam.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": "ok"}).status_code == 403
    closed = cleo.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": "Phoned her; seen in triage, all well."})
    assert closed.status_code == 200
    assert closed.json()["closed_by_name"] == "Cleo"
    again = cleo.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": "twice"})
    assert again.status_code == 409
    assert ana.get(url(ana, "/red-flags"), params={"open_only": True}).json()["total"] == 0
    assert cleo.get("/api/v1/me/board").json()["items"][0]["need"] != "red_flag"


def test_escalations_are_not_red_flags_and_a_session_stopped_for_a_warning_sign_is(wiring: Wiring) -> None:
    ana, sam, _cleo = team(wiring)
    day, index = required_session(ana)
    started = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"alone": True}}).json()
    ana.post(url(ana, f"/sessions/{started['id']}/stop"), {"reason": "warning_sign"})
    flags = ana.get(url(ana, "/red-flags")).json()["items"]
    assert [f["kind"] for f in flags] == ["session_stopped"]
    notice = sam.get("/api/v1/me/notices").json()["items"][0]
    assert "stopped a session" in notice["text"]
    read = sam.post(f"/api/v1/me/notices/{notice['id']}/read")
    assert read.status_code == 200
    assert read.json()["read_at"]


def test_a_required_session_needs_a_supervisor_or_the_choice_to_start_alone(wiring: Wiring) -> None:
    ana, _sam, cleo = team(wiring)
    day, index = required_session(ana)
    refused = ana.post(url(ana, "/sessions"), {"day": day, "index": index})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "supervision"
    both = ana.post(
        url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"alone": True, "supervisor_id": cleo.id}}
    )
    assert both.status_code == 422
    alone = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"alone": True}}).json()
    assert alone["supervision_status"] == "alone"
    assert alone["supervised_by"] is None
    seen = cleo.get(url(ana, "/sessions")).json()["items"][0]
    assert seen["supervision_status"] == "alone", "the clinician sees that she chose to start alone"


def test_a_presence_request_is_for_today_and_one_for_another_day_notifies_nobody(wiring: Wiring) -> None:
    ana, sam, _cleo = team(wiring)
    _day, index = required_session(ana)
    for day, words in (("9999-12-31", "must be a date from 1900-01-01 to 2100-12-31"), ("2027-01-12", "must be today")):
        refused = ana.post(url(ana, "/presence-requests"), {"day": day, "index": index})
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "day"
        assert words in refused.json()["errors"][0]["message"]
    assert sam.get("/api/v1/me/presence-requests").json() == []
    assert [n for n in sam.get("/api/v1/me/notices").json()["items"] if n["kind"] == "presence"] == []


def test_a_supervisor_confirms_on_their_own_phone_and_the_session_records_them(wiring: Wiring, clock: Clock) -> None:
    ana, sam, cleo = team(wiring)
    day, index = required_session(ana)
    asked = ana.post(url(ana, "/presence-requests"), {"day": day, "index": index}).json()
    early = ana.post(
        url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"presence_request_id": asked["id"]}}
    )
    assert early.status_code == 409, "nobody has confirmed yet"
    waiting = sam.get("/api/v1/me/presence-requests").json()
    assert [r["id"] for r in waiting] == [asked["id"]]
    assert cleo.post(f"/api/v1/me/presence-requests/{asked['id']}/confirm").status_code == 404
    assert sam.post(f"/api/v1/me/presence-requests/{asked['id']}/confirm").status_code == 200
    assert ana.get(url(ana, f"/presence-requests/{asked['id']}")).json()["confirmed_by_name"] == "Sam"
    body: dict[str, Any] = {"day": day, "index": index, "supervision": {"presence_request_id": asked["id"]}}
    started = ana.post(url(ana, "/sessions"), body).json()
    assert (started["supervision_status"], started["supervised_by"], started["supervision_method"]) == (
        "confirmed", sam.id, "own_phone",
    )  # fmt: skip
    assert ana.post(url(ana, "/sessions"), body).status_code == 409, "a confirmation starts one session"
    late = ana.post(url(ana, "/presence-requests"), {"day": day, "index": index}).json()
    sam.post(f"/api/v1/me/presence-requests/{late['id']}/confirm")
    clock.advance(minutes=31)
    expired = ana.post(
        url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"presence_request_id": late["id"]}}
    )
    assert expired.status_code == 409


def test_a_supervisor_types_their_pin_on_her_phone_and_guessing_is_slowed(wiring: Wiring) -> None:
    ana, sam, cleo = team(wiring)
    day, index = required_session(ana)
    listed = ana.get(url(ana, "/supervisors")).json()
    assert listed == [{"id": sam.id, "display_name": "Sam", "has_pin": False}]
    choice = {"supervisor_id": sam.id, "pin": "246813"}
    no_pin = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": choice})
    assert no_pin.status_code == 422
    assert "PIN" in no_pin.text
    assert cleo.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 403
    assert sam.put("/api/v1/me/pin", {"pin": "12"}).status_code == 422
    short = sam.put("/api/v1/me/pin", {"pin": "2468"})  # four digits are 10,000 guesses: too few
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "pin"
    assert sam.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 204
    wrong = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": choice | {"pin": "111111"}})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "pin"
    started = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": choice}).json()
    assert (started["supervised_by_name"], started["supervision_method"]) == ("Sam", "pin")
    for _ in range(5):
        ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": choice | {"pin": "000000"}})
    slowed = ana.post(url(ana, "/sessions"), {"day": day, "index": index, "supervision": choice})
    assert slowed.status_code == 429
    assert "Retry-After" in slowed.headers
    stranger = ana.post(
        url(ana, "/sessions"), {"day": day, "index": index, "supervision": {"supervisor_id": cleo.id, "pin": "246813"}}
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "supervisor_id"


def test_a_clinician_adjusts_the_plan_and_the_person_sees_who_changed_what(wiring: Wiring) -> None:
    ana, sam, cleo = team(wiring)
    planned = {i["exercise"] for s in ana.get(url(ana, "/plan")).json()["plan"]["sessions"] for i in s["items"]}
    target = next(e for e in ("wall-squat", "bird-dog", "pelvic-tilt-semi-reclined") if e in planned)
    body = {"exercise": target, "action": "exclude", "reason": "It hurts her knee; we will review in two weeks."}
    assert ana.post(url(ana, "/adjustments"), body).status_code == 403
    made = cleo.post(url(ana, "/adjustments"), body)
    assert made.status_code == 201, made.text
    plan = ana.get(url(ana, "/plan")).json()
    assert target not in {i["exercise"] for s in plan["plan"]["sessions"] for i in s["items"]}
    assert plan["adjustments"][0]["by"] == "Cleo"
    assert plan["adjustments"][0]["reason"] == body["reason"]
    assert ana.post(url(ana, "/adjustments"), body).status_code == 403
    assert cleo.post(url(ana, "/adjustments"), body).status_code == 409, "one standing change per exercise"
    next_week = ana.post(url(ana, "/check-ins"), CHECK_IN).json()
    assert target in {i["exercise"] for s in next_week["response"]["plan"]["sessions"] for i in s["items"]}, (
        "the engine's own answer is kept as it was"
    )
    assert target not in {
        i["exercise"] for s in ana.get(url(ana, "/plan")).json()["plan"]["sessions"] for i in s["items"]
    }, "the change stands for the plans made after it"
    ended = cleo.delete(url(ana, f"/adjustments/{made.json()['id']}"))
    assert ended.status_code == 200
    assert ended.json()["ended_by_name"] == "Cleo"
    assert target in {i["exercise"] for s in ana.get(url(ana, "/plan")).json()["plan"]["sessions"] for i in s["items"]}
    listed = ana.get(url(ana, "/adjustments")).json()
    assert listed["total"] == 1
    assert listed["items"][0]["ended_at"]
    assert sam.get(url(ana, "/adjustments")).status_code == 403
    bad = cleo.post(
        url(ana, "/adjustments"), {"exercise": "walking", "action": "dose", "dose": {"reps": 5}, "reason": "fewer"}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "dose.reps"
    unknown = cleo.post(url(ana, "/adjustments"), {"exercise": "handstand", "action": "exclude", "reason": "not safe"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "exercise"


def test_the_board_is_for_clinicians_and_holds_only_their_people(wiring: Wiring) -> None:
    ana, sam, cleo = team(wiring)
    other = sign_up(wiring, "clinician", "Carl")
    assert sam.get("/api/v1/me/board").status_code == 403
    assert ana.get("/api/v1/me/board").status_code == 403
    assert other.get("/api/v1/me/board").json() == {
        "counts": dict.fromkeys(("red_flag", "escalation", "clearance", "missed", "handled", "on_track"), 0),
        "items": [],
        "total": 0,
        "everyone": 0,
        "limit": 50,
        "offset": 0,
    }
    mine = cleo.get("/api/v1/me/board").json()
    assert [r["name"] for r in mine["items"]] == ["Ana"]
