"""A person's identifiers: names without control characters, an adult's date of birth, phone and hospital numbers."""

from __future__ import annotations

from datetime import date

import pytest

from bumpwell.domain.identity import (
    Identity,
    check_date_of_birth,
    clean_hospital_number,
    clean_name,
    clean_phone,
    identifiers,
    years_between,
)
from bumpwell.errors import InvalidRequest

TODAY = date(2027, 1, 11)


def test_a_name_is_trimmed_and_its_inner_spaces_collapsed() -> None:
    assert clean_name("  Maria   da  Silva ", "family_name") == "Maria da Silva"


@pytest.mark.parametrize("name", ["Ana\nSilva", "Ana\tSilva", "Ana\u200bSilva", "Ana\x00", "\u202eanA"])
def test_a_name_with_a_control_or_invisible_character_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        clean_name(name, "family_name")
    assert refused.value.field == "family_name"
    assert "control characters" in refused.value.message


def test_an_empty_or_overlong_name_is_refused() -> None:
    for name in ("   ", "x" * 81):
        with pytest.raises(InvalidRequest, match="1 to 80 characters"):
            clean_name(name, "given_name")


def test_names_in_any_script_are_accepted() -> None:
    assert clean_name("Zoë O'Brien-Nguyễn", "family_name") == "Zoë O'Brien-Nguyễn"
    assert clean_name("ハナ", "given_name") == "ハナ"


def test_age_counts_whole_years_and_a_leap_day_birthday_comes_on_the_first_of_march() -> None:
    assert years_between(date(2009, 1, 12), TODAY) == 17
    assert years_between(date(2009, 1, 11), TODAY) == 18
    assert years_between(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert years_between(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="must not be in the future") as refused:
        check_date_of_birth(date(2027, 1, 12), TODAY, 18, 65)
    assert refused.value.field == "date_of_birth"


def test_a_date_of_birth_must_give_an_adult_within_the_range() -> None:
    assert check_date_of_birth(date(2009, 1, 11), TODAY, 18, 65) == date(2009, 1, 11)
    with pytest.raises(InvalidRequest, match="gives an age of 17; must be 18 to 65 years"):
        check_date_of_birth(date(2009, 1, 12), TODAY, 18, 65)
    with pytest.raises(InvalidRequest, match="gives an age of 132"):
        check_date_of_birth(date(1894, 3, 3), TODAY, 18, 65)


def test_a_phone_number_is_digits_with_an_optional_plus_and_separators() -> None:
    assert clean_phone(" +44 20 7946 0958 ") == "+44 20 7946 0958"
    assert clean_phone("(020) 7946-0958") == "(020) 7946-0958"
    assert clean_phone("") is None
    for wrong in ("call me", "12345", "+44 20 7946 0958 123 4", "0800 ABC"):
        with pytest.raises(InvalidRequest) as refused:
            clean_phone(wrong)
        assert refused.value.field == "phone"


def test_a_hospital_number_is_letters_and_digits_with_spaces_or_hyphens_between() -> None:
    assert clean_hospital_number("485 777 3456") == "485 777 3456"
    assert clean_hospital_number("RX1-0042") == "RX1-0042"
    assert clean_hospital_number("  ") is None
    for wrong in ("12;DROP", "-123", "x" * 21, "12\n34"):
        with pytest.raises(InvalidRequest) as refused:
            clean_hospital_number(wrong)
        assert refused.value.field == "hospital_number"


def test_her_identifiers_read_name_date_of_birth_and_hospital_number() -> None:
    hana = Identity("Hana", "Silva", date(1994, 3, 3), "12345")
    assert identifiers(hana) == "Hana Silva · born 3 Mar 1994 · MRN 12345"
    assert identifiers(Identity("Hana", "Silva", date(1990, 11, 21))) == "Hana Silva · born 21 Nov 1990"


def test_an_account_from_before_the_identifiers_says_what_is_missing() -> None:
    old = Identity("Hana")
    assert not old.complete
    assert identifiers(old) == "Hana · date of birth not given yet"
