"""`bumpwell report`: the one-page PDF for the midwife or doctor, written to a file."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated

import typer

from bumpwell.cli.exits import fail


def report(
    person: Annotated[str, typer.Argument(metavar="PERSON", help="The person's e-mail address (the login).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the PDF.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Write PERSON's one-page report (PDF); asks for that account's password."""
    from bumpwell.bootstrap import settings_from_environment, wire
    from bumpwell.errors import BumpwellError
    from bumpwell.exporters.report import report_pdf
    from bumpwell.services import logins, reports
    from bumpwell.services.common import Call

    if password_stdin:
        password = typer.get_text_stream("stdin").readline().rstrip("\n")
    else:
        password = os.environ.get("BUMPWELL_PASSWORD") or getpass.getpass("password: ")
    wiring = wire(settings_from_environment())
    try:
        with wiring.stores() as store:
            try:
                user = logins.log_in(
                    store, wiring.hasher, wiring.catalogue.policy, wiring.clock(), (person, password), "terminal"
                )
                story = reports.person_story(
                    store, Call(user, wiring.clock()), wiring.catalogue, user.id, wiring.today()
                )
            except BumpwellError as exc:
                fail(str(exc))
            store.commit()
    finally:
        wiring.engine.dispose()
    try:
        out.write_bytes(report_pdf(story, wiring.settings.report_paper))
    except OSError as exc:
        fail(f"--out: cannot write {str(out)!r}: {exc.strerror}")
    typer.echo(f"wrote {out}")
