"""The warning-sign checklist's ticked boxes read as the engine's observations."""

from __future__ import annotations

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.checklist import observations


def test_ticked_tightenings_carry_the_policys_rate_for_the_labour_rules(catalogue: Catalogue) -> None:
    asked = catalogue.checklist.for_stage("pregnant")
    per_hour = catalogue.policy.contractions_per_hour
    read = observations(asked, bleeding=[], ticked=["contractions"], per_hour=per_hour)
    assert read is not None
    assert read["contractions"] == {"regular": True, "painful": True, "per_hour": per_hour}
    assert read["vaginal_bleeding"] == "none"
    assert asked.items[1].observations["contractions"] == {"regular": True, "painful": True}  # content untouched


def test_a_box_without_tightenings_adds_no_rate(catalogue: Catalogue) -> None:
    asked = catalogue.checklist.for_stage("pregnant")
    read = observations(asked, bleeding=["light"], ticked=["headache"], per_hour=4)
    assert read == {"vaginal_bleeding": "light", "headache": "severe"}


def test_a_bleeding_box_that_was_not_asked_reads_as_nothing(catalogue: Catalogue) -> None:
    asked = catalogue.checklist.for_stage("pregnant")
    assert observations(asked, bleeding=["gushing"], ticked=[], per_hour=4) is None
