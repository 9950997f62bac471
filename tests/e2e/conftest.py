"""End-to-end fixtures: the real app served by uvicorn on a fresh SQLite file, and Debian's Chromium (Playwright).

Each test signs up its own new person (a unique e-mail address), so the tests share one server and one browser but
never each other's data. Every request any page makes is recorded, so that a test can check none left the origin.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bumpwell.bootstrap import Wiring, upgrade_database, wire
from bumpwell.config import Settings
from bumpwell.web.app import create_app
from tests.conftest import CHROMIUM_ARGS

CHROMIUM = Path("/usr/bin/chromium")
ARGS = CHROMIUM_ARGS
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".artifacts"
E2E_ARTIFACTS = ARTIFACTS / "e2e"
SCREENS = ARTIFACTS / "screens"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct horse battery"
TIMEOUT_MS = 10_000

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make test installs it as root)"
)


@dataclass(frozen=True)
class LiveServer:
    """The running app: where it answers, and its wiring (for the catalogue)."""

    origin: str
    wiring: Wiring


@pytest.fixture(scope="package")  # closed when tests/e2e ends: one sync Playwright at a time per process
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn in a background thread on a free port, on a fresh migrated SQLite file, with the real clock."""
    folder = tmp_path_factory.mktemp("e2e-db")
    settings = Settings(database_url=f"sqlite:///{folder / 'bumpwell.db'}", argon2_memory_kib=64, argon2_time_cost=1)
    wiring = wire(settings, clock=lambda: datetime.now(UTC))  # "today" on the pages is the browser's today
    upgrade_database(wiring)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound here and handed over: no race for the port
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(wiring), host="127.0.0.1", port=port, log_level="warning", access_log=False, ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bumpwell-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        server.should_exit = True
        thread.join(5)
        sock.close()
        pytest.fail("the live server did not start within 10 s")
    yield LiveServer(f"http://127.0.0.1:{port}", wiring)
    server.should_exit = True
    thread.join(10)
    sock.close()
    wiring.engine.dispose()
    assert not thread.is_alive(), "the live server thread did not stop"


@pytest.fixture(scope="package")  # closed when tests/e2e ends: one sync Playwright at a time per process
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()
    finally:
        playwright.stop()


@dataclass
class RequestLog:
    """Every URL requested by any page or service worker in this run, in order."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture(scope="package")  # closed when tests/e2e ends: one sync Playwright at a time per process
def request_log() -> RequestLog:
    return RequestLog()


@dataclass
class Visitor:
    """One person in one browser context. Every click, fill, check, select or key press made through it counts 1."""

    context: Any
    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[tuple[int, str]] = field(default_factory=list)
    interactions: int = 0
    email: str = ""

    # -- finding things (not interactions) -------------------------------------------------------------
    def link(self, name: str) -> Any:
        return self.page.get_by_role("link", name=name, exact=True)

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def label(self, text: str) -> Any:
        return self.page.get_by_label(text, exact=True)

    # -- what the person does (each counts 1) ----------------------------------------------------------
    def click(self, target: Any) -> None:
        self.interactions += 1
        target.click()

    def fill(self, target: Any, value: str) -> None:
        self.interactions += 1
        target.fill(value)

    def check(self, target: Any) -> None:
        self.interactions += 1
        target.check()

    def select(self, target: Any, value: str) -> None:
        self.interactions += 1
        target.select_option(value)

    def press(self, target: Any, key: str) -> None:
        self.interactions += 1
        target.press(key)

    # -- the test's own moves (not interactions) -------------------------------------------------------
    def goto(self, path: str) -> Any:
        return self.page.goto(self.origin + path)

    def expect_path(self, pattern: str) -> None:
        """Wait until the page's path matches the regular expression ``pattern`` (anchored)."""
        regex = re.compile(re.escape(self.origin) + pattern + r"(\?.*)?$")
        self.page.wait_for_url(regex)

    def api(self, path: str) -> Any:
        """GET a JSON API path with this browser's cookies."""
        response = self.page.request.get(self.origin + path)
        assert response.status == 200, f"GET {path}: {response.status} {response.text()[:300]}"
        return response.json()

    def person_id(self) -> str:
        return str(self.api("/api/v1/me")["id"])

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not _same_origin(url, self.origin)]


