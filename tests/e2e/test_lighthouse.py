"""Lighthouse (npm) on Debian Chromium, mobile defaults: accessibility 100, performance >= 95, best practices >= 95.

Every page a person sees is audited on a live server (uvicorn in a thread, real clock, a fresh migrated SQLite
database). The logged-in pages get the session cookie through ``--extra-headers``. All scores and the full reports
are kept under ``.artifacts/lighthouse/``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bumpwell.bootstrap import upgrade_database, wire
from bumpwell.config import Settings
from bumpwell.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
ARTIFACTS = ROOT / ".artifacts" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices")
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95}
PASSWORD = "correct horse battery"
LIGHTHOUSE_TIMEOUT_S = 120
PERFORMANCE_RUNS = 3  # when the first run misses the performance bar: the median of this many (Lighthouse's advice)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Lighthouse needs Debian Chromium at {CHROMIUM}"),
    pytest.mark.skipif(
        not LIGHTHOUSE.exists(), reason=f"Lighthouse is not installed at {LIGHTHOUSE} (run `npm install lighthouse`)"
    ),
]


@pytest.fixture(scope="module")
def lighthouse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh migrated SQLite file, served by uvicorn in a background thread with the real clock."""
    url = f"sqlite:///{tmp_path_factory.mktemp('lighthouse-db') / 'bumpwell.sqlite3'}"
    wiring = wire(Settings(database_url=url, argon2_memory_kib=64, argon2_time_cost=1))
    upgrade_database(wiring)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(wiring), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="lighthouse-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the live server did not start within 10 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        wiring.engine.dispose()


@dataclass(frozen=True)
class Visitor:
    """A logged-in person with a first check-in and a started session."""

    cookie: str
    check_in_id: str
    session_id: str


def _ok(response: httpx.Response, expected: int) -> dict[str, Any]:
    assert response.status_code == expected, f"{response.request.method} {response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


