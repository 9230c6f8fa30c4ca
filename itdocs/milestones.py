"""Obligations ``itdocs.obligations`` does not list yet, and the notes a clerk reads next to a due date.

**Tacit renewal.** An auto-renewing contract (``contract.renewal: {auto: true, notice_days: 60,
term_months: 12}``) runs its initial term (``start_date`` to ``end_date``) and then renews for
``term_months`` at a time unless notice of non-renewal reaches the other party ``notice_days``
before the term ends. Once a notice deadline has passed without notice (the dossier records
none), the next term is certain, so what is owed moves to that term: its notice deadline and its
end. ``obligations`` lists the initial term only (``contract-expiry``, ``renewal-notice``);
``roll_forward`` moves those to the term in force as of a day, keyed ``contract-expiry/term2``
and so on, so that a calendar entry keeps its identity from one export to the next.

**Acceptance** (验收) by the planned end date, until ``acceptance.date`` records it.

**Notes**: a due date on a make-up working day (调休) that therefore did not move; a notice
deadline or planned acceptance on a day off, which is not moved later (act the day before).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import chinese_calendar

from itdocs.access import dig, mapping, text, to_date, zone
from itdocs.obligations import DEFAULTS, Obligation
from itdocs.workdays import HOLIDAY_ZH, WEEKDAY_NAMES, Calendar

MAX_TERMS = 1200  # a hundred years of monthly renewals; stops a runaway loop
CONTRACT_KEYS = ("contract-expiry", "renewal-notice")
BY_THE_DAY_BEFORE = {  # dates a contract or plan sets: on a day off, act the working day before
    "renewal_notice": ("请于前一工作日送达通知", "deliver the notice by"),
    "acceptance": ("请于前一工作日完成验收", "complete acceptance by"),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def next_term_end(end: dt.date, months: int) -> dt.date:
    """The last day of the term that starts the day after ``end`` and runs ``months`` months."""
    return add_months(end + dt.timedelta(days=1), months) - dt.timedelta(days=1)


def whole_months(start: dt.date, end: dt.date) -> int | None:
    """The length of ``start``..``end`` (both included) in months, when it is a whole number."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months if months >= 1 and add_months(start, months) == after else None


@dataclasses.dataclass(frozen=True)
class Terms:
    """How an auto-renewing contract renews."""

    end: dt.date  # end of the initial term
    notice_days: int | None
    months: int
    months_note: str  # where ``months`` came from


def renewal_terms(data: Any, params: Mapping[str, Any]) -> Terms | None:
    """The renewal terms of a running auto-renewing contract, or None."""
    if dig(data, "project", "status") in ("closed", "cancelled"):
        return None
    renewal = mapping(dig(data, "contract", "renewal"))
    tz = zone(params.get("timezone"))
    end = to_date(dig(data, "contract", "end_date"), tz)
    if renewal.get("auto") is not True or end is None:
        return None
    notice = renewal.get("notice_days")
    notice = (
        notice if isinstance(notice, int) and not isinstance(notice, bool) and notice >= 0 else None
    )
    months = renewal.get("term_months")
    if isinstance(months, int) and not isinstance(months, bool) and months >= 1:
        return Terms(end, notice, months, "renewal.term_months")
    start = to_date(dig(data, "contract", "start_date"), tz)
    initial = whole_months(start, end) if start else None
    if initial:
        return Terms(end, notice, initial, "no renewal.term_months: the initial term's length")
    return Terms(
        end, notice, 12, "no renewal.term_months and no whole-month initial term: 12 months assumed"
    )


def current_term(terms: Terms, as_of: dt.date) -> tuple[int, dt.date, dt.date | None]:
    """(number, end, end of the term before) of the first term whose notice deadline is not past."""
    lead = terms.notice_days or 0
    number, end, previous = 1, terms.end, None
    while end - dt.timedelta(days=lead) < as_of and number < MAX_TERMS:
        previous, end = end, next_term_end(end, terms.months)
        number += 1
    return number, end, previous


