"""The person's pages without a browser: forms, CSRF, the onboarding, red flags, and every page answering."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app

PASSWORD = "a long password"


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def signed_up(wiring: Wiring) -> TestClient:
    client = TestClient(create_app(wiring), follow_redirects=True)
    token = csrf(client.get("/signup").text)
    body = {"csrf_token": token, "display_name": "Ana", "email": "ana@example.org", "password": PASSWORD,
            "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
    page = client.post("/signup", data=body)
    assert page.status_code == 200
    assert "Where are you in your pregnancy?" in page.text
    return client


def onboard(client: TestClient, signs: dict[str, str] | None = None) -> str:
    """Every onboarding page in order; returns the result page."""
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24", "plurality": "1"})
    client.post("/start/screening", data={"csrf_token": token, "answer": "none"})
    pain_page = client.post("/start/warnings", data={"csrf_token": token, **(signs or {"answer": "none"})}).text
    answers = re.search(r'name="answers" value="([^"]+)"', pain_page)
    assert answers
    carried = answers.group(1).replace("&#34;", '"')
    body = {"csrf_token": token, "answers": carried, "locations": ["lumbar"], "nrs_now": "4"}
    about_page = client.post("/start/pain", data=body).text
    assert "A little about your days" in about_page
    with_pain = re.search(r'name="answers" value="([^"]+)"', about_page)
    assert with_pain
    carried = with_pain.group(1).replace("&#34;", '"')
    assert '"nrs_now": 4' in carried
    body = {"csrf_token": token, "answers": carried, "activity_history": "active", "days_per_week": "4",
            "minutes_per_day": "30", "supervisor_available": "yes"}  # fmt: skip
    result = client.post("/start/about", data=body)
    assert result.status_code == 200
    return result.text


def test_the_first_page_says_what_bumpwell_is_not_and_the_emergency_number(wiring: Wiring) -> None:
    page = TestClient(create_app(wiring)).get("/")
    assert "does not replace your midwife" in page.text
    assert 'href="tel:112"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]


def test_a_short_password_is_named_on_the_sign_up_page(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    token = csrf(client.get("/signup").text)
    page = client.post(
        "/signup", data={"csrf_token": token, "display_name": "Ana", "email": "a@example.org", "password": "x"}
    )
    assert page.status_code == 422
    assert "Password: must be 10 to 200 characters long" in page.text
    assert 'aria-invalid="true"' in page.text


def test_a_form_without_its_csrf_token_is_refused_with_a_page(wiring: Wiring) -> None:
    client = signed_up(wiring)
    page = client.post("/start/stage", data={"status": "pregnant", "weeks": "24"})
    assert page.status_code == 403
    assert "<h1>That did not work</h1>" in page.text


def test_pages_need_a_login_and_send_you_to_it(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring), follow_redirects=False)
    response = client.get("/today")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_the_onboarding_ends_with_the_plan_and_why(wiring: Wiring) -> None:
    client = signed_up(wiring)
    result = onboard(client)
    assert "You can exercise today" in result
    assert "Why this plan" in result
    assert "Source:" in result
    assert 'href="/check?index=0"' in result


def test_heavy_bleeding_ends_at_call_now_and_offers_no_session(wiring: Wiring) -> None:
    client = signed_up(wiring)
    result = onboard(client, {"answer": "ticked", "vaginal_bleeding": "heavy"})
    assert "Call for emergency help now" in result
    assert 'href="tel:112"' in result
    assert "Start today" not in result
    assert "What you told us" in result  # a stop screen only (invariant 10): no plan, no "why this plan"
    for words in ("Why this plan", "Your plan this week", "build up", "start gently", "carry on"):
        assert words not in result, words
    today = client.get("/today").text
    assert ">Start<" not in today


def test_tingling_below_the_knee_on_the_pain_page_asks_for_a_check_within_a_day(wiring: Wiring) -> None:
    """RF-C03 needs pins and needles or numbness (§20.25); the pain page asks, beside the body map."""
    client = signed_up(wiring)
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24", "plurality": "1"})
    client.post("/start/screening", data={"csrf_token": token, "answer": "none"})
    pain_page = client.post("/start/warnings", data={"csrf_token": token, "answer": "none"}).text
    assert "Pins and needles or numbness below the knee" in pain_page
    answers = re.search(r'name="answers" value="([^"]+)"', pain_page)
    assert answers
    body = {"csrf_token": token, "answers": answers.group(1).replace("&#34;", '"'),
            "locations": ["lumbar", "below_knee_one_leg"], "nrs_now": "4", "tingling": "yes"}  # fmt: skip
    about = re.search(r'name="answers" value="([^"]+)"', client.post("/start/pain", data=body).text)
    assert about
    assert '"one_leg_tingling_below_knee": true' in about.group(1).replace("&#34;", '"')


def test_not_sure_about_a_condition_leads_to_ask_your_midwife_first(wiring: Wiring) -> None:
    client = signed_up(wiring)
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24"})
    page = client.post("/start/screening", data={"csrf_token": token, "answer": "unsure"})
    assert "Ask your midwife first" in page.text


def test_a_ticked_condition_counts_even_when_none_was_pressed(wiring: Wiring) -> None:
    client = signed_up(wiring)
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24"})
    client.post("/start/screening", data={"csrf_token": token, "answer": "none", "conditions": ["CI-R01"]})
    assert 'value="CI-R01" checked' in client.get("/start/screening").text


def start_alone(client: TestClient, check: str, index: int = 0) -> Any:
    """Pass the check of a session that needs supervision, choosing (and confirming) to start it alone."""
    alone = client.post(
        "/check", data={"csrf_token": csrf(check), "index": str(index), "warning": "no", "who": "alone"}
    )
    assert "Starting alone?" in alone.text, alone.text[:3000]
    return client.post("/check/alone", data={"csrf_token": csrf(alone.text), "index": str(index), "understood": "yes"})


def test_the_check_before_a_session_starts_it_and_the_player_gets_its_steps(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    check = client.get("/check?index=0").text
    player = start_alone(client, check)
    assert player.status_code == 200
    assert 'id="steps"' in player.text
    assert '"kind": "intro"' in player.text
    assert "<noscript>" in player.text
    session_id = re.search(r'data-session="([^"]+)"', player.text)
    assert session_id
    after = client.get(f"/session/{session_id.group(1)}/after").text
    done = client.post(f"/session/{session_id.group(1)}/after",
                       data={"csrf_token": csrf(after), "pain_after": "8", "effort": "cannot_talk"})  # fmt: skip
    assert "easier version" in done.text


def test_a_warning_sign_at_the_check_goes_to_the_signs_and_stops(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    token = csrf(client.get("/check?index=0").text)
    signs = client.post("/check", data={"csrf_token": token, "index": "0", "warning": "yes"})
    assert "Do you have any of these today?" in signs.text
    stop = client.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    assert "Call for emergency help now" in stop.text


def test_a_supervised_session_asks_who_is_there_and_starting_alone_is_an_explicit_recorded_choice(
    wiring: Wiring,
) -> None:
    client = signed_up(wiring)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    plan = client.get(f"/api/v1/people/{me}/plan").json()["plan"]
    todays = [s for s in plan["sessions"] if s["day"] == wiring.today().isoformat()]
    index = next(i for i, s in enumerate(todays) if s["supervision"] == "required")
    check = client.get(f"/check?index={index}").text
    assert 'name="who"' in check
    assert "Invite someone" in check, "with nobody on the team the page says how to get a supervisor"
    unanswered = client.post("/check", data={"csrf_token": csrf(check), "index": str(index), "warning": "no"})
    assert unanswered.status_code == 422
    alone = client.post(
        "/check", data={"csrf_token": csrf(check), "index": str(index), "warning": "no", "who": "alone"}
    )
    assert "Starting alone?" in alone.text
    unticked = client.post("/check/alone", data={"csrf_token": csrf(alone.text), "index": str(index)})
    assert unticked.status_code == 422
    assert "Tick the box" in unticked.text
    assert client.get(f"/api/v1/people/{me}/sessions").json()["total"] == 0
    forged = client.post("/check/alone", data={"csrf_token": "forged", "index": str(index), "understood": "yes"})
    assert forged.status_code == 403
    player = client.post(
        "/check/alone", data={"csrf_token": csrf(alone.text), "index": str(index), "understood": "yes"}
    )
    assert "You chose to start alone" in player.text
    session = client.get(f"/api/v1/people/{me}/sessions").json()["items"][0]
    assert session["supervision_status"] == "alone"


def test_the_diary_keeps_one_tap_and_progress_draws_the_chart(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    today = client.get("/today").text
    day = re.search(r'name="day" value="([^"]+)"', today)
    assert day
    client.post("/diary", data={"csrf_token": csrf(today), "day": day.group(1), "pain": "3", "from": "today"})
    assert "Saved: 3 out of 10 today." in client.get("/today").text
    assert "3/10" in client.get("/diary").text
    progress = client.get("/progress").text
    assert "Average pain went from 3 to 3 out of 10" in progress
    chart = client.get("/progress/chart.svg")
    assert chart.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in chart.content


def test_a_diary_day_out_of_range_or_a_name_with_a_bidirectional_control_is_refused_naming_the_field(
    wiring: Wiring,
) -> None:
    client = signed_up(wiring)
    onboard(client)
    token = csrf(client.get("/today").text)
    for day in ("0001-01-01", "9999-12-31"):
        page = client.post("/diary", data={"csrf_token": token, "day": day, "pain": "3"})
        assert page.status_code == 422
        assert "Day: must be" in page.text
    assert "/10" not in client.get("/diary").text  # nothing was kept
    other = TestClient(create_app(wiring), follow_redirects=True)
    body = {"csrf_token": csrf(other.get("/signup").text), "display_name": "Ana\u202eevil",
            "email": "bidi@example.org", "password": PASSWORD}  # fmt: skip
    refused = other.post("/signup", data=body)
    assert refused.status_code == 422
    assert "Display name: must not contain bidirectional control characters" in refused.text


def test_the_library_and_an_exercise_say_why_it_is_or_is_not_in_the_plan(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    library = client.get("/exercises").text
    assert "Wall squat" in library
    supine = client.get("/exercises/pelvic-tilt-supine").text
    assert "Not for you right now" in supine
    assert "Source:" in supine
    assert client.get("/exercises/nope").status_code == 404
    squat = client.get("/exercises/wall-squat").text
    assert "If someone is helping you" in squat
    assert "steady her on the way down" in squat
    for page in (supine, squat):  # the one shared warning-sign block, on every card (§20.31)
        assert "Stop at once if you notice any of these" in page
        assert "your baby moving less than usual" in page
        assert "call your local emergency number" in page
    figure = client.get("/figures/wall-squat.svg")
    assert figure.headers["content-type"] == "image/svg+xml"
    assert figure.headers["content-security-policy"].startswith("default-src 'none'")
    assert b"<animate" in figure.content
    still = client.get("/figures/wall-squat.svg?still=1")
    assert b"<animate" not in still.content
    assert b"bw-rest" in still.content


def test_the_app_installs_manifest_and_worker(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/today"
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    assert manifest["id"] == "/"
    (maskable,) = [i for i in manifest["icons"] if i.get("purpose") == "maskable"]
    icon = client.get(maskable["src"])
    assert icon.status_code == 200
    assert icon.content.startswith(b"\x89PNG")
    worker = client.get("/sw.js")
    assert "__VERSION__" not in worker.text
    assert client.get("/static/icon-192.png").status_code == 200


def test_an_unknown_page_is_a_kind_html_page(wiring: Wiring) -> None:
    page = TestClient(create_app(wiring)).get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_without_javascript_the_player_still_offers_a_stop_that_routes_warning_signs(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    check = client.get("/check?index=0").text
    player = start_alone(client, check)
    session = re.search(r'action="(/session/[^"]+/stop)"', player.text)
    assert session, "no stop form for people without JavaScript"
    stopped = client.post(session.group(1), data={"csrf_token": csrf(player.text), "reason": "warning_sign"})
    assert "Do you have any of these today?" in stopped.text


def test_a_session_started_from_the_check_remembers_todays_pain_as_its_start(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    check = client.get("/check?index=0").text
    player = start_alone(client, check)
    session_id = re.search(r'data-session="([^"]+)"', player.text)
    assert session_id
    me = client.get("/api/v1/me").json()["id"]
    session = client.get(f"/api/v1/people/{me}/sessions/{session_id.group(1)}").json()
    assert session["pain_before"] == 4
    after = client.get(f"/session/{session_id.group(1)}/after").text
    assert "before the session it was 4" in after
    assert " checked" not in after, "the pain after is hers to choose, not the pain before carried over"


def test_an_admins_reset_link_opens_a_page_that_sets_the_new_password(wiring: Wiring) -> None:
    from bumpwell.config import reset_link
    from bumpwell.services.credentials import issue_reset_link

    signed_up(wiring)
    with wiring.stores() as store:
        _user, secret = issue_reset_link(store, wiring.rules, None, "ana@example.org", wiring.clock())
        store.commit()
    url = reset_link(wiring.settings, secret)
    client = TestClient(create_app(wiring), follow_redirects=True)
    page = client.get(url.removeprefix(wiring.settings.public_url))
    assert page.status_code == 200
    assert "Choose a new password" in page.text
    token = csrf(page.text)
    short = client.post("/reset-password", data={"csrf_token": token, "token": secret, "password": "short"})
    assert short.status_code == 422
    done = client.post(
        "/reset-password", data={"csrf_token": token, "token": secret, "password": "my new long password"}
    )
    assert "Your password is changed" in done.text
    again = client.post("/reset-password", data={"csrf_token": token, "token": secret, "password": "another password!"})
    assert "Reset link: this reset link is unknown, used or expired" in again.text
    login = client.post(
        "/login", data={"csrf_token": csrf(done.text), "email": "ana@example.org", "password": "my new long password"}
    )
    assert "Where are you in your pregnancy?" in login.text


def no_answer_is_chosen_for_her(html: str) -> None:
    assert re.search(r'type="radio"[^>]* checked', html) is None, "a radio button was pre-selected"


def test_no_safety_answer_is_pre_selected_on_the_warning_sign_pain_check_and_after_pages(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    for path in ("/check/signs", "/check?index=0", "/start/warnings"):
        no_answer_is_chosen_for_her(client.get(path).text)
    assert " checked" not in client.get("/check/signs").text, "no warning-sign box is ticked for her"
    check = client.get("/check?index=0").text
    player = start_alone(client, check)
    session_id = re.search(r'data-session="([^"]+)"', player.text)
    assert session_id
    no_answer_is_chosen_for_her(client.get(f"/session/{session_id.group(1)}/after").text)


def test_none_of_these_comes_after_the_list_of_warning_signs(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    page = client.get("/check/signs").text
    assert page.index("No, none of these today") > page.index("Heavy bleeding from the vagina")
    assert page.index("No, none of these today") > page.index("A fall, an accident or a blow to the bump")


def test_continuing_with_nothing_ticked_names_what_to_choose_and_records_no_check(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    before = client.get(f"/api/v1/people/{me}/check-ins").json()["total"]
    page = client.get("/check/signs").text
    empty = client.post("/check/signs", data={"csrf_token": csrf(page), "answer": "ticked", "index": "0"})
    assert empty.status_code == 422
    assert "Warning signs: tick the signs you have today" in empty.text
    assert client.get(f"/api/v1/people/{me}/check-ins").json()["total"] == before


def test_the_check_page_without_an_answer_about_warning_signs_names_it_and_starts_nothing(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    check = client.get("/check?index=0").text
    unanswered = client.post("/check", data={"csrf_token": csrf(check), "index": "0", "who": "alone"})
    assert unanswered.status_code == 422
    assert "Warning signs: choose" in unanswered.text
    assert 'value="alone" checked' in unanswered.text, "what she did choose stays chosen"
    assert client.get(f"/api/v1/people/{me}/sessions").json()["total"] == 0


def test_the_pain_page_without_a_pain_now_names_it_and_keeps_the_places_she_tapped(wiring: Wiring) -> None:
    client = signed_up(wiring)
    token = csrf(client.get("/start/stage").text)
    client.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24", "plurality": "1"})
    client.post("/start/screening", data={"csrf_token": token, "answer": "none"})
    pain_page = client.post("/start/warnings", data={"csrf_token": token, "answer": "none"}).text
    answers = re.search(r'name="answers" value="([^"]+)"', pain_page)
    assert answers
    body = {"csrf_token": token, "answers": answers.group(1).replace("&#34;", '"'), "locations": ["lumbar"]}
    missing = client.post("/start/pain", data=body)
    assert missing.status_code == 422
    assert "Pain now: choose how bad the pain is right now" in missing.text
    assert 'value="lumbar" checked' in missing.text


def test_saving_the_after_page_without_pain_or_effort_names_both_and_keeps_her_note(wiring: Wiring) -> None:
    client = signed_up(wiring)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    player = start_alone(client, client.get("/check?index=0").text)
    session_id = re.search(r'data-session="([^"]+)"', player.text)
    assert session_id
    url = f"/session/{session_id.group(1)}/after"
    page = client.post(url, data={"csrf_token": csrf(client.get(url).text), "unusual": "felt tired"})
    assert page.status_code == 422
    assert "Pain now: choose a number" in page.text
    assert "The talk test: choose" in page.text
    assert "felt tired</textarea>" in page.text
    session = client.get(f"/api/v1/people/{me}/sessions/{session_id.group(1)}").json()
    assert session["status"] == "started", "nothing was saved for her"


def test_someone_without_an_account_is_recorded_by_name_as_her_word_and_kept_for_the_days_next_session(
    wiring: Wiring,
) -> None:
    client = signed_up(wiring)
    onboard(client)
    me = client.get("/api/v1/me").json()["id"]
    plan = client.get(f"/api/v1/people/{me}/plan").json()["plan"]
    todays = [s for s in plan["sessions"] if s["day"] == wiring.today().isoformat()]
    index = next(i for i, s in enumerate(todays) if s["supervision"] == "required")
    check = client.get(f"/check?index={index}").text
    body = {"csrf_token": csrf(check), "index": str(index), "warning": "no", "who": "named"}
    nameless = client.post("/check", data=body)
    assert nameless.status_code == 422
    assert "Their name: type the name" in nameless.text
    player = client.post("/check", data=body | {"named": "Tom"})
    assert "Tom is with you." in player.text
    session = client.get(f"/api/v1/people/{me}/sessions").json()["items"][0]
    assert (session["supervision_status"], session["supervised_by_name"]) == ("her_word", "Tom")
    again = client.get(f"/check?index={index}").text
    assert 'value="named" checked' in again
    assert 'value="Tom"' in again, "later sessions of the day keep the name she gave"
