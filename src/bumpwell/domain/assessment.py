"""The ``bumpwell.assessment/1`` contract on top of screening, pain, modifications, escalation and planning.

Same input, same output: ``today`` comes in from outside; nothing here reads a clock, a file or the environment.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bumpwell.domain.catalogue import Action, Catalogue, Note, Selector
from bumpwell.domain.modifications import ALWAYS_ON, active_conditions, modify
from bumpwell.domain.pain import classify_pain
from bumpwell.domain.planning import PlanRules, generate_week
from bumpwell.domain.progress import escalate
from bumpwell.domain.progression import weekly_dosing
from bumpwell.domain.request import Request, Vocabulary, parse_request
from bumpwell.domain.rules import ACTION_RANK, Finding
from bumpwell.domain.screening import Gate, screen_conditions, screen_red_flags
from bumpwell.domain.values import SCHEMA, Level
from bumpwell.domain.volume import volume_words

RESTRICTING_ESCALATIONS = frozenset({"E2", "E4", "E7"})
STARTS_TOMORROW = frozenset({"M12", "RT-6"})
STAGE_RULE = {False: "M08", True: "M13"}  # the rule that keeps out a card not for this stage: pregnant, after birth


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    """The ids a request may name, from the catalogue."""
    return Vocabulary(
        exercises=frozenset(catalogue.exercises),
        activities=frozenset(catalogue.activities),
        conditions=frozenset(rule for rule in catalogue.rules if rule.startswith("CI-")),
        postpartum_max_weeks=catalogue.policy.postpartum_max_weeks,
    )


def assess(document: object, catalogue: Catalogue, today: date) -> dict[str, Any]:
    """Answer one request document; raises InvalidRequest naming the field when it breaks the contract."""
    req = parse_request(document, vocabulary(catalogue), today)
    return evaluate(req, catalogue)


def evaluate(req: Request, catalogue: Catalogue) -> dict[str, Any]:
    """Run the rules in the order of clinical-reference §17.2 and build the response."""
    policy = catalogue.policy
    red = screen_red_flags(req, policy)
    gate = screen_conditions(req, policy)
    picture = classify_pain(req.pain, policy)
    exercise = _exercise_after_screening(red, gate, catalogue)
    mods = modify(req, picture, policy) if exercise != "no" else []
    escalations = escalate(req, picture, policy)
    findings = [*red, *gate.findings, *mods, *escalations]
    fired = {f.rule for f in findings}
    if exercise != "no" and _restricted(findings, fired):
        exercise = "yes_modified"
    triage = max((_level(f, catalogue) for f in findings), default=Level.OK_TO_EXERCISE)
    plan, excluded, words = _plan(req, catalogue, red, findings, gate, exercise)
    shown, explained = (findings, []) if exercise != "no" else _stop_day(red, gate, findings, catalogue)
    return {
        "schema": SCHEMA,
        "triage": triage.wire,
        "exercise": exercise,
        "pattern": picture.pattern,
        "reasons": _reasons(shown, catalogue),
        "actions": _actions(
            [*shown, *explained], catalogue, [*_messages(req, catalogue), *words] if exercise != "no" else []
        ),
        "excluded": [{"id": key, "rule": rule} for key, rule in excluded.items()],
        "plan": plan,
    }


def _level(finding: Finding, catalogue: Catalogue) -> Level:
    return finding.level if finding.level is not None else catalogue.rule(finding.rule).level


def _exercise_after_screening(red: list[Finding], gate: Gate, catalogue: Catalogue) -> str:
    """Exercise is "no" at emergency or urgent, after a contact-level symptom (but RF-C08 alone), or under the gate."""
    if gate.blocked:
        return "no"
    levels = [_level(f, catalogue) for f in red]
    if any(level >= Level.URGENT_SAME_DAY for level in levels):
        return "no"
    symptoms = {f.rule for f, level in zip(red, levels, strict=True) if level == Level.CONTACT_WITHIN_24H}
    if symptoms - {"RF-C08"}:
        return "no"
    return "yes_modified" if symptoms else "yes"


def stop_day_findings(red: list[Finding], gate: Gate, catalogue: Catalogue) -> list[Finding]:
    """On a stop day, only what stops exercise, with whom to contact (invariant 10, §20 reading 26).

    At emergency or urgent level only those red flags show; otherwise the red flags at contact level and the
    gate's blocking rules. Plan (M), progress (E), G-3, G-4, CI-N01, RT-6 and RF-D texts never show on a stop day.
    """
    levels = [(f, _level(f, catalogue)) for f in red]
    top = max((level for _, level in levels), default=Level.OK_TO_EXERCISE)
    floor = Level.URGENT_SAME_DAY if top >= Level.URGENT_SAME_DAY else Level.CONTACT_WITHIN_24H
    stopping = [f for f, level in levels if level >= floor]
    if floor == Level.CONTACT_WITHIN_24H:
        stopping += [f for f in gate.findings if f.rule in gate.blocking]
    return stopping


def _stop_day(
    red: list[Finding], gate: Gate, findings: list[Finding], catalogue: Catalogue
) -> tuple[list[Finding], list[Finding]]:
    """What a stop day shows: its stopping findings, and the withheld rules that set the headline above them.

    The headline stays the highest level fired (§17.2), so a progress rule (E2, E4, E7) that puts it above every
    stopping finding shows its action, whom to contact and why, while its text (its exercise words) stays withheld.
    """
    shown = stop_day_findings(red, gate, catalogue)
    top = max((_level(f, catalogue) for f in shown), default=Level.OK_TO_EXERCISE)
    raising = [f for f in findings if f not in shown and _level(f, catalogue) > top]
    return shown, raising


def _restricted(findings: list[Finding], fired: set[str]) -> bool:
    """Whether a conditional restricting rule fired (§17.2 step 6)."""
    modifying = {r for r in fired if r.startswith("M")} - ALWAYS_ON
    return _gentle(findings) or bool(modifying) or bool(fired & {"G-3", "G-4"}) or bool(fired & RESTRICTING_ESCALATIONS)


def _reasons(findings: list[Finding], catalogue: Catalogue) -> list[dict[str, str]]:
    rules = (catalogue.rule(finding.rule) for finding in findings)  # each rule fires at most once
    return [{"rule": rule.id, "text": rule.text, "source": rule.source} for rule in rules]


def _messages(req: Request, catalogue: Catalogue) -> list[Action]:
    """Messages of no single rule, on a day with exercise: nobody to be there; a tear at birth (§20 reading 34)."""
    out = [] if req.preferences.supervisor_available else [catalogue.messages["no_supervisor"]]
    if req.postpartum is not None and req.postpartum.perineal_tear:
        out.append(catalogue.messages["perineal_tear"])
    return out


def _actions(findings: list[Finding], catalogue: Catalogue, messages: list[Action]) -> list[dict[str, str]]:
    actions = list(messages)
    for finding in findings:
        action = catalogue.rule(finding.rule).action
        if action is not None and finding.acts and action not in actions:
            actions.append(action)
    actions.sort(key=lambda a: ACTION_RANK[a.kind])
    return [{"kind": a.kind, "text": a.text} for a in actions]


def stage_of(req: Request, catalogue: Catalogue) -> str:
    """The catalogue stage (trimester or postpartum phase) that the person is in."""
    p = catalogue.policy
    if req.postpartum is not None:
        days = req.postpartum.total_days
        if days < p.postpartum_structured_from_days:
            return "postpartum_0_6w"
        return "postpartum_6_12w" if days < p.postpartum_running_from_days else "postpartum_12w_plus"
    days = req.gestation.total_days if req.gestation else 0
    if days < p.trimester_2_from_days:
        return "trimester_1"
    return "trimester_2" if days < p.trimester_3_from_days else "trimester_3"


def _plan(
    req: Request,
    catalogue: Catalogue,
    red: list[Finding],
    findings: list[Finding],
    gate: Gate,
    exercise: str,
) -> tuple[dict[str, Any], dict[str, str], tuple[Action, ...]]:
    """The week's plan, what is excluded (nothing while exercise is "no": §20 reading 17) and the plan's words."""
    fired = {f.rule for f in findings}
    if exercise == "no":
        empty = {
            "week_start": req.today.isoformat(),
            "aerobic_minutes_target": 0,
            "continue": _continue(red, gate, catalogue),
            "sessions": [],
        }
        return empty, {}, ()
    policy = catalogue.policy
    excluded = _exclusions(req, catalogue, findings, gate)
    walk_hurts = "M02" in fired and "walking" in req.pain.aggravators
    rules = PlanRules(
        excluded=excluded,
        replaces=_replacements(req, catalogue, fired, excluded),
        notes=_notes(findings, catalogue),
        support=_support(fired, catalogue),
        dosing=weekly_dosing(req, policy, frozenset(fired), sedentary=gate.sedentary),
        walk_cap=policy.gentle_walk_max_min if _gentle(findings) else None,
        max_minutes=gate.max_minutes,
        start=req.today + timedelta(days=1 if fired & STARTS_TOMORROW else 0),
        alone=not req.preferences.supervisor_available,
        bout_min=policy.walk_bout_max_min if walk_hurts else None,
        bout_note=catalogue.messages["walk_in_bouts"].text,
        harder_note=_harder_note(fired, catalogue),
    )
    plan = generate_week(req, catalogue, stage_of(req, catalogue), rules)
    cut = _gentle(findings) or bool(fired & {"G-3", "M12"}) or "walking" in excluded
    return plan, excluded, () if cut else volume_words(req, plan, catalogue)


def _harder_note(fired: set[str], catalogue: Catalogue) -> str:
    """The words on an item that progress moved to its harder variant, naming why: E1, or no scores yet (§20.29)."""
    if "E1" in fired:
        why = f"{catalogue.rule('E1').name.lower()} (E1)"
    else:
        why = catalogue.messages["harder_while_building"].text
    return catalogue.messages["harder_variant"].text.format(why=why, easier="{easier}")


def _gentle(findings: list[Finding]) -> bool:
    return any(f.rule == "RT-4" and f.level == Level.OK_TO_EXERCISE for f in findings)


def _continue(red: list[Finding], gate: Gate, catalogue: Catalogue) -> list[str]:
    """What may go on while exercise is "no" (§20 reading 16)."""
    levels = [_level(f, catalogue) for f in red]
    if any(level >= Level.URGENT_SAME_DAY for level in levels):
        return []
    policy = catalogue.policy
    keep: set[str] = set()
    if Level.CONTACT_WITHIN_24H in levels:
        keep |= set(policy.continue_after_symptom)
    if gate.blocked:
        keep |= set(policy.continue_under_gate)
    if gate.allowed is not None:
        keep &= gate.allowed
    return sorted(keep)


def _exclusions(req: Request, catalogue: Catalogue, findings: list[Finding], gate: Gate) -> dict[str, str]:
    """Exercise and activity ids that must not be done, each with the first rule that excluded it."""
    conditions = active_conditions(req, catalogue.policy, frozenset(f.rule for f in findings))
    out: dict[str, str] = {}
    for finding in findings:
        rule = catalogue.rule(finding.rule)
        selectors = [rule.excludes, *(sel for name, sel in rule.conditional.items() if name in conditions)]
        for selector in selectors:
            for exercise in catalogue.exercises.values():
                if selector.matches(exercise):
                    out.setdefault(exercise.id, rule.id)
            for activity in sorted(selector.activities):
                out.setdefault(activity, rule.id)
        kept = _kept_only(req, catalogue, finding, gate)
        if kept is not None:
            for exercise_id in catalogue.exercises:
                if exercise_id not in kept:
                    out.setdefault(exercise_id, rule.id)
    if req.programme is not None and any(f.rule == "M10" for f in findings):
        for exercise_id in req.programme.provoking:  # planned only through an easier variant, if one is allowed
            out.setdefault(exercise_id, "M10")
    stage, rule_id = stage_of(req, catalogue), STAGE_RULE[req.postpartum is not None]
    for exercise in catalogue.exercises.values():  # the card's own stages bind, whatever `wants` says (§20.33)
        if stage not in exercise.stages:
            out.setdefault(exercise.id, rule_id)
    return out


def _kept_only(req: Request, catalogue: Catalogue, finding: Finding, gate: Gate) -> frozenset[str] | None:
    """The only exercises a rule leaves in: RT-4's gentle subset, a clinician's list, the early weeks after birth."""
    policy = catalogue.policy
    if finding.rule == "RT-4" and finding.level == Level.OK_TO_EXERCISE:
        return policy.gentle_subset
    if finding.rule == "G-3":
        return gate.allowed
    if finding.rule == "M13" and stage_of(req, catalogue) == "postpartum_0_6w":
        return policy.postpartum_early
    return None


def _easier_allowed(req: Request, exercise_id: str, catalogue: Catalogue, excluded: dict[str, str]) -> str | None:
    """The first easier variant that is neither excluded nor itself provoking pain (M10)."""
    provoking = req.programme.provoking if req.programme else ()
    options = catalogue.exercises[exercise_id].easier
    return next((e for e in options if e not in excluded and e not in provoking), None)


def _replacements(
    req: Request, catalogue: Catalogue, fired: set[str], excluded: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Swaps for gentler variants: the M02 pelvic swaps, then M10's easier version of a provoking exercise."""
    out: dict[str, tuple[str, str]] = {}
    for rule_id in sorted(fired):
        rule = catalogue.rule(rule_id)
        for original, gentler in rule.replaces.items():
            out[original] = (gentler, _swap_note(catalogue, original, rule.name))
    if "M10" in fired and req.programme is not None:
        name = catalogue.rule("M10").name
        for exercise_id in req.programme.provoking:
            easier = _easier_allowed(req, exercise_id, catalogue, excluded)
            if easier is not None:
                out[exercise_id] = (easier, _swap_note(catalogue, exercise_id, name))
    return out


def _swap_note(catalogue: Catalogue, original: str, why: str) -> str:
    return f"In place of {catalogue.exercises[original].name}: {why.lower()} ({original})."


def _notes(findings: list[Finding], catalogue: Catalogue) -> tuple[Note, ...]:
    return tuple(note for f in findings for note in catalogue.rule(f.rule).notes)


def _support(fired: set[str], catalogue: Catalogue) -> Selector | None:
    return catalogue.rule("M05").supports if "M05" in fired else None