def _same_origin(url: str, origin: str) -> bool:
    return url == origin or url.startswith(origin + "/")


def open_visitor(browser: Any, server: LiveServer, log: RequestLog, **options: Any) -> Visitor:
    """A fresh browser context (empty cache, no cookies) at phone size, recording requests and console errors."""
    settings: dict[str, Any] = {"viewport": PHONE, "locale": "en-GB", "color_scheme": "light"} | options
    context = browser.new_context(**settings)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    visitor = Visitor(context, page, server.origin)

    def on_request(request: Any) -> None:
        visitor.requests.append(request.url)
        log.urls.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            visitor.failed_responses.append((response.status, response.url))

    context.on("request", on_request)
    context.on("response", on_response)
    page.on("console", lambda message: visitor.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: visitor.console_errors.append(f"uncaught: {error}"))
    return visitor


@pytest.fixture
def new_visitor(browser: Any, live_server: LiveServer, request_log: RequestLog) -> Iterator[Callable[..., Visitor]]:
    """Opens visitors (browser contexts) for one test and closes them after it."""
    opened: list[Visitor] = []

    def make(**options: Any) -> Visitor:
        visitor = open_visitor(browser, live_server, request_log, **options)
        opened.append(visitor)
        return visitor

    yield make
    for visitor in opened:
        visitor.context.close()


@pytest.fixture
def visitor(new_visitor: Callable[..., Visitor]) -> Visitor:
    """A fresh phone-sized browser context."""
    return new_visitor()


# -- the person's steps, shared by the journeys and the page tours -------------------------------------------


def unique_email() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}@example.org"


def sign_up(v: Visitor, name: str = "Ana", family: str = "Silva", born: str = "1994-03-03") -> None:
    """From the first page to the stage page: Get started, given name, family name, date of birth, e-mail,
    password, Create account (7)."""
    v.goto("/")
    v.click(v.link("Get started"))
    v.expect_path("/signup")
    v.email = unique_email()
    v.fill(v.label("Your given name (first name)"), name)
    v.fill(v.label("Family name (needed)"), family)
    v.fill(v.label("Date of birth (needed)"), born)
    v.fill(v.label("E-mail address"), v.email)
    v.fill(v.page.get_by_label("Password"), PASSWORD)
    v.click(v.button("Create account"))
    v.expect_path("/start/stage")


def stage(v: Visitor, weeks: int = 24) -> None:
    """Weeks pregnant, Continue (2)."""
    v.fill(v.label("Weeks pregnant"), str(weeks))
    v.click(v.button("Continue"))
    v.expect_path("/start/screening")


def screening_none(v: Visitor) -> None:
    v.click(v.button("None of these apply to me"))
    v.expect_path("/start/warnings")


def no_warning_signs(v: Visitor) -> None:
    """On the warning-sign page: none today; the pain page comes back from the POST."""
    v.click(v.button("No, none of these today"))
    v.page.get_by_role("heading", name="Where does it hurt?").wait_for()


def where_it_hurts(
    v: Visitor, places: tuple[str, ...] = ("Lower back",), worse: tuple[str, ...] = (), pain: int = 3
) -> None:
    """Tap the places, the pain now (never pre-filled), what makes it worse, Continue; the about page comes back."""
    for place in places:
        v.check(v.label(place))
    v.check(v.page.get_by_role("radio", name=str(pain), exact=True))
    for what in worse:
        v.check(v.label(what))
    v.click(v.button("Continue"))
    v.page.get_by_role("heading", name="A little about your days").wait_for()


def see_plan(v: Visitor) -> None:
    v.click(v.button("See my plan"))
    v.expect_path("/result/[^/]+")


