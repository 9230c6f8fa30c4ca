"""What is due: every upcoming and overdue obligation of a set of dossiers, on the working-day calendar.

A thin layer over ``itdocs.obligations``, which alone computes due dates (and moves them off
weekends and statutory holidays). This module picks the obligations still owed as of a day,
rolls auto-renewing contracts forward (an initial term, then tacit renewal unless notice is given
``notice_days`` before the end), and sorts them overdue first, then by due date::

    from itdocs.due import due
    for item in due(["samples/"], as_of=date(2026, 11, 21), within=14):
        print(item.due, item.project, item.title, item.moved or "")

An obligation done after ``as_of`` counts as still owed on that day, so ``as_of`` in the past shows
the list as it stood then. ``within`` (days) keeps what is overdue, what falls due within it, and
what is inside its warning period (a contract expiring in 30 days is shown with ``within=14``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itdocs import milestones
from itdocs.access import dig, text, zone
from itdocs.errors import ItdocsError, PolicyError, UsageError
from itdocs.loader import load
from itdocs.obligations import Obligation, obligations
from itdocs.policy import Policies, Policy
from itdocs.workdays import Calendar

Moment = dt.date | dt.datetime
OWED = ("overdue", "open")
MAX_WITHIN_DAYS = 3660
UID_DOMAIN = "itdocs"
UID_NAMESPACE = uuid.UUID(
    "6f1c1b2e-5d0a-4c1e-9a54-2f6f0e3b7c11"
)  # fixed for good: UIDs must never change
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class DueItem:
    """One obligation still owed by a project as of a day: what, by when, and why that day."""

    project: str  # the project id (its name when the dossier has no id)
    project_name: str
    kind: str | None
    file: str
    key: str  # stable within the project: "report/weekly/2026-W48"
    what: str  # weekly_report, minutes, contract_expiry, renewal_notice, contract_renewal, …
    title: str  # 周报 2026-W48
    title_en: str
    due: Moment
    base_due: Moment
    state: str  # overdue | open
    days: int  # due day − as-of day: negative when overdue
    moved: str | None  # why the due date is not the base due date (holiday, weekend)
    note: str | None  # what else a clerk should know: a make-up working day, a renewal
    warn_from: dt.date | None
    rule: str
    source: str  # JSON pointer of what creates the obligation
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def due_day(self) -> dt.date:
        return _day(self.due)

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def uid(self) -> str:
        """Stable across runs: project id and obligation key (a UUID when either is not plain).

        A calendar entry with this UID is updated, not duplicated, when imported again. ``/``
        becomes ``.``: some calendar servers name a stored event after its UID.
        """
        readable = f"{self.project}.{self.key.replace('/', '.')}"
        if _PLAIN.match(readable) and len(readable) <= 200:
            return f"{readable}@{UID_DOMAIN}"
        return f"{uuid.uuid5(UID_NAMESPACE, self.project + chr(10) + self.key)}@{UID_DOMAIN}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "project_name": self.project_name,
            "kind": self.kind,
            "file": self.file,
            "key": self.key,
            "what": self.what,
            "title": self.title,
            "title_en": self.title_en,
            "due": _iso(self.due),
            "base_due": _iso(self.base_due),
            "state": self.state,
            "days": self.days,
            "moved": self.moved,
            "note": self.note,
            "warn_from": _iso(self.warn_from),
            "rule": self.rule,
            "source": self.source,
            "uid": self.uid,
            "evidence": dict(self.evidence),
        }


@dataclass
class DueReport:
    """The outcome of ``due_report``: the items, and the files that could not be read."""

    items: list[DueItem]
    errors: list[ItdocsError]
    files: list[str]
    as_of: dt.date
    within: int | None
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)  # file → dossier data
    policies: dict[str, Policy] = field(default_factory=dict)  # file → the policy it answers to

    @property
    def overdue(self) -> list[DueItem]:
        return [item for item in self.items if item.overdue]


# --- durations --------------------------------------------------------------------------------


def parse_days(
    value: str | int | None, *, option: str = "--within", allow_none: bool = True
) -> int | None:
    """Days from ``14d``, ``2w``, ``14``; ``all``/``none``/``off`` is None (no limit, no reminder)."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        days = value
    else:
        raw = str(value).strip().lower()
        if raw in ("all", "none", "off") and allow_none:
            return None
        unit = {"d": 1, "w": 7}.get(raw[-1:], None)
        number = raw[:-1] if unit else raw
        if not number.isdigit():
            word = " or none" if option == "--remind" else " or all"
            raise UsageError(
                f"{option} {value!r}: write a number of days or weeks, e.g. 14d, 2w"
                + (word if allow_none else "")
            )
        days = int(number) * (unit or 1)
    if days is not None and days > MAX_WITHIN_DAYS:
        raise UsageError(f"{option} {value!r}: at most {MAX_WITHIN_DAYS} days")
    return days


# --- one dossier --------------------------------------------------------------------------------


