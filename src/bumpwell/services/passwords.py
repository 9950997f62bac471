"""Which passwords an account may have: long enough, not one of the most common, not made of her e-mail or name.

NIST SP 800-63B §5.1.1.2: ask for length, no composition rules, and refuse passwords found in lists of commonly
used or compromised values and those made of context words such as the user name. The common list is the one the
zxcvbn package ships (30,000 most used passwords, from leaked password sets); zxcvbn's own estimate then refuses
repeats, sequences and keyboard walks ("aaaaaaaaaa", "abcdefghij", "qwertyuiop12").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from bumpwell.errors import InvalidRequest

PASSWORD_MIN, PASSWORD_MAX = 10, 200
ESTIMATE_CHARS = 72  # zxcvbn refuses longer input; a longer password's first 72 characters are judged
MIN_SCORE = 2  # zxcvbn's score 2: about a million guesses or more (0 and 1 are "too guessable")
MIN_LEFT = 4  # letters that must remain once her e-mail and name are taken out
LENGTH = (
    f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long (spaces at the ends and repeated spaces do not count)"
)
COMMON = (
    "is one of the most common passwords, which are tried first; choose another, for example three or four "
    "unrelated words"
)
PERSONAL = "is made of your e-mail address or name, which others can guess; choose something unrelated to them"
GUESSABLE = "is too easy to guess"
_SPACES = re.compile(r"\s+")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORDS = re.compile(r"[^\W\d_]{3,}")


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # loaded on first use: 30,000 entries

    return frozenset(FREQUENCY_LISTS["passwords"])


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_common(password: str) -> bool:
    squeezed = _SPACES.sub("", _fold(password))
    core = _EDGES.sub("", squeezed)  # "Password2026!" is "password" with a year and a mark
    common = _common()
    return squeezed in common or (len(core) >= MIN_LEFT and core in common)


def _is_personal(password: str, context: tuple[str, ...]) -> bool:
    words = sorted({w for item in context for w in _WORDS.findall(_fold(item))}, key=len, reverse=True)
    rest = _fold(password)
    for word in words:
        rest = rest.replace(word, "")
    return len(re.sub(r"[\W\d_]", "", rest)) < MIN_LEFT


def _estimate(password: str) -> dict[str, Any]:
    from zxcvbn import zxcvbn

    result: dict[str, Any] = zxcvbn(password[:ESTIMATE_CHARS])  # no user inputs: they live in a module global
    return result


def check_password(password: str, field: str = "password", context: tuple[str, ...] = ()) -> str:
    """The password if an account may have it; otherwise an error naming ``field`` that says why.

    ``context`` holds what others know of her (e-mail address, name): a password made of it is refused.
    """
    if len(" ".join(password.split())) < PASSWORD_MIN or len(password) > PASSWORD_MAX:
        raise InvalidRequest(field, LENGTH)
    if _is_common(password):
        raise InvalidRequest(field, COMMON)
    if context and _is_personal(password, context):
        raise InvalidRequest(field, PERSONAL)
    estimate = _estimate(password)
    if estimate["score"] < MIN_SCORE:
        warning = str(estimate["feedback"].get("warning") or "").rstrip(".")
        raise InvalidRequest(field, f"{GUESSABLE} ({warning[:1].lower()}{warning[1:]})" if warning else GUESSABLE)
    return password
