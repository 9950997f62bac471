"""Invariant 6 (engine-contract.md) from both ends: the loader refuses any card that leaves a stretch, squat,
kneeling balance exercise or forward bend without supervision 'required', and the planner puts every planned item
of those kinds in a session with someone there, proved over generated cards and requests."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bumpwell.bootstrap import catalogue as shipped_catalogue
from bumpwell.catalogue import default_content_dir, load_catalogue
from bumpwell.domain.values import SUPERVISED_TAGS, SUPERVISION
from bumpwell.errors import ContentError
from tests.conftest import run
from tests.properties.strategies import requests
from tests.properties.test_invariants import SETTINGS, items

CARDS = sorted(shipped_catalogue().exercises)
TAG_LINE = re.compile(r"^tags: \[(.*)\]$", re.MULTILINE)
SUPERVISION_LINE = re.compile(r"^supervision: \w+$", re.MULTILINE)


def rewritten(text: str, added: set[str], supervision: str) -> tuple[str, frozenset[str]]:
    """The card's text with tags added and its supervision level replaced, and the tags it then carries."""
    found = TAG_LINE.search(text)
    assert found is not None
    tags = [t.strip() for t in found.group(1).split(",")]
    tags += sorted(added - set(tags))
    text = TAG_LINE.sub(f"tags: [{', '.join(tags)}]", text, count=1)
    return SUPERVISION_LINE.sub(f"supervision: {supervision}", text, count=1), frozenset(tags)


@settings(max_examples=30, deadline=None)
@given(
    card=st.sampled_from(CARDS),
    added=st.sets(st.sampled_from(sorted(SUPERVISED_TAGS))),
    supervision=st.sampled_from(sorted(SUPERVISION)),
)
def test_the_loader_refuses_exactly_the_cards_that_need_someone_and_do_not_say_so(
    card: str, added: set[str], supervision: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(default_content_dir(), content)
        path = content / "exercises" / f"{card}.yaml"
        text, tags = rewritten(path.read_text(encoding="utf-8"), added, supervision)
        path.write_text(text, encoding="utf-8")
        if tags & SUPERVISED_TAGS and supervision != "required":
            with pytest.raises(ContentError) as refused:
                load_catalogue(content)
            assert f"exercises/{card}.yaml: supervision:" in str(refused.value)
            assert "invariant 6" in str(refused.value)
        else:
            assert load_catalogue(content).exercises[card].supervision == supervision


@SETTINGS
@given(requests())
def test_every_planned_stretch_squat_kneeling_balance_and_forward_bend_has_someone_there(req: dict[str, Any]) -> None:
    for session, item in items(run(req)):
        if SUPERVISED_TAGS & set(item["tags"]):
            assert session["supervision"] == "required", item["exercise"]
