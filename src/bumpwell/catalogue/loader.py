"""Build the Catalogue from content/: every file validated, then every cross-file reference checked."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bumpwell.catalogue.checklist_file import load_checklist
from bumpwell.catalogue.fields import KEBAB, Fields
from bumpwell.catalogue.figure_block import read_figure
from bumpwell.catalogue.player import load_player_words
from bumpwell.catalogue.yamlfile import read_yaml
from bumpwell.domain.catalogue import (
    Action,
    Activity,
    Catalogue,
    Dose,
    Exercise,
    Note,
    PlanTemplate,
    Policy,
    Rule,
    Selector,
    WarningSigns,
)
from bumpwell.domain.figure import Figure
from bumpwell.domain.rules import CONDITIONS, ENGINE_RULES, MESSAGES, RULE_ID
from bumpwell.domain.values import (
    ACTION_KINDS,
    ACTIVITY_IDS,
    ACTIVITY_LEVELS,
    CATEGORIES,
    LEVEL_NAMES,
    POSITIONS,
    SIDES,
    STAGES,
    SUPERVISED_TAGS,
    SUPERVISION,
    TAGS,
    Level,
)
from bumpwell.errors import ContentError


def default_content_dir() -> Path:
    """The content shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "content"


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Read and validate every content file under ``root``; raise ContentError on the first problem."""
    base = root or default_content_dir()
    sources = _load_sources(base)
    exercises = _load_exercises(base, sources)
    activities = _load_activities(base, sources)
    rules = _load_rules(base, sources, exercises)
    policy = _load_policy(base, sources, exercises)
    template = _load_template(base, exercises)
    _check_variants(exercises)
    return Catalogue(
        exercises=MappingProxyType(exercises),
        activities=MappingProxyType(activities),
        rules=MappingProxyType(rules),
        policy=policy,
        template=template,
        sources=MappingProxyType(sources),
        messages=MappingProxyType(_load_messages(base, sources)),
        warning_signs=_load_warning_signs(base, sources),
        player=load_player_words(base, sources),
        checklist=load_checklist(base, sources),
    )


def _load_sources(base: Path) -> dict[str, str]:
    data = read_yaml(base / "sources.yaml", "sources.yaml")
    fields = Fields("sources.yaml", data)
    out = {str(key): fields.text(str(key)) for key in data}
    fields.done()
    return out


def _cite(fields: Fields, sources: dict[str, str], *, allow_empty: bool) -> tuple[str, ...]:
    keys = fields.choices("sources", sources)
    if not keys and not allow_empty:
        raise fields.fail("sources", "must cite at least one source key (or be marked design: true)")
    return keys


def _load_exercises(base: Path, sources: dict[str, str]) -> dict[str, Exercise]:
    folder = base / "exercises"
    out: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*")):
        name = f"exercises/{path.name}"
        if path.suffix != ".yaml":
            raise ContentError(name, "(file)", "only .yaml files belong in exercises/")
        if not KEBAB.match(path.stem):
            raise ContentError(name, "(file)", "the file name is the exercise id and must be lower-kebab-case")
        out[path.stem] = _exercise(path.stem, Fields(name, read_yaml(path, name)), sources)
    if not out:
        raise ContentError("exercises/", "(folder)", "holds no exercises")
    return out


def _exercise(exercise_id: str, f: Fields, sources: dict[str, str]) -> Exercise:
    exercise = Exercise(
        id=exercise_id,
        name=f.text("name"),
        purpose=f.text("purpose"),
        category=f.choice("category", CATEGORIES),
        position=f.choice("position", POSITIONS),
        tags=frozenset(f.choices("tags", TAGS)),
        steps=f.texts("steps", least=3, most=8),
        cues=f.texts("cues", least=1, most=6),
        mistakes=f.texts("mistakes", least=1, most=6),
        stop_if=f.texts("stop_if", least=1, most=6),
        spotting=f.texts("spotting", least=1, most=4),
        dose=MappingProxyType(_doses(f)),
        easier=f.texts("easier"),
        harder=f.texts("harder"),
        wall_support=f.flag("wall_support"),
        supervision=f.choice("supervision", SUPERVISION),
        supervision_reason=f.text("supervision_reason"),
        stages=frozenset(f.choices("stages", STAGES)),
        sources=_cite(f, sources, allow_empty=False),
        figure=_figure(f),
    )
    if not exercise.stages:
        raise f.fail("stages", "must name at least one stage")
    _check_supervision(exercise, f)
    f.done()
    return exercise


def _check_supervision(exercise: Exercise, f: Fields) -> None:
    """Invariant 6: every stretch, squat, kneeling balance exercise and forward bend needs 'required'."""
    if "squat" in exercise.id and "squat" not in exercise.tags:
        raise f.fail("tags", "an exercise named a squat must be tagged squat (engine-contract invariant 6)")
    if exercise.position == "four_point_kneeling" and "kneeling_balance" not in exercise.tags:
        raise f.fail(
            "tags", "an exercise on hands and knees must be tagged kneeling_balance (engine-contract invariant 6)"
        )
    needing = sorted(SUPERVISED_TAGS & exercise.tags)
    if needing and exercise.supervision != "required":
        tagged = " and ".join(needing)
        raise f.fail("supervision", f"an exercise tagged {tagged} needs 'required' (engine-contract invariant 6)")


def _figure(f: Fields) -> Figure | None:
    block = f.sub("figure", required=False)
    return read_figure(block, str(f.data.get("position"))) if block is not None else None


def _doses(f: Fields) -> dict[str, Dose]:
    block = f.sub("dose")
    assert block is not None  # required sub-mapping
    out = {}
    for level in ACTIVITY_LEVELS:
        d = block.sub(level)
        assert d is not None
        sides = d.raw("sides", required=False)
        if sides is not None and sides not in SIDES:
            raise d.fail("sides", f"must be one of {', '.join(SIDES)}; got {sides!r}")
        dose = Dose(
            sets=d.positive("sets", required=False),
            reps=d.positive("reps", required=False),
            hold_s=d.positive("hold_s", required=False),
            minutes=d.positive("minutes", required=False),
            sides=sides,
        )
        if dose.reps is None and dose.minutes is None:
            raise d.fail("reps", "a dose needs reps or minutes")
        d.done()
        out[level] = dose
    block.done()
    return out


def _check_variants(exercises: dict[str, Exercise]) -> None:
    """Variant links point at real exercises, are mirrored, and never loop back."""
    for ex in exercises.values():
        for key, links, back in (("easier", ex.easier, "harder"), ("harder", ex.harder, "easier")):
            for index, other in enumerate(links):
                where = f"{key}[{index}]"
                if other not in exercises:
                    raise ContentError(f"exercises/{ex.id}.yaml", where, f"no exercise with id {other!r}")
                if ex.id not in getattr(exercises[other], back):
                    raise ContentError(
                        f"exercises/{ex.id}.yaml",
                        where,
                        f"{other!r} must list {ex.id!r} under {back} (variant links are mirrored)",
                    )
    # An edge goes from an exercise to each easier one; a cycle means an exercise is easier than itself.
    graph = {ex.id: ex.easier for ex in exercises.values()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        loop = list(reversed(exc.args[1]))
        raise ContentError(
            f"exercises/{loop[0]}.yaml", "easier", f"variants form a cycle: {' -> '.join(loop)}"
        ) from None


def _load_messages(base: Path, sources: dict[str, str]) -> dict[str, Action]:
    top = Fields("messages.yaml", read_yaml(base / "messages.yaml", "messages.yaml"))
    out = {}
    for key in MESSAGES:
        f = top.sub(key)
        assert f is not None
        out[key] = Action(kind=f.choice("kind", ACTION_KINDS), text=f.text("text"))
        _cite(f, sources, allow_empty=False)
        f.done()
    top.done()
    return out


def _load_warning_signs(base: Path, sources: dict[str, str]) -> WarningSigns:
    f = Fields("warning-signs.yaml", read_yaml(base / "warning-signs.yaml", "warning-signs.yaml"))
    signs = WarningSigns(heading=f.text("heading"), signs=f.texts("signs", least=1), then=f.text("then"))
    _cite(f, sources, allow_empty=False)
    f.done()
    return signs


def _load_activities(base: Path, sources: dict[str, str]) -> dict[str, Activity]:
    data = read_yaml(base / "activities.yaml", "activities.yaml")
    top = Fields("activities.yaml", data)
    out = {}
    for activity_id in sorted(ACTIVITY_IDS):
        f = top.sub(activity_id)
        assert f is not None
        out[activity_id] = Activity(
            id=activity_id,
            name=f.text("name"),
            reason=f.text("reason"),
            sources=_cite(f, sources, allow_empty=False),
        )
        f.done()
    top.done()
    return out


def _load_rules(base: Path, sources: dict[str, str], exercises: dict[str, Exercise]) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for path in sorted((base / "rules").glob("*.yaml")):
        name = f"rules/{path.name}"
        data = read_yaml(path, name)
        if not isinstance(data, list):
            raise ContentError(name, "(file)", "must be a list of rules")
        for index, item in enumerate(data):
            rule = _rule(Fields(name, item, f"[{index}]"), sources, exercises)
            if rule.id in out:
                raise ContentError(name, f"[{index}].id", f"rule {rule.id} is defined twice")
            out[rule.id] = rule
    missing = sorted(set(ENGINE_RULES) - set(out))
    if missing:
        raise ContentError("rules/", "(folder)", f"rules the engine evaluates are missing: {', '.join(missing)}")
    return out


def _rule(f: Fields, sources: dict[str, str], exercises: dict[str, Exercise]) -> Rule:
    rule_id = f.text("id")
    if not RULE_ID.match(rule_id):
        raise f.fail("id", f"{rule_id!r} is not a rule id (CI-A01, RF-U03, RT-4, G-1, M05, E2 ...)")
    design = f.flag("design")
    action = f.sub("action", required=False)
    conditional = f.sub("conditional", required=False)
    rule = Rule(
        id=rule_id,
        name=f.text("name"),
        text=f.text("text"),
        level=Level.parse(f.choice("level", LEVEL_NAMES)),
        sources=_cite(f, sources, allow_empty=design),
        design=design,
        reviewed=f.day("reviewed"),
        action=_action(action) if action else None,
        excludes=_selector(f.sub("excludes", required=False), exercises),
        replaces=MappingProxyType(_replaces(f, exercises)),
        notes=_notes(f, exercises),
        conditional=MappingProxyType(_conditional(conditional, exercises)),
        supports=_selector(f.sub("supports", required=False), exercises, activities=False),
    )
    f.done()
    return rule


def _action(f: Fields) -> Action:
    action = Action(kind=f.choice("kind", ACTION_KINDS), text=f.text("text"))
    f.done()
    return action


def _selector(f: Fields | None, exercises: dict[str, Exercise], *, activities: bool = True) -> Selector:
    if f is None:
        return Selector()
    selector = Selector(
        exercises=frozenset(f.choices("exercises", exercises, required=False)),
        tags=frozenset(f.choices("tags", TAGS, required=False)),
        positions=frozenset(f.choices("positions", POSITIONS, required=False)),
        activities=frozenset(f.choices("activities", ACTIVITY_IDS, required=False)) if activities else frozenset(),
    )
    f.done()
    return selector


def _exercise_map(
    f: Fields, name: str, exercises: dict[str, Exercise], check: Callable[[Fields, str, str], None]
) -> dict[str, str]:
    """An optional block mapping an exercise id to another exercise id; ``check`` refuses a pair it must not hold."""
    block = f.sub(name, required=False)
    if block is None:
        return {}
    out = {}
    for key in map(str, list(block.data)):
        if key not in exercises:
            raise block.fail(key, f"no exercise with id {key!r}")
        other = str(block.raw(key))
        check(block, key, other)
        out[key] = other
    block.done()
    return out


def _replaces(f: Fields, exercises: dict[str, Exercise]) -> dict[str, str]:
    """A rule's ``replaces``: exercise id -> the easier variant used instead."""

    def easier_only(block: Fields, key: str, other: str) -> None:
        easier = exercises[key].easier  # swaps only ever go to an easier variant, so they cannot loop
        if other not in easier:
            raise block.fail(key, f"must be an easier variant of {key} ({', '.join(easier) or 'it has none'})")

    return _exercise_map(f, "replaces", exercises, easier_only)


