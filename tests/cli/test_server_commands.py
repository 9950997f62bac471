"""`bumpwell db`, `bumpwell user` and `bumpwell serve` on a real SQLite file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from bumpwell.adapters.db.engine import head_revision
from bumpwell.cli.main import app
from bumpwell.services.passwords import LENGTH

runner = CliRunner()


def invoke(db: Path, *args: str, stdin: str | None = None, **env: str) -> tuple[int, str, str]:
    environ = {"BUMPWELL_DATABASE_URL": f"sqlite:///{db}", "BUMPWELL_ARGON2_MEMORY_KIB": "64", "COLUMNS": "200", **env}
    result = runner.invoke(app, list(args), input=stdin, env=environ)
    return result.exit_code, result.stdout, result.stderr


def test_db_upgrade_creates_the_database_and_can_run_again(tmp_path: Path) -> None:
    db = tmp_path / "data" / "bumpwell.sqlite3"
    code, out, _ = invoke(db, "db", "upgrade")
    assert code == 0
    assert f"at revision {head_revision()}" in out
    assert db.exists()
    assert invoke(db, "db", "upgrade")[0] == 0
    assert f"revision {head_revision()}" in invoke(db, "db", "where")[1]


def test_user_create_makes_the_first_admin_and_refuses_a_short_password(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    invoke(db, "db", "upgrade")
    code, out, _ = invoke(
        db, "user", "create", "root@example.org", "--role", "admin", "--password-stdin", stdin="a long password\n"
    )
    assert code == 0
    assert out.startswith("created admin root@example.org")
    code, _, err = invoke(
        db, "user", "create", "b@example.org", "--role", "person", "--password-stdin", stdin="short\n"
    )
    assert code == 2
    assert err.strip() == f"error: password: {LENGTH}"
    code, _, err = invoke(
        db, "user", "create", "root@example.org", "--role", "person", "--password-stdin", stdin="a long password\n"
    )
    assert code == 2
    assert "email: is already used" in err


def test_user_create_refuses_a_name_that_reverses_itself_on_screen(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    invoke(db, "db", "upgrade")
    code, _, err = invoke(
        db,
        "user",
        "create",
        "c@example.org",
        "--role",
        "clinician",
        "--name",
        "Dr \u202eanaS",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert code == 2
    assert err.strip().startswith("error: display_name: must not contain bidirectional control characters")
    assert (
        invoke(
            db, "user", "create", "c@example.org", "--role", "clinician", "--password-stdin", stdin="a long password\n"
        )[0]
        == 0
    )


def test_a_reset_link_is_printed_for_a_known_account_only(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    invoke(db, "db", "upgrade")
    invoke(db, "user", "create", "ana@example.org", "--role", "person", "--password-stdin", stdin="a long password\n")
    code, out, _ = invoke(db, "user", "reset-link", "ana@example.org", BUMPWELL_PUBLIC_URL="https://bw.example/")
    assert code == 0
    assert out.startswith("https://bw.example/reset-password?token=")
    code, _, err = invoke(db, "user", "reset-link", "nobody@example.org")
    assert code == 2
    assert "no account uses" in err


def test_a_wrong_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    code, _, err = invoke(tmp_path / "db.sqlite3", "db", "upgrade", BUMPWELL_DATABASE_URL="mysql://nope")
    assert code == 2
    assert err.startswith("error: BUMPWELL_DATABASE_URL: must start with")


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    code, _, err = invoke(tmp_path / "db.sqlite3", "serve")
    assert code == 1
    assert "run `bumpwell db upgrade` first" in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_runs_the_api_with_two_workers(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    invoke(db, "db", "upgrade")
    port = _free_port()
    env = {**os.environ, "BUMPWELL_DATABASE_URL": f"sqlite:///{db}"}
    command = [sys.executable, "-m", "bumpwell", "serve", "--port", str(port), "--workers", "2"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    ) as proc:
        try:
            answer = None
            deadline = (
                time.monotonic() + 60
            )  # two workers each load the catalogue and WeasyPrint: slow on a busy machine
            while time.monotonic() < deadline:
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            assert answer is not None
            assert answer.status_code == 200
            assert answer.json()["info"]["title"] == "bumpwell"
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out.decode()
