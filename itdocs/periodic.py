"""Periodic obligations: a report for every period, a mid-term review every quarter.

Reports are owed for each period (week, month, quarter) whose due date falls in the reporting
window — from the kickoff meeting (or the service start) to acceptance (or the trial run's end);
while a project is open the window runs to the as-of date, plus the next period coming up. A
mid-term review is owed in every quarter whose last day falls in the window (seed 003).
``itdocs.obligations`` mixes these into its builder; the due dates move on the same calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from itdocs import naming
from itdocs.access import dig, iso, items, pointer, to_date, zone

REPORT_LABELS = {
    "weekly": ("周报", "weekly report"),
    "monthly": ("月报", "monthly report"),
    "quarterly": ("季报", "quarterly report"),
}


@dataclass(frozen=True)
class Window:
    """The period reports are owed for: kickoff (or start) to acceptance (or, while open, today)."""

    start: dt.date | None
    start_source: str | None
    end: dt.date | None
    end_source: str | None


def reporting_window(data: Any, *, tz: Any = None) -> Window:
    """Kickoff (or the service start) to acceptance (or the trial run's end); None ends while open."""
    zone_ = tz if tz is not None and not isinstance(tz, str) else zone(tz)
    start, start_source = None, None
    for index, meeting in items(data, "meetings"):
        if meeting.get("type") == "kickoff":
            day = to_date(meeting.get("start"), zone_)
            if day is not None and (start is None or day < start):
                start, start_source = day, pointer("meetings", index, "start")
    for path in (
        ("contract", "start_date"),
        ("contract", "signed_date"),
        ("improvement", "trial_run", "start"),
        ("project", "start_date"),
    ):
        if start is None:
            start = to_date(dig(data, *path), zone_)
            start_source = pointer(*path) if start else None
    end, end_source = None, None
    candidates = [("acceptance", "date"), ("improvement", "trial_run", "end")]
    if dig(data, "project", "status") in ("closed", "cancelled"):
        candidates.append(("project", "end_date"))
    for path in candidates:
        end = to_date(dig(data, *path), zone_)
        if end is not None:
            end_source = pointer(*path)
            break
    return Window(start, start_source, end, end_source)


_LAST_SAFE_DAY = dt.date.max - dt.timedelta(days=1200)  # room for a period, its due day and a shift


def day_of_month(first: dt.date, day: int) -> dt.date:
    """Day ``day`` of the month starting at ``first``, clamped to the month's last day."""
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return first.replace(day=min(max(day, 1), last))


class PeriodicObligations:
    """The reports and mid-term reviews of a dossier; a mixin of the obligations builder."""

    data: dict[str, Any]
    params: Any
    as_of: dt.date
    tz: Any

    def window(self) -> Window:
        return reporting_window(self.data, tz=self.tz)

    def reports(self) -> None:
        window = self.window()
        if window.start is None:
            return
        filed: dict[tuple[str, str], tuple[dt.date | None, int]] = {}
        for index, report in items(self.data, "reports"):
            kind, key = report.get("type"), report.get("period")
            if isinstance(kind, str) and isinstance(key, str):
                day = to_date(report.get("filed"), self.tz)
                known = filed.get((kind, key))
                if known is None or (day is not None and (known[0] is None or day < known[0])):
                    filed[(kind, key)] = (day, index)
        for kind in self._kinds("report_types"):
            if kind not in REPORT_LABELS:
                continue
            for period in self._periods(kind, window):
                base = self._report_due(kind, period)
                day, index = filed.get((kind, period.key), (None, None))
                target = pointer("reports", index, "filed") if index is not None else "/reports"
                read = {window.start_source: window.start.isoformat()}
                if window.end and window.end_source:
                    read[window.end_source] = window.end.isoformat()
                if index is not None:
                    read[target] = iso(day)
                zh, en = REPORT_LABELS[kind]
                self.add(
                    key=f"report/{kind}/{period.key}",
                    what=f"{kind}_report",
                    title=(f"{zh} {period.key}", f"{en} {period.key}"),
                    base_due=base,
                    done=index is not None,
                    done_at=day,
                    source=window.start_source,
                    target=target,
                    read=read,
                    rule=self._report_rule(kind),
                )

    def _periods(self, kind: str, window: Window) -> list[naming.Period]:
        """Periods whose (base) due date falls in the window; while open, also the next one due."""
        assert window.start is not None
        # Periods due more than a year after the day of checking are never late by then: a
        # window ending in 9999 (schema-valid) must not enumerate eight millennia of weeks.
        horizon = min(self.as_of, _LAST_SAFE_DAY) + dt.timedelta(days=400)
        last = min(window.end or self.as_of, horizon)
        out = []
        for period in naming.periods_between(kind, window.start, last + dt.timedelta(days=400)):
            base = self._report_due(kind, period)
            if base < window.start:
                continue
            if window.end is not None and base > window.end:
                break
            out.append(period)
            if window.end is None and base > self.as_of:
                break  # the next one coming up, for the ledger
        return out

    def _report_due(self, kind: str, period: naming.Period) -> dt.date:
        if kind == "weekly":
            weekday = min(max(self._int("weekly_report_weekday"), 1), 7)
            return period.start + dt.timedelta(days=weekday - 1)
        after = period.end + dt.timedelta(days=1)
        if kind == "monthly":
            return day_of_month(after, self._int("monthly_report_day"))
        rule = self.params.get("quarterly_report_due", "last_day")
        if isinstance(rule, int) and not isinstance(rule, bool):
            return day_of_month(after, rule)
        return period.end

    def _report_rule(self, kind: str) -> str:
        if kind == "weekly":
            return f"ISO weekday {self._int('weekly_report_weekday')} of the week (weekly_report_weekday)"
        if kind == "monthly":
            return f"day {self._int('monthly_report_day')} of the next month (monthly_report_day)"
        rule = self.params.get("quarterly_report_due", "last_day")
        if isinstance(rule, int) and not isinstance(rule, bool):
            return f"day {rule} of the month after the quarter (quarterly_report_due)"
        return "last day of the quarter (quarterly_report_due)"

    def midterm_reviews(self) -> None:
        if self.data.get("kind") not in self._kinds("midterm_review_kinds"):
            return
        window = self.window()
        if window.start is None:
            return
        held: dict[str, tuple[dt.date, int]] = {}
        for index, meeting in items(self.data, "meetings"):
            if meeting.get("type") == "mid_term_review":
                day = to_date(meeting.get("start"), self.tz)
                if day is not None:
                    held.setdefault(naming.period_of("quarterly", day).key, (day, index))
        last = window.end or self.as_of
        for period in naming.periods_between(
            "quarterly", window.start, last + dt.timedelta(days=100)
        ):
            if period.end < window.start or (window.end is not None and period.end > window.end):
                continue
            day, index = held.get(period.key, (None, None))
            target = pointer("meetings", index, "start") if index is not None else "/meetings"
            read = {window.start_source: window.start.isoformat()}
            if index is not None:
                read[target] = day.isoformat()
            self.add(
                key=f"midterm-review/{period.key}",
                what="midterm_review",
                title=(f"中期评审 {period.key}", f"mid-term review {period.key}"),
                base_due=period.end,
                done=day is not None,
                done_at=day,
                source=window.start_source,
                target=target,
                read=read,
                rule="a mid_term_review meeting within each quarter (due its last day)",
            )
            if window.end is None and period.end > self.as_of:
                break
