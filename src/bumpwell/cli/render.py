"""Readable Rich output for assessments and exercises. Pure presentation: no rules are decided here."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bumpwell.domain.catalogue import Catalogue, Dose, Exercise

TRIAGE_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY: call your local emergency number now"),
    "urgent_same_day": ("bold white on dark_orange3", "URGENT: stop and call your maternity unit now"),
    "contact_within_24h": ("bold black on yellow", "Contact your midwife or doctor within 24 hours"),
    "discuss_at_next_visit": ("bold black on bright_cyan", "Talk about this at your next visit"),
    "ok_to_exercise": ("bold white on green4", "OK to exercise today"),
}
EXERCISE_WORDS = {
    "yes": "Exercise today: yes",
    "yes_modified": "Exercise today: yes, with changes that keep it safe",
    "no": "Exercise today: no structured session",
}
CALL_NOW = ("emergency", "urgent_same_day")
CALL_NOW_WORDS = "Exercise today: no. Do not exercise; get help now as below."
PATTERN_WORDS = {
    "lumbar": "fits a lower back pattern",
    "pelvic_girdle_posterior": "fits a pelvic girdle pattern (back of the pelvis)",
    "pelvic_girdle_anterior": "fits a pelvic girdle pattern (front of the pelvis)",
    "mixed": "fits a mix of lower back and pelvic girdle patterns",
    "none": "no pain reported",
    "unclear": "does not fit a clear pattern",
}


def stdout_console() -> Console:
    """A console on standard output; piped output keeps each paragraph on one line and has no colour codes."""
    console = Console(highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def describe_dose(dose: dict[str, Any] | Dose) -> str:
    """A dose in a few words: '1 x 10, hold 5 s, each side' or '20 min'."""
    d = dose.as_dict() if isinstance(dose, Dose) else dose
    parts = []
    if d["minutes"]:
        parts.append(f"{d['minutes']} min")
    if d["reps"]:
        parts.append(f"{d['sets'] or 1} x {d['reps']}")
    if d["hold_s"]:
        parts.append(f"hold {d['hold_s']} s")
    if d["sides"] == "each":
        parts.append("each side")
    return ", ".join(parts)


def render_assessment(console: Console, response: dict[str, Any], catalogue: Catalogue) -> None:
    """Print the decision first, then what to do, why, and the week's plan.

    A stop day is a stop screen only: the engine has already kept just the findings that stop exercise and whom to
    contact (invariant 10), and nothing here adds a pain pattern or a plan beside them.
    """
    style, headline = TRIAGE_STYLE[response["triage"]]
    console.print(Panel(Text(headline, style=style, justify="center"), expand=True))
    call_now = response["triage"] in CALL_NOW
    console.print(Text(CALL_NOW_WORDS if call_now else EXERCISE_WORDS[response["exercise"]], style="bold"))
    if response["exercise"] != "no":
        console.print(f"Pain: {PATTERN_WORDS[response['pattern']]} (a pattern, not a diagnosis).")
    if response["actions"]:
        console.print(Text("\nWhat to do now", style="bold underline"))
        for number, action in enumerate(response["actions"], start=1):
            console.print(f" {number}. {action['text']}")
    if response["reasons"]:
        console.print(Text("\nWhy", style="bold underline"))
        for reason in response["reasons"]:
            console.print(f" - [{reason['rule']}] {reason['text']} [dim](source: {reason['source']})[/dim]")
    plan = response["plan"]
    if plan["continue"]:
        names = ", ".join(catalogue.exercises[i].name for i in plan["continue"])
        console.print(Text("\nWhat can go on if it feels comfortable: ", style="bold") + Text(names))
    if plan["sessions"]:
        _render_plan(console, plan, catalogue)
    if response["excluded"]:
        left_out = [
            catalogue.exercises[e["id"]].name if e["id"] in catalogue.exercises else catalogue.activities[e["id"]].name
            for e in response["excluded"]
        ]
        console.print(Text("\nLeft out for now: ", style="bold") + Text(", ".join(left_out), style="dim"))
    console.print(
        "\nbumpwell does not replace your midwife or doctor. In an emergency, call your local emergency number."
    )


def _render_plan(console: Console, plan: dict[str, Any], catalogue: Catalogue) -> None:
    console.print(
        Text(f"\nYour week from {plan['week_start']}", style="bold underline")
        + Text(f"  (this week's aim: {plan['aerobic_minutes_target']} minutes of walking or swimming)")
    )
    table = Table(show_lines=True, expand=True)
    for column in ("Day", "Session", "Exercises"):
        table.add_column(column)
    who = {"required": "someone with you", "recommended": "someone nearby", "not_needed": "on your own is fine"}
    times = Counter((s["day"], s["kind"]) for s in plan["sessions"] if s["kind"] == "pelvic_floor")
    shown: set[tuple[str, str]] = set()
    for session in plan["sessions"]:
        day = date.fromisoformat(session["day"])
        key = (session["day"], session["kind"])
        if key in times and key in shown:
            continue  # pelvic floor work three times a day is one row that says so
        shown.add(key)
        often = f"\n{times[key]} times in the day" if times.get(key, 0) > 1 else ""
        kind = session["kind"].replace("_", " ") + often
        header = f"{kind}\n{session['minutes']} min\n{who[session['supervision']]}"
        lines = []
        for item in session["items"]:
            ex = catalogue.exercises[item["exercise"]]
            wall = " (beside a wall)" if item["wall_support"] else ""
            lines.append(f"{ex.name}{wall}: {describe_dose(item['dose'])}")
            lines += [f"  - {note}" for note in item["modifications"]]
        table.add_row(day.strftime("%a %d %b"), header, "\n".join(lines))
    console.print(table)


def render_exercise_table(console: Console, catalogue: Catalogue) -> None:
    """A table of every exercise."""
    table = Table(title=f"{len(catalogue.exercises)} exercises")
    for column in ("id", "name", "kind", "position", "someone there"):
        table.add_column(column)
    for ex in catalogue.exercises.values():
        table.add_row(ex.id, ex.name, ex.category, ex.position.replace("_", " "), ex.supervision.replace("_", " "))
    console.print(table)


def render_exercise(console: Console, ex: Exercise, catalogue: Catalogue) -> None:
    """One exercise, written for the person doing it."""
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(ex.steps, start=1))
    blocks: list[Any] = [Text(ex.purpose), Text("\nSteps", style="bold"), Text(steps)]
    for title, lines in (("Cues", ex.cues), ("Common mistakes", ex.mistakes), ("Stop if", ex.stop_if)):
        blocks += [Text(f"\n{title}", style="bold"), Text("\n".join(f"- {line}" for line in lines))]
    warning = catalogue.warning_signs  # the one shared block, below every card's own signs (§20.31)
    blocks += [Text(f"{warning.heading}:"), Text("\n".join(f"- {sign}" for sign in warning.signs)), Text(warning.then)]
    doses = "\n".join(f"- {level}: {describe_dose(dose)}" for level, dose in ex.dose.items())
    blocks += [Text("\nDose", style="bold"), Text(doses)]
    supervision = {"required": "Someone must be with you", "recommended": "Someone nearby is best"}
    blocks.append(Text(f"\n{supervision.get(ex.supervision, 'Fine on your own')}: {ex.supervision_reason}"))
    if ex.wall_support:
        blocks.append(Text("Do it beside a wall or a steady chair."))
    if ex.spotting:
        helping = "\n".join(f"- {line}" for line in ex.spotting)
        blocks += [Text("\nIf someone is helping you", style="bold"), Text(helping)]
    for title, ids in (("Easier", ex.easier), ("Harder", ex.harder)):
        if ids:
            names = ", ".join(f"{catalogue.exercises[i].name} ({i})" for i in ids)
            blocks.append(Text(f"{title}: {names}"))
    blocks.append(Text(f"Sources: {', '.join(ex.sources)}", style="dim"))
    panel = Panel(Group(*blocks), title=f"{ex.name} [dim]({ex.id})[/dim]", expand=True)
    console.print(panel, soft_wrap=False)  # a panel wraps inside its border, piped or not: no line is cut off
