"""Dates, times and reporting periods as Chinese paperwork writes them.

Dates: ``2026年9月1日``, ``2026-09-01``, ``2026/9/1``, ``2026.09.01``, ``二〇二六年九月一日``, full-width
digits; with a time ``14:00``, ``14时30分``, ``下午2点``. Periods: ``2026年第42周`` (ISO weeks, as GB/T 7408),
``2026年10月12日至2026年10月16日`` (also ``…至16日``), ``2026年9月``, ``2026年第3季度``/``2026年三季度``/``2026Q3``,
``2026年上半年``, ``2026年度``. Pure functions: every rule here is table-tested.
"""

from __future__ import annotations

import datetime as dt
import re

from itdocs.extract.model import DateValue, Period

# Length-preserving, so spans found in the normalized text index the original.
_NORMALIZE = str.maketrans("０１２３４５６７８９：／．－～", "0123456789:/.-~")

_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_small_number(text: str) -> int | None:
    """``十``→10, ``十二``→12, ``二十``→20, ``三十一``→31, ``四十二``→42; also plain digits."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    t = 1 if not tens else _CN_DIGIT.get(tens)
    o = 0 if not ones else _CN_DIGIT.get(ones)
    return None if t is None or o is None else t * 10 + o


_TIME = re.compile(
    r"(?:\s*|T)(?P<mer>上午|下午|晚上|中午|早上|凌晨)?\s*(?P<h>\d{1,2})"
    r"(?:[ \t]*:[ \t]*(?P<m>\d{2})(?:[ \t]*:[ \t]*(?P<s>\d{2}))?"
    r"|\s*[时点](?:\s*(?P<m2>\d{1,2})\s*分)?)"
)
_YMD_CN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YMD_SEP = re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d]|\.\d)")
_CN_NUM = "〇零○Ｏ一二三四五六七八九十两"
_YMD_HAN = re.compile(
    rf"([{_CN_NUM}O]{{4}})\s*年\s*([{_CN_NUM}]{{1,2}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*[日号]"
)


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2199:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _with_time(day: dt.date, text: str, end: int) -> tuple[DateValue, int]:
    m = _TIME.match(text, end)
    if not m:
        return day, end
    hour = int(m.group("h"))
    minute = int(m.group("m") or m.group("m2") or 0)
    second = int(m.group("s") or 0)
    mer = m.group("mer")
    if mer in ("下午", "晚上") and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return day, end
    return dt.datetime(day.year, day.month, day.day, hour, minute, second), m.end()


_FULL_WIDTH = re.compile("[０-９：／．－～]")


def _normalize(text: str) -> str:
    return text.translate(_NORMALIZE) if _FULL_WIDTH.search(text) else text


def find_dates(text: str) -> list[tuple[DateValue, int, int]]:
    """Every date (with its time when one follows) as (value, start, end), in text order."""
    return _dates_in(_normalize(text))


def _dates_in(norm: str) -> list[tuple[DateValue, int, int]]:
    found: list[tuple[DateValue, int, int]] = []
    for m in _YMD_CN.finditer(norm):
        day = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            value, end = _with_time(day, norm, m.end())
            found.append((value, m.start(), end))
    for m in _YMD_SEP.finditer(norm):
        day = _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if day:
            value, end = _with_time(day, norm, m.end())
            found.append((value, m.start(), end))
    if "年" in norm and any(c in norm for c in "〇零○Ｏ二"):
        for m in _YMD_HAN.finditer(norm):
            digits = [_CN_DIGIT.get(c) for c in m.group(1)]
            month, day_no = cn_small_number(m.group(2)), cn_small_number(m.group(3))
            if None in digits or month is None or day_no is None:
                continue
            day = _make_date(int("".join(map(str, digits))), month, day_no)
            if day:
                value, end = _with_time(day, norm, m.end())
                found.append((value, m.start(), end))
    found.sort(key=lambda f: f[1])
    result: list[tuple[DateValue, int, int]] = []
    for item in found:
        if not result or item[1] >= result[-1][2]:
            result.append(item)
    return result


def parse_date(text: str) -> DateValue | None:
    """The first date in ``text`` (with its time if written), or None."""
    found = find_dates(text)
    return found[0][0] if found else None


_RANGE_SEP = r"\s*(?:至|到|~|—|–|-|－|～)\s*"
_RANGE_TAIL = re.compile(_RANGE_SEP + r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号](?![\d])")
_WEEK = re.compile(r"(?<!\d)(\d{4})\s*年\s*第\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*周")
_ISO_WEEK = re.compile(r"(?<!\d)(\d{4})-?W(\d{2})(?!\d)")
_QUARTER = re.compile(r"(?<!\d)(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度")
_QUARTER_Q = re.compile(r"(?<!\d)(\d{4})\s*(?:年|-)?\s*[Qq]([1-4])(?!\d)")
_HALF = re.compile(r"(?<!\d)(\d{4})\s*年\s*(上|下)半年")
_MONTH = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(?!\s*\d)")
_MONTH_DASH = re.compile(r"(?<![\d./-])(\d{4})[-/](\d{1,2})(?![\d./-])")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年度")


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _as_date(value: DateValue) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _ranges(text: str, norm: str, dates: list[tuple[DateValue, int, int]]) -> list[Period]:
    out: list[Period] = []
    for i, (value, start, end) in enumerate(dates):
        first = _as_date(value)
        if i + 1 < len(dates):
            nxt, n_start, n_end = dates[i + 1]
            if re.fullmatch(_RANGE_SEP, norm[end:n_start]) and _as_date(nxt) >= first:
                out.append(Period("range", first, _as_date(nxt), text[start:n_end]))
                continue
        tail = _RANGE_TAIL.match(norm, end)
        if tail:
            month = int(tail.group(1)) if tail.group(1) else first.month
            last = _make_date(first.year, month, int(tail.group(2)))
            if last and last >= first:
                out.append(Period("range", first, last, text[start : tail.end()]))
    return out


def find_periods(text: str) -> list[Period]:
    """Every reporting period written in ``text``, in text order (``location`` left empty)."""
    return dates_and_periods(text)[1]


def dates_and_periods(text: str) -> tuple[list[tuple[DateValue, int, int]], list[Period]]:
    """Both in one pass (the ranges are made of the dates). Each pattern family runs only when a
    character it needs is present: most blocks hold at most a date."""
    norm = _normalize(text)
    dates = _dates_in(norm)
    found: list[tuple[int, Period]] = []

    def add(m: re.Match[str], period: Period | None) -> None:
        if period is not None:
            found.append((m.start(), period))

    week_like = "周" in norm or "W" in norm
    for m in _WEEK.finditer(norm) if week_like else ():
        week = cn_small_number(m.group(2))
        add(m, _week(int(m.group(1)), week, text[m.start() : m.end()]))
    for m in _ISO_WEEK.finditer(norm) if week_like else ():
        add(m, _week(int(m.group(1)), int(m.group(2)), text[m.start() : m.end()]))
    quarter_like = "季" in norm or "Q" in norm or "q" in norm
    for m in (*_QUARTER.finditer(norm), *_QUARTER_Q.finditer(norm)) if quarter_like else ():
        q = cn_small_number(m.group(2)) or 0
        year = int(m.group(1))
        if 1 <= q <= 4 and 1900 <= year <= 2199:
            start = dt.date(year, 3 * q - 2, 1)
            add(m, Period("quarter", start, _month_end(year, 3 * q), text[m.start() : m.end()]))
    for m in _HALF.finditer(norm) if "半年" in norm else ():
        year = int(m.group(1))
        if 1900 <= year <= 2199:
            first = m.group(2) == "上"
            start = dt.date(year, 1 if first else 7, 1)
            end = dt.date(year, 6, 30) if first else dt.date(year, 12, 31)
            add(m, Period("half", start, end, text[m.start() : m.end()]))
    for m in (
        (*_MONTH.finditer(norm), *_MONTH_DASH.finditer(norm))
        if "月" in norm or "-" in norm or "/" in norm
        else ()
    ):
        year, month = int(m.group(1)), int(m.group(2))
        if 1900 <= year <= 2199 and 1 <= month <= 12:
            period = Period(
                "month", dt.date(year, month, 1), _month_end(year, month), text[m.start() : m.end()]
            )
            add(m, period)
    for m in _YEAR.finditer(norm) if "年度" in norm else ():
        year = int(m.group(1))
        if 1900 <= year <= 2199:
            add(
                m,
                Period(
                    "year", dt.date(year, 1, 1), dt.date(year, 12, 31), text[m.start() : m.end()]
                ),
            )
    for period in _ranges(text, norm, dates) if dates else ():
        found.append((text.find(period.text), period))
    found.sort(key=lambda f: f[0])
    return dates, [p for _, p in found]


def _week(year: int, week: int | None, raw: str) -> Period | None:
    if week is None or not 1900 <= year <= 2199:
        return None
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return Period("week", start, start + dt.timedelta(days=6), raw)


def parse_period(text: str) -> Period | None:
    """The period a value such as ``2026年第42周`` or ``2026年9月`` names: the first found, preferring
    an explicit range or week over the month a range's first date also mentions."""
    periods = find_periods(text)
    if not periods:
        return None
    for kind in ("range", "week", "quarter", "half", "month", "year"):
        for period in periods:
            if period.kind == kind:
                return period
    return periods[0]
