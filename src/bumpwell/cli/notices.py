"""`bumpwell notices`: the e-mail outbox of care team notices, for an administrator."""

from __future__ import annotations

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
def show() -> None:
    """How the outbox stands: pending and sent e-mails, the oldest pending one and the last error."""
    from bumpwell.services import outbox

    wiring = _wiring()
    try:
        with wiring.stores() as store:
            state = outbox.status(store)
    finally:
        wiring.engine.dispose()
    typer.echo(f"e-mail: {'on, via ' + wiring.settings.smtp_host if wiring.mailer else 'off (no BUMPWELL_SMTP_HOST)'}")
    typer.echo(f"pending: {state.pending}, sent: {state.sent}")
    if state.oldest_pending is not None:
        typer.echo(f"oldest pending since {state.oldest_pending.isoformat(timespec='seconds')}")
    if state.last_error:
        typer.echo(f"last error: {state.last_error}")
