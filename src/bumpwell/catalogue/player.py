"""The session player's spoken words (content/player.yaml), validated strictly."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from bumpwell.catalogue.fields import Fields
from bumpwell.catalogue.yamlfile import read_yaml
from bumpwell.domain.catalogue import PlayerWords

FILE = "player.yaml"
HOLDS = ("hold", "squeeze")  # the words said while holding: each must say to keep breathing (M07, §20.31)
COUNTED = ("count", "quick_squeeze")  # words that count reps must say which rep of how many


def load_player_words(base: Path, sources: dict[str, str]) -> PlayerWords:
    """Every word the player says, each key required and no other; a hold that does not say to breathe is refused."""
    top = Fields(FILE, read_yaml(base / FILE, FILE))
    say = top.sub("say")
    assert say is not None  # required sub-mapping
    words = PlayerWords(**{field.name: say.text(field.name) for field in fields(PlayerWords)})
    say.done()
    for key in HOLDS:
        if "breath" not in getattr(words, key).lower():
            raise say.fail(key, "a hold must say to keep breathing (rule M07, clinical-reference §20 reading 31)")
    for key in COUNTED:
        if "{rep}" not in getattr(words, key) or "{reps}" not in getattr(words, key):
            raise say.fail(key, "must say which rep of how many: {rep} and {reps}")
    if not top.choices("sources", sources):
        raise top.fail("sources", "must cite at least one source key")
    top.done()
    return words
