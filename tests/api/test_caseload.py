"""A caseload that can be worked (issue 17 §2, §3): one search finds one person among many, the level counts and
the stage narrow the board (page and API alike), and a clinician marks an escalation or missed sessions as
handled, with a note and until a day, audited; the line comes back on that day or when something new happens."""

from __future__ import annotations

from datetime import timedelta

from bumpwell.bootstrap import Wiring
from bumpwell.services.common import Call
from bumpwell.services.records import UserRecord
from bumpwell.services.reports import person_story
from tests.api.conftest import CHECK_IN, PROFILE, Clock, User, sign_up
from tests.api.test_clinic_pages import BLEEDING, ROW_NAMES, action, api, check_in, link, linked, page_of, post

BOARD = "/api/v1/me/board"


def named(clinician: User, **params: str) -> list[str]:
    """Given names on the board API's answer, in its order."""
    answer = clinician.get(BOARD, params=params)
    assert answer.status_code == 200, answer.text
    return [row["name"] for row in answer.json()["items"]]


def person(wiring: Wiring, cleo: User, given: str, family: str, born: str) -> User:
    found = sign_up(wiring, "person", given, family=family, born=born, email=f"{given}.{family}@example.org".lower())
    link(found, cleo)
    return found


def worse_for_a_week(someone: User, clock: Clock) -> None:
    """Seven diary days two points above her baseline, then a check-in: escalation E4 (worse)."""
    for n in range(7):
        day = (clock.now - timedelta(days=n)).date().isoformat()
        assert someone.post(api(someone, "/diary"), {"day": day, "pain": 6, "note": ""}).status_code == 201
    found = check_in(someone, clock, CHECK_IN | {"pain": {"locations": ["lumbar"], "nrs_now": 6}})
    assert "E4" in {r["rule"] for r in found["response"]["reasons"]}


def test_one_search_finds_her_by_family_name_hospital_number_or_date_of_birth(wiring: Wiring) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    person(wiring, cleo, "Hana", "Silva", "1994-03-03")
    person(wiring, cleo, "Hana", "Costa", "1988-07-30")
    mara = person(wiring, cleo, "Mara", "Silveira", "1990-11-21")
    body = {"given_name": "Mara", "family_name": "Silveira", "date_of_birth": "1990-11-21", "hospital_number": "RX4"}
    assert mara.put(api(mara, "/identity"), body).status_code == 200
    assert sorted(named(cleo, q="silv")) == ["Hana", "Mara"]
    assert named(cleo, q="hana cos") == ["Hana"]
    assert named(cleo, q="30/07/1988") == ["Hana"]
    assert named(cleo, q="rx4") == ["Mara"]
    answer = cleo.get(BOARD, params={"q": "costa"}).json()
    assert (answer["total"], answer["everyone"]) == (1, 3)
    assert answer["items"][0]["identifiers"] == "Hana Costa · born 30 Jul 1988"
    page = cleo.client.get("/clinic", params={"q": "costa"}).text
    assert ROW_NAMES.findall(page) == ["Hana Costa"]
    assert "1 of 3 people matching “costa”" in page
    assert "Nobody matches" in cleo.client.get("/clinic", params={"q": "zzz"}).text


