"""The birth on the person's pages, with the server's clock moved: from 30 weeks to the due date, the birth, and
2, 6, 8 and 14 weeks after it (the screening and the plan change as clinical-reference §15 says)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.services.records import PersonRecord, PlanRecord
from tests.api.conftest import Clock
from tests.api.test_pages import PASSWORD, csrf, signed_up

PREGNANCY_ONLY = ("sign-contractions", "sign-movements", "sign-fluid_leak", "sign-blow")
AFTER_BIRTH = ("sign-wound", "sign-heaviness", "sign-leaking", "sign-calf")


def _onboard_at(client: TestClient, weeks: int) -> None:
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": str(weeks), "plurality": "1"})
    client.post("/start/screening", data={"csrf_token": token, "answer": "none"})
    pain_page = client.post("/start/warnings", data={"csrf_token": token, "answer": "none"}).text
    found = re.search(r'name="answers" value="([^"]+)"', pain_page)
    assert found
    body = {"csrf_token": token, "answers": found.group(1).replace("&#34;", '"'), "locations": ["lumbar"],
            "nrs_now": "3"}  # fmt: skip
    about = client.post("/start/pain", data=body).text
    found = re.search(r'name="answers" value="([^"]+)"', about)
    assert found
    body = {"csrf_token": token, "answers": found.group(1).replace("&#34;", '"'), "activity_history": "active",
            "days_per_week": "4", "minutes_per_day": "30"}  # fmt: skip
    assert client.post("/start/about", data=body).status_code == 200


def _move(client: TestClient, clock: Clock, **delta: float) -> None:
    """Move the server's clock and log in again (a login lasts 14 days)."""
    clock.advance(**delta)
    token = csrf(client.get("/login").text)
    body = {"csrf_token": token, "email": "ana@example.org", "password": PASSWORD}
    assert client.post("/login", data=body).status_code == 200


def _check_in(client: TestClient) -> str:
    """The warning-sign check with nothing ticked; the result page."""
    page = client.get("/check/signs")
    assert page.status_code == 200, page.text
    return client.post("/check/signs", data={"csrf_token": csrf(page.text), "answer": "none"}).text


def _person(wiring: Wiring) -> PersonRecord:
    with wiring.stores() as unit:
        found = unit.find(PersonRecord, {})
    assert len(found) == 1
    return found[0]


def _planned(wiring: Wiring) -> set[str]:
    """The exercises of her latest plan."""
    with wiring.stores() as unit:
        plans = unit.find(PlanRecord, {}, order_by="created_at", descending=True, limit=1)
    return {item["exercise"] for s in plans[0].plan["sessions"] for item in s["items"]}


def test_from_37_weeks_today_and_the_check_ask_whether_the_baby_has_arrived(wiring: Wiring, clock: Clock) -> None:
    client = signed_up(wiring)
    _onboard_at(client, 30)
    assert "Has your baby arrived?" not in client.get("/today").text
    _move(client, clock, weeks=7)
    assert "You are 37+0 weeks. Has your baby arrived?" in client.get("/today").text
    assert 'href="/birth"' in client.get("/check/signs").text


def test_past_42_weeks_without_a_birth_the_check_asks_about_the_birth_instead_of_failing(
    wiring: Wiring, clock: Clock
) -> None:
    client = signed_up(wiring)
    _onboard_at(client, 30)
    _move(client, clock, weeks=14)  # 44+0
    page = client.get("/check/signs")
    assert page.status_code == 200
    assert "Your due date would make you 44+0 weeks pregnant today" in page.text
    assert "Has your baby arrived?" in client.get("/today").text
    refused = client.post("/birth", data={"csrf_token": csrf(page.text), "answer": "not_yet"})
    assert refused.status_code == 422
    assert "Due date: enter the due date your midwife gave you, or tell us about the birth" in refused.text
    later = (clock.now.date() + timedelta(days=3)).isoformat()
    moved = client.post("/birth", data={"csrf_token": csrf(page.text), "answer": "not_yet", "due_date": later})
    assert moved.status_code == 200
    assert "Has your baby arrived?" in moved.text  # 39+4 now: still asked, no longer in the way


