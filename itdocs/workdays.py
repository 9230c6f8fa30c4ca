"""Chinese working days: a due date on a weekend or statutory holiday moves to the next working day.

The official schedule, make-up working days (调休) included, comes from the ``chinese_calendar``
package. The State Council publishes each year's schedule late in the year before, so the package
may not know a year yet: such a year falls back to weekends only, and every date computed in it
says so (``unknown_years``), so the deadline checks can warn instead of guessing silently.
An organization adds its own days off and working days with ``extra_holidays`` / ``extra_workdays``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import chinese_calendar

# chinese_calendar names holidays in English; evidence shows both.
HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKDAY_NAMES = (
    "周一 Monday",
    "周二 Tuesday",
    "周三 Wednesday",
    "周四 Thursday",
    "周五 Friday",
    "周六 Saturday",
    "周日 Sunday",
)
MAX_SHIFT_DAYS = 60  # no real run of days off is longer; stops a policy that blocks every day


@lru_cache(maxsize=1)
def _known_years() -> tuple[int, int]:
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def _as_days(values: Iterable[Any]) -> frozenset[dt.date]:
    days = set()
    for value in values or ():
        if isinstance(value, dt.date):
            days.add(value)
        elif isinstance(value, str):
            try:
                days.add(dt.date.fromisoformat(value))
            except ValueError:
                continue  # the policy schema reports it
    return frozenset(days)


@dataclass(frozen=True)
class Shift:
    """A due date before and after moving it off days off, and why it moved."""

    base: dt.date
    due: dt.date
    reason: str | None = None  # both languages, as evidence keeps it
    unknown_years: tuple[int, ...] = ()
    reason_zh: str | None = None
    reason_en: str | None = None

    @property
    def moved(self) -> bool:
        return self.due != self.base


@dataclass(frozen=True)
class Calendar:
    """Working days per the official calendar, a policy's own days, or plain dates when disabled."""

    enabled: bool = True
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Calendar:
        return cls(
            enabled=params.get("working_days", True) is not False,
            extra_holidays=_as_days(params.get("extra_holidays") or ()),
            extra_workdays=_as_days(params.get("extra_workdays") or ()),
        )

    # --- single days --------------------------------------------------------------------------

    def knows(self, year: int) -> bool:
        first, last = _known_years()
        return first <= year <= last

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def day_off_reason(self, day: dt.date) -> str:
        """Why ``day`` is not a working day, e.g. ``国庆节 National Day``."""
        if day in self.extra_holidays:
            return "单位假日 organization holiday (policy extra_holidays)"
        name = None
        if self.knows(day.year):
            _, name = chinese_calendar.get_holiday_detail(day)
        if name:
            return f"{HOLIDAY_ZH.get(name, name)} {name}"
        return WEEKDAY_NAMES[day.weekday()]

    # --- moving due dates ---------------------------------------------------------------------

    def shift(self, due: dt.date) -> Shift:
        """``due`` itself when it is a working day, else the next working day, with the reason."""
        if not self.enabled:
            return Shift(due, due)
        unknown = {due.year} if not self.knows(due.year) else set()
        day = due
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
            if not self.knows(day.year):
                unknown.add(day.year)
            if (day - due).days > MAX_SHIFT_DAYS:
                return Shift(
                    due,
                    due,
                    "no working day within 60 days (check extra_holidays)",
                    tuple(sorted(unknown)),
                )
        if day == due:
            return Shift(due, day, None, tuple(sorted(unknown)))
        why = self.day_off_reason(due)
        zh, _, en = why.partition(" ")
        return Shift(
            due,
            day,
            f"{due.isoformat()} {why} → 顺延至下一工作日 next working day {day.isoformat()}",
            tuple(sorted(unknown)),
            f"{due.isoformat()} {zh}，顺延至下一工作日 {day.isoformat()}",
            f"{due.isoformat()} {en or zh} → next working day {day.isoformat()}",
        )

    def shift_datetime(self, due: dt.datetime) -> tuple[dt.datetime, Shift]:
        """A moment's day moved off days off, keeping its time of day."""
        moved = self.shift(due.date())
        return due + dt.timedelta(days=(moved.due - moved.base).days), moved

    def describe(self) -> str:
        """The calendar as evidence states it."""
        if not self.enabled:
            return "calendar days (working_days: false)"
        first, last = _known_years()
        text = f"chinese_calendar {getattr(chinese_calendar, '__version__', '?')} ({first}–{last}, 调休 counted)"
        extras = []
        if self.extra_holidays:
            extras.append(f"{len(self.extra_holidays)} extra holiday(s)")
        if self.extra_workdays:
            extras.append(f"{len(self.extra_workdays)} extra workday(s)")
        return text + (" + policy " + ", ".join(extras) if extras else "")

    def describe_unknown(self, year: int) -> str:
        first, last = _known_years()
        return (
            f"{year} 不在 chinese_calendar {getattr(chinese_calendar, '__version__', '?')} 中"
            f"（已知 {first}–{last}）：仅按周末计算 / {year} not in the official calendar yet: weekends only"
        )
