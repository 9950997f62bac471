"""Who a person is, in the identifiers a clinic checks before it acts: names, date of birth, hospital number.

Two "Hana Silva" rows on a board of a thousand people must not be confused (issue 17 §1), so every place a
clinician meets a person shows at least two identifiers: her full name and her date of birth, and her hospital or
NHS-style number when she gave one. The checks here are the mechanism; the age range is policy (DESIGN).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bumpwell.errors import InvalidRequest

NAME_MAX = 80
# A hospital or NHS-style number: letters and digits, with spaces, hyphens or slashes between (NHS: 485 777 3456).
HOSPITAL_NUMBER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 /-]{0,18}[A-Za-z0-9])?$")
# A phone number as people write it: an optional +, digits, spaces, hyphens, dots and brackets; 7 to 15 digits.
PHONE = re.compile(r"^\+?[0-9 ().-]{7,24}$")
PHONE_DIGITS = (7, 15)  # ITU-T E.164 allows at most 15 digits


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's identifiers; ``family_name`` and ``date_of_birth`` are ``None`` on accounts made before them."""

    given_name: str
    family_name: str | None = None
    date_of_birth: date | None = None
    hospital_number: str | None = None
    phone: str | None = None

    @property
    def full_name(self) -> str:
        """Given and family name, as a clinic reads them out."""
        return f"{self.given_name} {self.family_name}" if self.family_name else self.given_name

    @property
    def complete(self) -> bool:
        """True when she has given the two identifiers every clinic needs (family name and date of birth)."""
        return bool(self.family_name) and self.date_of_birth is not None


def _no_controls(value: str, field: str) -> str:
    """The value trimmed with inner spaces collapsed; control and formatting characters are refused, not dropped."""
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise InvalidRequest(field, "must not contain control characters (tabs, line breaks, invisible marks)")
    return " ".join(value.split())


def clean_name(value: str, field: str) -> str:
    """A name trimmed, inner spaces collapsed, 1 to 80 characters, without control or formatting characters."""
    cleaned = _no_controls(value, field)
    if not 1 <= len(cleaned) <= NAME_MAX:
        raise InvalidRequest(field, f"must be 1 to {NAME_MAX} characters long")
    return cleaned


def years_between(born: date, on: date) -> int:
    """Whole years of age on a day (a birthday on 29 February counts on 1 March in other years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_date_of_birth(born: date, today: date, min_age: int, max_age: int) -> date:
    """The date of birth if she is an adult within the age range the installation accepts, and not born later
    than today."""
    if born > today:
        raise InvalidRequest("date_of_birth", "must not be in the future")
    age = years_between(born, today)
    if not min_age <= age <= max_age:
        raise InvalidRequest("date_of_birth", f"gives an age of {age}; must be {min_age} to {max_age} years")
    return born


def clean_hospital_number(value: str | None) -> str | None:
    """A hospital or NHS-style number trimmed, or ``None`` when empty; letters, digits, spaces, ``-`` and ``/``."""
    cleaned = _no_controls(value or "", "hospital_number")
    if not cleaned:
        return None
    if not HOSPITAL_NUMBER.match(cleaned):
        raise InvalidRequest("hospital_number", "must be 1 to 20 letters and digits (spaces, - and / between)")
    return cleaned


def clean_phone(value: str | None) -> str | None:
    """A phone number trimmed, or ``None`` when empty; 7 to 15 digits with an optional leading +."""
    cleaned = _no_controls(value or "", "phone")
    if not cleaned:
        return None
    digits = sum(ch.isdigit() for ch in cleaned)
    if not PHONE.match(cleaned) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise InvalidRequest("phone", "must be a phone number: 7 to 15 digits, with + in front for abroad")
    return cleaned


def born_words(born: date) -> str:
    """A date of birth as a clinic writes it: 3 Mar 1994."""
    return f"{born.day} {born:%b %Y}"


def secondary(person: Identity) -> str:
    """The identifiers after her name: 'born 3 Mar 1994 · MRN 12345' (or that her date of birth is missing)."""
    parts = [f"born {born_words(person.date_of_birth)}" if person.date_of_birth else "date of birth not given yet"]
    if person.hospital_number:
        parts.append(f"MRN {person.hospital_number}")
    return " · ".join(parts)


def identifiers(person: Identity) -> str:
    """Her full name with the identifiers that tell her apart: 'Hana Silva · born 3 Mar 1994 · MRN 12345'."""
    return f"{person.full_name} · {secondary(person)}"
