"""Finding people on a clinician's board: what a search means, which stage someone is at, and the orders offered.

One search box finds a person by name (given or family, a prefix, any case), by hospital number, or by date of
birth; filters narrow the board to a level of need or a stage (a trimester, or a band of weeks after the birth);
the board is sorted by need (the default), by name or by date of birth. The stage bands come from policy: the
trimesters from ``trimester_2_from_days``/``trimester_3_from_days``, the bands after birth from the 6-week check
(``postpartum_structured_from_days``) and 12 weeks (``postpartum_running_from_days``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bumpwell.domain.care_board import Row
from bumpwell.domain.catalogue import Policy

SEARCH_MAX = 80
PREGNANCY_DAYS = 280  # a due date is 40+0 weeks of gestation
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")  # how clinics write a date of birth


class Stage(StrEnum):
    """The stage filters of the board."""

    trimester_1 = "trimester_1"
    trimester_2 = "trimester_2"
    trimester_3 = "trimester_3"
    postpartum_early = "postpartum_early"  # before the 6-week check
    postpartum_6_12 = "postpartum_6_12"  # from the 6-week check to 12 weeks
    postpartum_later = "postpartum_later"  # 12 weeks after the birth or more


class Sort(StrEnum):
    """The orders of the board."""

    need = "need"  # most pressing first (the default)
    name = "name"  # family name, then given name
    born = "born"  # date of birth, oldest first


@dataclass(frozen=True, slots=True)
class Search:
    """What a typed search looks for: a date of birth when it reads as a date, otherwise a name or number prefix."""

    text: str  # lower case, spaces collapsed; "" for no search
    date_of_birth: date | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The words of the search (two words look for a given name and a family name)."""
        return tuple(self.text.split())

    @property
    def number(self) -> str:
        """The search as a hospital number prefix: without spaces, ``-`` or ``/``."""
        return re.sub(r"[\s/-]", "", self.text)


def parse_search(typed: str) -> Search:
    """A search box's text, read as a date of birth (YYYY-MM-DD or DD/MM/YYYY) or as a name or number."""
    text = " ".join(typed.split())[:SEARCH_MAX].lower()
    for pattern in DATE_FORMATS:
        try:
            return Search(text, datetime.strptime(text, pattern).date())
        except ValueError:
            continue
    return Search(text)


def matches(search: Search, given: str, family: str | None, number: str | None, born: date | None) -> bool:
    """Whether a person matches a search: a name starting with it (or given and family name starting with its two
    words), a hospital number starting with it (spaces, - and / ignored), or the date of birth it gives."""
    if not search.text:
        return True
    if search.date_of_birth is not None:
        return born == search.date_of_birth
    names = [given.lower(), (family or "").lower()]
    if any(name.startswith(search.text) for name in names):
        return True
    words = search.words
    if len(words) == 2 and names[0].startswith(words[0]) and names[1].startswith(words[1]):
        return True
    plain = re.sub(r"[\s/-]", "", (number or "").lower())
    return bool(search.number) and plain.startswith(search.number)


def stage_of(status: str | None, due: date | None, birth: date | None, today: date, policy: Policy) -> Stage | None:
    """The stage filter someone falls in today, or ``None`` before she has told her stage."""
    if status == "pregnant" and due is not None:
        days = PREGNANCY_DAYS - (due - today).days
        if days >= policy.trimester_3_from_days:
            return Stage.trimester_3
        return Stage.trimester_2 if days >= policy.trimester_2_from_days else Stage.trimester_1
    if status == "postpartum" and birth is not None:
        days = (today - birth).days
        if days >= policy.postpartum_running_from_days:
            return Stage.postpartum_later
        return Stage.postpartum_6_12 if days >= policy.postpartum_structured_from_days else Stage.postpartum_early
    return None


def ordered(rows: list[Row], sort: Sort) -> list[Row]:
    """The rows in the order asked for (``rows`` come most pressing first, the order ``Sort.need`` keeps)."""
    if sort is Sort.name:
        return sorted(rows, key=lambda r: ((r.facts.family_name or "").lower(), r.facts.name.lower()))
    if sort is Sort.born:
        return sorted(rows, key=lambda r: (r.facts.date_of_birth is None, r.facts.date_of_birth or date.min))
    return rows