def test_a_birth_without_how_the_baby_was_born_is_refused_naming_the_field(wiring: Wiring, clock: Clock) -> None:
    client = signed_up(wiring)
    _onboard_at(client, 39)
    token = csrf(client.get("/birth").text)
    body = {"csrf_token": token, "answer": "born", "birth_date": clock.now.date().isoformat()}
    page = client.post("/birth", data=body)
    assert page.status_code == 422
    assert "How your baby was born: is needed after the birth: vaginal, instrumental or caesarean" in page.text
    tomorrow = (clock.now.date() + timedelta(days=1)).isoformat()
    body = {"csrf_token": token, "answer": "born", "birth_date": tomorrow, "delivery": "vaginal"}
    page = client.post("/birth", data=body)
    assert page.status_code == 422
    assert "Birth date: must be today or within the last" in page.text


def test_after_a_caesarean_the_screening_and_the_plan_are_those_for_after_the_birth(
    wiring: Wiring, clock: Clock
) -> None:
    client = signed_up(wiring)
    _onboard_at(client, 30)
    _move(client, clock, weeks=10, days=2)  # 40+2
    token = csrf(client.get("/birth").text)
    born = clock.now.date()
    body = {"csrf_token": token, "answer": "born", "birth_date": born.isoformat(), "delivery": "caesarean"}
    after = client.post("/birth", data=body)
    assert after.status_code == 200
    assert 'id="sign-wound"' in after.text  # straight to the new check, with the after-birth list
    person = _person(wiring)
    assert (person.status, person.birth_date, person.delivery) == ("postpartum", born, "caesarean")
    seen: dict[int, set[str]] = {}
    previous = 0
    for weeks in (2, 6, 8, 14):
        _move(client, clock, weeks=weeks - previous)
        previous = weeks
        signs = client.get("/check/signs").text
        assert "Has your baby arrived?" not in signs
        for key in PREGNANCY_ONLY:
            assert f'id="{key}"' not in signs, (weeks, key)
        for key in AFTER_BIRTH:
            assert f'id="{key}"' in signs, (weeks, key)
        assert ('id="sign-swelling"' in signs) is (weeks <= 6), weeks  # pre-eclampsia can appear after birth
        assert "You can exercise today" in _check_in(client)
        seen[weeks] = _planned(wiring)
    early = {"pelvic-floor", "pelvic-floor-quick-squeezes", "deep-abdominal-drawing-in", "walking"}
    early.add("walking-short-bouts")
    assert seen[2] <= early, seen[2]  # M13: pelvic floor, drawing-in and walking first
    assert seen[14] - early, seen[14]  # other exercise after the 6-8 week check
    after_caesarean = {"spinal_flexion_loaded", "full_plank", "double_leg_raise", "running", "high_impact"}
    for weeks, planned in seen.items():
        for exercise in planned:
            assert not set(wiring.catalogue.exercises[exercise].tags) & after_caesarean, (weeks, exercise)


def test_after_the_birth_heavy_bleeding_calls_for_help_and_a_bulge_asks_for_a_check_within_a_day(
    wiring: Wiring, clock: Clock
) -> None:
    client = signed_up(wiring)
    _onboard_at(client, 39)
    token = csrf(client.get("/birth").text)
    body = {"csrf_token": token, "answer": "born", "birth_date": clock.now.date().isoformat(), "delivery": "vaginal"}
    assert client.post("/birth", data=body).status_code == 200
    _move(client, clock, days=10)
    token = csrf(client.get("/check/signs").text)
    signs = client.get("/check/signs").text
    assert 'id="bleeding-spotting"' not in signs  # some bleeding is usual after the birth: only heavy is asked
    heavy = client.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "vaginal_bleeding": "heavy"})
    assert "Call for emergency help now" in heavy.text
    bulge = {"csrf_token": token, "answer": "ticked", "signs": ["heaviness"]}
    assert "Contact your midwife or doctor within 24 hours" in client.post("/check/signs", data=bulge).text
    wrong = client.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "vaginal_bleeding": "spotting"})
    assert wrong.status_code == 422
    assert "tick only the boxes on the page: Heavy bleeding from the vagina" in wrong.text
