"""`bumpwell notices`: the e-mail outbox of care team notices, for an administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from bumpwell.cli.exits import fail as _fail
from bumpwell.cli.server import _wiring

notices_app = typer.Typer(
    help="E-mail notices to the care team: send the ones due, show the outbox.", no_args_is_help=True
)


@notices_app.command("send")
def send() -> None:
    """Send the e-mail notices that are due now (the server also does this every BUMPWELL_SMTP_INTERVAL_S)."""
    from bumpwell.services import outbox

    wiring = _wiring()
    try:
        if wiring.mailer is None:
            _fail("BUMPWELL_SMTP_HOST: no SMTP server is configured, so notices stay in the app only")
        run = outbox.deliver(wiring.stores, wiring.mailer, wiring.clock, wiring.settings.public_url, limit=500)
        with wiring.stores() as store:
            state = outbox.status(store)
    finally:
        wiring.engine.dispose()
    typer.echo(f"sent {run.sent}, kept to retry {run.failed}, not sent (left the team) {run.skipped}")
    typer.echo(f"pending now: {state.pending}")


@notices_app.command("list")
def show(
    pending: Annotated[
        bool, typer.Option("--pending", help="Also list each e-mail still to send, oldest first.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many pending e-mails to list at most.")] = 50,
) -> None:
    """How the outbox stands: pending and sent e-mails, the oldest pending one and the last error."""
    from bumpwell.services import outbox

    wiring = _wiring()
    try:
        with wiring.stores() as store:
            state = outbox.status(store)
            rows = outbox.pending(store, limit) if pending else []
    finally:
        wiring.engine.dispose()
    typer.echo(f"e-mail: {'on, via ' + wiring.settings.smtp_host if wiring.mailer else 'off (no BUMPWELL_SMTP_HOST)'}")
    typer.echo(f"pending: {state.pending}, sent: {state.sent}")
    if state.oldest_pending is not None:
        typer.echo(f"oldest pending since {_when(state.oldest_pending)}")
    if state.last_error:
        typer.echo(f"last error: {state.last_error}")
    for row in rows:
        retry = _when(row.next_attempt_at) if row.next_attempt_at is not None else "-"
        error = f"  {row.last_error}" if row.last_error else ""
        typer.echo(f"{_when(row.created_at)}  to {row.recipient}  tries {row.attempts}  next {retry}{error}")


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
