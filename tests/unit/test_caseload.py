"""Finding one person among a thousand: what a search means, and which stage filter someone falls in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bumpwell.domain.caseload import Stage, matches, parse_search, stage_of
from bumpwell.domain.catalogue import Catalogue, Policy

TODAY = date(2027, 1, 11)
BORN = date(1994, 3, 3)


@pytest.fixture
def policy(catalogue: Catalogue) -> Policy:
    return catalogue.policy


def found(typed: str, given: str = "Hana", family: str | None = "Silva", number: str | None = "RX4-471") -> bool:
    return matches(parse_search(typed), given, family, number, BORN)


def test_a_name_is_found_by_the_start_of_her_given_or_family_name_in_any_case() -> None:
    assert found("han")
    assert found("SIL")
    assert found("  hana  ")
    assert not found("ana"), "a prefix, not anywhere in the name"


def test_two_words_look_for_given_then_family_name() -> None:
    assert found("hana sil")
    assert found("Hana Silva")
    assert not found("hana costa")


def test_a_hospital_number_is_found_by_its_start_without_spaces_or_hyphens() -> None:
    assert found("rx4")
    assert found("RX4 471")
    assert found("rx4471")
    assert not found("471")


def test_a_date_of_birth_is_found_written_iso_or_day_first() -> None:
    assert found("1994-03-03")
    assert found("03/03/1994")
    assert found("3.3.1994")
    assert not found("1994-03-04")
    assert parse_search("2027-02-30").date_of_birth is None, "not a real day: read as text"


def test_an_empty_search_finds_everyone_and_an_account_without_a_family_name_is_still_found() -> None:
    assert found("")
    assert found("han", family=None, number=None)
    assert not found("sil", family=None, number=None)


def test_a_pregnancy_falls_in_its_trimester_by_the_policy_days(policy: Policy) -> None:
    def on(days: int) -> Stage | None:
        return stage_of("pregnant", TODAY + timedelta(days=280 - days), None, TODAY, policy)

    assert on(97) is Stage.trimester_1
    assert on(policy.trimester_2_from_days) is Stage.trimester_2
    assert on(policy.trimester_3_from_days - 1) is Stage.trimester_2
    assert on(policy.trimester_3_from_days) is Stage.trimester_3


def test_after_the_birth_the_bands_are_the_six_week_check_and_twelve_weeks(policy: Policy) -> None:
    def after(days: int) -> Stage | None:
        return stage_of("postpartum", None, TODAY - timedelta(days=days), TODAY, policy)

    assert after(0) is Stage.postpartum_early
    assert after(41) is Stage.postpartum_early
    assert after(42) is Stage.postpartum_6_12
    assert after(83) is Stage.postpartum_6_12
    assert after(84) is Stage.postpartum_later
    assert stage_of(None, None, None, TODAY, policy) is None
