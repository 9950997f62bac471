"""Pain pattern in pattern language (clinical-reference §3.2 and §20 reading 21); never a diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from bumpwell.domain.catalogue import Policy
from bumpwell.domain.request import Pain

PGP_AGGRAVATORS = frozenset({"turn_in_bed", "stairs", "single_leg", "walking", "parting_legs", "sit_to_stand"})
PGP_LOCATIONS = frozenset({"buttock_si", "pubic_groin"})


@dataclass(frozen=True, slots=True)
class PainPicture:
    """The pattern and the features that the modification rules act on."""

    pattern: str
    pelvic_girdle: bool  # pelvic girdle features present (M02, M05, E2)
    anterior: bool  # pain over the pubic bone or groin (M03)
    back_or_pelvic: bool  # lumbar, pelvic girdle or mixed pattern (E6, E7)


def classify_pain(pain: Pain, policy: Policy) -> PainPicture:
    """Sort reported pain into lumbar, pelvic girdle (posterior, anterior), mixed, none or unclear."""
    features = bool(pain.locations & PGP_LOCATIONS) or (
        len(pain.aggravators & PGP_AGGRAVATORS) >= policy.pgp_aggravators_min
    )
    lumbar = "lumbar" in pain.locations
    anterior = "pubic_groin" in pain.locations
    if not pain.present:
        pattern = "none"
    elif features and lumbar:
        pattern = "mixed"
    elif anterior:
        pattern = "pelvic_girdle_anterior"
    elif features:
        pattern = "pelvic_girdle_posterior"
    elif lumbar:
        pattern = "lumbar"
    else:
        pattern = "unclear"
    present = pattern != "none"
    return PainPicture(
        pattern=pattern,
        pelvic_girdle=present and features,
        anterior=present and anterior,
        back_or_pelvic=pattern in ("lumbar", "pelvic_girdle_posterior", "pelvic_girdle_anterior", "mixed"),
    )