def _notes(f: Fields, exercises: dict[str, Exercise]) -> tuple[Note, ...]:
    raw = f.raw("notes", required=False)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise f.fail("notes", "must be a list of {applies_to, text}")
    out = []
    for index, item in enumerate(raw):
        n = Fields(f.file, item, f"{f.where('notes')}[{index}]")
        out.append(Note(applies_to=_selector(n.sub("applies_to"), exercises, activities=False), text=n.text("text")))
        n.done()
    return tuple(out)


def _conditional(f: Fields | None, exercises: dict[str, Exercise]) -> dict[str, Selector]:
    if f is None:
        return {}
    out = {}
    for key in list(f.data):
        if key not in CONDITIONS:
            raise f.fail(str(key), f"unknown condition; known: {', '.join(sorted(CONDITIONS))}")
        out[str(key)] = _selector(f.sub(str(key)), exercises)
    f.done()
    return out


def _load_policy(base: Path, sources: dict[str, str], exercises: dict[str, Exercise]) -> Policy:
    top = Fields("policy.yaml", read_yaml(base / "policy.yaml", "policy.yaml"))
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(Policy):
        entry = top.sub(spec.name)
        assert entry is not None
        values[spec.name] = _policy_value(entry, str(spec.type), exercises)
        entry.text("unit")
        entry.day("reviewed")
        _rule_refs(entry)
        _cite(entry, sources, allow_empty=entry.flag("design"))
        entry.done()
    top.done()
    return Policy(**values)


