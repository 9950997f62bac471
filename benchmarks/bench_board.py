"""Benchmark: the clinician's board with 1,000 linked people and 180 days of history each, and one person's report.

Issue target: "the dashboard with 1,000 linked people and 180 days of diary each renders with p95 <= 150 ms (SQLite
and PostgreSQL); the report for one person renders in under 1 s."

Per backend (a SQLite file in a temporary folder; a throwaway database on the local PostgreSQL, dropped at the end):

1. Seed, migrated with Alembic, in bulk (SQLAlchemy core ``insert()`` executemany; see ``seed_board.py``): one
   clinician linked to 1,000 people (each with a profile, a supervisor, 180 days of diary, a weekly check-in with a
   real engine answer, its plan, the sessions of the plan, audit rows), plus 250 people of another clinician.
2. Start ``bumpwell serve`` (one worker) on a free port and log the clinician in through the API (cookie).
3. GET /clinic (the board page) when the route exists, the page with a search (one hospital number, a family
   name prefix) and with a level, stage and order, and GET /api/v1/me/board plain and with a search (JSON):
   warm-up, then ``REQUESTS`` sequential requests each; median, p95, p99 in ms.
4. The service alone, in this process: ``services.board.board`` (first page of 50 over all 1,000, with its audit
   rows committed), and ``SqlStore.board_facts`` with the time of each of its SQL statements.
5. GET /api/v1/people/{id}/report.pdf as the clinician for one richly documented person: median and max.

Results go to benchmarks/results/board.json. Run from the repository root: `.venv/bin/python benchmarks/bench_board.py`
(``--backend sqlite`` or ``--backend postgresql`` for one of them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event, text

from bumpwell.bootstrap import Wiring, settings_from_environment, upgrade_database, wire
from bumpwell.services.board import board
from bumpwell.services.common import Call
from bumpwell.services.records import UserRecord
from seed_board import PASSWORD, SERVER_ENV, Seeded, hospital_number, seed

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "board.json"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

WARMUP = 10
REQUESTS = 100  # measured requests per route and per backend
SERVICE_RUNS = 100
REPORT_RUNS = 10
BUSY_NOISY_PCT = 70.0  # this benchmark keeps about one of the two CPUs busy; more means others were running too
PAGE = 50  # the first page of the board
TARGET_P95_MS = 150.0
TARGET_REPORT_S = 1.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): the value that ``pct`` % of the samples do not exceed."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summary_ms(seconds: list[float]) -> dict[str, Any]:
    """Median, p95, p99 and max of timings, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def watched(run: Callable[[], list[float]]) -> dict[str, Any]:
    """The summary of ``run``'s timings, with how busy the whole machine was meanwhile (others share it)."""
    busy, total = machine_busy()
    seconds = run()
    busy_after, total_after = machine_busy()
    share = 100 * (busy_after - busy) / max(1, total_after - total)
    return {**summary_ms(seconds), "machine_busy_pct": round(share, 1), "load_1m": round(os.getloadavg()[0], 2)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(url: str, log: Path) -> Iterator[str]:
    """``bumpwell serve`` (one worker) on a free port in its own process group; yields its base URL."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "BUMPWELL_DATABASE_URL": url}
    command = [str(BIN / "bumpwell"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"bumpwell serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(base + "/api/v1/me", timeout=1.0)
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"bumpwell serve did not answer within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the group this script created for the server
                process.wait(timeout=5)


def timed_gets(client: httpx.Client, path: str, count: int, check: Callable[[httpx.Response], None]) -> list[float]:
    """``count`` sequential GETs of ``path``: the time from sending to having read the whole answer."""
    out = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        response.read()
        out.append(time.perf_counter() - start)
        check(response)
    return out


def ok(kind: str) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        if response.status_code != 200 or kind not in response.headers.get("content-type", ""):
            raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")

    return check


def measure_http(base: str, seeded: Seeded) -> dict[str, Any]:
    """The board page, the board API and the report PDF through the running server, as the logged-in clinician."""
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=30.0) as client:
        login = client.post("/api/v1/auth/login", json={"email": seeded.clinician_email, "password": PASSWORD})
        if login.status_code != 200:
            raise RuntimeError(f"login: {login.status_code} {login.text[:300]}")
        probe = client.get("/clinic")
        if probe.status_code == 200 and "text/html" in probe.headers.get("content-type", ""):
            timed_gets(client, "/clinic", WARMUP, ok("text/html"))
            out["clinic_page"] = {
                "route": "GET /clinic",
                "html_bytes": len(probe.content),
                **watched(lambda: timed_gets(client, "/clinic", REQUESTS, ok("text/html"))),
            }
        else:
            out["clinic_page"] = {"route": "GET /clinic", "status": "missing", "answer": probe.status_code}
        for name, path in searches(seeded).items():  # one search finds her; filters narrow the board (issue 17)
            kind = "html" if path.startswith("/clinic") else "json"
            timed_gets(client, path, WARMUP, ok(kind))
            timings = watched(partial(timed_gets, client, path, REQUESTS, ok(kind)))
            out[name] = {"route": f"GET {path}", **timings}
        found = client.get(f"/api/v1/me/board?q={hospital_number(SEARCHED)}").json()
        if found["total"] != 1:
            raise RuntimeError(f"searching one hospital number found {found['total']} people")
        api = f"/api/v1/me/board?limit={PAGE}&offset=0"
        timed_gets(client, api, WARMUP, ok("application/json"))
        out["board_api"] = {"route": f"GET {api}", **watched(lambda: timed_gets(client, api, REQUESTS, ok("json")))}
        pdf = f"/api/v1/people/{seeded.report_person}/report.pdf"
        first = timed_gets(client, pdf, 1, ok("application/pdf"))  # loads WeasyPrint and its fonts in the worker
        runs = timed_gets(client, pdf, REPORT_RUNS, ok("application/pdf"))
        out["report_pdf"] = {
            "route": "GET /api/v1/people/{id}/report.pdf",
            "runs": len(runs),
            "median_s": round(statistics.median(runs), 3),
            "max_s": round(max(runs), 3),
            "first_call_s": round(first[0], 3),
            "pdf_bytes": len(client.get(pdf).content),
        }
    return out


SEARCHED = 617  # the seeded person looked for by her hospital number


def searches(seeded: Seeded) -> dict[str, str]:
    """The board's searches and filters measured besides the plain page."""
    return {
        "clinic_search_hospital_number": f"/clinic?q={hospital_number(SEARCHED)}",
        "clinic_search_family_name": "/clinic?q=silv",
        "clinic_filtered_level_and_stage": "/clinic?need=missed&stage=trimester_3&sort=name",
        "board_api_search": f"/api/v1/me/board?q=silv&limit={PAGE}",
    }


QUERY_NAMES = (  # the statements of board_facts, by what they read
    ("open_flags", "FROM red_flags"),
    ("conditions", "FROM conditions"),
    ("one_row_per_person", "FROM users"),
)


def query_name(statement: str) -> str:
    for name, marker in QUERY_NAMES:
        if marker in statement:
            return name
    return statement.split()[0].lower()


def statement_times(engine: Engine, work: Callable[[], object], runs: int) -> dict[str, float]:
    """The median time of each SQL statement ``work`` runs, each run again alone on a raw connection with all its
    rows fetched (SQLite computes most of a result while it is fetched, after the driver's execute returns)."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    out: dict[str, float] = {}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in captured:
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                cursor.execute(statement, parameters)
                cursor.fetchall()
                seconds.append(time.perf_counter() - start)
            out[query_name(statement)] = round(statistics.median(seconds) * 1000, 2)
        cursor.close()
    finally:
        raw.close()
    return out


MINIMAL_PAGE = """<!doctype html><html lang="en"><head><title>Your people</title></head><body><h1>Your people</h1>
<p>{% for need, n in counts.items() %}{{ need.name }}: {{ n }} {% endfor %}of {{ total }}</p><table>
{% for row in rows %}<tr><td><a href="/clinic/people/{{ row.facts.person_id }}">{{ row.facts.name }}</a></td>
<td>{{ row.need.name }}</td><td>{{ row.reason }}</td></tr>{% endfor %}</table></body></html>"""


def timed(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append(time.perf_counter() - start)
    return out


def measure_service(wiring: Wiring, seeded: Seeded) -> dict[str, Any]:
    """In this process: the board service (audit committed), the same with a minimal page rendered, ``board_facts``
    statement by statement, and the report (read model and PDF)."""
    from jinja2 import Environment

    from bumpwell.exporters.report import report_pdf
    from bumpwell.services.reports import person_story

    template = Environment(autoescape=True).from_string(MINIMAL_PAGE)
    with wiring.stores() as store:
        user = store.get(UserRecord, seeded.clinician_id)
    assert user is not None
    today = wiring.today()

    def call_board(render: bool = False) -> int:
        with wiring.stores() as store:
            found = board(store, Call(user, datetime.now(UTC)), wiring.catalogue, today, PAGE, 0)
            store.commit()
        if render:
            template.render(rows=found.rows, counts=found.counts, total=found.total)
        return found.total

    def call_facts() -> int:
        with wiring.stores() as store:
            return len(store.board_facts(seeded.clinician_id, today))

    def call_report() -> bytes:
        with wiring.stores() as store:
            story = person_story(store, Call(user, datetime.now(UTC)), wiring.catalogue, seeded.report_person, today)
            store.commit()
        return report_pdf(story)

    for _ in range(WARMUP):
        total = call_board()
    assert total == seeded.linked, f"the board shows {total} people, {seeded.linked} are linked"
    whole = watched(lambda: timed(call_board, SERVICE_RUNS))
    rendered = watched(lambda: timed(lambda: call_board(render=True), SERVICE_RUNS))
    facts = watched(lambda: timed(call_facts, SERVICE_RUNS))
    first = timed(call_report, 1)
    reports = timed(call_report, REPORT_RUNS)
    return {
        "board_service": {"call": f"services.board.board(limit={PAGE}, offset=0), committed", **whole},
        "board_rendered": {
            "call": "services.board.board + a minimal Jinja page of the 50 rows (no app, no HTTP)",
            **rendered,
        },
        "board_facts": {
            "call": "SqlStore.board_facts(clinician, today)",
            **facts,
            "statement_median_ms": statement_times(wiring.engine, call_facts, 20),
        },
        "report_in_process": {
            "call": "services.reports.person_story + exporters.report.report_pdf",
            "runs": len(reports),
            "median_s": round(statistics.median(reports), 3),
            "max_s": round(max(reports), 3),
            "first_call_s": round(first[0], 3),
        },
    }


def postgres_unreachable() -> str | None:
    """Why the local PostgreSQL cannot be used, or ``None`` when it can."""
    try:
        import psycopg
    except ImportError as exc:
        return f"psycopg is not installed: {exc}"
    try:
        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True, connect_timeout=5) as admin:
            admin.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL at 127.0.0.1:5432 as postgres: {exc}".strip()
    return None


@contextlib.contextmanager
def database(kind: str, work: Path) -> Iterator[str]:
    """A new, empty database of ``kind``; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{work / 'board.sqlite3'}"
        return
    from sqlalchemy import create_engine

    name = f"bumpwell_bench_board_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_size(wiring: Wiring, url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with wiring.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def bench_backend(kind: str, work: Path) -> dict[str, Any]:
    """Seed one backend, then measure the page, the API, the service and the report."""
    with database(kind, work) as url:
        wiring = wire(settings_from_environment({**SERVER_ENV, "BUMPWELL_DATABASE_URL": url}))
        try:
            revision = upgrade_database(wiring)
            print(f"{kind}: migrated to {revision}; seeding", flush=True)
            start = time.perf_counter()
            seeded = seed(wiring, wiring.today())
            seed_s = time.perf_counter() - start
            if kind == "postgresql":
                # Autovacuum would analyze these tables soon after the load; do it now instead of waiting.
                with wiring.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            print(f"{kind}: seeded {seeded.rows_total:,} rows in {seed_s:.1f} s; measuring", flush=True)
            result: dict[str, Any] = {
                "status": "measured",
                "migration": revision,
                "seed": {"s": round(seed_s, 1), "rows": seeded.rows, "database_bytes": database_size(wiring, url)},
            }
            result.update(measure_service(wiring, seeded))
            try:
                with server(url, work / f"{kind}-server.log") as base:
                    result.update(measure_http(base, seeded))
            except (RuntimeError, httpx.HTTPError) as exc:  # the in-process figures still stand
                print(f"{kind}: through the server: failed: {str(exc)[-600:]}", flush=True)
                result["http"] = {"status": "failed", "error": str(exc)[-2000:]}
        finally:
            wiring.engine.dispose()
    return result


def verdict(result: dict[str, Any]) -> dict[str, Any]:
    """The targets: the board on GET /clinic, or where that could not be measured the board API, or else the
    service with a minimal page in this process (``board_measured_on`` says which); the report through the API,
    or else in this process."""
    candidates = [result.get(k, {}) for k in ("clinic_page", "board_api", "board_rendered")]
    measured = next(c for c in candidates if "p95_ms" in c)
    report = result.get("report_pdf") or result["report_in_process"]
    p95 = measured["p95_ms"]
    return {
        "board_measured_on": measured.get("route") or measured["call"],
        "board_p95_ms": p95,
        "board_p95_ratio_to_target": round(p95 / TARGET_P95_MS, 2),
        "board_met": p95 <= TARGET_P95_MS,
        "service_p95_ratio_to_target": round(result["board_service"]["p95_ms"] / TARGET_P95_MS, 2),
        "report_measured_on": report.get("route") or report["call"],
        "report_max_s": report["max_s"],
        "report_ratio_to_target": round(report["max_s"] / TARGET_REPORT_S, 2),
        "report_met": report["max_s"] < TARGET_REPORT_S,
    }


def noise(backends: dict[str, Any]) -> dict[str, Any]:
    """How busy the machine was during the timed series: over ``BUSY_NOISY_PCT`` others were running too."""
    shares = [
        figures["machine_busy_pct"]
        for result in backends.values()
        for figures in result.values()
        if isinstance(figures, dict) and "machine_busy_pct" in figures
    ]
    top = max(shares, default=0.0)
    return {
        "max_machine_busy_pct_in_a_series": top,
        "noisy": top > BUSY_NOISY_PCT,
        "note": f"this benchmark alone keeps about half of the {os.cpu_count()} CPUs busy (requests are sequential); "
        f"over {BUSY_NOISY_PCT:g}% other work shared the machine and the tails (p95, p99) are pessimistic",
    }


def print_table(report: dict[str, Any]) -> None:
    print(f"\n{'backend':<11}{'what':<34}{'median':>10}{'p95':>10}{'p99':>10}{'target':>12}{'met':>5}")
    for name, result in report["backends"].items():
        if result["status"] != "measured":
            print(f"{name:<11}skipped: {result['reason']}")
            continue
        met = report["met"][name]
        for key in ("clinic_page", "board_api", "board_service", "board_rendered", "board_facts"):
            figures = result.get(key, {"call": key, "answer": result.get("http", {}).get("status")})
            where = figures.get("route") or figures["call"]
            label = where.split("(")[0].split("?")[0].replace("services.board.board + a minimal", "board + minimal")
            if "p95_ms" not in figures:
                print(f"{name:<11}{label[:33]:<34}  not measured ({figures.get('answer')})")
                continue
            judged = where == met["board_measured_on"]
            target = f"<= {TARGET_P95_MS:g} ms" if judged else ""
            flag = ("yes" if met["board_met"] else "NO") if judged else ""
            print(
                f"{name:<11}{label[:33]:<34}{figures['median_ms']:>7} ms{figures['p95_ms']:>7} ms"
                f"{figures['p99_ms']:>7} ms{target:>12}{flag:>5}"
            )
        for key in ("report_pdf", "report_in_process"):
            if key not in result:
                continue
            pdf = result[key]
            where = pdf.get("route") or pdf["call"]
            judged = where == met["report_measured_on"]
            print(
                f"{name:<11}{(key.replace('_', ' ') + ' (median, max)'):<34}{pdf['median_s'] * 1000:>7.0f} ms"
                f"{pdf['max_s'] * 1000:>7.0f} ms{'':>10}{'< 1 s' if judged else '':>12}"
                f"{('yes' if met['report_met'] else 'NO') if judged else '':>5}"
            )
    if report["machine_noise"]["noisy"]:
        print(f"note: the machine was up to {report['machine_noise']['max_machine_busy_pct_in_a_series']}% busy")
    print(f"written {RESULTS.relative_to(ROOT)} in {report['total_s']} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    kinds = parser.parse_args().backend or ["sqlite", "postgresql"]
    started = time.perf_counter()
    backends: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bumpwell-bench-board-") as tmp:
        for kind in kinds:
            reason = postgres_unreachable() if kind == "postgresql" else None
            if reason is not None:
                print(f"{kind}: skipped ({reason})", flush=True)
                backends[kind] = {"status": "skipped", "reason": reason}
                continue
            backends[kind] = bench_backend(kind, Path(tmp))
    report = {
        "benchmark": "board",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "note": "server, database and client share the same CPUs (loopback); requests are sequential",
        },
        "settings": {
            "server": "bumpwell serve --workers 1 (uvicorn), logged in as the clinician through POST /auth/login",
            "server_env": SERVER_ENV,
            "warmup_requests": WARMUP,
            "requests": REQUESTS,
            "service_runs": SERVICE_RUNS,
            "report_runs": REPORT_RUNS,
            "page": PAGE,
            "latency": "client side, from sending a request to having read the whole answer (httpx, keep-alive)",
            "percentiles": "nearest rank",
            "postgresql": "VACUUM ANALYZE after seeding (what autovacuum does after a bulk load)",
            "sqlite": "no ANALYZE (the app never runs it)",
        },
        "targets": {"board_p95_ms_max": TARGET_P95_MS, "report_s_max": TARGET_REPORT_S},
        "backends": backends,
        "met": {k: verdict(v) for k, v in backends.items() if v["status"] == "measured"},
        "machine_noise": noise(backends),
        "total_s": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)


if __name__ == "__main__":
    main()