def project_items(
    data: Any,
    policy: Policy | Mapping[str, Any] | None = None,
    *,
    as_of: dt.date,
    horizon: dt.date | None = None,
    file: str = "",
) -> list[DueItem]:
    """Every obligation of one dossier still owed as of ``as_of``, listing periods up to ``horizon``.

    ``obligations`` lists report periods up to the next one due after its ``as_of``; it is asked
    as of ``horizon`` so that every period up to it is there, and states are taken as of ``as_of``.
    """
    params = _params(policy)
    calendar = Calendar.from_params(params)
    listed = obligations(data, policy, as_of=max(as_of, horizon or as_of), calendar=calendar)
    listed = milestones.roll_forward(listed, data, params, as_of=as_of)
    listed += milestones.acceptance(data, params)
    kind = data.get("kind") if isinstance(data, dict) else None
    name = text(dig(data, "project", "name")) or ""
    items = []
    for ob in listed:
        state = _state_as_of(ob, as_of)
        if state in OWED:
            items.append(_item(ob, state, as_of, calendar, name=name, file=file, kind=kind))
    return items


def _state_as_of(ob: Obligation, as_of: dt.date) -> str:
    """The state on ``as_of``: something done later was still owed then."""
    if ob.done_at is not None and _day(ob.done_at) > as_of:
        return "overdue" if as_of > _day(ob.due) else "open"
    if ob.done or ob.done_at is not None:
        return ob.state
    return "overdue" if as_of > _day(ob.due) else "open"


def _item(
    ob: Obligation,
    state: str,
    as_of: dt.date,
    calendar: Calendar,
    *,
    name: str,
    file: str,
    kind: str | None,
) -> DueItem:
    evidence = {
        k: v
        for k, v in ob.evidence.items()
        if k not in ("state", "overdue_by", "done_at", "late_by")
    }
    days = (_day(ob.due) - as_of).days
    evidence["state"] = state
    evidence["as_of"] = as_of.isoformat()
    if state == "overdue":
        evidence["overdue_by"] = f"{-days} day(s) as of {as_of.isoformat()}"
    notes = [
        n
        for n in (
            evidence.get("renewal"),
            milestones.makeup_note(calendar, _day(ob.due)),
            milestones.day_off_note(calendar, ob),
        )
        if n
    ]
    if notes:
        evidence["notes"] = notes
    return DueItem(
        project=ob.project or name or Path(file).stem,
        project_name=name or ob.project,
        kind=kind,
        file=file,
        key=ob.key,
        what=ob.what,
        title=ob.title,
        title_en=ob.title_en,
        due=ob.due,
        base_due=ob.base_due,
        state=state,
        days=days,
        moved=ob.evidence.get("moved"),
        note="；".join(notes) or None,
        warn_from=ob.warn_from,
        rule=str(ob.evidence.get("rule", "")),
        source=ob.source,
        evidence=evidence,
    )


def select(items: Iterable[DueItem], *, as_of: dt.date, within: int | None) -> list[DueItem]:
    """Overdue items, items due within ``within`` days, and items inside their warning period."""
    if within is None:
        return list(items)
    last = as_of + dt.timedelta(days=within)
    return [
        i
        for i in items
        if i.overdue or i.due_day <= last or (i.warn_from is not None and i.warn_from <= as_of)
    ]


def sort_key(item: DueItem) -> tuple[Any, ...]:
    """Overdue first, then by due day and time, then project and key."""
    moment = item.due if isinstance(item.due, dt.datetime) else None
    return (
        not item.overdue,
        item.due_day,
        moment.timetz().isoformat() if moment else "",
        item.project,
        item.key,
    )


# --- many dossiers ----------------------------------------------------------------------------


def today(policy: Policy | None = None) -> dt.date:
    """Today in the organization's time zone (Asia/Shanghai unless the policy says otherwise)."""
    return dt.datetime.now(zone(policy.param("timezone") if policy else None)).date()


def due_report(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    within: int | None = None,
    policy: Policy | str | os.PathLike[str] | None = None,
) -> DueReport:
    """What is due across dossier files and folders; a file that cannot be read is listed in errors."""
    from itdocs.validation import iter_dossier_files

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if within is not None and within < 0:
        raise UsageError("within must be zero or more days")
    policies = Policies(policy)
    day = as_of or today(policies.given)
    horizon = day + dt.timedelta(days=within) if within is not None else None
    report = DueReport([], [], [], day, within)
    for path in iter_dossier_files(paths):
        report.files.append(str(path))
        try:
            file_policy = policies.for_file(path)
            document = load(path, display=str(path))
        except PolicyError:
            raise
        except ItdocsError as exc:
            report.errors.append(exc)
            continue
        report.projects[str(path)] = document.data if isinstance(document.data, dict) else {}
        report.policies[str(path)] = file_policy
        found = project_items(
            document.data, file_policy, as_of=day, horizon=horizon, file=str(path)
        )
        report.items.extend(select(found, as_of=day, within=within))
    report.items.sort(key=sort_key)
    return report


def due(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    within: int | None = None,
    policy: Policy | str | os.PathLike[str] | None = None,
) -> list[DueItem]:
    """Upcoming and overdue obligations across dossiers, overdue first, then by due date.

    Raises the first ``ItdocsError`` of a file that cannot be read; ``due_report`` collects them.
    """
    report = due_report(paths, as_of=as_of, within=within, policy=policy)
    if report.errors:
        raise report.errors[0]
    return report.items


# --- small helpers ----------------------------------------------------------------------------


def _params(policy: Any) -> dict[str, Any]:
    params = getattr(policy, "parameters", policy)
    return dict(params) if isinstance(params, Mapping) else {}


def _day(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _iso(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    return (
        moment.isoformat(timespec="minutes")
        if isinstance(moment, dt.datetime)
        else moment.isoformat()
    )
