"""The follow-up after a warning sign on her pages (issue 15 point 8), with the server's clock moved."""

from __future__ import annotations

from bumpwell.bootstrap import Wiring
from tests.api.conftest import Clock
from tests.api.test_pages import csrf, onboard, signed_up


def test_after_heavy_bleeding_none_of_these_does_not_say_you_can_exercise_until_she_records_who_said_so(
    wiring: Wiring, clock: Clock
) -> None:
    client = signed_up(wiring)
    onboard(client)
    page = client.get("/check/signs").text
    stop = client.post("/check/signs", data={"csrf_token": csrf(page), "answer": "ticked", "vaginal_bleeding": "heavy"})
    assert "Call for emergency help now" in stop.text
    clock.advance(minutes=10)
    asked = client.get("/check?index=0")
    assert "have you been seen?" in asked.text, "the check before a session asks about the follow-up first"
    calm = client.post("/check/signs", data={"csrf_token": csrf(asked.text), "answer": "none"})
    assert "You can exercise today" not in calm.text
    assert "No exercise yet: your warning sign needs a follow-up" in calm.text
    assert "Start today's session" not in calm.text
    assert "Call your maternity unit or your midwife" in calm.text, "without a stored number it names whom to call"
    clock.advance(hours=5)
    seen = {"csrf_token": csrf(calm.text), "answer": "none", "fu_seen": "yes", "fu_seen_by": "midwife Ana",
            "fu_told": "may_exercise"}  # fmt: skip
    cleared = client.post("/check/signs", data=seen)
    assert "You can exercise today" in cleared.text
    assert "have you been seen?" not in client.get("/check/signs").text


def test_saying_she_may_exercise_without_who_said_so_names_the_field_and_keeps_her_answers(
    wiring: Wiring, clock: Clock
) -> None:
    client = signed_up(wiring)
    onboard(client)
    token = csrf(client.get("/check/signs").text)
    client.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    clock.advance(hours=2)
    vague = client.post(
        "/check/signs", data={"csrf_token": token, "answer": "none", "fu_seen": "yes", "fu_told": "may_exercise"}
    )
    assert vague.status_code == 422
    assert "say who saw you and said you may exercise" in vague.text
    assert 'value="may_exercise" checked' in vague.text


def test_her_stored_unit_number_is_a_tap_to_call_button_on_the_warning_screens(wiring: Wiring, clock: Clock) -> None:
    client = signed_up(wiring)
    onboard(client)
    details = client.get("/details").text
    wrong = client.post("/details/unit-phone", data={"csrf_token": csrf(details), "unit_phone": "call me"})
    assert wrong.status_code == 422
    assert "Maternity unit or midwife: must be a phone number" in wrong.text
    saved = client.post("/details/unit-phone", data={"csrf_token": csrf(details), "unit_phone": "+44 20 7946 0000"})
    assert 'value="+44 20 7946 0000"' in saved.text
    token = csrf(client.get("/check/signs").text)
    stop = client.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["movements"]})
    assert 'href="tel:+44 20 7946 0000"' in stop.text
    clock.advance(minutes=30)
    held = client.post("/check/signs", data={"csrf_token": token, "answer": "none"})
    assert 'href="tel:+44 20 7946 0000"' in held.text
