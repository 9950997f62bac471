"""`bumpwell session`: today's session in the terminal, from a person's stored plan, logged like the web player's."""

from __future__ import annotations

import getpass
import os
import time
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bumpwell.cli.exits import fail as _fail

if TYPE_CHECKING:
    from rich.console import Console

    from bumpwell.bootstrap import Wiring
    from bumpwell.services.common import Call
    from bumpwell.services.ports import Store
    from bumpwell.services.presence import Choice
    from bumpwell.services.records import UserRecord

EFFORTS = {"1": "can_sing", "2": "can_talk_not_sing", "3": "cannot_talk"}


def session(
    email: Annotated[str, typer.Option(help="The person's account (the password is asked for).")],
    index: Annotated[int, typer.Option(min=0, max=9, help="Which of today's sessions, from 0.")] = 0,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
    speed: Annotated[float, typer.Option(min=1, max=1000, help="Run the clock faster (for trying it out).")] = 1.0,
) -> None:
    """Run today's planned session in the terminal: timers, reps, sides and rests; Ctrl-C pauses."""
    from rich.console import Console

    from bumpwell.bootstrap import settings_from_environment, wire

    console = Console(highlight=False)
    if password_stdin:
        password = typer.get_text_stream("stdin").readline().rstrip("\n")
    else:
        password = os.environ.get("BUMPWELL_PASSWORD") or getpass.getpass("password: ")
    wiring = wire(settings_from_environment())
    try:
        _run(wiring, console, email, password, index, speed)
    finally:
        wiring.engine.dispose()


def _run(wiring: Wiring, console: Console, email: str, password: str, index: int, speed: float) -> None:
    from rich.prompt import IntPrompt

    from bumpwell.errors import BumpwellError
    from bumpwell.services import logins, presence, sessions
    from bumpwell.services.common import Call

    today = wiring.today()
    with wiring.stores() as store:
        try:
            user = logins.log_in(
                store, wiring.hasher, wiring.catalogue.policy, wiring.clock(), (email, password), "terminal"
            )
            planned = _check(console, wiring, store, Call(user, wiring.clock()), index)
            console.print(f"[bold]Today's session[/]: {planned['kind']}, about {planned['minutes']} minutes.")
            _wall(console)
            before = IntPrompt.ask("Pain now, 0 to 10", console=console, choices=[str(n) for n in range(11)])
            choice = _who_is_there(console, store, user.id) if planned["supervision"] == "required" else None
            start = sessions.Start(today, index, before, choice or presence.Choice())
            call = Call(user, wiring.clock())
            record, _items = sessions.start_session(store, call, wiring.hasher, wiring.catalogue.policy, user.id, start)
        except BumpwellError as exc:
            _fail(str(exc))
        store.commit()
        if choice is not None and choice.supervisor_id is not None:
            console.print(f"Thank you, {record.supervised_by_name}: your presence is recorded with the session.")
        _play(console, wiring, store, user, record.id, planned, speed)


def _todays(store: Store, call: Call, today: date, index: int) -> dict[str, Any]:
    """Session ``index`` of today in the current plan; exits with a usage error when there is none."""
    from bumpwell.services import checkins

    plan = checkins.current_plan(store, call, call.user.id)
    todays = [s for s in plan.plan["sessions"] if s["day"] == today.isoformat()]
    if index >= len(todays):
        _fail(f"--index: the plan has {len(todays)} session(s) today ({today.isoformat()})")
    found: dict[str, Any] = todays[index]
    return found


def _check(console: Console, wiring: Wiring, store: Store, call: Call, index: int) -> dict[str, Any]:
    """The check before a session, recorded as a check-in as on the web; a warning sign ends here (exit 1)."""
    from rich.prompt import Confirm

    from bumpwell.domain.check_gate import stops
    from bumpwell.services import checkins

    if Confirm.ask("Any warning sign today (bleeding, fluid, pain that worries you, feeling unwell)?", console=console):
        console.print("[bold red]Do not exercise.[/] Check in (web app or API) so bumpwell can tell you whom to call.")
        raise typer.Exit(1)
    today = wiring.today()
    record = checkins.check_before_session(store, call, wiring.catalogue, call.user.id, {}, today, mail=wiring.mail)
    store.commit()
    if stops(record.triage, record.exercise):
        console.print("[bold red]No session today.[/] " + " ".join(a["text"] for a in record.response["actions"]))
        raise typer.Exit(1)
    return _todays(store, call, today, index)  # from the plan this check made


