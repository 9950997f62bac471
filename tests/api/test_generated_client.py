"""A client generated from the OpenAPI document (openapi-python-client) runs a whole flow against the real server:
sign up, a token, profile and screening, a typed check-in, the plan, a session, the diary, and every file answer
(report.pdf as bytes, fhir.json as an object, plan.ics and a CSV table as text), errors as problem documents."""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import uvicorn

from bumpwell.bootstrap import upgrade_database, wire
from bumpwell.config import Settings
from bumpwell.web.app import create_app

BIN = Path(sys.executable).parent
GENERATOR = BIN / "openapi-python-client"
# the generator reads PDF as bytes once told it is a binary body (it knows only application/octet-stream by name)
CONFIG = "content_type_overrides:\n  application/pdf: application/octet-stream\n"

pytestmark = pytest.mark.skipif(not GENERATOR.exists(), reason="needs openapi-python-client (pip install -e .[dev])")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """The app on uvicorn in a thread, on a fresh SQLite file with the real clock; its address and OpenAPI."""
    folder = tmp_path_factory.mktemp("client-db")
    settings = Settings(database_url=f"sqlite:///{folder / 'bumpwell.db'}", argon2_memory_kib=64, argon2_time_cost=1)
    wiring = wire(settings, clock=lambda: datetime.now(UTC))
    upgrade_database(wiring)
    app = create_app(wiring)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, host="127.0.0.1", log_level="warning", access_log=False, ws="none")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.started, "the server did not start within 10 s"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", app.openapi()
    running.should_exit = True
    thread.join(10)
    wiring.engine.dispose()


