"""Two identifiers everywhere a person appears (issue 17 §1): sign-up asks for them, the API reads and changes
them with a 422 naming the field, the board, her page, notices and the report show them, and an account made
before them is asked to complete them without losing anything."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.domain.access import Role
from bumpwell.exporters.report import report_html
from bumpwell.services.accounts import create_user
from bumpwell.services.common import Call
from bumpwell.services.records import UserRecord
from bumpwell.services.reports import person_story
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD, Clock, User, onboard, sign_up
from tests.api.test_clinic_pages import BLEEDING, api, check_in, link, linked, page_of
from tests.api.test_pages import csrf

HANA = {"email": "hana@example.org", "password": PASSWORD, "display_name": "Hana", "family_name": "Silva"}


def signup_json(wiring: Wiring, body: dict[str, object]) -> object:
    return TestClient(create_app(wiring)).post("/api/v1/auth/signup", json=body)


def test_a_person_signs_up_with_family_name_and_date_of_birth_and_reads_them_back(wiring: Wiring) -> None:
    made = signup_json(wiring, HANA | {"date_of_birth": "1994-03-03", "hospital_number": "12345"})
    assert made.status_code == 201, made.text
    me = made.json()["identity"]
    assert me["family_name"] == "Silva"
    assert me["given_name"] == "Hana"
    assert me["date_of_birth"] == "1994-03-03"
    assert me["phone"] is None
    assert me["complete"] is True
    assert me["identifiers"] == "Hana Silva · born 3 Mar 1994 · MRN 12345"


def test_sign_up_without_a_date_of_birth_or_with_a_child_s_is_refused_naming_the_field(wiring: Wiring) -> None:
    missing = signup_json(wiring, HANA)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "date_of_birth"
    young = signup_json(wiring, HANA | {"date_of_birth": "2012-05-01"})
    assert young.status_code == 422
    assert "must be 18 to 65 years" in young.text
    no_family = signup_json(wiring, {**HANA, "family_name": None, "date_of_birth": "1994-03-03"})
    assert no_family.json()["errors"][0]["field"] == "family_name"
    phone = signup_json(wiring, HANA | {"date_of_birth": "1994-03-03", "phone": "call me"})
    assert phone.status_code == 422
    assert phone.json()["errors"][0]["field"] == "phone"
    assert signup_json(wiring, HANA | {"date_of_birth": "1994-03-03"}).status_code == 201, "nothing was kept"


def test_a_supervisor_or_clinician_signs_up_with_a_name_only(wiring: Wiring) -> None:
    body = {"email": "sam@example.org", "password": PASSWORD, "display_name": "Sam", "role": "supervisor"}
    made = signup_json(wiring, body)
    assert made.status_code == 201, made.text
    assert made.json()["identity"] is None


def test_she_corrects_her_identifiers_and_her_clinician_reads_them_but_her_supervisor_does_not(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    hana = linked(wiring, clock, cleo, "Hana")
    body = {"given_name": "Hana", "family_name": "Silva Costa", "date_of_birth": "1990-11-21",
            "hospital_number": "485 777 3456", "phone": "+44 20 7946 0958"}  # fmt: skip
    changed = hana.put(api(hana, "/identity"), body)
    assert changed.status_code == 200, changed.text
    read = cleo.get(api(hana, "/identity")).json()
    assert read["identifiers"] == "Hana Silva Costa · born 21 Nov 1990 · MRN 485 777 3456"
    assert read["phone"] == "+44 20 7946 0958"
    future = hana.put(api(hana, "/identity"), body | {"date_of_birth": "2027-02-01"})
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "date_of_birth"
    control = hana.put(api(hana, "/identity"), body | {"family_name": "Silva\u202e"})
    assert control.json()["errors"][0]["field"] == "family_name"
    assert cleo.get(api(hana, "/identity")).json()["family_name"] == "Silva Costa", "a refused change keeps nothing"
    assert cleo.put(api(hana, "/identity"), body).status_code == 403


def test_two_people_of_the_same_name_are_told_apart_on_the_board_her_page_and_the_api(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    first = linked(wiring, clock, cleo, "Hana")
    second = sign_up(wiring, "person", "Hana", born="1988-07-30", email="hana2@example.org")
    onboard(second)
    link(second, cleo)
    for person in (first, second):
        check_in(person, clock, BLEEDING)
    board = cleo.client.get("/clinic").text
    assert board.count(">Hana Silva</a>") == 2
    assert "born 3 Mar 1994" in board
    assert "born 30 Jul 1988" in board
    rows = cleo.get("/api/v1/me/board").json()["items"]
    assert sorted(r["identifiers"] for r in rows) == ["Hana Silva · born 3 Mar 1994", "Hana Silva · born 30 Jul 1988"]
    assert {r["date_of_birth"] for r in rows} == {"1994-03-03", "1988-07-30"}
    page = cleo.client.get(page_of(second)).text
    assert "<h1>Hana Silva</h1>" in page
    assert "born 30 Jul 1988" in page
    notices = cleo.client.get("/notices").text
    assert "Warning sign: Hana Silva · born 30 Jul 1988" in notices
    assert "Warning sign: Hana Silva · born 3 Mar 1994" in notices


def test_an_account_from_before_the_identifiers_is_asked_for_them_after_login_and_may_put_it_off(
    wiring: Wiring,
) -> None:
    with wiring.stores() as store:
        create_user(store, wiring.hasher, wiring.clock(), "old@example.org", PASSWORD, "Olga", Role.person)
        store.commit()
    client = TestClient(create_app(wiring), follow_redirects=True)
    token = csrf(client.get("/login").text)
    asked = client.post("/login", data={"csrf_token": token, "email": "old@example.org", "password": PASSWORD})
    assert asked.url.path == "/details"
    assert "Please add your family name and date of birth" in asked.text
    assert 'href="/start/stage">Not now</a>' in asked.text
    token = csrf(asked.text)
    wrong = client.post("/details", data={"csrf_token": token, "given_name": "Olga", "family_name": "Petrova",
                                          "date_of_birth": "03/03/1994", "next": "/start/stage"})  # fmt: skip
    assert wrong.status_code == 422
    assert "Date of birth: must be a date written YYYY-MM-DD" in wrong.text
    assert 'value="Petrova"' in wrong.text, "what she typed stays in the form"
    saved = client.post("/details", data={"csrf_token": token, "given_name": "Olga", "family_name": "Petrova",
                                          "date_of_birth": "1994-03-03", "next": "/start/stage"})  # fmt: skip
    assert saved.url.path == "/start/stage"
    me = client.get("/api/v1/me").json()
    assert me["identity"]["identifiers"] == "Olga Petrova · born 3 Mar 1994"


def test_the_sign_up_page_asks_for_the_identifiers_and_names_a_wrong_one(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    page = client.get("/signup").text
    for field in ("family_name", "date_of_birth", "hospital_number", "phone"):
        assert f'name="{field}"' in page
    body = {"csrf_token": csrf(page), "display_name": "Ana", "email": "ana@example.org", "password": PASSWORD,
            "family_name": "Silva", "date_of_birth": "2030-01-01"}  # fmt: skip
    refused = client.post("/signup", data=body)
    assert refused.status_code == 422
    assert "Date of birth: must not be in the future" in refused.text
    assert re.search(r'id="date_of_birth"[^>]*aria-invalid="true"', refused.text)


def test_the_report_names_her_with_two_identifiers(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    hana: User = linked(wiring, clock, cleo, "Hana")
    with wiring.stores() as store:
        me = store.get(UserRecord, hana.id)
        assert me is not None
        story = person_story(store, Call(me, clock()), wiring.catalogue, hana.id, wiring.today())
    html = report_html(story)
    assert "<h1>Hana Silva: back and pelvic pain exercise</h1>" in html
    assert "born 3 Mar 1994" in html
