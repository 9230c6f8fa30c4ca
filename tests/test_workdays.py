"""Working days on the official Chinese calendar, and the obligations computed with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from itdocs.engine import today
from itdocs.loader import load
from itdocs.obligations import obligations, reporting_window
from itdocs.policy import load_policy
from itdocs.workdays import Calendar

D = dt.date.fromisoformat
BASE = Path(__file__).parent / "rules" / "_base.yaml"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-09-20", True),  # Sunday, 调休 make-up working day for 国庆节
        ("2026-10-10", True),  # Saturday, 调休 make-up working day
        ("2026-10-01", False),  # 国庆节
        ("2026-10-08", True),
        ("2026-09-25", False),  # 中秋节
        ("2026-10-11", False),  # an ordinary Sunday
    ],
)
def test_official_calendar_with_make_up_days(day, working):
    assert Calendar().is_workday(D(day)) is working


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day_and_says_why():
    shift = Calendar().shift(D("2026-10-02"))
    assert shift.due == D("2026-10-08") and shift.moved
    assert (
        shift.reason
        == "2026-10-02 国庆节 National Day → 顺延至下一工作日 next working day 2026-10-08"
    )
    assert shift.unknown_years == ()


def test_a_working_day_does_not_move():
    shift = Calendar().shift(D("2026-09-30"))
    assert (shift.due, shift.reason) == (D("2026-09-30"), None)


def test_a_weekend_moves_to_monday():
    shift = Calendar().shift(D("2026-09-05"))
    assert shift.due == D("2026-09-07")
    assert "周六 Saturday" in shift.reason


def test_an_unknown_year_falls_back_to_weekends_and_says_so():
    calendar = Calendar()
    assert not calendar.knows(2027)
    assert calendar.is_workday(D("2027-01-01"))  # New Year's Day, unknown: only weekends are off
    shift = calendar.shift(D("2027-01-02"))
    assert shift.due == D("2027-01-04") and shift.unknown_years == (2027,)
    # Moving out of a known year into an unknown one is flagged too.
    assert Calendar(extra_holidays=frozenset({D("2026-12-31")})).shift(
        D("2026-12-31")
    ).unknown_years == (2027,)
    assert "weekends only" in calendar.describe_unknown(2027)


def test_policy_days_off_and_working_days():
    calendar = Calendar.from_params(
        {"extra_holidays": ["2026-08-21"], "extra_workdays": ["2026-10-02"]}
    )
    assert not calendar.is_workday(D("2026-08-21"))
    assert calendar.shift(D("2026-08-21")).due == D("2026-08-24")
    assert "extra_holidays" in calendar.shift(D("2026-08-21")).reason
    assert calendar.shift(D("2026-10-02")).due == D("2026-10-02")
    assert "1 extra holiday(s)" in calendar.describe()


def test_working_days_off_keeps_dates():
    calendar = Calendar.from_params({"working_days": False})
    assert calendar.shift(D("2026-10-02")).due == D("2026-10-02")
    assert "working_days: false" in calendar.describe()


def test_a_moment_keeps_its_time_of_day():
    due, shift = Calendar().shift_datetime(
        dt.datetime(2026, 10, 1, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    assert due == dt.datetime(2026, 10, 8, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert shift.moved


def test_today_is_in_shanghai():
    assert today() == dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


# --- obligations ------------------------------------------------------------------------------


def _by_key(data, as_of="2026-11-20", **params):
    policy = {**load_policy().parameters, **params}
    return {o.key: o for o in obligations(data, policy, as_of=D(as_of))}


def test_holiday_cases_of_the_issue():
    data = load(BASE).data
    data["reports"][6]["filed"] = "2026-10-08"  # weekly 2026-W40, due Fri 10-02 (国庆节)
    data["reports"][13]["filed"] = "2026-10-08"  # quarterly 2026-Q3, due Wed 09-30
    obs = _by_key(data)
    week = obs["report/weekly/2026-W40"]
    assert (week.base_due, week.due, week.state) == (D("2026-10-02"), D("2026-10-08"), "on_time")
    assert "国庆节" in week.evidence["moved"]
    quarter = obs["report/quarterly/2026-Q3"]
    assert (quarter.due, quarter.done_at, quarter.state) == (
        D("2026-09-30"),
        D("2026-10-08"),
        "late",
    )
    assert quarter.evidence["late_by"] == "8 day(s)"


def test_every_obligation_of_the_base_dossier():
    obs = _by_key(load(BASE).data)
    kinds = sorted({o.what for o in obs.values()})
    assert kinds == [
        "emergency_explanation",
        "kickoff",
        "midterm_review",
        "minutes",
        "monthly_report",
        "quarterly_report",
        "resolution",
        "resolution_assignment",
        "weekly_report",
    ]
    assert [k for k in obs if k.startswith("report/weekly/")] == [
        f"report/weekly/2026-W{w}" for w in range(34, 45)
    ]
    assert sorted(k for k in obs if k.startswith("report/monthly/")) == [
        "report/monthly/2026-08",
        "report/monthly/2026-09",
    ]
    assert obs["kickoff"].evidence["read"] == {
        "/contract/signed_date": "2026-08-14",
        "/meetings/0/start": "2026-08-18",
    }
    assert all(o.state in ("on_time", "done") for o in obs.values())
    assert obs["kickoff"].project == "OUT-T-001"


def test_an_open_project_lists_what_comes_next():
    data = load(BASE).data
    data["project"]["status"] = "active"
    del data["acceptance"]
    obs = _by_key(data, as_of="2026-11-04")
    assert reporting_window(data).end is None
    assert obs["report/weekly/2026-W45"].state == "open"  # due Fri 11-06
    assert obs["report/weekly/2026-W44"].state == "on_time"
    assert obs["report/monthly/2026-10"].state == "open"  # due 11-05
    assert "report/weekly/2026-W46" not in obs
    assert obs["contract-expiry"].state == "overdue" and obs["contract-expiry"].warn_from == D(
        "2026-10-01"
    )


def test_policy_parameters_shape_the_obligations():
    data = load(BASE).data
    obs = _by_key(
        data,
        weekly_report_weekday=1,
        monthly_report_day=10,
        quarterly_report_due=15,
        report_types=["weekly", "quarterly"],
        kickoff_within_days=3,
    )
    assert obs["report/weekly/2026-W35"].base_due == D("2026-08-24")  # Monday
    assert not any(k.startswith("report/monthly/") for k in obs)
    assert obs["report/quarterly/2026-Q3"].base_due == D("2026-10-15")
    assert obs["kickoff"].state == "late"


def test_obligations_never_raise_on_ill_typed_data():
    for data in (
        None,
        [],
        "x",
        {
            "kind": "outsourcing",
            "meetings": "x",
            "reports": [1, None, {"type": 3}],
            "contract": {"signed_date": 20260801, "end_date": "soon"},
            "emergencies": [{"occurred": "2026-13-01T00:00:00+08:00"}],
        },
    ):
        assert isinstance(obligations(data, {}, as_of=D("2026-11-20")), list)
