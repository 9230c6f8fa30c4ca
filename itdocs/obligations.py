"""Every dated obligation of a dossier, with its due date on the working-day calendar.

One function, ``obligations(dossier, policy, as_of=...)``, lists what a project owes and by when:
the kickoff meeting, minutes of each meeting, owners and due dates of resolutions, resolutions
themselves, each weekly/monthly/quarterly report between kickoff and acceptance, a mid-term review
each quarter, written explanations after emergencies, the contract's expiry and renewal notice.
The deadline checks are thin filters over this list; ``itdocs due`` and the project ledger list it.

Each obligation carries its evidence: the dates read (by JSON pointer), the base due date, where
it moved and why (``2026-10-02 国庆节 National Day → … 2026-10-08``), and the calendar used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from itdocs.access import dig, iso, items, mapping, pointer, text, to_date, to_datetime, zone
from itdocs.periodic import PeriodicObligations, Window, reporting_window
from itdocs.workdays import Calendar, Shift

__all__ = ["DEFAULTS", "Obligation", "Window", "obligations", "reporting_window"]

Moment = dt.date | dt.datetime

DEFAULTS: dict[str, Any] = {
    "timezone": "Asia/Shanghai",
    "kickoff_within_days": 7,
    "kickoff_kinds": ["procurement", "outsourcing"],
    "minutes_within_hours": 24,
    "resolution_assign_within_hours": 24,
    "emergency_explanation_within_hours": 24,
    "weekly_report_weekday": 5,
    "monthly_report_day": 5,
    "quarterly_report_due": "last_day",
    "report_types": ["weekly", "monthly", "quarterly"],
    "midterm_review_kinds": ["outsourcing"],
    "contract_expiry_warning_days": 30,
}


@dataclass(frozen=True)
class Obligation:
    """Something a project owes by a date, and whether (and when) it was done."""

    key: str  # unique within a dossier: "report/weekly/2026-W40"
    what: str  # kickoff, minutes, weekly_report, midterm_review, contract_expiry, …
    title: str  # 周报 2026-W40
    title_en: str
    project: str
    due: Moment  # after moving off days off
    base_due: Moment
    done: bool
    done_at: Moment | None
    state: str  # on_time | late | done | open | overdue
    source: str  # JSON pointer of what creates the obligation
    target: str  # JSON pointer of what fulfils it (or where it would be recorded)
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    warn_from: dt.date | None = None

    @property
    def late(self) -> bool:
        return self.state in ("late", "overdue")


def _params(policy: Any) -> dict[str, Any]:
    params = getattr(policy, "parameters", policy)
    return {**DEFAULTS, **(params if isinstance(params, Mapping) else {})}


def _int(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULTS[name]


def _kinds(params: Mapping[str, Any], name: str) -> list[str]:
    value = params.get(name)
    return value if isinstance(value, list) else DEFAULTS[name]


class _Builder(PeriodicObligations):
    def __init__(
        self, data: Any, params: Mapping[str, Any], as_of: dt.date, calendar: Calendar
    ) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.params = params
        self.as_of = as_of
        self.calendar = calendar
        self.tz = zone(params.get("timezone"))
        self.project = (
            text(dig(self.data, "project", "id")) or text(dig(self.data, "project", "name")) or ""
        )
        self.out: list[Obligation] = []

    def _int(self, name: str) -> int:
        return _int(self.params, name)

    def _kinds(self, name: str) -> list[str]:
        return _kinds(self.params, name)

    # --- one obligation -----------------------------------------------------------------------

    def add(
        self,
        *,
        key: str,
        what: str,
        title: tuple[str, str],
        base_due: Moment,
        done: bool,
        done_at: Moment | None,
        source: str,
        target: str,
        read: dict[str, Any],
        rule: str,
        move: bool = True,
        warn_from: dt.date | None = None,
        note: str | None = None,
    ) -> None:
        if move and isinstance(base_due, dt.datetime):
            due, shift = self.calendar.shift_datetime(base_due)
        elif move:
            shift = self.calendar.shift(base_due)
            due = shift.due
        else:
            shift, due = Shift(_day(base_due), _day(base_due)), base_due
        state = _state(due, done, done_at, self.as_of)
        evidence: dict[str, Any] = {
            "read": read,
            "rule": rule,
            "base_due": iso(base_due),
            "due": iso(due),
        }
        if shift.reason:
            evidence["moved"] = shift.reason
            evidence["moved_zh"], evidence["moved_en"] = shift.reason_zh, shift.reason_en
        evidence["calendar"] = self.calendar.describe() if move else "not moved (a contract date)"
        if shift.unknown_years:
            evidence["unknown_years"] = list(shift.unknown_years)
            evidence["calendar_note"] = "; ".join(
                self.calendar.describe_unknown(y) for y in shift.unknown_years
            )
        if done_at is not None:
            evidence["done_at"] = iso(done_at)
            if state == "late":
                evidence["late_by"] = _lateness(due, done_at)
        elif state == "overdue":
            evidence["overdue_by"] = (
                f"{(self.as_of - _day(due)).days} day(s) as of {self.as_of.isoformat()}"
            )
        if note:
            evidence["note"] = note
        evidence["state"] = state
        self.out.append(
            Obligation(
                key,
                what,
                title[0],
                title[1],
                self.project,
                due,
                base_due,
                done,
                done_at,
                state,
                source,
                target,
                evidence,
                warn_from,
            )
        )

    # --- the obligations ----------------------------------------------------------------------

    def kickoff(self) -> None:
        if self.data.get("kind") not in _kinds(self.params, "kickoff_kinds"):
            return
        signed = to_date(dig(self.data, "contract", "signed_date"), self.tz)
        if signed is None:
            return
        days = _int(self.params, "kickoff_within_days")
        held, where = None, pointer("meetings")
        for index, meeting in items(self.data, "meetings"):
            if meeting.get("type") == "kickoff":
                start = to_date(meeting.get("start"), self.tz)
                if start is not None and (held is None or start < held):
                    held, where = start, pointer("meetings", index, "start")
        read = {"/contract/signed_date": signed.isoformat()}
        if held:
            read[where] = held.isoformat()
        self.add(
            key="kickoff",
            what="kickoff",
            title=("项目启动会", "kickoff meeting"),
            base_due=signed + dt.timedelta(days=days),
            done=held is not None,
            done_at=held,
            source="/contract/signed_date",
            target=where,
            read=read,
            rule=f"contract signed_date + {days} days (kickoff_within_days)",
        )

    def meetings(self) -> None:
        hours = _int(self.params, "minutes_within_hours")
        assign_hours = _int(self.params, "resolution_assign_within_hours")
        for index, meeting in items(self.data, "meetings"):
            end_ptr = pointer("meetings", index, "end" if "end" in meeting else "start")
            held = to_datetime(meeting.get("end"), self.tz) or to_datetime(
                meeting.get("start"), self.tz
            )
            if held is None:
                continue
            name = text(meeting.get("id")) or f"#{index + 1}"
            # Keys name the meeting by its id where it has one, so inserting a meeting does not
            # renumber the others (calendar UIDs are built from these keys).
            ref = text(meeting.get("id")) or str(index)
            filed = to_datetime(meeting.get("minutes_filed"), self.tz)
            read = {end_ptr: iso(held)}
            if filed:
                read[pointer("meetings", index, "minutes_filed")] = iso(filed)
            self.add(
                key=f"minutes/{ref}",
                what="minutes",
                title=(f"会议纪要 {name}", f"minutes of {name}"),
                base_due=held + dt.timedelta(hours=hours),
                done=filed is not None,
                done_at=filed,
                source=end_ptr,
                target=pointer("meetings", index, "minutes_filed"),
                read=read,
                rule=f"meeting end + {hours} hours (minutes_within_hours)",
            )
            for number, resolution in items(meeting, "resolutions"):
                self._resolution(index, ref, number, name, held, resolution, assign_hours)

    def _resolution(
        self,
        index: int,
        ref: str,
        number: int,
        name: str,
        held: dt.datetime,
        resolution: dict[str, Any],
        hours: int,
    ) -> None:
        at = pointer("meetings", index, "resolutions", number)
        owner, due_raw = text(resolution.get("owner")), resolution.get("due")
        due = to_datetime(due_raw, self.tz, end_of_day=True)
        assigned = to_datetime(resolution.get("assigned"), self.tz)
        complete = owner is not None and due is not None
        note = None
        if complete and assigned is None:
            assigned, note = (
                held,
                "no 'assigned' time recorded: owner and due date taken as set in the meeting",
            )
        read = {
            at + "/owner": owner,
            at + "/due": due_raw,
            at + "/assigned": resolution.get("assigned"),
        }
        label = f"{name} 决议{number + 1}"
        self.add(
            key=f"resolution-assignment/{ref}/{number}",
            what="resolution_assignment",
            title=(
                f"{label} 明确负责人和时限",
                f"owner and due date for resolution {number + 1} of {name}",
            ),
            base_due=held + dt.timedelta(hours=hours),
            done=complete,
            done_at=assigned if complete else None,
            source=at,
            target=at,
            read=read,
            rule=f"meeting end + {hours} hours (resolution_assign_within_hours)",
            note=note,
        )
        status = resolution.get("status")
        if due is not None and status != "cancelled":
            self.add(
                key=f"resolution/{ref}/{number}",
                what="resolution",
                title=(
                    f"{label}：{text(resolution.get('content')) or ''}"[:80],
                    f"resolution {number + 1} of {name}",
                ),
                base_due=to_date(due_raw, self.tz) if len(str(due_raw)) == 10 else due,
                done=status == "done",
                done_at=None,
                source=at + "/due",
                target=at + "/status",
                read={at + "/due": due_raw, at + "/status": status},
                rule="the resolution's own due date",
            )

    def emergencies(self) -> None:
        hours = _int(self.params, "emergency_explanation_within_hours")
        for index, emergency in items(self.data, "emergencies"):
            field_name = "action_time" if "action_time" in emergency else "occurred"
            acted = to_datetime(emergency.get(field_name), self.tz)
            if acted is None:
                continue
            filed = to_datetime(emergency.get("explanation_filed"), self.tz)
            at = pointer("emergencies", index)
            name = text(emergency.get("id")) or f"#{index + 1}"
            ref = text(emergency.get("id")) or str(index)
            read = {f"{at}/{field_name}": iso(acted)}
            if filed:
                read[at + "/explanation_filed"] = iso(filed)
            self.add(
                key=f"emergency-explanation/{ref}",
                what="emergency_explanation",
                title=(f"紧急处置书面说明 {name}", f"written explanation of emergency {name}"),
                base_due=acted + dt.timedelta(hours=hours),
                done=filed is not None,
                done_at=filed,
                source=f"{at}/{field_name}",
                target=at + "/explanation_filed",
                read=read,
                rule=f"action time + {hours} hours (emergency_explanation_within_hours)",
            )

    def contract(self) -> None:
        if dig(self.data, "project", "status") in ("closed", "cancelled"):
            return
        end = to_date(dig(self.data, "contract", "end_date"), self.tz)
        if end is None:
            return
        days = _int(self.params, "contract_expiry_warning_days")
        self.add(
            key="contract-expiry",
            what="contract_expiry",
            title=("合同到期", "contract expiry"),
            base_due=end,
            done=False,
            done_at=None,
            source="/contract/end_date",
            target="/contract/end_date",
            read={"/contract/end_date": end.isoformat()},
            rule=f"contract end_date; warn {days} days ahead (contract_expiry_warning_days)",
            move=False,
            warn_from=end - dt.timedelta(days=days),
        )
        renewal = mapping(dig(self.data, "contract", "renewal"))
        notice = renewal.get("notice_days")
        if renewal.get("auto") is True and isinstance(notice, int) and not isinstance(notice, bool):
            due = end - dt.timedelta(days=notice)
            self.add(
                key="renewal-notice",
                what="renewal_notice",
                title=(
                    "不续约通知（否则自动续约）",
                    "notice of non-renewal (else the contract renews)",
                ),
                base_due=due,
                done=False,
                done_at=None,
                source="/contract/renewal/notice_days",
                target="/contract/renewal",
                move=False,
                warn_from=due - dt.timedelta(days=days),
                read={
                    "/contract/end_date": end.isoformat(),
                    "/contract/renewal/notice_days": notice,
                },
                rule=f"contract end_date − {notice} days (renewal.notice_days)",
            )


def obligations(
    dossier: Any, policy: Any = None, *, as_of: dt.date, calendar: Calendar | None = None
) -> list[Obligation]:
    """Every obligation of one dossier (its data), in due-date order.

    ``policy`` is a Policy or a mapping of its parameters (defaults fill the gaps); ``calendar``
    defaults to the one the parameters describe.
    """
    params = _params(policy)
    builder = _Builder(dossier, params, as_of, calendar or Calendar.from_params(params))
    builder.kickoff()
    builder.meetings()
    builder.reports()
    builder.midterm_reviews()
    builder.emergencies()
    builder.contract()
    return sorted(builder.out, key=lambda o: (_sort_key(o.due), o.key))


# --- small helpers ----------------------------------------------------------------------------


def _day(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _sort_key(moment: Moment) -> tuple[dt.date, str]:
    return _day(moment), moment.isoformat()


def _state(due: Moment, done: bool, done_at: Moment | None, as_of: dt.date) -> str:
    if done_at is not None:
        if isinstance(due, dt.datetime) and isinstance(done_at, dt.datetime):
            return "late" if done_at > due else "on_time"
        return "late" if _day(done_at) > _day(due) else "on_time"
    if done:
        return "done"
    return "overdue" if as_of > _day(due) else "open"


def _lateness(due: Moment, done_at: Moment) -> str:
    if isinstance(due, dt.datetime) and isinstance(done_at, dt.datetime):
        hours = (done_at - due).total_seconds() / 3600
        return f"{hours:.1f} hour(s)" if hours < 48 else f"{hours / 24:.1f} day(s)"
    return f"{(_day(done_at) - _day(due)).days} day(s)"
