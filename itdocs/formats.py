"""Format checks the schema names: ``date``, ``date-time``, ``email``, ``uscc``, ``date-or-date-time``.

Our own checkers, so results do not depend on which optional jsonschema extras are installed.
"""
from __future__ import annotations

import datetime as dt
import re

from jsonschema import FormatChecker

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}:\d{2})$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATETIME.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def is_date_or_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return is_date(value) if len(value) == 10 else is_datetime(value)


def is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_uscc(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) != 18 or not _USCC_SHAPE.match(value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(is_date)
    checker.checks("date-time")(is_datetime)
    checker.checks("date-or-date-time")(is_date_or_datetime)
    checker.checks("email")(is_email)
    checker.checks("uscc")(is_uscc)
    return checker
