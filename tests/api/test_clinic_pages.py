"""The clinician's pages without a browser: the board's order, a person's page, and every form on it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app
from tests.api.test_pages import PASSWORD, csrf, onboard
from tests.api.test_team_pages import invite_and_accept, member


def person(wiring: Wiring, name: str, conditions: list[str] | None = None) -> tuple[TestClient, str]:
    """A person onboarded through the pages (with the given screening answers); returns her client and id."""
    client = TestClient(create_app(wiring), follow_redirects=True)
    token = csrf(client.get("/signup").text)
    body = {"csrf_token": token, "role": "person", "display_name": name, "email": f"{name.lower()}@example.org",
            "password": PASSWORD}  # fmt: skip
    client.post("/signup", data=body)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    if conditions:
        api = {"X-CSRF-Token": client.get("/api/v1/me").json()["csrf_token"]}
        assert client.put(f"/api/v1/people/{me}/screening", json={"conditions": conditions}, headers=api).is_success
        client.post(f"/api/v1/people/{me}/check-ins", json={}, headers=api)
    return client, me


def api(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/v1/me").json()["csrf_token"]}


def test_the_board_orders_people_by_need_and_closing_a_flag_moves_her_down(wiring: Wiring) -> None:
    cleo = member(wiring, "clinician", "Cleo")
    calm, _ = person(wiring, "Calm")
    waiting, _ = person(wiring, "Waiting", ["CI-R01"])
    flagged, flagged_id = person(wiring, "Flagged")
    for client in (calm, waiting, flagged):
        invite_and_accept(client, cleo, "clinician")
    token = csrf(flagged.get("/check/signs").text)
    flagged.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    board = cleo.get("/clinic").text
    names = re.findall(r'<a href="/clinic/people/[0-9a-f-]+">(\w+)</a>', board)
    assert names == ["Flagged", "Waiting", "Calm"]
    assert "1 red flag" in board
    assert "Waiting for clearance: " in board
    page = cleo.get(f"/clinic/people/{flagged_id}").text
    assert "1 open" in page
    close = re.search(r'action="(/clinic/people/[0-9a-f-]+/flags/[0-9a-f-]+/close)"', page)
    assert close
    empty = cleo.post(close.group(1), data={"csrf_token": csrf(page), "note": " "})
    assert empty.status_code == 422
    assert "say in 1 to 1000 characters" in empty.text
    assert cleo.post(close.group(1), data={"csrf_token": "forged", "note": "x"}).status_code == 403
    done = cleo.post(close.group(1), data={"csrf_token": csrf(page), "note": "Phoned her; seen in triage."})
    assert "Closed by Cleo" in done.text
    names = re.findall(r'<a href="/clinic/people/[0-9a-f-]+">(\w+)</a>', cleo.get("/clinic").text)
    assert names[0] == "Waiting"


def test_a_clearance_with_limits_unblocks_her_plan_at_the_next_check_in(wiring: Wiring) -> None:
    cleo = member(wiring, "clinician", "Cleo")
    ana, ana_id = person(wiring, "Ana", ["CI-R01"])
    invite_and_accept(ana, cleo, "clinician")
    assert "Check again" in ana.get("/today").text, "no sessions while the relative contraindication waits"
    page = cleo.get(f"/clinic/people/{ana_id}").text
    assert "Record a clearance" in page
    url = f"/clinic/people/{ana_id}/clearance/CI-R01"
    bad = cleo.post(url, data={"csrf_token": csrf(page), "max_minutes": "500"})
    assert bad.status_code == 422
    assert "must be from 5 to 120 minutes" in bad.text
    past = cleo.post(url, data={"csrf_token": csrf(page), "until": "2000-01-01"})
    assert past.status_code == 422
    assert "must be today or later" in past.text
    unknown = cleo.post(url, data={"csrf_token": csrf(page), "allowed": "handstand"})
    assert unknown.status_code == 422
    saved = cleo.post(url, data={"csrf_token": csrf(page), "max_minutes": "20", "allowed": ["walking", "pelvic-floor"]})
    assert "Cleared by Cleo" in saved.text
    ana.post(f"/api/v1/people/{ana_id}/check-ins", json={}, headers=api(ana))
    plan = ana.get(f"/api/v1/people/{ana_id}/plan").json()["plan"]
    assert plan["sessions"], "the clearance lifts the pause"
    assert all(s["minutes"] <= 20 for s in plan["sessions"])
    assert {i["exercise"] for s in plan["sessions"] for i in s["items"]} <= {"walking", "pelvic-floor"}


def test_a_plan_change_shows_on_her_pages_with_who_and_why_and_can_be_ended(wiring: Wiring) -> None:
    cleo = member(wiring, "clinician", "Cleo")
    ana, ana_id = person(wiring, "Ana")
    invite_and_accept(ana, cleo, "clinician")
    plan = ana.get(f"/api/v1/people/{ana_id}/plan").json()["plan"]
    target = next(i["exercise"] for s in plan["sessions"] for i in s["items"] if i["exercise"] not in ("warm-up",))
    page = cleo.get(f"/clinic/people/{ana_id}").text
    url = f"/clinic/people/{ana_id}/adjustments"
    no_reason = cleo.post(url, data={"csrf_token": csrf(page), "exercise": target, "action": "exclude"})
    assert no_reason.status_code == 422
    assert "say why" in no_reason.text
    wrong_dose = cleo.post(
        url, data={"csrf_token": csrf(page), "exercise": "walking", "action": "dose", "reps": "5", "reason": "less"}
    )
    assert wrong_dose.status_code == 422
    assert "not dosed in reps" in wrong_dose.text
    body = {"csrf_token": csrf(page), "exercise": target, "action": "exclude", "reason": "Not for now, says Cleo"}
    saved = cleo.post(url, data=body)
    assert "took out" in saved.text
    assert "Not for now, says Cleo" in ana.get("/team").text
    now = ana.get(f"/api/v1/people/{ana_id}/plan").json()["plan"]
    assert target not in {i["exercise"] for s in now["sessions"] for i in s["items"]}
    end = re.search(r'action="(/clinic/people/[0-9a-f-]+/adjustments/[0-9a-f-]+/end)"', saved.text)
    assert end
    ended = cleo.post(end.group(1), data={"csrf_token": csrf(saved.text)})
    assert "ended by Cleo" in ended.text
    note = cleo.post(f"/clinic/people/{ana_id}/notes", data={"csrf_token": csrf(page), "text": "Keep walking."})
    assert "Keep walking." in note.text
    assert "Keep walking." in ana.get("/progress").text
    assert cleo.get(f"/clinic/people/{ana_id}/report.pdf").content.startswith(b"%PDF")
    assert cleo.get(f"/clinic/people/{ana_id}/chart.svg").headers["content-type"].startswith("image/svg+xml")


def test_only_her_accepted_clinician_sees_her_page(wiring: Wiring) -> None:
    cleo = member(wiring, "clinician", "Cleo")
    carl = member(wiring, "clinician", "Carl")
    sam = member(wiring, "supervisor", "Sam")
    ana, ana_id = person(wiring, "Ana")
    ana.post(
        f"/api/v1/people/{ana_id}/diary", json={"day": "2027-01-10", "pain": 3, "note": "SECRET"}, headers=api(ana)
    )
    invite_and_accept(ana, cleo, "clinician")
    invite_and_accept(ana, sam, "supervisor")
    assert "SECRET" not in cleo.get(f"/clinic/people/{ana_id}").text  # the page shows weekly means, not notes
    for outsider in (carl,):
        page = outsider.get(f"/clinic/people/{ana_id}")
        assert page.status_code == 404
        assert "Ana" not in page.text
        assert outsider.get(f"/clinic/people/{ana_id}/report.pdf").status_code == 404
        note = outsider.post(
            f"/clinic/people/{ana_id}/notes", data={"csrf_token": csrf(outsider.get("/join").text), "text": "x"}
        )
        assert note.status_code == 404
    assert sam.get(f"/clinic/people/{ana_id}").url.path == "/supervise"
    assert ana.get(f"/clinic/people/{ana_id}").url.path == "/today"
    anonymous = TestClient(create_app(wiring), follow_redirects=False).get(f"/clinic/people/{ana_id}")
    assert anonymous.status_code == 303
    team = ana.get("/team").text
    link = re.search(r'href="/team/([0-9a-f-]+)/remove"', team)
    assert link
    ana.post(f"/team/{link.group(1)}/remove", data={"csrf_token": csrf(team)})
    assert cleo.get(f"/clinic/people/{ana_id}").status_code == 404, "a removed clinician loses access at once"
