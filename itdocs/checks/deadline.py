"""Deadlines (时限): each obligation of ``itdocs.obligations`` done, and done on time.

The obligations come from one place (``itdocs/obligations.py``), which these checks only filter:
kickoff within ``kickoff_within_days`` days of signing (seed 003), minutes within
``minutes_within_hours`` hours of the meeting, each resolution's owner and due date within
``resolution_assign_within_hours`` hours, weekly reports by ``weekly_report_weekday``, monthly by
day ``monthly_report_day`` of the next month, quarterly by ``quarterly_report_due``, one report for
every period that falls due between kickoff and acceptance (or ``--as-of`` while the project runs),
a mid-term review each quarter, a written explanation within ``emergency_explanation_within_hours``
hours of an emergency action, and a warning ``contract_expiry_warning_days`` days before the
contract ends. A due date on a weekend or statutory holiday moves to the next working day, 调休
make-up days counted (``working_days``, ``extra_holidays``, ``extra_workdays``).

Every finding's evidence holds the dates read (by JSON pointer), the base due date, the due date
after moving and why it moved, and the calendar used, e.g.
``moved: 2026-10-02 国庆节 National Day → 顺延至下一工作日 next working day 2026-10-08``.

Parameters: those above, plus ``report_types``, ``kickoff_kinds``, ``midterm_review_kinds``, ``timezone``.

### deadline/kickoff-late
The kickoff meeting is held within ``kickoff_within_days`` days after the contract is signed.

Compliant (signed 07-31, due 08-07)::

    contract: {signed_date: "2026-07-31", …}
    meetings: [{type: kickoff, start: "2026-08-04T14:00:00+08:00", …}]

Non-compliant::

    meetings: [{type: kickoff, start: "2026-08-12T14:00:00+08:00", …}]

### deadline/kickoff-missing
A signed contract (of a kind in ``kickoff_kinds``) is followed by a kickoff meeting by its due date.

Compliant: a ``type: kickoff`` meeting exists. Non-compliant: none, and the due date has passed.

### deadline/minutes-late
Minutes are filed (``minutes_filed``) within ``minutes_within_hours`` hours after the meeting ends.

Compliant::

    {end: "2026-08-04T16:00:00+08:00", minutes_filed: "2026-08-05T12:00:00+08:00"}

Non-compliant::

    {end: "2026-08-04T16:00:00+08:00", minutes_filed: "2026-08-06T09:00:00+08:00"}

### deadline/minutes-missing
A meeting held has its minutes filed once the due time has passed.

Compliant: ``minutes_filed`` is recorded. Non-compliant: it is absent after the due time.

### deadline/resolution-unassigned
Each resolution gets an owner and a due date (seed 003: "24小时内明确负责人和完成时限").

Compliant::

    resolutions: [{content: 开通VPN账号, owner: 刘洋, due: "2026-08-05"}]

Non-compliant::

    resolutions: [{content: 开通VPN账号}]

### deadline/resolution-assigned-late
The owner and due date are set (``assigned``) within ``resolution_assign_within_hours`` hours.

Compliant::

    {owner: 刘洋, due: "2026-08-05", assigned: "2026-08-04T16:00:00+08:00"}   # meeting ended 16:00

Non-compliant::

    {owner: 刘洋, due: "2026-08-05", assigned: "2026-08-07T10:00:00+08:00"}

### deadline/resolution-overdue
A resolution still ``open`` after its own due date.

Compliant: ``status: done`` or the due date not yet passed. Non-compliant: ``status: open``, due passed.

### deadline/report-late
Each weekly, monthly and quarterly report is filed by its due date (after moving off days off:
a weekly report due Friday 2026-10-02, 国庆节, is on time when filed on 2026-10-08).

Compliant::

    reports: [{type: weekly, period: 2026-W40, filed: "2026-10-08", …}]

Non-compliant (due 2026-09-30, a working day)::

    reports: [{type: quarterly, period: 2026-Q3, filed: "2026-10-08", …}]

### deadline/report-missing
No period between kickoff and acceptance (or the as-of date) lacks its report: every period of
each type in ``report_types`` whose due date falls in that window needs one.

Compliant: weekly reports 2026-W32 … 2026-W44 for a kickoff on 08-04 and acceptance on 11-05.
Non-compliant: the same with 2026-W38 left out.

### deadline/midterm-review-missing
A kind in ``midterm_review_kinds`` holds a ``mid_term_review`` meeting in every quarter whose last
day falls between kickoff and acceptance.

Compliant::

    meetings: [{type: mid_term_review, start: "2026-09-24T09:00:00+08:00", …}]   # for 2026-Q3

Non-compliant: no ``mid_term_review`` meeting in 2026-Q3 though the project ran through 09-30.

### deadline/emergency-explanation-late
After an emergency action, the written explanation is filed within
``emergency_explanation_within_hours`` hours.

Compliant::

    {action_time: "2026-09-02T03:10:00+08:00", explanation_filed: "2026-09-02T17:00:00+08:00"}

Non-compliant::

    {action_time: "2026-09-02T03:10:00+08:00", explanation_filed: "2026-09-04T10:00:00+08:00"}

### deadline/emergency-explanation-missing
An emergency action has its written explanation once the due time has passed.

Compliant: ``explanation_filed`` is recorded. Non-compliant: it is absent after the due time.

### deadline/contract-expiring
Warn ``contract_expiry_warning_days`` days before the contract's ``end_date`` (unless the project
is closed), so renewal or closure is decided in time.

Compliant: as of 2026-09-01 for an end date 2026-12-31. Non-compliant: as of 2026-12-10.

### deadline/contract-expired
The contract's end date has passed but the project is not closed.

Compliant: ``project.status: closed``. Non-compliant: ``status: active`` after ``end_date``.

### deadline/renewal-notice
An auto-renewing contract (``renewal: {auto: true, notice_days: N}``) renews unless notice is given
N days before its end: warn ``contract_expiry_warning_days`` days before that notice deadline.

Compliant: as of well before end − N days. Non-compliant: as of within the warning window.

### deadline/calendar-unknown-year
A due date fell in a year the official calendar does not know yet (the State Council publishes each
year's schedule late in the year before): it was computed with weekends only. Add the year's
holidays with ``extra_holidays`` / ``extra_workdays``, or update ``chinesecalendar``.

Compliant: every due date in 2004–2026 (chinesecalendar 1.11). Non-compliant: a report due 2027-01-01.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from itdocs import milestones
from itdocs.access import exists, iso
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.obligations import Obligation, obligations

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

CALENDAR = ("working_days", "extra_holidays", "extra_workdays", "timezone")
ARGS = (
    "what",
    "what_en",
    "due",
    "base_due",
    "done_at",
    "late_by",
    "late_by_en",
    "moved",
    "moved_en",
    "as_of",
)


def _lateness(ob: Obligation, as_of: dt.date) -> tuple[str, str]:
    """How late, in Chinese and English: hours for deadlines with a time of day, else days."""
    end = ob.done_at
    if isinstance(ob.due, dt.datetime) and isinstance(end, dt.datetime):
        hours = (end - ob.due).total_seconds() / 3600
        if hours < 48:
            return f"{hours:.1f} 小时", f"{hours:.1f} hour(s)"
        return f"{hours / 24:.1f} 天", f"{hours / 24:.1f} day(s)"
    due = ob.due.date() if isinstance(ob.due, dt.datetime) else ob.due
    last = end.date() if isinstance(end, dt.datetime) else (end or as_of)
    days = (last - due).days
    return f"{days} 天", f"{days} day(s)"


def _shown(moment: Any) -> str | None:
    """A due date or time as a message shows it: ``2026-10-09 14:00`` (local, as the policy's time
    zone gives it), not ISO 8601 with its offset — that stays in the evidence."""
    if isinstance(moment, dt.datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return iso(moment)


def _args(ob: Obligation, ctx: Context) -> dict[str, Any]:
    evidence = ob.evidence
    late = _lateness(ob, ctx.as_of)
    return {
        "what": ob.title,
        "what_en": ob.title_en,
        "due": _shown(ob.due),
        "base_due": _shown(ob.base_due),
        "done_at": _shown(ob.done_at),
        "late_by": late[0],
        "late_by_en": late[1],
        "moved": f"（{evidence.get('moved_zh') or evidence['moved']}）" if evidence.get("moved") else "",
        "moved_en": f" (moved: {evidence.get('moved_en') or evidence['moved']})"
        if evidence.get("moved")
        else "",
        "as_of": ctx.as_of.isoformat(),
    }


_CACHE: list[tuple[Any, str, list[Obligation]]] = []


def _obligations(data: Any, ctx: Context) -> list[Obligation]:
    """``obligations()`` for this data and context; the deadline rules share one computation."""
    key = json.dumps([ctx.params, ctx.as_of, repr(ctx.calendar)], sort_keys=True, default=str)
    for cached_data, cached_key, result in _CACHE:
        if cached_data is data and cached_key == key:
            return result
    result = obligations(data, ctx.params, as_of=ctx.as_of, calendar=ctx.calendar)
    # A contract that renews tacitly has not expired at its first end date: judge the term in force.
    result = milestones.roll_forward(result, data, ctx.params, as_of=ctx.as_of)
    _CACHE[:] = [(data, key, result), *_CACHE[:3]]
    return result


def _where(data: Any, ob: Obligation) -> str:
    """Where to point: what fulfils the obligation (or its list), else what created it."""
    parent = ob.target.rsplit("/", 1)[0]
    return ob.target if exists(data, ob.target) or (parent and exists(data, parent)) else ob.source


def _hits(data: Any, ctx: Context, whats: tuple[str, ...], state: str) -> Iterator[Hit]:
    for ob in _obligations(data, ctx):
        if ob.what in whats and ob.state == state:
            yield Hit(_where(data, ob), _args(ob, ctx), {"obligation": ob.key, **ob.evidence})


def _deadline(rule: str, whats: tuple[str, ...], state: str, reads: tuple[str, ...], doc: str):
    """A deadline check: the obligations of ``whats`` in ``state`` (late / overdue)."""
    family, name = rule.split("/")

    def run(data: Any, ctx: Context) -> Iterator[Hit]:
        return _hits(data, ctx, whats, state)

    run.__name__ = name.replace("-", "_")
    run.__doc__ = doc
    return check(rule, reads=reads + CALENDAR, args=ARGS, name=f"{family}.{run.__name__}")(run)


kickoff_late = _deadline(
    "deadline/kickoff-late",
    ("kickoff",),
    "late",
    ("kickoff_within_days", "kickoff_kinds"),
    "Kickoff held after its due date.",
)
kickoff_missing = _deadline(
    "deadline/kickoff-missing",
    ("kickoff",),
    "overdue",
    ("kickoff_within_days", "kickoff_kinds"),
    "No kickoff by its due date.",
)
minutes_late = _deadline(
    "deadline/minutes-late",
    ("minutes",),
    "late",
    ("minutes_within_hours",),
    "Minutes filed after their due time.",
)
minutes_missing = _deadline(
    "deadline/minutes-missing",
    ("minutes",),
    "overdue",
    ("minutes_within_hours",),
    "Minutes not filed by their due time.",
)
resolution_unassigned = _deadline(
    "deadline/resolution-unassigned",
    ("resolution_assignment",),
    "overdue",
    ("resolution_assign_within_hours",),
    "A resolution without owner or due date.",
)
resolution_assigned_late = _deadline(
    "deadline/resolution-assigned-late",
    ("resolution_assignment",),
    "late",
    ("resolution_assign_within_hours",),
    "Owner and due date set too late.",
)
resolution_overdue = _deadline(
    "deadline/resolution-overdue",
    ("resolution",),
    "overdue",
    (),
    "A resolution still open after its due date.",
)
report_late = _deadline(
    "deadline/report-late",
    ("weekly_report", "monthly_report", "quarterly_report"),
    "late",
    ("weekly_report_weekday", "monthly_report_day", "quarterly_report_due", "report_types"),
    "A report filed after its due date.",
)
report_missing = _deadline(
    "deadline/report-missing",
    ("weekly_report", "monthly_report", "quarterly_report"),
    "overdue",
    ("weekly_report_weekday", "monthly_report_day", "quarterly_report_due", "report_types"),
    "A period without its report.",
)
midterm_review_missing = _deadline(
    "deadline/midterm-review-missing",
    ("midterm_review",),
    "overdue",
    ("midterm_review_kinds",),
    "A quarter without a mid-term review.",
)
emergency_explanation_late = _deadline(
    "deadline/emergency-explanation-late",
    ("emergency_explanation",),
    "late",
    ("emergency_explanation_within_hours",),
    "Explanation filed too late.",
)
emergency_explanation_missing = _deadline(
    "deadline/emergency-explanation-missing",
    ("emergency_explanation",),
    "overdue",
    ("emergency_explanation_within_hours",),
    "No written explanation after an emergency.",
)


@check(
    "deadline/contract-expiring",
    reads=("contract_expiry_warning_days",) + CALENDAR,
    args=("end_date", "days_left", "warning_days"),
)
def contract_expiring(data: Any, ctx: Context) -> Iterator[Hit]:
    for ob in _obligations(data, ctx):
        if ob.what == "contract_expiry" and ob.warn_from and ob.warn_from <= ctx.as_of <= ob.due:
            left = (ob.due - ctx.as_of).days
            yield Hit(
                ob.source,
                {
                    "end_date": iso(ob.due),
                    "days_left": left,
                    "warning_days": (ob.due - ob.warn_from).days,
                },
                {**ob.evidence, "days_left": left, "as_of": ctx.as_of.isoformat()},
            )


@check("deadline/contract-expired", reads=CALENDAR, args=("end_date", "days_ago"))
def contract_expired(data: Any, ctx: Context) -> Iterator[Hit]:
    for ob in _obligations(data, ctx):
        if ob.what == "contract_expiry" and ctx.as_of > ob.due:
            ago = (ctx.as_of - ob.due).days
            yield Hit(
                ob.source,
                {"end_date": iso(ob.due), "days_ago": ago},
                {**ob.evidence, "days_ago": ago, "as_of": ctx.as_of.isoformat()},
            )


@check(
    "deadline/renewal-notice",
    reads=("contract_expiry_warning_days",) + CALENDAR,
    args=("notice_by", "end_date", "days_left"),
)
def renewal_notice(data: Any, ctx: Context) -> Iterator[Hit]:
    for ob in _obligations(data, ctx):
        if ob.what == "renewal_notice" and ob.warn_from and ob.warn_from <= ctx.as_of <= ob.due:
            left = (ob.due - ctx.as_of).days
            yield Hit(
                ob.source,
                {
                    "notice_by": iso(ob.due),
                    # A renewed term ends later than the end_date the dossier records.
                    "end_date": ob.evidence.get("term_end")
                    or ob.evidence["read"]["/contract/end_date"],
                    "days_left": left,
                },
                {**ob.evidence, "days_left": left},
            )


@check(
    "deadline/calendar-unknown-year",
    reads=CALENDAR + ("report_types",),
    args=("year", "count", "example"),
)
def calendar_unknown_year(data: Any, ctx: Context) -> Iterator[Hit]:
    by_year: dict[int, list[Obligation]] = {}
    for ob in _obligations(data, ctx):
        for year in ob.evidence.get("unknown_years", ()):
            by_year.setdefault(year, []).append(ob)
    for year, obs in sorted(by_year.items()):
        first = obs[0]
        yield Hit(
            _where(data, first),
            {"year": year, "count": len(obs), "example": f"{first.title} {iso(first.due)}"},
            {
                "year": year,
                "obligations": [o.key for o in obs],
                "calendar": ctx.calendar.describe(),
                "note": ctx.calendar.describe_unknown(year),
            },
        )
