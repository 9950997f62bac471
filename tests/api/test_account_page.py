"""Her account page (/settings): her exercise time in her time zone, and the calendar feed made, replaced and
turned off; the feed then has her events at her time, as an independent parser (vobject) reads them."""

from __future__ import annotations

import re
from datetime import UTC

import vobject
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from tests.api.test_pages import PASSWORD, csrf, onboard, signed_up


def _feed_path(page: str) -> str:
    found = re.search(r'id="feed_url"[^>]*value="https?://[^/]+(/calendar/[^"]+\.ics)"', page)
    assert found, "no calendar address on the page"
    return found.group(1)


def _ready(wiring: Wiring) -> tuple[TestClient, str]:
    client = signed_up(wiring)
    onboard(client)
    page = client.get("/settings")
    assert page.status_code == 200
    assert "<h1>Your account</h1>" in page.text
    return client, csrf(page.text)


def test_her_account_page_is_in_the_menu_and_sets_her_exercise_time_in_her_zone(wiring: Wiring) -> None:
    client, token = _ready(wiring)
    page = client.get("/settings").text
    assert 'href="/settings" aria-current="page">Account<' in page
    assert "<title>Your account · bumpwell</title>" in page  # the title once held a copy of the page's sections
    assert page.count('id="delete-title"') == 1
    body = {"csrf_token": token, "time_zone": "America/New_York", "session_time": "07:30"}
    saved = client.post("/settings/calendar-time", data=body)
    assert saved.status_code == 200
    assert "Your calendar now shows your sessions at 07:30" in saved.text
    feed = client.post("/settings/calendar-feed", data={"csrf_token": token, "answer": "new"})
    parsed = vobject.readOne(client.get(_feed_path(feed.text)).text, validate=True)
    starts = [e.dtstart.value for e in parsed.vevent_list]
    assert starts
    assert {(s.hour, s.minute) for s in starts} == {(7, 30)}
    assert {s.astimezone(UTC).hour for s in starts} == {12}  # 07:30 in New York in January is 12:30 UTC
    assert parsed.x_wr_calname.value == "bumpwell: my exercise plan"


def test_a_wrong_time_zone_or_time_is_refused_naming_the_field_and_keeps_the_stored_one(wiring: Wiring) -> None:
    client, token = _ready(wiring)
    wrong = client.post("/settings/calendar-time", data={"csrf_token": token, "time_zone": "Mars/Olympus",
                                                         "session_time": "07:30"})  # fmt: skip
    assert wrong.status_code == 422
    assert "Time zone: choose a time zone from the list, such as Europe/London or America/New_York" in wrong.text
    late = client.post("/settings/calendar-time", data={"csrf_token": token, "time_zone": "Asia/Kolkata",
                                                        "session_time": "25:00"})  # fmt: skip
    assert late.status_code == 422
    assert "enter a time as hours and minutes, from 00:00 to 23:59" in late.text
    assert 'value="UTC"' in client.get("/settings").text


def test_the_feed_address_is_replaced_and_turned_off_from_her_account_page(wiring: Wiring) -> None:
    client, token = _ready(wiring)
    first = _feed_path(client.post("/settings/calendar-feed", data={"csrf_token": token, "answer": "new"}).text)
    assert client.get(first).status_code == 200
    second = _feed_path(client.post("/settings/calendar-feed", data={"csrf_token": token, "answer": "new"}).text)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    off = client.post("/settings/calendar-feed", data={"csrf_token": token, "answer": "revoke"})
    assert "The calendar address is turned off." in off.text
    assert client.get(second).status_code == 404


def test_her_data_downloads_from_her_account_page_as_json_and_csv(wiring: Wiring) -> None:
    client, _token = _ready(wiring)
    page = client.get("/settings").text
    assert 'href="/api/v1/me/export"' in page
    assert 'href="/api/v1/me/export/check_ins.csv"' in page
    assert client.get("/api/v1/me/export").json()["profile"]
    table = client.get("/api/v1/me/export/check_ins.csv")
    assert table.status_code == 200
    assert table.headers["content-type"].startswith("text/csv")


def test_her_account_page_says_in_plain_words_who_changed_her_record(wiring: Wiring) -> None:
    client, _token = _ready(wiring)
    assert "You changed your profile" in client.get("/settings").text


def test_deleting_her_account_needs_her_password_and_the_typed_phrase(wiring: Wiring) -> None:
    client, token = _ready(wiring)
    wrong = client.post("/settings/delete", data={"csrf_token": token, "password": PASSWORD, "confirm": "yes"})
    assert wrong.status_code == 422
    assert "type &#39;delete my account&#39; to confirm; this cannot be undone" in wrong.text
    bad = {"csrf_token": token, "password": "not my password", "confirm": "delete my account"}
    refused = client.post("/settings/delete", data=bad)
    assert refused.status_code == 422
    assert "is not this account&#39;s password" in refused.text
    gone = client.post("/settings/delete", data={"csrf_token": token, "password": PASSWORD,
                                                 "confirm": "delete my account"})  # fmt: skip
    assert "does not replace your midwife" in gone.text  # the first page
    assert client.get("/today").url.path == "/login"