def seed_person(base: str) -> Visitor:
    """Sign up, onboard, check in and start today's session over plain HTTP, as the browser's JavaScript would."""
    today = date.today()
    with httpx.Client(base_url=base, timeout=30) as client:
        body = {"email": "lighthouse@example.org", "password": PASSWORD, "display_name": "Ana",
                "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
        account = _ok(client.post("/api/v1/auth/signup", json=body), 201)
        cookie = client.cookies.get("bw_session")
        assert cookie, "sign-up set no bw_session cookie"
        people = f"/api/v1/people/{account['id']}"
        headers = {"X-CSRF-Token": account["csrf_token"]}
        profile = {
            "status": "pregnant",
            "due_date": (today + timedelta(weeks=17)).isoformat(),  # 23 weeks pregnant today
            "plurality": 1,
            "activity_history": "active",
            "days_per_week": 7,  # so that today has a session
            "minutes_per_day": 30,
            "pool_access": False,
            "supervisor_available": True,
        }
        _ok(client.put(f"{people}/profile", json=profile, headers=headers), 200)
        client.put(f"{people}/screening", json={"conditions": []}, headers=headers).raise_for_status()
        check_in = {"pain": {"locations": ["lumbar"], "nrs_now": 3}}
        check_in_id = _ok(client.post(f"{people}/check-ins", json=check_in, headers=headers), 201)["id"]
        plan = _ok(client.get(f"{people}/plan"), 200)["plan"]
        days = [s["day"] for s in plan["sessions"]]
        assert days, f"the first check-in planned no session: {plan}"
        day = today.isoformat() if today.isoformat() in days else days[0]
        start = {"day": day, "supervision": {"alone": True}}  # the player page is what is measured
        session = _ok(client.post(f"{people}/sessions", json=start, headers=headers), 201)
    return Visitor(cookie=cookie, check_in_id=check_in_id, session_id=session["id"])


def run_lighthouse(url: str, report: Path, cookie: str | None) -> dict[str, Any]:
    """One mobile Lighthouse run (the default: no preset); the JSON report is kept at ``report``."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
    ]
    if cookie is not None:
        command.append("--extra-headers=" + json.dumps({"Cookie": f"bw_session={cookie}"}))
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    tries = []
    for _attempt in range(2):  # one retry: Chromium now and then fails to start or to connect, which is no score
        report.unlink(missing_ok=True)
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT_S, env=env, cwd=ROOT, check=False
        )
        if done.returncode == 0 and report.exists():
            break
        tries.append(f"exit {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    else:
        pytest.fail(f"lighthouse failed on {url}:\n" + "\n---\n".join(tries))
    lhr: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        pytest.fail(f"lighthouse runtime error on {url}: {lhr['runtimeError']}")
    final = lhr.get("finalDisplayedUrl") or lhr.get("finalUrl")
    if final != url:
        pytest.fail(f"lighthouse audited {final} instead of {url} (a redirect: is the cookie accepted?)")
    return lhr


def performance(lhr: dict[str, Any]) -> float:
    score = lhr["categories"]["performance"]["score"]
    return -1.0 if score is None else float(score)


def audit_page(url: str, name: str, cookie: str | None) -> tuple[dict[str, Any], list[float]]:
    """The page's report, and every performance score measured.

    Performance is simulated from a trace of this machine's CPU, which other processes may share: when the first run
    misses the bar, the page is audited again and the run with the median performance score counts.
    """
    runs = [run_lighthouse(url, ARTIFACTS / f"{name}.report.json", cookie)]
    if performance(runs[0]) < MINIMUM["performance"]:
        for n in range(2, PERFORMANCE_RUNS + 1):
            runs.append(run_lighthouse(url, ARTIFACTS / f"{name}.run{n}.report.json", cookie))
    ranked = sorted(runs, key=performance)
    return ranked[len(ranked) // 2], [performance(r) for r in runs]


def costly_audits(lhr: dict[str, Any], category: str) -> list[str]:
    """The weighted audits of ``category`` that did not score full marks, as 'id (title): detail' lines."""
    lines = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            detail = audit.get("displayValue") or ""
            lines.append(f"{ref['id']} ({audit['title']}) score {audit['score']} weight {ref['weight']} {detail}")
    return lines


def test_lighthouse_mobile_scores(lighthouse_server: str) -> None:
    started = time.monotonic()
    visitor = seed_person(lighthouse_server)
    pages: list[tuple[str, str, str | None]] = [
        ("welcome", "/", None),
        ("signup", "/signup", None),
        ("today", "/today", visitor.cookie),
        ("diary", "/diary", visitor.cookie),
        ("progress", "/progress", visitor.cookie),
        ("exercises", "/exercises", visitor.cookie),
        ("exercise-wall-squat", "/exercises/wall-squat", visitor.cookie),
        ("result", f"/result/{visitor.check_in_id}", visitor.cookie),
        ("player", f"/session/{visitor.session_id}", visitor.cookie),
    ]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    scores: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    for name, path, cookie in pages:  # one at a time: parallel runs skew the performance figures
        lhr, performance_runs = audit_page(lighthouse_server + path, name, cookie)
        page_scores = {category: lhr["categories"][category]["score"] for category in CATEGORIES}
        scores[name] = {"path": path, **page_scores, "performance_runs": performance_runs}
        for category, minimum in MINIMUM.items():
            score = page_scores[category]
            if score is None or score < minimum:
                runs = f" (median of {performance_runs})" if category == "performance" else ""
                audits = "\n    ".join(costly_audits(lhr, category)) or "(no weighted audit below 1)"
                failures.append(f"{path} ({name}) {category} {score}{runs} < {minimum}:\n    {audits}")
    summary = {
        "lighthouse": lhr.get("lighthouseVersion"),
        "user_agent": lhr.get("environment", {}).get("hostUserAgent"),
        "form_factor": lhr.get("configSettings", {}).get("formFactor"),
        "minimum": MINIMUM,
        "seconds": round(time.monotonic() - started, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine slows the simulated CPU
        "scores": scores,
    }
    (ARTIFACTS / "scores.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    assert not failures, "Lighthouse mobile scores below the bar:\n" + "\n".join(failures)
