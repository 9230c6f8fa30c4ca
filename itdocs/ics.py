"""What is due as an iCalendar file (RFC 5545) for Outlook, Google Calendar, DingTalk or WeCom.

Built with the ``icalendar`` package, which does the escaping, line folding (75 octets, never
inside a UTF-8 character) and VTIMEZONE that are easy to get wrong by hand.

- One VEVENT per item. Its UID comes from the project id and the obligation's stable key
  (``HDJM-IT-2026-O002.report.weekly.2026-W48@itdocs``), so importing or subscribing again
  updates the entry instead of adding a copy.
- A due day is an all-day event (``DTSTART;VALUE=DATE``); a due time (minutes within 24 hours of
  a meeting) is a zoned time with ``TZID=Asia/Shanghai`` and its VTIMEZONE.
- A VALARM reminds ``remind_days`` ahead: at 09:00 local time for a due day, that many days
  before a due time.
- DTSTAMP is the start of the as-of day (Asia/Shanghai) in UTC, not the clock: the same dossiers
  and as-of day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar

from itdocs import __version__
from itdocs.access import zone
from itdocs.due import DueItem

PRODID = f"-//itdocs//itdocs due {__version__}//ZH"
REMIND_AT = dt.timedelta(hours=9)  # a reminder for a due day rings at 09:00 local time


def uid(item: DueItem) -> str:
    """The event's UID: ``DueItem.uid``, stable across runs."""
    return item.uid


def summary(item: DueItem, *, lang: str = "zh") -> str:
    title = item.title if lang == "zh" else item.title_en
    prefix = ("【逾期】" if lang == "zh" else "[OVERDUE] ") if item.overdue else ""
    name = item.project_name or item.project
    return f"{prefix}{name}：{title}" if lang == "zh" else f"{prefix}{name}: {title}"


def description(item: DueItem, *, lang: str = "zh") -> str:
    zh = lang == "zh"
    due = _show(item.due)
    lines = [
        f"{'项目' if zh else 'Project'}: {item.project} {item.project_name}".rstrip(),
        f"{'事项' if zh else 'What'}: {item.title if zh else item.title_en}",
        f"{'截止' if zh else 'Due'}: {due}",
    ]
    if item.moved:
        lines.append(f"{'顺延' if zh else 'Moved'}: {item.moved}")
    if item.note:
        lines.append(f"{'说明' if zh else 'Note'}: {item.note}")
    lines += [
        f"{'规则' if zh else 'Rule'}: {item.rule}",
        f"{'档案' if zh else 'Dossier'}: {item.file} {item.source}",
    ]
    return "\n".join(lines)


def _show(moment: dt.date | dt.datetime) -> str:
    return (
        moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, dt.datetime) else moment.isoformat()
    )


def event(
    item: DueItem,
    *,
    stamp: dt.datetime,
    remind_days: int | None,
    lang: str = "zh",
    tz: str | None = None,
) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", uid(item))
    ev.add("dtstamp", stamp)
    if isinstance(item.due, dt.datetime):
        start = item.due.astimezone(zone(tz))
        ev.add(
            "dtstart", start
        )  # no DTEND: RFC 5545 3.6.1, the event ends when it starts (a deadline)
    else:
        ev.add("dtstart", item.due)
        ev.add("dtend", item.due + dt.timedelta(days=1))
    ev.add("summary", summary(item, lang=lang))
    ev.add("description", description(item, lang=lang))
    ev.add("categories", [c for c in ("itdocs", item.kind, item.what) if c])
    ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    ev.add("status", "CONFIRMED")
    ev.add("x-itdocs-key", item.key)
    ev.add("x-itdocs-state", item.state)
    if remind_days is not None:
        ahead = dt.timedelta(days=remind_days)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary(item, lang=lang))
        alarm.add("trigger", -ahead if isinstance(item.due, dt.datetime) else REMIND_AT - ahead)
        ev.add_component(alarm)
    return ev


def stamp_for(as_of: dt.date, tz: str | None = None) -> dt.datetime:
    """The start of the as-of day in the organization's zone, in UTC (DTSTAMP must be UTC)."""
    return dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=zone(tz)).astimezone(dt.timezone.utc)


def calendar(
    items: Iterable[DueItem],
    *,
    as_of: dt.date,
    remind_days: int | None = 3,
    lang: str = "zh",
    name: str | None = None,
    tz: str | None = None,
) -> icalendar.Calendar:
    """A calendar with one event per item; VTIMEZONE added for the zone the due times use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add(
        "x-wr-calname", name or ("itdocs 项目期限" if lang == "zh" else "itdocs project deadlines")
    )
    cal.add("x-wr-timezone", zone(tz).key)
    stamp = stamp_for(as_of, tz)
    seen: set[str] = set()
    earliest = as_of
    for item in items:
        earliest = min(earliest, item.due_day)
        if uid(item) in seen:  # the same dossier given twice
            continue
        seen.add(uid(item))
        cal.add_component(event(item, stamp=stamp, remind_days=remind_days, lang=lang, tz=tz))
    # Rules from a year before the earliest date on: a short VTIMEZONE that still covers every event.
    cal.add_missing_timezones(first_date=earliest - dt.timedelta(days=366))
    return cal


def to_ical(
    items: Iterable[DueItem],
    *,
    as_of: dt.date,
    remind_days: int | None = 3,
    lang: str = "zh",
    name: str | None = None,
    tz: str | None = None,
) -> bytes:
    """The calendar as bytes (CRLF line ends, folded lines), ready to write to a .ics file."""
    return calendar(
        items, as_of=as_of, remind_days=remind_days, lang=lang, name=name, tz=tz
    ).to_ical()
