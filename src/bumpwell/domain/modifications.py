"""Modification rules M01-M13, evaluated only while exercise is allowed (clinical-reference §17.5, §20)."""

from __future__ import annotations

from bumpwell.domain.catalogue import Policy
from bumpwell.domain.pain import PainPicture
from bumpwell.domain.request import Request
from bumpwell.domain.rules import Finding

ALWAYS_ON = frozenset({"M04", "M07", "M08", "M09", "M11"})
"""Rules that alone keep exercise at "yes" (§17.2 step 6); every other M rule makes it "yes_modified"."""


def modify(req: Request, picture: PainPicture, policy: Policy) -> list[Finding]:
    """Every modification rule that applies to this person today, in id order."""
    pregnant_days = req.gestation.total_days if req.gestation else -1
    late = pregnant_days >= policy.supine_limit_days
    o = req.observations
    provoking = req.programme.provoking if req.programme else ()
    checks = (
        ("M01", late or o.supine_symptoms),
        ("M02", picture.pelvic_girdle),
        ("M03", picture.anterior),
        ("M04", picture.pattern == "lumbar"),
        ("M05", late or picture.pelvic_girdle),
        ("M06", o.doming_seen),
        ("M07", True),
        ("M08", True),
        ("M09", True),
        ("M10", bool(provoking)),
        ("M11", True),
        ("M12", o.contractions.during_exercise),
        ("M13", req.postpartum is not None),
    )
    return [Finding(rule) for rule, fires in checks if fires]


def active_conditions(req: Request, policy: Policy, red_flags: frozenset[str]) -> frozenset[str]:
    """The named conditions under which rules' conditional exclusions apply."""
    out = set()
    if req.activity_history != "vigorous":
        out.add("not_vigorous")
    if req.observations.hypermobility:
        out.add("hypermobility")
    if req.postpartum is not None:
        days = req.postpartum.total_days
        if days < policy.postpartum_running_from_days or "RF-C08" in red_flags:
            out.add("before_running")
        if days < policy.postpartum_vigorous_from_days:
            out.add("before_vigorous")
        if req.postpartum.delivery == "caesarean":
            out.add("after_caesarean")
    return frozenset(out)
