"""The project ledger (项目台账, xlsx) of a set of dossiers: one row per project.

Each row: project, kind, department, manager, supplier, contract number and amount, signing
date and service term, renewal, status, stage, the next deadline, how many obligations are
overdue, and the open findings of the rules engine (``itdocs.engine.check``, waivers applied) by
severity. The workbook itself (项目台账 and 期限清单 sheets) is laid out by ``itdocs.ledger_xlsx``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from itdocs.access import dig, money, text, to_date, zone
from itdocs.due import DueItem, DueReport, due_report, project_items
from itdocs.errors import ItdocsError
from itdocs.fileio import FileExists, atomic_write
from itdocs.ledger_xlsx import ledger_workbook
from itdocs.policy import Policy


@dataclass(frozen=True)
class LedgerRow:
    """One project of the ledger."""

    file: str
    project: str
    name: str = ""
    kind: str | None = None
    department: str | None = None
    manager: str | None = None
    supplier: str | None = None
    contract_number: str | None = None
    amount: Decimal | None = None
    signed: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    renewal: str | None = None
    status: str | None = None
    stage: str | None = None
    next_due: DueItem | None = None
    overdue: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # severity → open findings
    error: str | None = None  # the file could not be read


@dataclass
class Ledger:
    """The rows, the deadlines sheet's items, and the files that could not be read."""

    rows: list[LedgerRow]
    deadlines: DueReport
    as_of: dt.date
    findings_checked: bool = True
    errors: list[ItdocsError] = field(default_factory=list)


def renewal_text(data: Any) -> str | None:
    renewal = dig(data, "contract", "renewal")
    if not isinstance(renewal, dict):
        return None
    if renewal.get("auto") is not True:
        return "不自动续约"
    parts = ["自动续约"]
    if isinstance(renewal.get("term_months"), int):
        parts.append(f"每期 {renewal['term_months']} 个月")
    if isinstance(renewal.get("notice_days"), int):
        parts.append(f"提前 {renewal['notice_days']} 天通知")
    return "，".join(parts)


def project_row(
    file: str, data: Any, items: list[DueItem], findings: dict[str, int], *, tz: str | None = None
) -> LedgerRow:
    """The ledger row of one dossier; ``items`` are its owed obligations (``due.project_items``)."""
    zone_ = zone(tz)
    amount = money(dig(data, "contract", "amount"))
    upcoming = [item for item in items if not item.overdue]
    return LedgerRow(
        file=file,
        project=text(dig(data, "project", "id")) or Path(file).stem,
        name=text(dig(data, "project", "name")) or "",
        kind=dig(data, "kind") if isinstance(data, dict) else None,
        department=text(dig(data, "project", "department")),
        manager=text(dig(data, "project", "manager")),
        supplier=text(dig(data, "parties", "supplier", "name")),
        contract_number=text(dig(data, "contract", "number")),
        amount=amount,
        signed=to_date(dig(data, "contract", "signed_date"), zone_),
        start=to_date(dig(data, "contract", "start_date"), zone_),
        end=to_date(dig(data, "contract", "end_date"), zone_),
        renewal=renewal_text(data),
        status=text(dig(data, "project", "status")),
        stage=text(dig(data, "project", "stage")),
        next_due=upcoming[0] if upcoming else None,
        overdue=sum(1 for item in items if item.overdue),
        findings=findings,
    )


def _findings_by_file(
    paths: list[str], *, policy: Any, as_of: dt.date
) -> dict[str, dict[str, int]]:
    """Open findings per dossier file and severity, after waivers, from the rules engine."""
    from itdocs.engine import check

    report = check(paths, policy=policy, as_of=as_of)
    counts: dict[str, dict[str, int]] = {}
    for finding in report.findings:
        per_file = counts.setdefault(finding.file, {})
        per_file[finding.severity] = per_file.get(finding.severity, 0) + 1
    return counts


def build_ledger(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    within: int | None = 30,
    policy: Policy | str | os.PathLike[str] | None = None,
    findings: bool = True,
) -> Ledger:
    """The ledger of every dossier under ``paths``; unreadable files get a row saying so."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [str(p) for p in paths]
    report = due_report(paths, as_of=as_of, within=within, policy=policy)
    counts = _findings_by_file(paths, policy=policy, as_of=report.as_of) if findings else {}
    unreadable = {str(error.file): error for error in report.errors}
    rows = []
    for file in report.files:
        if file in unreadable:
            rows.append(LedgerRow(file, Path(file).stem, error=str(unreadable[file])))
            continue
        data = report.projects[file]
        file_policy = report.policies[file]
        items = project_items(data, file_policy, as_of=report.as_of, file=file)
        rows.append(
            project_row(file, data, items, counts.get(file, {}), tz=file_policy.param("timezone"))
        )
    return Ledger(rows, report, report.as_of, findings, list(report.errors))


def write_ledger(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    within: int | None = 30,
    policy: Policy | str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Ledger:
    """Build the ledger and write it atomically; refuse to replace ``output`` unless ``force``."""
    target = Path(output)
    if target.exists() and not force:  # before the work, not after it
        raise FileExists(
            "文件已存在，未覆盖 (exists; not overwritten)",
            file=str(target),
            hint="use --force to replace it",
        )
    ledger = build_ledger(paths, as_of=as_of, within=within, policy=policy)
    atomic_write(target, ledger_workbook(ledger), force=force)
    return ledger