def _wall(console: Console) -> None:
    from rich.prompt import Confirm

    if not Confirm.ask("Is a wall or a sturdy chair within reach?", console=console, default=True):
        console.print("Find a wall or a sturdy chair first: several exercises use it for balance.")


def _play(
    console: Console, wiring: Wiring, store: Store, user: UserRecord, session_id: str, planned: dict[str, Any],
    speed: float,
) -> None:  # fmt: skip
    """Play the started session, log each exercise, and end it as completed or stopped."""
    from rich.prompt import IntPrompt, Prompt

    from bumpwell.cli.player import TerminalPlayer
    from bumpwell.domain.catalogue import Dose
    from bumpwell.domain.session_flow import build_steps
    from bumpwell.domain.session_state import ItemStatus, StopReason
    from bumpwell.services import sessions
    from bumpwell.services.common import Call

    doses = [(i["exercise"], Dose(**i["dose"])) for i in planned["items"]]
    steps = build_steps(doses, wiring.catalogue)
    player = TerminalPlayer(console, wiring.catalogue, lambda s: time.sleep(s / speed))
    outcome = player.run(steps)
    call = Call(user, wiring.clock())
    for position in sorted(outcome.done | outcome.skipped):
        status = ItemStatus.skipped if position in outcome.skipped else ItemStatus.done
        sessions.log_item(store, call, user.id, session_id, sessions.ItemResult(position, status))
    if outcome.stopped:
        reason = StopReason(outcome.reason or "other")
        sessions.stop_session(store, call, user.id, session_id, reason, "", None, mail=wiring.mail)
        store.commit()
        if reason is StopReason.warning_sign:
            console.print("[bold red]Check in now[/] so bumpwell can tell you whom to contact.")
        else:
            console.print("Session stopped and saved. Rest, and try a shorter one next time.")
        return
    after = IntPrompt.ask("Pain now, 0 to 10", console=console, choices=[str(n) for n in range(11)])
    effort = Prompt.ask(
        "Talk test: [1] could sing, [2] could talk but not sing, [3] could not talk",
        choices=list(EFFORTS),
        console=console,
    )
    _s, _i, easier = sessions.complete_session(
        store, call, wiring.catalogue, user.id, session_id, after, EFFORTS[effort], ""
    )
    store.commit()
    if easier:
        console.print(
            "Your pain went up. Next time bumpwell will plan an easier version of: " + ", ".join(easier) + "."
        )
    else:
        console.print("Saved. Your plan carries on as it is.")


def _who_is_there(console: Console, store: Store, person_id: str) -> Choice:
    """A session that needs supervision: a supervisor types their PIN here, or the person chooses to go alone."""
    from rich.prompt import Confirm, Prompt

    from bumpwell.services import presence

    team = presence.supervisors(store, person_id)
    console.print("This session has exercises that need someone with you, to steady you and to help if needed.")
    if team and Confirm.ask("Is your supervisor with you to type their PIN?", console=console):
        names = {str(n): member for n, member in enumerate(team, start=1)}
        for n, member in names.items():
            console.print(f"  [{n}] {member.display_name}")
        chosen = names[Prompt.ask("Who is with you?", choices=list(names), console=console)]
        pin = typer.prompt(f"{chosen.display_name}, type your PIN", hide_input=True)
        return presence.Choice(supervisor_id=chosen.id, pin=pin)
    if not team:
        console.print("Nobody has joined your care team as a supervisor yet: invite someone from the web app.")
    if Confirm.ask(
        "Start alone anyway? Your choice is recorded and your clinician sees it", console=console, default=False
    ):
        return presence.Choice(alone=True)
    console.print("Do this session when someone is with you; a gentle walk or pelvic-floor squeezes are fine alone.")
    raise typer.Exit(1)
