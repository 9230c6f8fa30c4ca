"""Which documents a dossier calls for, and what each file is called.

The plan follows DOMAIN.md's document table: a document is planned when the dossier's kind needs it
*and* the dossier holds what it is made from (no acceptance report before there is an acceptance).
Periodic reports give one file per ``reports`` entry, minutes one per meeting, change requests one
per change. Everything else the kind needs but the dossier cannot yet fill is listed as omitted,
with the reason, so a run never silently leaves a document out.

Names follow the policy's ``naming`` parameters: ``{project}-{date}-{type}`` with the document's own
day (``2026年9月1日``) or, for reports, its period (``2026年第47周``, ``2026年10月``, ``2026年第3季度``).
Two documents that would share a name get ``（2）``, ``（3）`` in plan order — the same on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from itdocs import naming
from itdocs.context import local_date
from itdocs.errors import UsageError
from itdocs.naming import DOC_TYPES, DocType, Period, parse_period
from itdocs.policy import Policy

# The 类型 a kind files a document under when it differs from the type's own name (both are
# names the checker knows: they are aliases in naming.DOC_TYPES).
KIND_TITLES = {
    ("service_scheme", "affiliation"): "挂靠方案",
    ("requirement_form", "informatization"): "两化服务需求申请表",
}

# The KPI workbook beside a monthly report (an alias of monthly_report in naming.DOC_TYPES); its own
# 类型 keeps its PDF from colliding with the report's.
COMPANION_NAME = "月报附表"

# Word template of each type; the three periodic reports share one.
TEMPLATES = {
    "requirement_form": "requirement_form.docx",
    "approval_sheet": "approval_sheet.docx",
    "service_scheme": "service_scheme.docx",
    "contract": "contract.docx",
    "kickoff_minutes": "kickoff_minutes.docx",
    "meeting_minutes": "meeting_minutes.docx",
    "weekly_report": "periodic_report.docx",
    "monthly_report": "periodic_report.docx",
    "quarterly_report": "periodic_report.docx",
    "change_request": "change_request.docx",
    "acceptance_report": "acceptance_report.docx",
    "trial_run_report": "trial_run_report.docx",
}


@dataclass(frozen=True)
class PlannedDocument:
    """One file to write: its type, the dossier entry it comes from and its name."""

    doc_type: DocType
    type_name: str  # the 类型 part of the name, e.g. 挂靠方案
    date: dt.date  # the document's own date (a report: the last day of its period)
    period: Period | None = None
    index: int | None = None  # which meetings/reports/changes entry
    suffix: str = ".docx"
    filename: str = ""
    companion: bool = False  # the KPI workbook beside a monthly report

    @property
    def template(self) -> str | None:
        return TEMPLATES.get(self.doc_type.id) if self.suffix == ".docx" else None


@dataclass
class Plan:
    documents: list[PlannedDocument] = field(default_factory=list)
    omitted: list[tuple[str, str]] = field(default_factory=list)  # (type id, reason)


def _dates(values: Iterable[Any]) -> list[dt.date]:
    out = []
    for value in values:
        try:
            out.append(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return out


def _first_date(*candidates: Any) -> dt.date | None:
    for value in candidates:
        found = _dates([value])
        if found:
            return found[0]
    return None


def _req_date(data: Mapping[str, Any]) -> dt.date:
    return _first_date(data.get("requirement", {}).get("date")) or dt.date(2000, 1, 1)


def _single(data: Mapping[str, Any], type_id: str) -> tuple[dt.date | None, str]:
    """The date of a one-per-dossier document, or None and why it cannot be made yet."""
    approvals = data.get("approvals") or []
    if type_id == "requirement_form":
        return _req_date(data), ""
    if type_id == "approval_sheet":
        dates = _dates(a.get("date") for a in approvals)
        return (max(dates) if dates else _req_date(data)), ""
    if type_id == "supplier_evaluation":
        sel = data.get("suppliers")
        if not sel:
            return None, "档案中没有供应商选择 (no suppliers section)"
        return _first_date(sel.get("date")) or _req_date(data), ""
    if type_id == "service_scheme":
        scheme = data.get("scheme")
        if not scheme:
            return None, "档案中没有方案 (no scheme section)"
        review = scheme.get("review") or {}
        return _first_date(scheme.get("date"), review.get("date")) or _req_date(data), ""
    if type_id == "contract":
        contract = data.get("contract")
        if not contract:
            return None, "档案中没有合同 (no contract section)"
        return _first_date(contract.get("signed_date"), contract.get("start_date")) or _req_date(
            data
        ), ""
    if type_id == "acceptance_report":
        acceptance = data.get("acceptance")
        if not acceptance:
            return None, "档案中没有验收记录 (no acceptance section)"
        return _first_date(acceptance.get("date")) or _req_date(data), ""
    if type_id == "performance_evaluation":
        performance = data.get("performance")
        if not performance:
            return None, "档案中没有绩效评价 (no performance section)"
        return _first_date(performance.get("date")) or _req_date(data), ""
    if type_id == "risk_register":
        dates = _dates(r.get("identified") for r in data.get("risks") or [])
        return (max(dates) if dates else _req_date(data)), ""
    if type_id == "trial_run_report":
        report = ((data.get("improvement") or {}).get("trial_run") or {}).get("report")
        if not report:
            return None, "档案中没有试运行评估报告 (no improvement.trial_run.report)"
        return _first_date(report.get("date")) or _req_date(data), ""
    raise KeyError(type_id)


def _repeated(data: Mapping[str, Any], kind: str, tz: str) -> Iterable[PlannedDocument]:
    """Minutes (one per meeting), reports (one per period), change requests (one per change)."""
    kickoff_type = (
        "kickoff_minutes" if kind in DOC_TYPES["kickoff_minutes"].kinds else "meeting_minutes"
    )
    for index, meeting in enumerate(data.get("meetings") or []):
        type_id = kickoff_type if meeting.get("type") == "kickoff" else "meeting_minutes"
        try:
            day = local_date(meeting["start"], tz)
        except (KeyError, ValueError):
            day = _req_date(data)
        yield PlannedDocument(DOC_TYPES[type_id], DOC_TYPES[type_id].name, day, index=index)
    for index, report in enumerate(data.get("reports") or []):
        period = parse_period(report["period"])
        doc_type = naming.PERIODIC[report["type"]]
        yield PlannedDocument(doc_type, doc_type.name, period.end, period=period, index=index)
        if report["type"] == "monthly" and (report.get("kpis") or report.get("cost")):
            yield PlannedDocument(
                doc_type,
                COMPANION_NAME,
                period.end,
                period=period,
                index=index,
                suffix=".xlsx",
                companion=True,
            )
    for index, change in enumerate(data.get("changes") or []):
        day = _first_date(change.get("date")) or _req_date(data)
        yield PlannedDocument(
            DOC_TYPES["change_request"], DOC_TYPES["change_request"].name, day, index=index
        )


def parse_only(only: str | Iterable[str] | None) -> set[str] | None:
    """``--only`` values (repeatable, comma-separated) as type ids; UsageError for unknown ones."""
    if only is None:
        return None
    items = [only] if isinstance(only, str) else list(only)
    wanted = {part.strip() for item in items for part in item.split(",") if part.strip()}
    unknown = sorted(wanted - DOC_TYPES.keys())
    if unknown:
        raise UsageError(
            f"unknown document type {', '.join(unknown)}", hint="one of: " + ", ".join(DOC_TYPES)
        )
    return wanted or None


def check_period(period: str | None) -> Period | None:
    if period is None:
        return None
    try:
        return parse_period(period)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def plan_documents(
    data: Mapping[str, Any],
    *,
    policy: Policy,
    only: set[str] | None = None,
    period: Period | None = None,
) -> Plan:
    """Every document of the dossier (filtered by ``only`` / ``period``), named and unique."""
    kind = data["kind"]
    tz = policy.param("timezone", "Asia/Shanghai")
    plan = Plan()
    repeated = list(_repeated(data, kind, tz))
    for doc_type in DOC_TYPES.values():
        if kind not in doc_type.kinds:
            continue
        if (
            doc_type.id in ("meeting_minutes", "kickoff_minutes", "change_request")
            or doc_type.period
        ):
            plan.documents.extend(d for d in repeated if d.doc_type.id == doc_type.id)
            continue
        day, reason = _single(data, doc_type.id)
        if day is None:
            plan.omitted.append((doc_type.id, reason))
            continue
        type_name = KIND_TITLES.get((doc_type.id, kind), doc_type.name)
        plan.documents.append(PlannedDocument(doc_type, type_name, day, suffix=doc_type.suffix))
    if only is not None:
        plan.documents = [d for d in plan.documents if d.doc_type.id in only]
        plan.omitted = [o for o in plan.omitted if o[0] in only]
    if period is not None:
        plan.documents = [d for d in plan.documents if d.period and d.period.key == period.key]
        plan.omitted = []
    plan.documents = name_documents(plan.documents, project=data["project"]["name"], policy=policy)
    return plan


def name_documents(
    documents: list[PlannedDocument], *, project: str, policy: Policy
) -> list[PlannedDocument]:
    """Give each document its file name; the second of two equal names gets （2）, and so on.

    Names are compared without their suffix and without case, so no two files of a run share a PDF
    name and none differ only in case (which Windows and macOS would treat as the same file).
    """
    pattern = policy.param("naming.pattern", naming.DEFAULT_PATTERN)
    max_bytes = int(policy.param("naming.max_bytes", naming.MAX_NAME_BYTES))
    formats = {**naming.DATE_FORMATS, **(policy.param("naming.date_formats") or {})}
    taken: set[str] = set()
    named = []
    for doc in documents:
        token = (
            naming.period_token(doc.period, formats=formats)
            if doc.period
            else naming.date_token(doc.date, formats=formats)
        )
        sequence = 1
        while True:
            type_name = doc.type_name if sequence == 1 else f"{doc.type_name}（{sequence}）"
            name = naming.document_name(
                project, token, type_name, doc.suffix, pattern=pattern, max_bytes=max_bytes
            )
            name = name.lstrip(". ") or "_" + doc.suffix  # never a hidden file
            stem = name[: -len(doc.suffix)].casefold()
            if stem not in taken:
                break
            sequence += 1
        taken.add(stem)
        named.append(replace(doc, filename=name))
    return named