def _rule_refs(entry: Fields) -> None:
    for index, rule_id in enumerate(entry.texts("rules")):
        if not RULE_ID.match(rule_id):
            raise ContentError(entry.file, f"{entry.where('rules')}[{index}]", f"{rule_id!r} is not a rule id")


FOLLOW_UP_LEVELS = ("emergency", "urgent_same_day", "contact_within_24h")  # the levels that raise a red flag


def _policy_value(entry: Fields, kind: str, exercises: dict[str, Exercise]) -> Any:
    value = entry.raw("value")
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise entry.fail("value", f"must be a whole number, got {value!r}")
        return value
    if kind == "str":
        if value not in FOLLOW_UP_LEVELS:
            raise entry.fail("value", f"must be a triage level that raises a flag: {', '.join(FOLLOW_UP_LEVELS)}")
        return str(value)
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise entry.fail("value", f"must be a number, got {value!r}")
        return float(value)
    ids = entry.choices("value", exercises)
    return frozenset(ids) if kind.startswith("frozenset") else ids


def _load_template(base: Path, exercises: dict[str, Exercise]) -> PlanTemplate:
    f = Fields("plan.yaml", read_yaml(base / "plan.yaml", "plan.yaml"))

    def slots(key: str) -> tuple[tuple[str, ...], ...]:
        raw = f.raw(key)
        if not isinstance(raw, list) or not raw:
            raise f.fail(key, "must be a non-empty list of candidate lists")
        holder = Fields(f.file, {str(i): item for i, item in enumerate(raw)}, key)
        return tuple(holder.choices(str(i), exercises) for i in range(len(raw)))

    template = PlanTemplate(
        warm_up=f.choices("warm_up", exercises),
        cool_down=f.choices("cool_down", exercises),
        aerobic_land=f.choices("aerobic_land", exercises),
        aerobic_pool=f.choices("aerobic_pool", exercises),
        strength=slots("strength"),
        stretch=slots("stretch"),
        pelvic_floor=f.choices("pelvic_floor", exercises),
        yoga=slots("yoga"),
        alternates=MappingProxyType(_alternates(f, exercises)),
    )
    f.done()
    return template


def _alternates(f: Fields, exercises: dict[str, Exercise]) -> dict[str, str]:
    """plan.yaml ``alternates``: exercise id -> the exercise used instead on every other strength day."""

    def known(block: Fields, key: str, other: str) -> None:
        if other not in exercises:
            raise block.fail(key, f"no exercise with id {other!r}")

    return _exercise_map(f, "alternates", exercises, known)
