"""`bumpwell db`, `bumpwell serve` and `bumpwell user`: running an installation from the command line."""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bumpwell.cli.exits import fail as _fail

if TYPE_CHECKING:
    from bumpwell.bootstrap import Wiring

db_app = typer.Typer(help="The database: apply migrations, show where it is.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts: create one, issue a password reset link.", no_args_is_help=True)


class RoleChoice(StrEnum):
    """Account roles."""

    person = "person"
    supervisor = "supervisor"
    clinician = "clinician"
    admin = "admin"


def _wiring() -> Wiring:
    from bumpwell.bootstrap import settings_from_environment, wire
    from bumpwell.errors import InvalidSetting

    try:
        return wire(settings_from_environment())
    except InvalidSetting as exc:
        _fail(str(exc))


def _where(wiring: Wiring) -> str:
    return wiring.engine.url.render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database tables (safe to run at every start)."""
    from bumpwell.bootstrap import unavailable_errors, unavailable_reason, upgrade_database

    wiring = _wiring()
    try:
        revision = upgrade_database(wiring)
    except unavailable_errors() as exc:
        _fail(f"BUMPWELL_DATABASE_URL: cannot reach {_where(wiring)}: {unavailable_reason(exc)}", 1)
    typer.echo(f"database {_where(wiring)} is at revision {revision}")


@db_app.command("where")
def db_where() -> None:
    """Print the database address (password hidden) and its migration revision."""
    from bumpwell.bootstrap import database_revision

    wiring = _wiring()
    typer.echo(f"{_where(wiring)} (revision {database_revision(wiring) or 'none: run bumpwell db upgrade'})")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Run the web app and the JSON API with uvicorn."""
    import uvicorn

    from bumpwell.bootstrap import database_problem
    from bumpwell.cli.listener import MAX_CONNECTIONS, open_files_for, uvicorn_settings

    wiring = _wiring()
    problem = database_problem(wiring)
    if problem is not None:
        _fail(problem, 1)
    wiring.engine.dispose()
    typer.echo(f"bumpwell is running at http://{host}:{port}/ (API docs: http://{host}:{port}/api/v1/docs)")
    open_files_for(MAX_CONNECTIONS * workers)
    uvicorn.run(
        "bumpwell.web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        **uvicorn_settings(workers),
    )


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The account's e-mail address (the login).")],
    role: Annotated[RoleChoice, typer.Option(help="person, supervisor, clinician or admin.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Create an account (the first admin of an installation is made this way)."""
    from bumpwell.domain.access import Role
    from bumpwell.errors import Conflict, InvalidRequest
    from bumpwell.services.accounts import create_user

    if password_stdin:
        password = typer.get_text_stream("stdin").readline().rstrip("\n")
    elif os.environ.get("BUMPWELL_NEW_PASSWORD"):
        password = os.environ["BUMPWELL_NEW_PASSWORD"]
    else:
        password = getpass.getpass("password (10 characters or more): ")
    wiring = _wiring()
    with wiring.stores() as store:
        try:
            user = create_user(
                store, wiring.hasher, wiring.clock(), email, password, name or email.split("@")[0], Role(role.value)
            )
        except (InvalidRequest, Conflict) as exc:
            _fail(str(exc))
        store.commit()
    typer.echo(f"created {user.role} {user.email} (id {user.id})")


@user_app.command("reset-link")
def user_reset_link(email: Annotated[str, typer.Argument(help="The account's e-mail address.")]) -> None:
    """Print a one-time password reset link to hand to the account's owner."""
    from bumpwell.errors import NotFound
    from bumpwell.services.credentials import issue_reset_link

    wiring = _wiring()
    with wiring.stores() as store:
        try:
            _user, secret = issue_reset_link(
                store, wiring.rules, None, email, wiring.clock(), wiring.mailer is not None
            )
        except NotFound:
            _fail(f"EMAIL: no account uses {email!r}")
        store.commit()
    from bumpwell.config import reset_link

    typer.echo(reset_link(wiring.settings, secret))
    typer.echo(f"valid for {wiring.rules.reset_link_hours} hours, once", err=True)
