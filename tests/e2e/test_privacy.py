"""Nothing private stays on the phone (issue 13, point 1), in Chromium with the service worker running.

She (and, on his own phone, her clinician) logs in and opens pages while the service worker looks after the site;
then logs out and the network goes: reloading each page, and going Back, shows nothing of hers. Results still
waiting in the offline queue are sent before logout, and when they cannot be she is asked before they are lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import PASSWORD, SCREENS, Visitor, log_in, needs_chromium, onboard, sign_up_member
from tests.e2e.test_care_team import invite

pytestmark = needs_chromium
KEPT_URLS = """async () => {
  const urls = [];
  for (const key of await caches.keys()) {
    for (const request of await (await caches.open(key)).keys()) { urls.push(request.url); }
  }
  return urls;
}"""
PAGES = ("/today", "/diary", "/progress", "/team", "/exercises")


def _worker_in_charge(v: Visitor) -> None:
    """Wait until the service worker controls the page (it registers 3 s after load)."""
    v.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not v.page.evaluate("!!navigator.serviceWorker.controller"):
        v.page.reload()
    assert v.page.evaluate("!!navigator.serviceWorker.controller"), "the service worker does not control the page"


def _shown(v: Visitor, how: Callable[[], Any]) -> str:
    """The text the browser shows after ``how`` (a navigation that may fail offline)."""
    try:
        how()
    except Exception as error:
        if "ERR_INTERNET_DISCONNECTED" not in str(error) and "ERR_FAILED" not in str(error):
            raise
    for _ in range(20):  # a failed navigation still moves on to Chromium's error page: read once it settles
        try:
            v.page.wait_for_load_state()
            return str(v.page.evaluate("document.body ? document.body.innerText : ''") or "")
        except Exception as error:
            if "Execution context was destroyed" not in str(error):
                raise
            v.page.wait_for_timeout(100)
    raise AssertionError("the page never settled")


def _nothing_of_hers(v: Visitor, paths: tuple[str, ...], secrets: dict[str, str]) -> list[str]:
    """Offline, after logout: reload each page and go Back; what of hers (``secrets``: what -> text) still shows."""
    found = []
    for path in paths:
        text = _shown(v, lambda p=path: v.goto(p))
        found += [f"{path}: {what}" for what, secret in secrets.items() if secret in text]
        text = _shown(v, lambda: v.page.reload())
        found += [f"{path} reloaded: {what}" for what, secret in secrets.items() if secret in text]
    for step in range(len(paths)):
        text = _shown(v, lambda: v.page.go_back())
        found += [f"Back {step + 1}: {what}" for what, secret in secrets.items() if secret in text]
    return found


def _logged_in_pages(v: Visitor, paths: tuple[str, ...]) -> dict[str, str]:
    """Open each page online; return what of hers each one shows (its heading)."""
    headings = {}
    for path in paths:
        v.goto(path)
        headings[path] = (v.page.locator("h1").first.text_content() or "").strip()
        assert v.page.get_by_role("button", name="Log out").count() == 1, path
    return headings


def _log_out_and_go_offline(v: Visitor) -> None:
    v.click(v.button("Log out"))
    v.expect_path("/(login)?")
    v.page.wait_for_load_state("load")
    kept = v.page.evaluate(KEPT_URLS)  # the worker may fetch the welcome page's stylesheet again at once
    private = [url for url in kept if not re.match(r"https?://[^/]+/(static/|figures/|manifest\.webmanifest)", url)]
    assert private == [], f"kept after logout: {private}"
    assert v.page.evaluate("localStorage.length") == 0
    v.context.set_offline(True)


def test_after_logout_and_offline_none_of_her_pages_shows_anything_of_hers(visitor: Visitor) -> None:
    v = visitor
    onboard(v)
    v.goto("/diary")
    _worker_in_charge(v)
    headings = _logged_in_pages(v, PAGES)
    kept = v.page.evaluate(KEPT_URLS)
    assert kept, "the worker keeps nothing at all: the test would prove nothing"
    _log_out_and_go_offline(v)
    secrets = {f"heading of {path}": heading for path, heading in headings.items() if heading}
    assert len(secrets) == len(PAGES)
    assert _nothing_of_hers(v, PAGES, secrets | {"a logged-in page": "Log out"}) == []


def test_after_logout_and_offline_her_clinicians_page_about_her_shows_nothing(
    new_visitor: Callable[..., Visitor],
) -> None:
    her, cleo = new_visitor(), new_visitor()
    onboard(her)
    sign_up_member(cleo, "I am her midwife", "Cleo")
    invite(her, cleo, "clinician", "Cleo")
    cleo.goto("/clinic")
    cleo.click(cleo.page.locator("table.board tbody tr").first.get_by_role("link"))
    cleo.expect_path("/clinic/people/[^/]+")
    page = re.sub(r"^https?://[^/]+", "", cleo.page.url)
    _worker_in_charge(cleo)
    shown = cleo.page.evaluate("document.body.innerText")
    assert "Ana" in shown, "the clinician's page should name her while he is logged in"
    _logged_in_pages(cleo, ("/clinic", page))
    _log_out_and_go_offline(cleo)
    found = _nothing_of_hers(cleo, ("/clinic", page), {"her name": "Ana", "her family name": "Silva"})
    assert found == []


def _queue_a_diary_day(v: Visitor, note: str) -> None:
    person = v.person_id()
    csrf = v.page.locator("#logout-form [name=csrf_token]").input_value()
    today = v.page.evaluate("() => new Date().toLocaleDateString('en-CA')")
    v.page.evaluate(
        "([url, body, csrf]) => window.bwQueue.post(url, body, csrf)",
        [f"/api/v1/people/{person}/diary", {"day": today, "pain": 4, "note": note}, csrf],
    )


def test_logout_sends_what_waits_first_and_asks_before_deleting_what_cannot_be_sent(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    onboard(v)
    v.goto("/today")
    person = v.person_id()
    v.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    _queue_a_diary_day(v, "WAITED-OFFLINE")
    assert page.evaluate("window.bwQueue.pending()") == 1

    v.click(v.button("Log out"))  # offline: she is told, and asked
    dialog = page.locator("#logout-dialog")
    dialog.wait_for(state="visible")
    words = dialog.text_content() or ""
    assert "1 result from your sessions has not reached bumpwell yet" in words
    assert "offline" in words
    assert "it is deleted from this phone" in words
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "logout-offline-queue.png"))
    v.click(v.button("Stay logged in"))
    dialog.wait_for(state="hidden")
    assert page.evaluate("window.bwQueue.pending()") == 1, "staying keeps what waits"

    page.route("**/api/v1/people/*/diary", lambda route: route.fulfill(status=503, body="down"))
    v.context.set_offline(False)  # online, but the server cannot take it: asked again, nothing lost
    v.click(v.button("Log out"))
    dialog.wait_for(state="visible")
    assert "could not be reached" in (dialog.text_content() or "")
    v.click(v.button("Stay logged in"))
    page.unroute("**/api/v1/people/*/diary")

    v.click(v.button("Log out"))  # now it goes first, then she is logged out
    v.expect_path("/(login)?")
    log_in(v, v.email)
    entries = v.api(f"/api/v1/people/{person}/diary")["items"]
    assert [e["note"] for e in entries] == ["WAITED-OFFLINE"]


def test_deleting_the_account_asks_about_what_waits_and_leaves_nothing_on_the_phone(visitor: Visitor) -> None:
    v, page = visitor, visitor.page
    onboard(v)
    v.goto("/settings")
    page.route("**/api/v1/people/*/diary", lambda route: route.fulfill(status=503, body="down"))
    _queue_a_diary_day(v, "WAITED-BEFORE-DELETE")
    page.evaluate("localStorage.setItem('bw-test-mark', 'hers')")
    v.fill(v.label("Your password"), PASSWORD)
    v.fill(v.label('Type "delete my account" to confirm'), "delete my account")
    v.click(v.button("Delete my account for good"))  # the server cannot take the result: she is asked first
    dialog = page.locator("#logout-dialog")
    dialog.wait_for(state="visible")
    words = dialog.text_content() or ""
    assert "1 result from your sessions has not reached bumpwell yet" in words
    assert "If you delete your account now, it is deleted from this phone and lost" in words
    v.click(v.button("Keep my account"))
    dialog.wait_for(state="hidden")
    assert v.api("/api/v1/me")["email"] == v.email, "keeping it keeps the account"
    assert page.evaluate("window.bwQueue.pending()") == 1, "and what waits"

    page.unroute("**/api/v1/people/*/diary")
    v.click(v.button("Delete my account for good"))  # now what waited goes first, then the account
    v.expect_path("/(login|welcome)?")
    assert page.evaluate("localStorage.length") == 0, "Clear-Site-Data emptied the phone's storage"
    assert page.evaluate(KEPT_URLS) == []
    assert page.request.get(v.origin + "/api/v1/me").status == 401