def roll_forward(
    listed: list[Obligation], data: Any, params: Mapping[str, Any], *, as_of: dt.date
) -> list[Obligation]:
    """``listed`` with the contract's expiry and notice moved to the term in force as of ``as_of``."""
    terms = renewal_terms(data, params)
    expiry = next((ob for ob in listed if ob.key == "contract-expiry"), None)
    if terms is None or expiry is None:
        return listed
    number, end, previous = current_term(terms, as_of)
    if previous is None:  # still the initial term: say what happens without notice
        renewed_to = next_term_end(end, terms.months)
        by = (
            "到期前"
            if terms.notice_days is None
            else f" {end - dt.timedelta(days=terms.notice_days)} 前"
        )
        note = (
            f"未在{by}发出不续约通知则 {end} 到期后自动续约 {terms.months} 个月至 {renewed_to} "
            f"(renews tacitly to {renewed_to} unless notice of non-renewal is given)"
        )
        return [_with_note(ob, note) if ob.key in CONTRACT_KEYS else ob for ob in listed]
    kept = [ob for ob in listed if ob.key not in CONTRACT_KEYS]
    kept += _term_obligations(expiry, terms, number, end, previous, as_of=as_of, params=params)
    return sorted(kept, key=lambda ob: (_day(ob.due), ob.key))


def _term_obligations(
    template: Obligation,
    terms: Terms,
    number: int,
    end: dt.date,
    previous: dt.date,
    *,
    as_of: dt.date,
    params: Mapping[str, Any],
) -> list[Obligation]:
    """Term ``number``'s end and notice deadline, and its start while it is still ahead."""
    start = previous + dt.timedelta(days=1)
    warning = _warning_days(params)
    base = {
        "read": {
            "/contract/end_date": terms.end.isoformat(),
            "/contract/renewal/notice_days": terms.notice_days,
            "/contract/renewal/term_months": terms.months,
        },
        "calendar": "not moved (a contract date)",
        "renewal": f"初始期限至 {terms.end}，未记录不续约通知，按每期 {terms.months} 个月自动续约 → "
        f"第 {number} 期 {start} 至 {end} (no notice of non-renewal recorded: term {number} runs "
        f"{start} to {end})",
        "term": number,
        "term_end": end.isoformat(),
        "term_months_from": terms.months_note,
    }

    def make(
        key: str, what: str, title: tuple[str, str], due: dt.date, warn: dt.date, rule: str
    ) -> Obligation:
        evidence = {**base, "rule": rule, "base_due": due.isoformat(), "due": due.isoformat()}
        return dataclasses.replace(
            template,
            key=f"{key}/term{number}",
            what=what,
            title=title[0],
            title_en=title[1],
            due=due,
            base_due=due,
            done=False,
            done_at=None,
            state="open",
            source="/contract/renewal",
            target="/contract/renewal",
            evidence=evidence,
            warn_from=warn,
        )

    out = [
        make(
            "contract-expiry",
            "contract_expiry",
            (f"合同到期（第 {number} 期）", f"contract expiry (term {number})"),
            end,
            end - dt.timedelta(days=warning),
            f"term {number} end: initial end_date + {number - 1} renewal(s) of {terms.months} month(s)",
        )
    ]
    if terms.notice_days is not None:
        notice = end - dt.timedelta(days=terms.notice_days)
        out.append(
            make(
                "renewal-notice",
                "renewal_notice",
                (
                    f"不续约通知（第 {number} 期，否则自动续约）",
                    f"notice of non-renewal (term {number})",
                ),
                notice,
                notice - dt.timedelta(days=warning),
                f"term {number} end − {terms.notice_days} days (renewal.notice_days)",
            )
        )
    if previous >= as_of:
        out.append(
            make(
                "contract-renewal",
                "contract_renewal",
                (
                    f"合同自动续约生效（第 {number} 期 {start} 至 {end}）",
                    f"contract renews (term {number}, {start} to {end})",
                ),
                start,
                previous - dt.timedelta(days=warning),
                "the day after the previous term ends",
            )
        )
    return out


