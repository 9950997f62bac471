"""The guided player hands-free, in Chromium with a fast clock (Playwright's clock, not sleeping): speech is stubbed
and recorded (each utterance 'speaks' for a while on the page's clock), as is the Vibration API. No utterance is cut
off, every rep and hold has its movement cue, the pelvic floor is counted as squeezes and buzzes when asked, and the
stop bar stays on screen at phone size and at 200 % text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENS, Visitor, needs_chromium, onboard, start_todays_session

pytestmark = needs_chromium

# a speechSynthesis that speaks each utterance for 60 ms a character on the page's (fake) clock, and records
# every utterance, every cancel() and whether it came while something was being said
STUBS = """
(() => {
  const log = JSON.parse(sessionStorage.getItem("__log") || "null") || { said: [], cancels: [], buzz: [] };
  const keep = () => sessionStorage.setItem("__log", JSON.stringify(log));
  window.__log = log;
  let queue = [], current = null;
  const next = () => {
    if (current || !queue.length) return;
    current = queue.shift();
    log.said.push(current.text); keep();
    const ms = 60 * current.text.length;
    setTimeout(() => { const u = current; current = null; if (u.onend) u.onend({}); next(); }, ms);
  };
  const synth = {
    get speaking() { return !!current; }, get pending() { return queue.length > 0; }, paused: false,
    speak(u) { queue.push(u); next(); },
    cancel() {
      log.cancels.push({ speaking: !!current, text: current && current.text }); keep(); queue = []; current = null;
    },
    pause() {}, resume() {}, getVoices() { return []; },
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const vibrate = (p) => { log.buzz.push(p); keep(); return true; };
  Object.defineProperty(Navigator.prototype, "vibrate", { value: vibrate, configurable: true });
})();
"""
AFTER = re.compile(r".*/session/[^/]+/after(\?.*)?$")


def _data(page: Any, block: str) -> Any:
    return page.evaluate(f"JSON.parse(document.getElementById('{block}').textContent)")


def _run_hands_free(v: Visitor, minutes: int = 120, *, tapped: bool = False) -> None:
    """(Begin, unless tapped already,) then let the clock run with no tap until the after page loads."""
    if not tapped:
        v.click(v.button("Begin"))
    for _ in range(minutes * 2):
        if AFTER.match(v.page.url):
            return
        try:
            v.page.clock.run_for(30_000)
        except Exception:  # the page navigated away while the clock ran: that is the end
            break
    v.expect_path("/session/[^/]+/after")


def _open_player(v: Visitor) -> None:
    v.context.add_init_script(STUBS)
    onboard(v)
    v.page.clock.install()
    start_todays_session(v)


def _said_per_rep(steps: list[dict[str, Any]], guide: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Each rep and hold step with the words it must contain."""
    wanted = []
    for step in steps:
        ex = guide["exercises"][step["exercise"]] if step["exercise"] else None
        if step["kind"] == "rep":
            words = f"and let go. {step['rep']} of {step['reps']}" if ex["squeeze"] else ex["cue"]
            wanted.append((step, words))
        elif step["kind"] == "hold":
            wanted.append((step, step["say"] if ex["squeeze"] else ex["cue"]))
    return wanted


def _todays_index(v: Visitor, kind: str) -> int:
    plan = v.api(f"/api/v1/people/{v.person_id()}/plan")["plan"]
    today = v.page.evaluate("new Date().toISOString().slice(0, 10)")
    todays = [s for s in plan["sessions"] if s["day"] == today]
    return next(i for i, s in enumerate(todays) if s["kind"] == kind)


def _assert_every_rep_cued_and_nothing_cut(page: Any, steps: list[dict[str, Any]], guide: dict[str, Any]) -> None:
    log = page.evaluate("JSON.parse(sessionStorage.getItem('__log'))")
    said = log["said"]
    assert log["cancels"] == [], f"speech was cancelled: {log['cancels']}"
    assert not [u for u in said if u.strip() in ("Hold.", "Hold, and keep breathing.")], "a hold said only 'Hold.'"
    cursor = 0
    for step, words in _said_per_rep(steps, guide):
        found = next((i for i in range(cursor, len(said)) if words in said[i]), None)
        assert found is not None, f"no {words!r} for {step} after utterance {cursor}: {said[cursor : cursor + 5]}"
        cursor = found + 1


def test_a_whole_session_runs_hands_free_every_rep_has_its_cue_and_no_utterance_is_cut(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    _open_player(v)
    steps, guide = _data(page, "steps"), _data(page, "guide")
    count = len({s["item"] for s in steps if s["item"] is not None})
    assert page.locator("#progress").text_content() == f"{count} exercises"
    v.click(v.button("Begin"))
    page.clock.run_for(200)
    first = guide["exercises"][steps[0]["exercise"]]
    said = page.evaluate("window.__log.said")
    assert said[0].startswith(first["name"] + "."), said
    assert first["first"] in said[0], said[0]
    assert first["cue"] in said[0], said[0]
    assert v.button("Ready").is_visible()
    assert page.locator("#progress").text_content() == f"1 of {count} exercises"
    if steps[1]["kind"] == "timed":  # a walk counts down in minutes and seconds, not 1620
        v.click(v.button("Ready"))
        minutes, seconds = divmod(steps[1]["seconds"], 60)
        assert page.locator("#count").text_content() == f"{minutes}:{seconds:02d}"
    _run_hands_free(v, tapped=True)
    _assert_every_rep_cued_and_nothing_cut(page, steps, guide)
    detail = v.api(f"/api/v1/people/{v.person_id()}/sessions/{page.url.split('/')[-2]}")
    assert {item["status"] for item in detail["items"]} == {"done"}, detail["items"]


def test_the_pelvic_floor_is_counted_as_squeezes_with_a_bar_and_buzzes_when_asked(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    v.context.add_init_script(STUBS)
    onboard(v)
    page.clock.install()
    v.goto(f"/check?index={_todays_index(v, 'pelvic_floor')}")
    v.check(v.label("No warning signs"))
    v.click(v.button("Continue"))
    v.expect_path("/session/[^/]+")
    steps, guide = _data(page, "steps"), _data(page, "guide")
    v.click(v.button("Vibration"))
    assert v.button("Vibration").get_attribute("aria-pressed") == "true"
    v.click(v.button("Begin"))
    v.click(v.button("Ready"))
    page.clock.run_for(200)
    bar = page.locator("#squeeze")
    assert bar.is_visible()
    assert bar.get_attribute("data-phase") == "squeeze"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENS / "player-pelvic-floor.png"))
    _run_hands_free(v, tapped=True)
    _assert_every_rep_cued_and_nothing_cut(page, steps, guide)
    squeezes = [s for s in steps if s["kind"] in ("hold", "rep")]
    buzz = page.evaluate("JSON.parse(sessionStorage.getItem('__log')).buzz")
    assert len(buzz) == len(squeezes), (len(buzz), len(squeezes))


def test_the_stop_bar_stays_on_screen_at_phone_size_and_at_200_percent_text(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    _open_player(v)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for zoom in ("100%", "200%"):
        page.evaluate(f"document.documentElement.style.fontSize = '{zoom}'")
        for where in ("0", "document.body.scrollHeight"):
            page.evaluate(f"window.scrollTo(0, {where})")
            for name in ("Stop", "It hurts", "A warning sign"):
                box = v.button(name).bounding_box()
                assert box, (zoom, name)
                inside = box["y"] >= 0 and box["y"] + box["height"] <= 844 and 0 <= box["x"] <= 390 - box["width"]
                assert inside, (zoom, where, name, box)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENS / f"player-{zoom[:-1]}-text.png"))
    # everything above the bar can be scrolled clear of it
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    bar_top = v.button("Stop").bounding_box()["y"]
    last = page.locator("#items").bounding_box()
    assert last["y"] + last["height"] <= bar_top + 1, "the bar covers the end of the page"


