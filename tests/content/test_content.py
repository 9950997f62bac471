"""Content validation: the shipped content passes, and every broken file in the gallery gives its error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bumpwell.catalogue import default_content_dir, load_catalogue
from bumpwell.domain.assessment import assess
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import ContentError
from tests.conftest import TODAY, base_request

GALLERY = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in GALLERY.iterdir() if p.is_dir())


def test_shipped_content_is_valid_and_complete(catalogue: Catalogue) -> None:
    assert len(catalogue.exercises) >= 30
    assert set(catalogue.activities) == {
        "hot_yoga", "scuba_diving", "skydiving", "contact_sports", "high_fall_risk_sports",
        "exercise_at_altitude_unacclimatised", "exercise_in_heat", "running", "high_impact",
        "breaststroke_kick", "vigorous_intensity",
    }  # fmt: skip


def overlay(case: str, target: Path) -> None:
    """Copy the shipped content to ``target``, then apply the broken case: files laid over it, a patch, deletions."""
    shutil.copytree(default_content_dir(), target)
    source = GALLERY / case
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_file() and path.name not in ("expected-error.txt", "delete.txt", "patch.yaml"):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / relative)
    patch = source / "patch.yaml"
    if patch.exists():  # small changes to shipped files: {file, replace, with}, or a list of them
        changes = yaml.safe_load(patch.read_text(encoding="utf-8"))
        for change in changes if isinstance(changes, list) else [changes]:
            target_file = target / change["file"]
            text = target_file.read_text(encoding="utf-8")
            assert change["replace"] in text, f"{case}: the patch no longer applies to {change['file']}"
            target_file.write_text(text.replace(change["replace"], change["with"], 1), encoding="utf-8")
    deletions = source / "delete.txt"
    if deletions.exists():
        for pattern in deletions.read_text(encoding="utf-8").split():
            for path in target.glob(pattern):
                path.unlink()


def test_the_gallery_is_not_empty() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_broken_content_is_refused_naming_file_and_field(case: str, tmp_path: Path) -> None:
    expected = (GALLERY / case / "expected-error.txt").read_text(encoding="utf-8").strip()
    overlay(case, tmp_path / "content")
    with pytest.raises(ContentError) as refused:
        load_catalogue(tmp_path / "content")
    assert expected in str(refused.value)


def test_the_gallery_overlay_alone_is_valid(tmp_path: Path) -> None:
    """The overlay mechanism itself changes nothing: a copy of the shipped content loads."""
    shutil.copytree(default_content_dir(), tmp_path / "content")
    assert load_catalogue(tmp_path / "content").exercises.keys() == load_catalogue().exercises.keys()


def test_a_card_that_says_not_in_pregnancy_lists_no_stage_of_pregnancy(catalogue: Catalogue) -> None:
    """Invariant 12 (§20 reading 33): the card's words and its stages agree, so the planner can trust the stages."""
    for ex in catalogue.exercises.values():
        words = " ".join([ex.purpose, *ex.steps, *ex.cues]).lower()
        if "not recommended in pregnancy" in words or "not for pregnancy" in words:
            assert not {s for s in ex.stages if s.startswith("trimester")}, ex.id


def test_every_stretch_needs_someone_with_you(catalogue: Catalogue) -> None:
    """Invariant 6: every exercise tagged stretch, seated ones included, has supervision 'required'."""
    stretches = [ex for ex in catalogue.exercises.values() if "stretch" in ex.tags]
    assert {"neck-stretch", "yoga-seated-side-stretch", "hamstring-stretch-seated"} <= {ex.id for ex in stretches}
    assert [ex.id for ex in stretches if ex.supervision != "required"] == []


def test_every_stretch_squat_kneeling_balance_exercise_and_forward_bend_needs_someone_there(
    catalogue: Catalogue,
) -> None:
    """Invariant 6: the article's 'especially bending, squatting and stretching', sit-to-stand included."""
    squats = {"sit-to-stand", "wall-squat", "wall-squat-shallow", "sumo-squat"}
    on_hands_and_knees = {"bird-dog", "bird-dog-arm-only", "bird-dog-leg-slide", "cat-cow", "pelvic-tilt-four-point"}
    bends = {"childs-pose-knees-close", "childs-pose-wide-knees", "hamstring-stretch-seated"}
    for ids, tag in ((squats, "squat"), (on_hands_and_knees, "kneeling_balance"), (bends, "forward_bend")):
        assert {e.id for e in catalogue.exercises.values() if tag in e.tags} == ids
    for ex in catalogue.exercises.values():
        if ex.tags & {"stretch", "squat", "kneeling_balance", "forward_bend"}:
            assert ex.supervision == "required", ex.id


def test_after_the_birth_the_checklist_asks_nothing_only_pregnancy_has(catalogue: Catalogue) -> None:
    """§15: no placenta, cervix, tightenings of the bump or baby's movements after the birth; its own signs instead."""
    pregnant = catalogue.checklist.for_stage("pregnant").items
    after = catalogue.checklist.for_stage("postpartum", 2).items
    pregnancy_only = {"fluid_leak", "contractions", "fetal_movements", "blow_to_abdomen", "uterus_hard_tender"}
    assert not {key for item in after for key in item.observations} & pregnancy_only
    assert {key for item in pregnant for key in item.observations} & pregnancy_only == pregnancy_only - {
        "uterus_hard_tender"
    }
    read = {key for item in after for key in item.observations}
    assert {"vaginal_heaviness_or_bulge", "urinary_leakage", "calf_pain_one_side", "swelling"} <= read
    assert "heavy" in {c.value for c in catalogue.checklist.for_stage("postpartum").bleeding}


def test_the_signs_of_pre_eclampsia_after_the_birth_are_asked_for_the_weeks_the_policy_watches(
    catalogue: Catalogue,
) -> None:
    window = catalogue.policy.preeclampsia_postpartum_weeks
    for key in ("swelling", "ribs"):
        assert key in {i.key for i in catalogue.checklist.for_stage("postpartum", window).items}
        assert key not in {i.key for i in catalogue.checklist.for_stage("postpartum", window + 1).items}


def test_a_plan_without_alternates_loads_and_keeps_the_same_strength_work_every_day(tmp_path: Path) -> None:
    """plan.yaml's alternates are optional: without them every strength day plans the template's first choices."""
    shutil.copytree(default_content_dir(), tmp_path / "content")
    plan = tmp_path / "content" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text[: text.index("\nalternates:")] + "\n", encoding="utf-8")
    catalogue = load_catalogue(tmp_path / "content")
    assert dict(catalogue.template.alternates) == {}
    days = {"days_per_week": 3, "minutes_per_day": 30, "pool_access": False, "supervisor_available": True}
    week = assess(base_request(preferences=days), catalogue, TODAY)["plan"]["sessions"]
    tilts = {i["exercise"] for s in week for i in s["items"] if i["exercise"].startswith("pelvic-tilt")}
    assert tilts == {"pelvic-tilt-semi-reclined"}