def test_the_level_counts_are_links_that_show_only_that_level_and_keep_the_search(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    linked(wiring, clock, cleo, "Missy")
    clock.advance(days=8)
    linked(wiring, clock, cleo, "Calm")
    assert named(cleo, need="missed") == ["Missy"]
    assert named(cleo, need="on_track") == ["Calm"]
    counts = cleo.get(BOARD, params={"need": "missed"}).json()["counts"]
    assert (counts["missed"], counts["on_track"]) == (1, 1), "the counts stay whole under a level filter"
    page = cleo.client.get("/clinic", params={"q": "m"}).text
    assert 'href="/clinic?q=m&amp;need=missed"' in page
    assert ROW_NAMES.findall(cleo.client.get("/clinic?q=m&need=missed").text) == ["Missy"]
    assert cleo.get(BOARD, params={"need": "urgent"}).status_code == 422
    wrong = cleo.client.get("/clinic", params={"need": "urgent"})
    assert wrong.status_code == 422
    assert "Level: must be one of: red_flag, escalation" in wrong.text


def test_the_stage_filter_and_the_orders_by_name_and_birth(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    for given, family, born in (("Zoe", "Abel", "1991-01-01"), ("Ana", "Zimmer", "1985-05-05")):
        someone = person(wiring, cleo, given, family, born)
        profile = PROFILE | {}
        if given == "Ana":
            profile |= {"status": "postpartum", "due_date": None, "birth_date": "2026-12-28", "delivery": "vaginal"}
        assert someone.put(api(someone, "/profile"), profile).status_code == 200
    assert named(cleo, stage="trimester_2") == ["Zoe"], "23+0 weeks on 11 Jan 2027"
    assert named(cleo, stage="postpartum_early") == ["Ana"], "two weeks after the birth"
    assert named(cleo, stage="trimester_3") == []
    assert named(cleo, sort="name") == ["Zoe", "Ana"], "by family name: Abel, Zimmer"
    assert named(cleo, sort="born") == ["Ana", "Zoe"], "oldest first"


def test_a_handled_escalation_leaves_the_need_blocks_until_its_day_and_is_audited(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    sam = sign_up(wiring, "supervisor", "Sam")
    willa = linked(wiring, clock, cleo, "Willa")
    link(willa, sam)
    clock.advance(days=8)
    worse_for_a_week(willa, clock)
    assert cleo.get(BOARD).json()["items"][0]["need"] == "escalation"
    page = cleo.client.get(page_of(willa)).text
    assert "Mark as handled" in page
    url = action(page, r"/clinic/people/[0-9a-f-]+/acknowledge")
    today = clock.now.date()
    empty = post(cleo, url, {"kind": "escalation", "note": "", "until": str(today + timedelta(days=7))})
    assert empty.status_code == 422
    assert "What was done: must say what was done or decided" in empty.text
    too_far = post(cleo, url, {"kind": "escalation", "note": "x", "until": str(today + timedelta(days=60))})
    assert "at most 28 days on" in too_far.text
    done = post(cleo, url, {"kind": "escalation", "note": "Phoned her: physio on Friday.",
                            "until": str(today + timedelta(days=5))})  # fmt: skip
    assert done.status_code == 303
    assert cleo.get(BOARD).json()["items"][0]["need"] == "missed", "the next need she has shows instead"
    clock.advance(minutes=5)
    away = {"kind": "missed", "note": "She is away this week.", "until": str(today + timedelta(days=14))}
    assert cleo.post(api(willa, "/acknowledgements"), away).status_code == 201
    row = cleo.get(BOARD).json()["items"][0]
    assert row["need"] == "handled"
    assert "Handled by Cleo (Pain has been worse for a week (E4))" in row["reason"]
    assert "Phoned her: physio on Friday." in row["reason"]
    again = cleo.post(api(willa, "/acknowledgements"), {"kind": "escalation", "note": "again",
                                                        "until": str(today + timedelta(days=3))})  # fmt: skip
    assert again.status_code == 409, "nothing to acknowledge: it is handled"
    listed = cleo.get(api(willa, "/acknowledgements")).json()["items"]
    assert [(a["kind"], a["codes"]) for a in listed] == [("missed", []), ("escalation", ["E4"])]
    assert sam.get(api(willa, "/acknowledgements")).status_code == 403
    audit = willa.get(api(willa, "/audit"), params={"limit": 200}).json()["items"]
    assert any(e["area"] == "acknowledgements" and e["verb"] == "write" for e in audit)
    clock.advance(days=4)  # (her clinician's login lasts 14 days: 8 + 5 stay within it)
    assert cleo.get(BOARD).json()["items"][0]["need"] in ("handled", "missed"), "the escalation still waits"
    clock.advance(days=1)
    assert cleo.get(BOARD).json()["items"][0]["need"] == "escalation", "back on its day"


def test_a_handled_missed_line_comes_back_when_more_sessions_are_missed(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    missy = linked(wiring, clock, cleo, "Missy")
    clock.advance(days=4)
    row = cleo.get(BOARD).json()["items"][0]
    assert row["need"] == "missed"
    until = str(clock.now.date() + timedelta(days=14))
    made = cleo.post(api(missy, "/acknowledgements"), {"kind": "missed", "note": "Away this week.", "until": until})
    assert made.status_code == 201, made.text
    assert made.json()["missed"] == row["sessions_missed_7d"]
    assert cleo.get(BOARD).json()["items"][0]["need"] == "handled"
    clock.advance(days=2)
    assert cleo.get(BOARD).json()["items"][0]["need"] == "missed", "more missed than what was acknowledged"
    until = str(clock.now.date() + timedelta(days=1))
    wrong = cleo.post(api(missy, "/acknowledgements"), {"kind": "escalation", "note": "x", "until": until})
    assert wrong.status_code == 409
    assert "her board line shows no escalation to acknowledge now" in wrong.text


def test_her_words_effort_and_pain_after_a_session_show_on_her_page_and_a_worrying_answer_on_the_board(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    hana = linked(wiring, clock, cleo, "Hana")
    day = hana.get(api(hana, "/plan")).json()["plan"]["sessions"][0]["day"]
    started = hana.post(api(hana, "/sessions"), {"day": day, "pain_before": 2, "supervision": {"alone": True}})
    assert started.status_code == 201, started.text
    words = "Pubic bone hurt on the squats, sharp when I stood up"
    done = hana.post(api(hana, f"/sessions/{started.json()['id']}/complete"),
                     {"pain_after": 6, "effort": "cannot_talk", "unusual": words})  # fmt: skip
    assert done.status_code == 200, done.text
    page = cleo.client.get(page_of(hana)).text
    assert f'<q class="her-words">{words}</q>' in page
    assert "effort too hard (could not talk)" in page
    assert "Look: pain rose 2 → 6, too hard: she could not talk" in page
    reason = cleo.get(BOARD).json()["items"][0]["reason"]
    assert reason.endswith("; after her last session: pain rose 2 → 6, too hard: she could not talk")


def test_a_red_flag_s_closing_note_is_clinical_her_clinicians_read_it_and_neither_she_nor_her_supervisor_does(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    sam = sign_up(wiring, "supervisor", "Sam")
    hana = linked(wiring, clock, cleo, "Hana")
    link(hana, sam)
    check_in(hana, clock, BLEEDING)
    flag = hana.get(api(hana, "/red-flags")).json()["items"][0]
    note = "Cervix closed, CTG normal; home with advice."
    assert cleo.post(api(hana, f"/red-flags/{flag['id']}/close"), {"note": note}).status_code == 200
    assert cleo.get(api(hana, "/red-flags")).json()["items"][0]["close_note"] == note
    for reader in (hana, sam):
        closed = reader.get(api(hana, "/red-flags")).json()["items"][0]
        assert (closed["close_note"], closed["closed_by_name"]) == (None, "Cleo")
    assert note not in sam.client.get("/notices").text
    assert "Closed by Cleo. Her clinicians keep what was done in her record." in sam.client.get("/notices").text
    assert note in cleo.client.get("/notices").text
    with wiring.stores() as store:
        own = store.get(UserRecord, hana.id)
        assert own is not None
        story = person_story(store, Call(own, clock()), wiring.catalogue, hana.id, wiring.today())
    assert story.red_flags[0].close_note is None, "her own report and FHIR leave it out"
