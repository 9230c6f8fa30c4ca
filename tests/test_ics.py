"""``itdocs due --ics``: an RFC 5545 calendar that a parser reads back, the same on every run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import SAMPLES

from itdocs.due import due
from itdocs.ics import calendar, to_ical

D = dt.date
OUTSOURCING = SAMPLES / "outsourcing-helpdesk.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(event["uid"]): event for event in cal.walk("VEVENT")}


def test_events_and_uids_read_back_the_same_across_runs():
    items = due([SAMPLES], as_of=D(2026, 11, 21), within=60)
    first = to_ical(items, as_of=D(2026, 11, 21))
    second = to_ical(due([SAMPLES], as_of=D(2026, 11, 21), within=60), as_of=D(2026, 11, 21))
    assert first == second  # DTSTAMP comes from the as-of day, not the clock
    events = parse(first)
    assert len(events) == len(items) and set(events) == {item.uid for item in items}
    assert "HDJM-IT-2026-O002.report.monthly.2026-11@itdocs" in events


def test_the_same_obligation_keeps_its_uid_on_a_later_day():
    before = parse(
        to_ical(due([OUTSOURCING], as_of=D(2026, 11, 21), within=30), as_of=D(2026, 11, 21))
    )
    after = parse(
        to_ical(due([OUTSOURCING], as_of=D(2026, 11, 30), within=30), as_of=D(2026, 11, 30))
    )
    shared = set(before) & set(after)
    assert "HDJM-IT-2026-O002.report.monthly.2026-11@itdocs" in shared
    uid = "HDJM-IT-2026-O002.report.monthly.2026-11@itdocs"
    assert before[uid].decoded("dtstart") == after[uid].decoded("dtstart") == D(2026, 12, 7)
    assert before[uid].decoded("dtstamp") < after[uid].decoded("dtstamp")


def test_a_due_day_is_an_all_day_event_with_its_move_in_the_description():
    data = to_ical(due([OUTSOURCING], as_of=D(2026, 11, 21), within=30), as_of=D(2026, 11, 21))
    event = parse(data)["HDJM-IT-2026-O002.report.monthly.2026-11@itdocs"]
    assert event.decoded("dtstart") == D(2026, 12, 7) and event.decoded("dtend") == D(2026, 12, 8)
    assert b"DTSTART;VALUE=DATE:20261207" in data
    assert str(event["summary"]) == "IT服务台外包项目：月报 2026-11"
    description = str(event["description"])
    assert (
        "顺延: 2026-12-05 周六 Saturday → 顺延至下一工作日 next working day 2026-12-07"
        in description
    )
    assert event.decoded("dtstamp") == dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.timezone.utc)
    assert str(event["transp"]) == "TRANSPARENT"


def test_a_due_time_is_zoned_in_asia_shanghai_with_its_vtimezone():
    items = due([SAMPLES / "affiliation-mes.yaml"], as_of=D(2026, 10, 9), within=3)
    data = to_ical(items, as_of=D(2026, 10, 9))
    cal = icalendar.Calendar.from_ical(data)
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Asia/Shanghai"
    event = parse(data)["HDJM-IT-2026-A003.minutes.MES-M05@itdocs"]
    start = event.decoded("dtstart")
    assert start == dt.datetime(2026, 10, 10, 16, 0, tzinfo=SHANGHAI)
    assert b"DTSTART;TZID=Asia/Shanghai:20261010T160000" in data
    assert "dtend" not in event  # a deadline is a moment (RFC 5545 3.6.1)
    assert "调休上班日" in str(event["description"])


@pytest.mark.parametrize(
    ("remind", "all_day", "timed"),
    [
        (
            3,
            dt.timedelta(days=-3, hours=9),
            dt.timedelta(days=-3),
        ),  # 09:00 three days before a due day
        (0, dt.timedelta(hours=9), dt.timedelta(0)),
    ],
)
def test_reminders(remind, all_day, timed):
    items = due([SAMPLES / "affiliation-mes.yaml"], as_of=D(2026, 9, 30), within=14)
    events = parse(to_ical(items, as_of=D(2026, 9, 30), remind_days=remind))
    monthly = events["HDJM-IT-2026-A003.report.monthly.2026-09@itdocs"]
    minutes = events["HDJM-IT-2026-A003.minutes.MES-M05@itdocs"]
    [alarm] = monthly.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == all_day
    assert minutes.walk("VALARM")[0].decoded("trigger") == timed


def test_no_reminder():
    items = due([OUTSOURCING], as_of=D(2026, 11, 21), within=14)
    assert not icalendar.Calendar.from_ical(
        to_ical(items, as_of=D(2026, 11, 21), remind_days=None)
    ).walk("VALARM")


def test_overdue_items_say_so_and_text_is_escaped_and_folded():
    items = due([OUTSOURCING], as_of=D(2026, 12, 10), within=7)
    data = to_ical(items, as_of=D(2026, 12, 10))
    events = parse(data)
    weekly = events["HDJM-IT-2026-O002.report.weekly.2026-W48@itdocs"]
    assert str(weekly["summary"]).startswith("【逾期】")
    assert str(weekly["x-itdocs-state"]) == "overdue"
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # folded by octets, never inside a character
    for line in lines:
        line.decode("utf-8")
    resolution = events["HDJM-IT-2026-O002.resolution.HD-M06.1@itdocs"]
    assert "Windows 11剩余升级排期" in str(resolution["summary"])


def test_calendar_header():
    cal = calendar([], as_of=D(2026, 11, 21))
    assert str(cal["version"]) == "2.0" and str(cal["prodid"]).startswith("-//itdocs//")
    assert str(cal["x-wr-timezone"]) == "Asia/Shanghai" and str(cal["method"]) == "PUBLISH"


def test_a_project_id_that_is_not_plain_gets_a_uuid_uid(tmp_path):
    import dataclasses

    [item] = due([OUTSOURCING], as_of=D(2026, 11, 21), within=6)
    odd = dataclasses.replace(item, project="项目 A,B;C")
    assert odd.uid.endswith("@itdocs") and len(odd.uid) == 36 + len("@itdocs")
    assert odd.uid == dataclasses.replace(item, project="项目 A,B;C").uid
    events = parse(to_ical([odd], as_of=D(2026, 11, 21)))
    assert list(events) == [odd.uid]


def test_cli_writes_the_same_calendar_twice(cli, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for target in (first, second):
        result = cli(
            "due",
            SAMPLES,
            "--as-of",
            "2026-11-21",
            "--within",
            "30d",
            "--ics",
            target,
            "--remind",
            "2d",
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {target}" in result.stderr
    assert first.read_bytes() == second.read_bytes()
    events = parse(first.read_bytes())
    assert len(events) == 12
    assert all(
        event.walk("VALARM")[0].decoded("trigger") == dt.timedelta(days=-2, hours=9)
        for event in events.values()
    )
