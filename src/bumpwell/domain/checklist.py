"""The warning-sign checklist asked before every session, for her stage, and its reading as observations.

The items, their words and the observations each one stands for are content (``content/checklist.yaml``): the
reading of a ticked box is clinical interpretation. This module holds only the mechanism: which items apply on a
day, and how the ticked ones become the contract's ``observations``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bumpwell.domain.request import BLEEDING

STAGES = ("pregnant", "postpartum")


@dataclass(frozen=True, slots=True)
class Choice:
    """A box about bleeding, and the contract value it stands for (the heaviest ticked counts)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Item:
    """A box she may tick; ``observations`` is what a ticked box tells the engine."""

    key: str
    label: str
    observations: Mapping[str, Any]
    until_week: int | None = None  # after the birth: asked up to this whole week since the birth, then dropped


@dataclass(frozen=True, slots=True)
class StageList:
    """The bleeding boxes and the other boxes for one stage."""

    bleeding: tuple[Choice, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Checklist:
    """The checklist for every stage (content validation guarantees both stages)."""

    stages: Mapping[str, StageList]

    def for_stage(self, status: str, weeks_after_birth: int | None = None) -> StageList:
        """The list asked on a day: after the birth, items past their week are left out."""
        found = self.stages[status]
        if weeks_after_birth is None:
            return found
        items = tuple(i for i in found.items if i.until_week is None or weeks_after_birth <= i.until_week)
        return StageList(found.bleeding, items)


def observations(
    asked: StageList, bleeding: Collection[str], ticked: Collection[str], per_hour: int
) -> dict[str, Any] | None:
    """The ticked boxes as ``observations``; ``None`` when a bleeding box is not one of those asked.

    A ticked box always counts; of the bleeding boxes the heaviest does, none ticked is none. Tightenings carry
    ``per_hour``: the policy's threshold for the labour rules.
    """
    values = {c.key: c.value for c in asked.bleeding}
    if not set(bleeding) <= set(values):
        return None
    chosen = [values[key] for key in bleeding]
    out: dict[str, Any] = {"vaginal_bleeding": max(chosen, key=BLEEDING.index, default="none")}
    for item in asked.items:
        if item.key in ticked:
            out.update({key: dict(v) if isinstance(v, Mapping) else v for key, v in item.observations.items()})
    if isinstance(out.get("contractions"), dict):
        out["contractions"] = {**out["contractions"], "per_hour": per_hour}
    return out
