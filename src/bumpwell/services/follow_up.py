"""A warning sign is followed up: exercise stays off after a red flag until it is (issue 15 point 8).

After a finding at the policy's ``follow_up_from`` level or above, every check asks whether she was seen and what
she was told; exercise stays off until she records that a named professional said she may exercise, or a
clinician on her team closes the flag. The API's check-in, the pages and ``bumpwell session`` all go through here.
"""

from __future__ import annotations

from typing import Any

from bumpwell.domain import input_rules
from bumpwell.domain.catalogue import Catalogue, Policy
from bumpwell.domain.check_gate import TOLD, Finding, followed_up, holding
from bumpwell.errors import InvalidRequest
from bumpwell.services.ports import Store
from bumpwell.services.records import CheckInRecord, RedFlagRecord

KEYS = ("seen", "seen_by", "told")
SEEN_BY_MAX = 120


def clean(answer: object) -> dict[str, Any] | None:
    """Her follow-up answer, checked: a 422 naming the field for anything else."""
    if answer is None:
        return None
    if not isinstance(answer, dict):
        raise InvalidRequest("follow_up", "must be an object with seen, seen_by and told")
    unknown = sorted(set(answer) - set(KEYS))
    if unknown:
        raise InvalidRequest(f"follow_up.{unknown[0]}", f"unknown field; a follow-up takes {', '.join(KEYS)}")
    if not isinstance(answer.get("seen"), bool):
        raise InvalidRequest("follow_up.seen", "say whether you have been seen: true or false")
    seen_by = str(answer.get("seen_by") or "").strip()
    problem = input_rules.text_problem(seen_by)
    if problem is not None or len(seen_by) > SEEN_BY_MAX:
        raise InvalidRequest("follow_up.seen_by", problem or f"at most {SEEN_BY_MAX} characters")
    told = answer.get("told")
    if told is not None and told not in TOLD:
        raise InvalidRequest("follow_up.told", f"must be one of {', '.join(TOLD)}")
    if told == "may_exercise" and not (answer["seen"] and seen_by):
        raise InvalidRequest(
            "follow_up.seen_by", "say who saw you and said you may exercise: their role and name, like midwife Ana"
        )
    return {"seen": answer["seen"], "seen_by": seen_by or None, "told": told}


def open_finding(store: Store, policy: Policy, person_id: str) -> RedFlagRecord | None:
    """The red flag that keeps exercise off now, or ``None`` when every one was followed up."""
    flags = store.find(RedFlagRecord, {"person_id": person_id}, order_by="raised_at")
    if not flags:
        return None
    since = flags[0].raised_at
    checks = store.find(CheckInRecord, {"person_id": person_id}, order_by="created_at")
    cleared = [c.created_at for c in checks if c.created_at >= since and followed_up(c.follow_up)]
    findings = [Finding(f.id, f.triage, f.raised_at, f.closed_at is not None) for f in flags]
    found = holding(findings, cleared, policy.follow_up_from)
    return next(f for f in flags if f.id == found.flag_id) if found is not None else None


def reason(catalogue: Catalogue, flag: RedFlagRecord) -> str:
    """Why exercise is off, in her words (content/messages.yaml ``follow_up_needed``)."""
    day = f"{flag.raised_at.day} {flag.raised_at:%B}"
    return catalogue.messages["follow_up_needed"].text.replace("{day}", day)


def held_reason(store: Store, catalogue: Catalogue, check: CheckInRecord) -> str | None:
    """Why this check kept exercise off, or ``None`` when it held nothing."""
    flag = store.get(RedFlagRecord, check.held_by) if check.held_by else None
    return reason(catalogue, flag) if flag is not None else None
