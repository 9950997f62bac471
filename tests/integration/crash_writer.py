"""The writer that the crash test kills: diary entries through the services, one commit each, until SIGKILL.

Usage: ``python crash_writer.py DATABASE_URL PERSON_ID ROUND``. Runs without pytest. Every line goes out flushed:

- ``ready`` once the database is open and the person's account has been read;
- ``try N DAY PAIN`` before write ``N`` starts;
- ``ok N ID DAY PAIN NEW`` only after the commit of write ``N`` has returned: the acknowledgement.

Most writes add the entry for a new day; every fifth one replaces an earlier entry of the same round, so that
updates are acknowledged too. Days are ``FIRST_DAY + ROUND * DAYS_PER_ROUND + k``, so no two rounds share a day,
and all lie before ``TODAY``. A writer that runs out of days exits with status 3: the test wanted it killed.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta

from bumpwell.bootstrap import wire
from bumpwell.config import Settings
from bumpwell.services.common import Call
from bumpwell.services.diary import write_entry
from bumpwell.services.records import UserRecord

FIRST_DAY = date(1900, 1, 2)  # the first day bumpwell takes (domain.input_rules)
TODAY = date(2100, 1, 1)
DAYS_PER_ROUND = 3000  # 20 rounds end in 2064, before TODAY and the latest day bumpwell takes
UPDATE_EVERY = 5


def settings(url: str) -> Settings:
    """The test settings: cheap argon2 parameters, otherwise the defaults (as in ``tests/api/conftest.py``)."""
    return Settings(database_url=url, argon2_memory_kib=64, argon2_time_cost=1)


def day_of(round_no: int, k: int) -> date:
    """The ``k``-th new day of a round."""
    return FIRST_DAY + timedelta(days=round_no * DAYS_PER_ROUND + k)


def note_of(round_no: int, n: int) -> str:
    """The note that write ``n`` of a round leaves."""
    return f"round {round_no} write {n}"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(url: str, person_id: str, round_no: int) -> int:
    wiring = wire(settings(url))
    with wiring.stores() as store:
        user = store.get(UserRecord, person_id)
    if user is None:
        print(f"no account {person_id}", file=sys.stderr)
        return 2
    say("ready")
    new_days = 0
    n = 0
    while new_days < DAYS_PER_ROUND:
        if n % UPDATE_EVERY == UPDATE_EVERY - 1 and new_days >= 3:
            day = day_of(round_no, new_days - 3)
        else:
            day = day_of(round_no, new_days)
            new_days += 1
        pain = (round_no * 7 + n) % 11
        say(f"try {n} {day.isoformat()} {pain}")
        call = Call(user, datetime.now(UTC))
        with wiring.stores() as store:
            entry, is_new = write_entry(store, call, person_id, day, pain, note_of(round_no, n), TODAY)
            store.commit()
        say(f"ok {n} {entry.id} {entry.day.isoformat()} {entry.pain} {int(is_new)}")
        n += 1
    wiring.engine.dispose()
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
