"""Safe reading of dossier-shaped data for the checks and the obligation list.

Checks run on dossiers that may be schema-invalid, and (later) on data an archive reader built
from filed documents, which is partial by nature. So nothing here raises on missing or ill-typed
values: a value of the wrong type reads as absent, and the schema family reports it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from itdocs.loader import escape_pointer_token

DEFAULT_TZ = "Asia/Shanghai"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def dig(data: Any, *keys: str | int) -> Any:
    """``data[k1][k2]…`` or None when a step is missing or of the wrong type."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or not -len(data) <= key < len(data):
                return None
        elif not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(data: Any, *keys: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for every mapping in the list at ``keys``; other entries are skipped."""
    value = dig(data, *keys)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def text(value: Any) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def exists(data: Any, at: str) -> bool:
    """Whether the JSON pointer ``at`` names a value in ``data``."""
    for raw in at.split("/")[1:] if at else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and token in data:
            data = data[token]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return False
    return True


def key(value: Any) -> str | None:
    """A value usable as a dict key or enum member: strings only (a list where a role belongs reads as None)."""
    return value if isinstance(value, str) else None


def absent(value: Any) -> bool:
    """Missing or blank. A value that is present but ill-typed is not absent: the schema reports it."""
    return value is None or (isinstance(value, str) and not value.strip())


def pointer(*parts: str | int) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)


def zone(name: Any = None) -> ZoneInfo:
    try:
        return ZoneInfo(name if isinstance(name, str) and name else DEFAULT_TZ)
    except (KeyError, ValueError, OSError):
        return ZoneInfo(DEFAULT_TZ)


# The schema accepts any ISO date, 0001-01-01 to 9999-12-31; deadlines add days, months and a
# year's periods to them, and period keys have four-digit years. Days out there are read as the
# nearest of 1900-01-01 and 9989-12-31, so that arithmetic stays in the calendar (no real document
# is dated there anyway).
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(9989, 12, 31)


def _bounded(day: dt.date) -> dt.date:
    return min(max(day, EARLIEST_DAY), LATEST_DAY)


def to_datetime(value: Any, tz: ZoneInfo, *, end_of_day: bool = False) -> dt.datetime | None:
    """An aware datetime from an ISO date-time (or a date: its start, or its end with ``end_of_day``)."""
    if not isinstance(value, str):
        return None
    raw = value.strip()
    try:
        if _DATE.match(raw):
            day = _bounded(dt.date.fromisoformat(raw))
            clock = dt.time(23, 59, 59) if end_of_day else dt.time(0, 0)
            return dt.datetime.combine(day, clock, tzinfo=tz)
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        if _bounded(parsed.date()) != parsed.date():
            parsed = dt.datetime.combine(_bounded(parsed.date()), parsed.timetz())
        # A date-time without a zone is read as local time of the organization.
        return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)
    except (ValueError, OverflowError):
        return None


def to_date(value: Any, tz: ZoneInfo) -> dt.date | None:
    """The (local) calendar day of an ISO date or date-time."""
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return _bounded(dt.date.fromisoformat(value.strip()))
        except ValueError:
            return None
    moment = to_datetime(value, tz)
    return moment.date() if moment else None


def money(value: Any) -> Decimal | None:
    """An amount written as an integer or a decimal string; floats and junk read as None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()