def test_it_hurts_asks_how_much_and_skips_the_exercise(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    _open_player(v)
    session_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    v.click(v.button("Begin"))
    v.click(v.button("Ready"))
    v.click(v.button("It hurts"))
    dialog = page.get_by_role("dialog", name="How much does it hurt now?")
    assert dialog.is_visible()
    assert dialog.get_by_role("radio", checked=True).count() == 0, "a pain answer was chosen for her"
    v.click(dialog.get_by_role("button", name="Skip this exercise"))
    assert dialog.is_visible(), "skipping without saying how much it hurts"
    v.check(dialog.get_by_role("radio", name="6", exact=True))
    v.click(dialog.get_by_role("button", name="Skip this exercise"))
    expect(page.locator("#progress")).to_have_text(re.compile(r"2 of \d+ exercises"))
    page.evaluate("window.bwQueue.flush()")
    page.wait_for_function("() => window.bwQueue.pending() === 0")
    detail = v.api(f"/api/v1/people/{v.person_id()}/sessions/{session_id}")
    assert detail["items"][0]["status"] == "skipped", detail["items"][0]
    assert detail["items"][0]["pain"] == 6, detail["items"][0]


def test_a_warning_sign_is_one_tap_from_the_bar_to_the_warning_sign_check_with_nothing_chosen(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    _open_player(v)
    session_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    v.click(v.button("Begin"))
    v.click(v.button("A warning sign"))
    v.expect_path("/check/signs")
    assert page.locator("input:checked").count() == 0, "an answer was chosen for her"
    page.wait_for_function("() => !window.bwQueue || window.bwQueue.pending() === 0")
    detail = v.api(f"/api/v1/people/{v.person_id()}/sessions/{session_id}")
    assert (detail["status"], detail["stop_reason"]) == ("stopped", "warning_sign")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_running_player_its_squeeze_bar_and_the_pain_question(
    new_visitor: Callable[..., Visitor], scheme: str
) -> None:
    from tests.e2e.test_accessibility import axe, explain

    v = new_visitor(color_scheme=scheme, bypass_csp=True)  # CSP bypassed only so that axe can be injected
    page = v.page
    v.context.add_init_script(STUBS)
    onboard(v)
    page.clock.install()
    v.goto(f"/check?index={_todays_index(v, 'pelvic_floor')}")
    v.check(v.label("No warning signs"))
    v.click(v.button("Continue"))
    v.expect_path("/session/[^/]+")
    v.click(v.button("Begin"))
    assert (found := axe(page)) == [], f"set-up ({scheme}):\n{explain(found)}"
    v.click(v.button("Ready"))
    page.clock.run_for(300)
    assert (found := axe(page)) == [], f"squeezing ({scheme}):\n{explain(found)}"
    v.click(v.button("It hurts"))
    assert (found := axe(page)) == [], f"the pain question ({scheme}):\n{explain(found)}"