@pytest.fixture(scope="module")
def generated(server: tuple[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The client package generated from the served OpenAPI document, importable as bumpwell_client."""
    folder = tmp_path_factory.mktemp("client")
    (folder / "openapi.json").write_text(json.dumps(server[1]))
    (folder / "config.yml").write_text(CONFIG)
    args = [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none", "--output-path",
            "bumpwell_client", "--config", "config.yml"]  # fmt: skip
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(folder)}  # its formatter (ruff) from this virtualenv
    done = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr  # no answer left out of the client
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module("bumpwell_client")
    finally:
        sys.path.remove(str(folder))


def _call(package: str, operation: str, **kw: Any) -> Any:
    """Call one generated operation (module ``bumpwell_client.api.<package>.<operation>``); its detailed answer."""
    module = importlib.import_module(f"bumpwell_client.api.{package}.{operation}")
    return module.sync_detailed(**kw)


def _model(name: str, value: dict[str, Any]) -> Any:
    module = importlib.import_module("bumpwell_client.models")
    return getattr(module, name).from_dict(value)


@contextmanager
def _authenticated(generated: ModuleType, origin: str) -> Iterator[tuple[Any, str]]:
    """Sign up, then an API token: the token's client (closed after) and the person's id."""
    body = {
        "email": f"gen.{time.time_ns()}@example.org",
        "password": "correct horse battery",
        "display_name": "Gen",
        "family_name": "Rata",
        "date_of_birth": "1993-05-04",
        "hospital_number": "H123456",
    }
    with generated.Client(origin) as anonymous:
        signed = _call("accounts", "sign_up_api_v1_auth_signup_post", client=anonymous,
                       body=_model("SignUpCreate", body))  # fmt: skip
    assert signed.status_code == 201, signed.content
    person = json.loads(signed.content)
    name, value = signed.headers["set-cookie"].split(";")[0].split("=", 1)
    with generated.Client(origin, cookies={name: value}, headers={"X-CSRF-Token": person["csrf_token"]}) as browser:
        token = _call("accounts", "create_token_api_v1_me_tokens_post", client=browser,
                      body=_model("TokenCreate", {"name": "generated client"}))  # fmt: skip
    assert token.status_code == 201, token.content
    with generated.AuthenticatedClient(origin, token=token.parsed.token) as client:
        yield client, person["id"]


def test_a_generated_client_runs_the_whole_flow_reports_and_exports_included(
    generated: ModuleType, server: tuple[str, dict[str, Any]]
) -> None:
    with _authenticated(generated, server[0]) as (client, me):
        _flow(client, me)
        _files(client, me)


def _flow(client: Any, me: str) -> None:
    due = (datetime.now(UTC).date() + timedelta(weeks=17)).isoformat()
    profile = {"status": "pregnant", "due_date": due, "activity_history": "active", "days_per_week": 4}
    put = _call("person", "put_profile_api_v1_people_person_id_profile_put", person_id=me, client=client,
                body=_model("ProfileUpdate", profile))  # fmt: skip
    assert put.status_code == 200, put.content
    screening = _model("ScreeningUpdate", {"conditions": []})
    assert _call("person", "put_screening_api_v1_people_person_id_screening_put", person_id=me, client=client,
                 body=screening).status_code == 200  # fmt: skip
    pain = {"locations": ["lumbar"], "nrs_now": 4, "nrs_worst_24h": 5, "aggravators": ["stairs"]}
    answers = {"observations": {"vaginal_bleeding": "none", "contractions": {"per_hour": 0}}, "pain": pain}
    body = _model("CheckInCreate", answers)
    assert type(body.observations).__name__ == "Observations"  # a typed object, not a free dict
    checked = _call("check_ins", "check_in_api_v1_people_person_id_check_ins_post", person_id=me, client=client,
                    body=body)  # fmt: skip
    assert checked.status_code == 201, checked.content
    assert checked.parsed.triage == "ok_to_exercise"
    plan = _call("plans", "current_plan_api_v1_people_person_id_plan_get", person_id=me, client=client)
    first = plan.parsed.plan.to_dict()["sessions"][0]
    start = {"day": first["day"], "pain_before": 3, "supervision": {"alone": True}}
    session = _call("sessions", "start_session_api_v1_people_person_id_sessions_post", person_id=me, client=client,
                    body=_model("SessionStart", start))  # fmt: skip
    assert session.status_code == 201, session.content
    done = _call("sessions", "complete_api_v1_people_person_id_sessions_session_id_complete_post", person_id=me,
                 session_id=session.parsed.id, client=client,
                 body=_model("SessionComplete", {"pain_after": 3, "effort": "can_talk_not_sing"}))  # fmt: skip
    assert done.status_code == 200, done.content
    diary = _model("DiaryCreate", {"day": datetime.now(UTC).date().isoformat(), "pain": 3})
    assert _call("diary", "write_diary_api_v1_people_person_id_diary_post", person_id=me, client=client,
                 body=diary).status_code == 201  # fmt: skip


def _files(client: Any, me: str) -> None:
    report = _call("reports", "report_api_v1_people_person_id_report_pdf_get", person_id=me, client=client)
    assert report.status_code == 200
    assert report.parsed.payload.read().startswith(b"%PDF")
    types = importlib.import_module("bumpwell_client.models")
    fhir = _call("reports", "fhir_api_v1_people_person_id_fhir_json_get", person_id=me, client=client,
                 type_=types.FhirApiV1PeoplePersonIdFhirJsonGetType.TRANSACTION)  # fmt: skip
    assert fhir.status_code == 200, fhir.content
    bundle = fhir.parsed.to_dict()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "transaction")
    assert any(e["resource"]["resourceType"] == "Procedure" for e in bundle["entry"])
    calendar = _call("reports", "plan_ics_api_v1_people_person_id_plan_ics_get", person_id=me, client=client)
    assert calendar.parsed.startswith("BEGIN:VCALENDAR")
    table = _call("my_data", "export_csv_api_v1_me_export_table_csv_get", table="sessions", client=client)
    assert table.status_code == 200
    assert table.parsed.removeprefix("\ufeff").startswith("id,")  # UTF-8 with a BOM, for spreadsheets
    missing = _call("my_data", "export_csv_api_v1_me_export_table_csv_get", table="nosuch", client=client)
    assert missing.status_code == 404
    assert type(missing.parsed).__name__ == "Problem"
    assert missing.headers["content-type"] == "application/problem+json"


def test_a_check_in_the_schema_refuses_comes_back_as_a_problem_naming_the_field(
    generated: ModuleType, server: tuple[str, dict[str, Any]]
) -> None:
    with _authenticated(generated, server[0]) as (client, me):
        raw = client.get_httpx_client().post(f"/api/v1/people/{me}/check-ins", json={"pain": {"nrs_now": "four"}})
    assert raw.status_code == 422
    problem = _model("Problem", raw.json())
    assert problem.errors[0].field == "pain.nrs_now"
