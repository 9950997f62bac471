"""When the database cannot serve: /healthz and /readyz for whoever runs bumpwell, a 503 problem document for the
API and a kind page with the emergency number for the person, each with Retry-After; a bounded wait for a pooled
connection; one line, not a traceback, from the command line."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from bumpwell.adapters.db.engine import make_engine
from bumpwell.adapters.db.store import SqlStoreFactory
from bumpwell.bootstrap import Wiring, wire
from bumpwell.web.app import create_app
from bumpwell.web.deps import COOKIE
from tests.api.conftest import User
from tests.api.conftest import test_settings as settings_for

NOWHERE = "postgresql+psycopg://bumpwell@127.0.0.1:1/nowhere"  # nothing listens on port 1: refused at once


def test_healthz_answers_and_readyz_says_the_database_is_ready(app_client: TestClient) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}
    ready = app_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_an_unreachable_database_is_a_503_for_the_api_and_readyz_and_a_kind_page_for_her() -> None:
    wiring = wire(settings_for(NOWHERE))
    client = TestClient(create_app(wiring))
    assert client.get("/healthz").status_code == 200, "the process is up even when its database is not"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "5"
    assert ready.json()["detail"].startswith("BUMPWELL_DATABASE_URL: cannot reach postgresql+psycopg://bumpwell@")
    api = client.get("/api/v1/me", headers={"Authorization": "Bearer bw_anything"})
    assert api.status_code == 503
    assert api.headers["content-type"] == "application/problem+json"
    assert api.headers["retry-after"] == "5"
    assert api.json()["retry_after_s"] == 5
    assert "nothing was changed" in api.json()["detail"]
    client.cookies.set(COOKIE, "a-cookie-from-before")
    page = client.get("/today")
    assert page.status_code == 503
    assert page.headers["retry-after"] == "5"
    assert "We cannot reach your records just now" in page.text
    assert 'href="tel:112"' in page.text
    assert "do not wait for bumpwell" in page.text
    wiring.engine.dispose()


def test_readyz_says_when_the_migrations_are_not_current(tmp_path: Path) -> None:
    wiring = wire(settings_for(f"sqlite:///{tmp_path}/never-migrated.sqlite3"))
    ready = TestClient(create_app(wiring)).get("/readyz")
    assert ready.status_code == 503
    assert "is at revision none" in ready.json()["detail"]
    assert "bumpwell db upgrade" in ready.json()["detail"]
    wiring.engine.dispose()


def test_with_every_pooled_connection_busy_a_request_is_refused_with_503_instead_of_hanging(
    wiring: Wiring, person: User
) -> None:
    engine = make_engine(wiring.settings.database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    busy = replace(wiring, engine=engine, stores=SqlStoreFactory(engine))
    client = TestClient(create_app(busy))
    client.cookies = person.client.cookies
    with engine.connect():  # the pool's only connection is taken
        api = client.get(f"/api/v1/people/{person.id}/profile")
        page = client.get("/today")
    assert (api.status_code, api.headers["retry-after"]) == (503, "5")
    assert (page.status_code, page.headers["retry-after"]) == (503, "5")
    assert client.get("/api/v1/me").status_code == 200, "once a connection is free again, it serves"
    engine.dispose()


def _bumpwell(*args: str, url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"BUMPWELL_DATABASE_URL": url, "PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    command = [sys.executable, "-c", "from bumpwell.cli.main import run; run()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_bumpwell_serve_and_db_where_with_an_unreachable_database_print_one_line_naming_the_variable(
    tmp_path: Path,
) -> None:
    for args in (("serve", "--port", "1"), ("db", "where")):
        done = _bumpwell(*args, url=NOWHERE, tmp_path=tmp_path)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("error: BUMPWELL_DATABASE_URL: cannot reach"), lines[0]
        assert "Connection refused" in lines[0] or "connection" in lines[0].lower()
