"""Nothing private stays on the device: over every route of the app's route table, every answer a logged-in (or
anonymous) caller gets is ``Cache-Control: no-store``, except the files that are the same for everyone; logout and
account deletion tell the browser to clear the site's cache and storage; HTTPS answers carry HSTS."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD, User, sign_up
from tests.api.test_access_matrix import TABLES, api_routes, build_scene

CACHEABLE = ("/static/", "/figures/", "/manifest.webmanifest", "/sw.js", "/api/v1/docs/static/")
CLEAR = '"cache", "storage"'


def _values(scene: Any) -> dict[str, str]:
    a = scene.a
    feed = a.post(scene.url("/calendar-feed"))
    assert feed.status_code == 201, feed.text
    team = a.get(scene.url("/care-team")).json()
    return {
        "person_id": a.id, "check_in_id": scene.check_in_id, "session_id": scene.session_id,
        "request_id": scene.presence_id, "notice_id": scene.notice_id, "code": "CI-N01", "user_id": scene.b.id,
        "exercise_id": "walking", "link_id": team[0]["id"], "table": TABLES[0],
        "secret": feed.json()["url"].rsplit("/", 1)[-1].removesuffix(".ics"),
    }  # fmt: skip


def _get_urls(wiring: Wiring, values: dict[str, str]) -> list[str]:
    paths = sorted(path for method, path in api_routes(wiring) if method == "GET")
    assert len(paths) > 60, "the walk over the app's routes found almost nothing"
    urls = []
    for path in [p for p in paths if not p.startswith(CACHEABLE)]:
        tables = TABLES if "{table}" in path else [TABLES[0]]
        urls += [path.format(**(values | {"table": table})) for table in tables]
    return urls


def test_every_answer_of_every_route_is_no_store_for_every_caller(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    urls = _get_urls(wiring, _values(scene))
    assert any(url.endswith("/report.pdf") for url in urls)
    assert any(url.endswith(".csv") for url in urls)
    assert any(url.startswith("/clinic/people/") for url in urls)
    assert "/diary" in urls
    wrong, seen = [], 0
    for caller in ("own", "clin", "sup", "admin", "anon"):
        user = scene.callers[caller]
        for url in urls:
            response = user.client.get(url, headers=user.headers, follow_redirects=False)
            seen += response.status_code == 200
            if response.headers.get("cache-control") != "no-store":
                wrong.append(f"GET {url} as {caller}: {response.status_code} {response.headers.get('cache-control')}")
    assert not wrong, "\n".join(wrong)
    assert seen > 100, "the sweep met almost no 200 answers"


def test_changes_and_refusals_are_no_store_too(wiring: Wiring, person: User) -> None:
    answers = [
        person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 3, "note": "x"}),
        person.post(f"/api/v1/people/{person.id}/diary", {"day": "nonsense"}),
        person.post("/diary", data={"pain": "3"}, follow_redirects=False),
        TestClient(create_app(wiring)).get("/api/v1/me"),
        TestClient(create_app(wiring)).get("/no-such-page"),
    ]
    assert [r.headers.get("cache-control") for r in answers] == ["no-store"] * len(answers)


def test_only_files_that_are_the_same_for_everyone_may_be_kept(wiring: Wiring, person: User) -> None:
    versioned = person.get("/static/app.css?v=1")
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    figure = person.get("/figures/walking.svg")
    assert figure.status_code == 200
    assert figure.headers["cache-control"].startswith("private")
    served = {path for _method, path in api_routes(wiring)}
    kept = sorted(path for path in served if path.startswith(CACHEABLE))
    assert kept == ["/figures/{exercise_id}.svg", "/manifest.webmanifest", "/sw.js"]


def test_logging_out_clears_the_sites_cache_and_storage_on_the_page_and_in_the_api(wiring: Wiring) -> None:
    api = sign_up(wiring, "person", "Ana")
    answer = api.post("/api/v1/auth/logout")
    assert answer.status_code == 204
    assert answer.headers["clear-site-data"] == CLEAR
    assert api.get("/api/v1/me").status_code == 401
    page = sign_up(wiring, "person", "Bea")
    html = page.get("/today").text
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = page.client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code in (302, 303)
    assert answer.headers["clear-site-data"] == CLEAR
    assert page.get("/api/v1/me").status_code == 401


def test_deleting_the_account_clears_the_sites_cache_and_storage(person: User) -> None:
    answer = person.delete("/api/v1/me", {"password": PASSWORD, "confirm": "delete my account"})
    assert answer.status_code == 204, answer.text
    assert answer.headers["clear-site-data"] == CLEAR


def test_https_answers_carry_hsts_and_plain_http_answers_do_not(wiring: Wiring) -> None:
    secure = TestClient(create_app(wiring), base_url="https://testserver")
    for url in ("/", "/login", "/api/v1/me", "/static/app.css"):
        assert secure.get(url).headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
    plain = TestClient(create_app(wiring), base_url="http://testserver")
    assert "strict-transport-security" not in plain.get("/").headers


def test_the_pre_login_cookie_is_secure_over_https_only(wiring: Wiring) -> None:
    secure = TestClient(create_app(wiring), base_url="https://testserver").get("/login")
    assert "bw_pre=" in secure.headers["set-cookie"]
    assert "Secure" in secure.headers["set-cookie"]
    plain = TestClient(create_app(wiring), base_url="http://testserver").get("/login")
    assert "bw_pre=" in plain.headers["set-cookie"]
    assert "Secure" not in plain.headers["set-cookie"]
