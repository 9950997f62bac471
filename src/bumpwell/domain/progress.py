"""Escalation rules E1-E7: is the programme helping, and who should look at it (clinical-reference §17.6)."""

from __future__ import annotations

from bumpwell.domain.catalogue import Policy
from bumpwell.domain.pain import PainPicture
from bumpwell.domain.request import Programme, Request
from bumpwell.domain.rules import Finding

HOLDS_PROGRESSION = frozenset({"E2", "E4", "E5", "E7"})
"""Rules after which this week keeps last week's amount instead of building up."""


def improved(programme: Programme, policy: Policy) -> bool:
    """A clinically important improvement: NRS down 2 points or 30 %, or PGQ down 25 (E1)."""
    base, now = programme.baseline_nrs, programme.current_nrs
    if base is not None and now is not None:
        drop = base - now
        if drop >= policy.improvement_nrs_points or (base > 0 and drop / base >= policy.improvement_fraction):
            return True
    pgq_base, pgq_now = programme.baseline_pgq, programme.current_pgq
    return pgq_base is not None and pgq_now is not None and pgq_base - pgq_now >= policy.improvement_pgq_points


def escalate(req: Request, picture: PainPicture, policy: Policy) -> list[Finding]:
    """Every escalation rule that fires for the running programme and, after birth, lasting pain."""
    out = []
    programme = req.programme
    if programme is not None:
        better = improved(programme, policy)
        adherence = programme.completed_sessions / programme.planned_sessions if programme.planned_sessions else None
        checks = (
            ("E1", better),
            ("E2", picture.pelvic_girdle and programme.days >= policy.pgp_review_days and not better),
            (
                "E3",
                adherence is not None
                and adherence >= policy.adherence_min
                and programme.days >= policy.adherence_review_days
                and not better,
            ),
            ("E4", programme.days_worse_by_2 >= policy.worse_days),
            ("E5", adherence is not None and adherence < policy.adherence_min),
        )
        out += [Finding(rule) for rule, fires in checks if fires]
    if req.postpartum is not None and picture.back_or_pelvic:
        weeks_since = req.postpartum.total_days / 7
        lasting = req.pain.duration_weeks
        if weeks_since > policy.postpartum_persistence_weeks and lasting > policy.postpartum_persistence_weeks:
            out.append(Finding("E6"))
        if weeks_since >= policy.postpartum_longterm_weeks and lasting >= policy.postpartum_longterm_weeks:
            out.append(Finding("E7"))
    return out