def onboard(
    v: Visitor, places: tuple[str, ...] = ("Lower back",), worse: tuple[str, ...] = (), weeks: int = 24
) -> None:
    """Sign up and answer every onboarding page with no condition and no warning sign, up to the result."""
    sign_up(v)
    stage(v, weeks)
    screening_none(v)
    no_warning_signs(v)
    where_it_hurts(v, places, worse)
    see_plan(v)


def start_todays_session(v: Visitor) -> str:
    """From the result page: Start today's session, (for a session that needs supervision, with nobody on the care
    team: "I am alone" and tick that she chooses to start alone), "No warning signs" (nothing is pre-chosen),
    Continue (3 or 5); returns the session id."""
    v.click(v.link("Start today's session"))
    v.expect_path("/check")
    v.check(v.label("No warning signs"))
    if v.page.get_by_role("group", name="Who is with you?").count():
        v.check(v.label("I am alone"))
        v.check(v.page.get_by_label("If alone: I understand the risk and choose to start alone.", exact=False))
    v.click(v.button("Continue"))
    v.expect_path("/session/[^/]+")
    return str(v.page.url.rstrip("/").rsplit("/", 1)[-1])


def play_to_the_end(v: Visitor, on_step: Callable[[int], None] | None = None) -> int:
    """Press Ready (before each exercise) or Next until the player ends and the after page loads; returns how many
    times she pressed. The progress line counts exercises ("2 of 5 exercises"), never steps."""
    total = int(v.page.evaluate("JSON.parse(document.getElementById('steps').textContent).length"))
    progress, pressed, after = v.page.locator("#progress"), 0, re.compile(r".*/session/[^/]+/after(\?.*)?$")
    for _ in range(total + 5):
        if after.match(v.page.url):
            break
        text = (progress.text_content() or "").strip()
        assert re.fullmatch(r"\d+ of \d+ exercises", text), f"player progress reads {text!r}"
        ready = v.button("Ready")
        target = ready if ready.is_visible() else v.button("Next")
        if not target.is_visible():
            break  # the last step: the page moves on to the after page by itself
        v.click(target)
        pressed += 1
        if on_step is not None:
            on_step(pressed)
    v.expect_path("/session/[^/]+/after")
    return pressed


def sign_up_member(v: Visitor, role_words: str, name: str) -> None:
    """A supervisor or clinician creates an account (choosing the role by its words) and lands on the join page."""
    v.goto("/signup")
    v.email = unique_email()
    v.check(v.page.get_by_label(role_words, exact=False))
    v.fill(v.label("Your given name (first name)"), name)
    v.fill(v.label("E-mail address"), v.email)
    v.fill(v.page.get_by_label("Password"), PASSWORD)
    v.click(v.button("Create account"))
    v.expect_path("/join")


def log_out(v: Visitor) -> None:
    v.click(v.button("Log out"))
    v.expect_path("/(login)?")


def log_in(v: Visitor, email: str) -> None:
    v.goto("/login")
    v.fill(v.label("E-mail address"), email)
    v.fill(v.page.get_by_label("Password"), PASSWORD)
    v.click(v.button("Log in"))
    v.page.wait_for_load_state("load")


def make_code(v: Visitor, role: str) -> str:
    """On the person's team page: choose the role, Make a code; returns the code."""
    v.goto("/team")
    v.check(v.page.get_by_label(f"A {role}:", exact=False))
    v.click(v.button("Make a code"))
    return (v.page.locator(".invite-code").text_content() or "").strip()


def join_with(v: Visitor, code: str) -> None:
    v.goto("/join")
    v.fill(v.label("Code"), code)
    v.click(v.button("Join"))
    v.page.get_by_role("status").wait_for()


def write_artifact(name: str, data: Any) -> Path:
    """A JSON file under .artifacts/e2e/ (git-ignored), for people to read."""
    E2E_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = E2E_ARTIFACTS / name
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
