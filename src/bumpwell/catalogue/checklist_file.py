"""Reads content/checklist.yaml: the warning-sign checklist for each stage, each box checked by the engine's parser."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bumpwell.catalogue.fields import Fields
from bumpwell.catalogue.yamlfile import read_yaml
from bumpwell.domain.checklist import STAGES, Checklist, Choice, Item, StageList
from bumpwell.domain.request import BLEEDING, Vocabulary, parse_request
from bumpwell.domain.values import SCHEMA
from bumpwell.errors import ContentError, InvalidRequest

FILE = "checklist.yaml"
_TODAY = date(2026, 1, 1)  # any day: a box is read the same on every day
_VOCABULARY = Vocabulary(exercises=(), activities=(), conditions=(), postpartum_max_weeks=52)
_STAGE_BLOCK: dict[str, dict[str, Any]] = {
    "pregnant": {"gestation": {"weeks": 30}},
    "postpartum": {"postpartum": {"weeks": 2, "delivery": "vaginal", "perineal_tear": False}},
}


def load_checklist(base: Path, sources: dict[str, str]) -> Checklist:
    """The checklist of every stage; a ContentError names the field of the first problem."""
    top = Fields(FILE, read_yaml(base / FILE, FILE))
    stages = {}
    for stage in STAGES:
        f = top.sub(stage)
        assert f is not None
        stages[stage] = _stage(f, stage, sources)
    top.done()
    return Checklist(MappingProxyType(stages))


def _stage(f: Fields, stage: str, sources: dict[str, str]) -> StageList:
    raws = enumerate(_list(f, "bleeding"))
    choices = tuple(_choice(Fields(FILE, raw, f"{f.where('bleeding')}[{i}]")) for i, raw in raws)
    if "none" in {c.value for c in choices}:
        raise f.fail("bleeding", "lists the boxes of bleeding she has; none is not ticking any")
    if not f.choices("sources", sources):
        raise f.fail("sources", "must cite at least one source key")
    items = tuple(
        _item(Fields(FILE, raw, f"{f.where('items')}[{i}]"), stage, sources) for i, raw in enumerate(_list(f, "items"))
    )
    for name, keys in (("bleeding", [c.key for c in choices]), ("items", [i.key for i in items])):
        if len(set(keys)) != len(keys):
            raise f.fail(name, "uses a key twice")
    f.done()
    return StageList(choices, items)


def _list(f: Fields, key: str) -> list[Any]:
    value = f.raw(key)
    if not isinstance(value, list) or not value:
        raise f.fail(key, "must be a non-empty list")
    return value


def _choice(f: Fields) -> Choice:
    choice = Choice(key=f.text("key"), label=f.text("label"), value=f.choice("value", BLEEDING))
    f.done()
    return choice


def _item(f: Fields, stage: str, sources: dict[str, str]) -> Item:
    key, label = f.text("key"), f.text("label")
    observations = f.raw("observations")
    design = f.flag("design") if "design" in f.data else False
    if not f.choices("sources", sources) and not design:
        raise f.fail("sources", "must cite at least one source key (or be marked design: true)")
    until = f.positive("until_week", required=False)
    if until is not None and stage != "postpartum":
        raise f.fail("until_week", "only after the birth")
    _check_observations(f, stage, observations)
    f.done()
    return Item(key, label, MappingProxyType(dict(observations)), until)


def _check_observations(f: Fields, stage: str, observations: object) -> None:
    """The box's observations as the engine would read them; its own error, under this item's field."""
    if not isinstance(observations, dict) or not observations or "vaginal_bleeding" in observations:
        raise f.fail("observations", "must be a mapping of observation keys (bleeding is its own question)")
    document = {"schema": SCHEMA, "status": stage, **_STAGE_BLOCK[stage], "observations": observations}
    try:
        parse_request(document, _VOCABULARY, default_today=_TODAY)
    except InvalidRequest as exc:
        raise ContentError(FILE, f.where(exc.field), exc.message) from None
