"""`bumpwell` command line. Heavy imports (Rich, the engine, YAML) happen inside commands, so --help is quick."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bumpwell.cli.exits import fail as _fail
from bumpwell.cli.notices import notices_app
from bumpwell.cli.report import report
from bumpwell.cli.server import db_app, serve, user_app
from bumpwell.cli.session import session

app = typer.Typer(
    name="bumpwell",
    help="Safe, guided exercise for back and pelvic girdle pain in pregnancy and after birth.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
exercises_app = typer.Typer(help="Browse the exercise catalogue.", no_args_is_help=True)
content_app = typer.Typer(help="Check the clinical content (exercises, rules, thresholds).", no_args_is_help=True)
app.add_typer(exercises_app, name="exercises")
figures_app = typer.Typer(help="Animated exercise figures.", no_args_is_help=True)
app.add_typer(content_app, name="content")
app.add_typer(figures_app, name="figures")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(notices_app, name="notices")
app.command()(serve)
app.command()(session)
app.command()(report)


class Format(StrEnum):
    """Output formats."""

    json = "json"
    text = "text"


class Belly(StrEnum):
    """Stages the figures can be drawn at."""

    early = "early"
    mid = "mid"
    late = "late"
    postpartum = "postpartum"


def _read_request(source: str) -> object:
    if source == "-":
        text = sys.stdin.read()
        name = "standard input"
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            _fail(f"request file {source!r} not found")
        except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
            _fail(f"cannot read request file {source!r}: {exc.__class__.__name__}")
        name = source
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"request: {name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--today: must be a date written YYYY-MM-DD, got {value!r}")


@app.command()
def assess(
    source: Annotated[str, typer.Argument(help="Request file (bumpwell.assessment/1 JSON), or - for standard input.")],
    output: Annotated[Format, typer.Option("--format", "-f", help="json (the contract) or text (a summary).")] = (
        Format.json
    ),
    today: Annotated[
        str | None, typer.Option(help="Date the plan starts when the request has no 'today' (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Assess one request: triage, whether exercise is safe today, the pain pattern and the week's plan."""
    from bumpwell.bootstrap import assess_document, catalogue
    from bumpwell.errors import InvalidRequest

    document = _read_request(source)
    try:
        response = assess_document(document, _parse_day(today))
    except InvalidRequest as exc:
        _fail(str(exc))
    if output is Format.json:
        typer.echo(json.dumps(response, indent=2, ensure_ascii=False))
        return
    from bumpwell.cli.render import render_assessment, stdout_console

    render_assessment(stdout_console(), response, catalogue())


@exercises_app.command("list")
def exercises_list(
    output: Annotated[Format, typer.Option("--format", "-f", help="text (a table) or json.")] = Format.text,
) -> None:
    """List every exercise with its position and supervision need."""
    from bumpwell.bootstrap import catalogue

    cat = catalogue()
    if output is Format.json:
        rows: list[dict[str, Any]] = [
            {"id": ex.id, "name": ex.name, "category": ex.category, "position": ex.position}
            for ex in cat.exercises.values()
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from bumpwell.cli.render import render_exercise_table, stdout_console

    render_exercise_table(stdout_console(), cat)


@exercises_app.command("show")
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id, e.g. bird-dog.")],
) -> None:
    """Show one exercise: purpose, steps, cues, mistakes, when to stop, dose and variants."""
    from bumpwell.bootstrap import catalogue
    from bumpwell.cli.render import render_exercise, stdout_console

    cat = catalogue()
    exercise = cat.exercises.get(exercise_id)
    if exercise is None:
        known = ", ".join(sorted(cat.exercises))
        _fail(f"ID: no exercise {exercise_id!r}; known ids: {known}")
    render_exercise(stdout_console(), exercise, cat)


@content_app.command("check")
def content_check(
    content_dir: Annotated[
        Path | None,
        typer.Option(help="Content folder to check (default: the content shipped with bumpwell)."),
    ] = None,
) -> None:
    """Validate every content file strictly; name the file and field of the first problem."""
    from bumpwell.catalogue import load_catalogue
    from bumpwell.errors import ContentError

    try:
        cat = load_catalogue(content_dir)
    except ContentError as exc:
        _fail(f"content check failed: {exc}", code=1)
    design = sum(rule.design for rule in cat.rules.values())
    typer.echo(
        f"content ok: {len(cat.exercises)} exercises, {len(cat.rules)} rules ({design} marked DESIGN), "
        f"{len(cat.activities)} activities, {len(cat.sources)} sources"
    )


@figures_app.command("gallery")
def figures_gallery(
    out_dir: Annotated[
        Path, typer.Argument(metavar="OUT_DIR", help="Folder to write index.html and the SVG files into.")
    ],
    stage: Annotated[Belly, typer.Option(help="Belly to draw: early, mid or late pregnancy, or after birth.")] = (
        Belly.mid
    ),
) -> None:
    """Write an HTML page with every exercise's animated figure, for review."""
    from bumpwell.bootstrap import catalogue
    from bumpwell.figures.gallery import write_gallery

    try:
        written = write_gallery(catalogue(), out_dir, stage.value)
    except OSError as exc:
        _fail(f"OUT_DIR: cannot write to {str(out_dir)!r}: {exc.strerror}")
    typer.echo(f"wrote {written} figures and {out_dir / 'index.html'}")


def run() -> None:
    """Console-script entry point: invalid content and an unreachable database are reported in one line (exit code
    1, a broken setup), never as a traceback."""
    from bumpwell.errors import ContentError

    try:
        app()
    except ContentError as exc:
        typer.echo(f"error: the clinical content is invalid: {exc}", err=True)
        raise SystemExit(1) from None
    except _unavailable() as exc:  # evaluated only when something else was raised
        from bumpwell.bootstrap import unavailable_reason

        typer.echo(f"error: BUMPWELL_DATABASE_URL: cannot reach the database: {unavailable_reason(exc)}", err=True)
        raise SystemExit(1) from None


def _unavailable() -> tuple[type[Exception], ...]:
    from bumpwell.bootstrap import unavailable_errors

    return unavailable_errors()
