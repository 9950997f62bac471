"""Which passwords an account may have (NIST SP 800-63B §5.1.1.2), with the reason for each refusal."""

from __future__ import annotations

import pytest

from bumpwell.errors import InvalidRequest
from bumpwell.services.passwords import COMMON, GUESSABLE, LENGTH, PERSONAL, check_password

ANA = ("ana.silva@example.org", "Ana Silva")


def refusal(password: str, context: tuple[str, ...] = ANA, field: str = "password") -> str:
    with pytest.raises(InvalidRequest) as caught:
        check_password(password, field, context)
    assert caught.value.field == field
    return caught.value.message


@pytest.mark.parametrize("password", ["correct horse battery", "rainy day at the lake", "banana split", "Tr0ub4dor&3x"])
def test_long_unrelated_passwords_and_passphrases_are_accepted(password: str) -> None:
    assert check_password(password, context=ANA) == password


@pytest.mark.parametrize("password", [" " * 10, " " * 200, "a" + " " * 9 + "b", "  short  ", "\t\n" * 6])
def test_ten_spaces_is_not_a_password_and_spaces_do_not_make_up_the_length(password: str) -> None:
    assert refusal(password) == LENGTH


def test_more_than_two_hundred_characters_is_refused() -> None:
    assert refusal("correct horse battery " * 10) == LENGTH


COMMON_ONES = ["password123", "Password2026!", "qwertyuiop", "1234567890", "iloveyou2026", "pass word 12", "1q2w3e4r5t"]


@pytest.mark.parametrize("password", COMMON_ONES)
def test_the_most_common_passwords_are_refused_with_capitals_spaces_years_and_marks(password: str) -> None:
    assert refusal(password) == COMMON


@pytest.mark.parametrize(
    "password", ["ana.silva@example.org", "AnaSilva1990!", "silva ana silva 99", "anaanaana2026", "ANA-SILVA-ana"]
)
def test_a_password_made_of_her_email_address_or_name_is_refused(password: str) -> None:
    assert refusal(password) == PERSONAL


def test_her_name_inside_a_longer_phrase_is_allowed() -> None:
    assert check_password("Ana walks by the river daily", context=ANA)


@pytest.mark.parametrize(
    ("password", "why"),
    [("aaaaaaaaaa", 'repeats like "aaa"'), ("abcdefghijkl", 'sequences like "abc"'), ("abcabcabcabc", "repeats like")],
)
def test_repeats_and_sequences_are_refused_saying_why(password: str, why: str) -> None:
    assert refusal(password).startswith(f"{GUESSABLE} ({why}")


def test_the_error_names_the_field_it_was_asked_for() -> None:
    assert refusal("password123", field="new_password") == COMMON