def _with_note(ob: Obligation, note: str) -> Obligation:
    return dataclasses.replace(ob, evidence={**ob.evidence, "renewal": note})


def acceptance(data: Any, params: Mapping[str, Any]) -> list[Obligation]:
    """Acceptance (验收) by the planned end date (``project.end_date``), for every kind but improvement.

    The seeds set no deadline for acceptance, so the plan's own end date is the one a clerk
    watches. A planned date is not moved later (on a day off the note says to finish the working
    day before); it is done on ``acceptance.date``.
    """
    if not isinstance(data, dict) or data.get("kind") == "improvement":
        return []
    tz = zone(params.get("timezone"))
    planned = to_date(dig(data, "project", "end_date"), tz)
    accepted = to_date(dig(data, "acceptance", "date"), tz)
    status = dig(data, "project", "status")
    if planned is None or status == "cancelled" or (status == "closed" and accepted is None):
        return []
    read = {"/project/end_date": planned.isoformat()}
    evidence: dict[str, Any] = {
        "read": read,
        "rule": "acceptance by the planned end date (project.end_date)",
        "base_due": planned.isoformat(),
        "due": planned.isoformat(),
        "calendar": "not moved (a planned date)",
    }
    if accepted is not None:
        read["/acceptance/date"] = evidence["done_at"] = accepted.isoformat()
    warning = _warning_days(params)
    project = text(dig(data, "project", "id")) or text(dig(data, "project", "name")) or ""
    state = ("late" if accepted > planned else "on_time") if accepted else "open"
    return [
        Obligation(
            "acceptance",
            "acceptance",
            "项目验收",
            "acceptance",
            project,
            planned,
            planned,
            accepted is not None,
            accepted,
            state,
            "/project/end_date",
            "/acceptance/date",
            evidence,
            planned - dt.timedelta(days=warning),
        )
    ]


# --- notes for a clerk ------------------------------------------------------------------------


def makeup_note(calendar: Calendar, day: dt.date) -> str | None:
    """Why a weekend day is a working day (调休), so a due date on it did not move."""
    if not calendar.enabled or day.weekday() < 5 or not calendar.is_workday(day):
        return None
    weekday = WEEKDAY_NAMES[day.weekday()]
    if day in calendar.extra_workdays:
        return f"{day} {weekday} 为单位工作日 organization working day (policy extra_workdays)"
    name = None
    if calendar.knows(day.year):
        _, name = chinese_calendar.get_holiday_detail(day)
    why = (
        f"（{HOLIDAY_ZH.get(name, name)}调休）make-up working day for {name}"
        if name
        else "make-up working day"
    )
    return f"{day} {weekday} 为调休上班日{why}: not moved"


def day_off_note(calendar: Calendar, ob: Obligation) -> str | None:
    """A notice deadline or planned acceptance on a day off: not moved later, so act the working day before."""
    day = _day(ob.due)
    if ob.what not in BY_THE_DAY_BEFORE or not calendar.enabled or calendar.is_workday(day):
        return None
    before = day - dt.timedelta(days=1)
    for _ in range(60):
        if calendar.is_workday(before):
            break
        before -= dt.timedelta(days=1)
    zh, en = BY_THE_DAY_BEFORE[ob.what]
    return f"{day} {calendar.day_off_reason(day)} 为休息日，不顺延：{zh} {before} (a day off, not moved: {en} {before})"


def _warning_days(params: Mapping[str, Any]) -> int:
    value = params.get("contract_expiry_warning_days")
    ok = isinstance(value, int) and not isinstance(value, bool)
    return value if ok else DEFAULTS["contract_expiry_warning_days"]


def _day(moment: dt.date | dt.datetime) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment
