"""Her answers after a session raise concern when pain rose past M10's thresholds or the effort was too hard."""

from __future__ import annotations

from datetime import date

from bumpwell.domain.care_board import Facts, rank
from bumpwell.domain.feedback import AfterSession, concerns

RISE, CEILING = 2, 5  # provoking_rise_points, provoking_ceiling_nrs in content/policy.yaml


def test_a_rise_of_more_than_the_policy_points_raises_concern_and_two_does_not() -> None:
    assert concerns(AfterSession(2, 5, "can_talk_not_sing"), RISE, CEILING) == ["pain rose 2 → 5"]
    assert concerns(AfterSession(2, 4, "can_talk_not_sing"), RISE, CEILING) == []


def test_pain_above_the_ceiling_after_a_session_raises_concern_even_without_a_rise() -> None:
    assert concerns(AfterSession(6, 6, None), RISE, CEILING) == ["pain 6/10 after"]


def test_too_hard_by_the_talk_test_raises_concern() -> None:
    assert concerns(AfterSession(None, None, "cannot_talk"), RISE, CEILING) == ["too hard: she could not talk"]
    assert concerns(AfterSession(1, 1, "can_sing", "felt great"), RISE, CEILING) == []


def test_her_line_on_the_board_says_what_raised_concern_after_her_last_session() -> None:
    worried = Facts("a", "Hana", last_session=AfterSession(2, 6, "cannot_talk", "Pubic bone hurt on the squats"))
    calm = Facts("b", "Ines", last_session=AfterSession(2, 3, "can_talk_not_sing"))
    lines = {r.facts.name: r.reason for r in rank([worried, calm], date(2027, 1, 11), {}, 2, (RISE, CEILING))}
    assert lines["Hana"].endswith("; after her last session: pain rose 2 → 6, too hard: she could not talk")
    assert "after her last session" not in lines["Ines"]
