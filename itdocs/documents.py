"""The context of each document: the dossier view plus what that one document adds.

Every document gets the whole dossier (``project``, ``parties``, ``contract`` …, see
``itdocs.context``) and ``doc`` (its type, title, date, period) and ``signatures`` (one row per role
that signs it). A document made from one entry of a list also gets that entry: ``meeting``,
``report``, ``change``; the trial-run report gets ``trial_run`` and ``proposal``.

``SOURCES`` says where each top-level variable comes from in the schema and ``DERIVED`` lists the
fields computed here rather than read from the dossier; tests/test_templates.py holds every template
variable to one of the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itdocs import __version__, amounts, naming
from itdocs.context import (
    Record,
    cn_date,
    dossier_view,
    label,
)
from itdocs.plan import PlannedDocument
from itdocs.policy import Policy
from itdocs.signatures import BUILDERS

SOURCES: dict[str, str | None] = {
    # dossier sections (schema path; "[]" marks one item of a list)
    "kind": "kind",
    "version": "version",
    "project": "project",
    "parties": "parties",
    "requirement": "requirement",
    "approvals": "approvals",
    "suppliers": "suppliers",
    "scheme": "scheme",
    "contract": "contract",
    "meetings": "meetings",
    "reports": "reports",
    "changes": "changes",
    "risks": "risks",
    "emergencies": "emergencies",
    "acceptance": "acceptance",
    "performance": "performance",
    "cost": "cost",
    "filings": "filings",
    "improvement": "improvement",
    "meeting": "meetings[]",
    "report": "reports[]",
    "change": "changes[]",
    "trial_run": "improvement.trial_run",
    "proposal": "improvement.proposals[]",
    # made by the generator
    "doc": None,
    "signatures": None,
}

DERIVED = {
    "doc.type",
    "doc.name",
    "doc.title",
    "doc.kind",
    "doc.kind_label",
    "doc.date",
    "doc.period",
    "doc.period_label",
    "doc.period_text",
    "doc.affiliation",
    "doc.third_party_required",
    "doc.generator",
    "signatures[].role",
    "signatures[].name",
    "signatures[].date",
    "project.budget_capital",
    "requirement.budget_capital",
    "contract.amount_capital",
    "contract.term",
    "contract.payment[].amount_capital",
    "scheme.budget_total",
    "scheme.budget_total_capital",
    "meeting.time",
    "meeting.attendee_list",
    "report.deviation",
    "report.cost.variance",
    "report.cost.rate",
    "change.cost_text",
    "change.schedule_text",
    "acceptance.checklist",
    "acceptance.checklist[].label",
    "acceptance.checklist[].present",
    "acceptance.summary",
    "acceptance.summary[].name",
    "acceptance.summary[].total",
    "acceptance.summary[].passed",
    "acceptance.verdict_options",
    "acceptance.verdict_options[].label",
    "acceptance.verdict_options[].checked",
    "acceptance.third_party_name",
}

REQUIRED_ATTACHMENTS = ("result_report", "test_report", "user_manual", "operation_guide")
_ATTACHMENT_CODES = (*REQUIRED_ATTACHMENTS, "other")
_CATEGORY_ORDER = (
    "function",
    "performance",
    "data_accuracy",
    "user_experience",
    "security",
    "documentation",
    "other",
)


def _capital(value: Any) -> str:
    return amounts.capitals(value) if value not in (None, "") else ""


def base_view(data: Mapping[str, Any], *, policy: Policy) -> dict[str, Any]:
    """The dossier view with the money capitals and the approval chain every document may use."""
    tz = policy.param("timezone", "Asia/Shanghai")
    ctx = dossier_view(data, tz=tz)
    project, requirement, contract, scheme = (
        data.get(k) or {} for k in ("project", "requirement", "contract", "scheme")
    )
    ctx["project"]["budget_capital"] = _capital(project.get("budget"))
    ctx["requirement"]["budget_capital"] = _capital(requirement.get("budget"))
    ctx["contract"]["amount_capital"] = _capital(contract.get("amount"))
    view_contract = ctx["contract"]
    view_contract["term"] = (
        f"{view_contract['start_date']}至{view_contract['end_date']}"
        if contract.get("start_date")
        else ""
    )
    for row, raw in zip(view_contract["payment"], contract.get("payment") or []):
        row["amount_capital"] = _capital(raw.get("amount"))
    budget = amounts.total([i["amount"] for i in scheme.get("budget_items") or []])
    ctx["scheme"]["budget_total"] = amounts.figures(budget) if scheme.get("budget_items") else ""
    ctx["scheme"]["budget_total_capital"] = (
        amounts.capitals(budget) if scheme.get("budget_items") else ""
    )
    ctx["approvals"] = approval_rows(data, ctx, policy)
    _acceptance_extras(data, ctx)
    return ctx


def approval_rows(data: Mapping[str, Any], ctx: Mapping[str, Any], policy: Policy) -> list[Record]:
    """The policy's approval chain in order, each step filled from the dossier where recorded.

    A step nobody has signed yet still gets its row (blank, to sign by hand); approvals the dossier
    records beyond the chain follow it.
    """
    recorded = list(zip(data.get("approvals") or [], ctx["approvals"]))
    rows, used = [], set()
    for step in policy.param("approval_chain") or []:
        match = next(
            (
                i
                for i, (raw, _) in enumerate(recorded)
                if raw.get("role") == step["role"] and i not in used
            ),
            None,
        )
        if match is None:
            rows.append(
                Record(
                    "approvals[]",
                    {
                        "role": step["role"],
                        "title": step.get("title", step["role"]),
                        "name": "",
                        "date": "",
                        "opinion": "",
                        "decision": "",
                    },
                )
            )
            continue
        used.add(match)
        row = Record("approvals[]", recorded[match][1])
        row["title"] = row["title"] or step.get("title", step["role"])
        rows.append(row)
    rows.extend(Record("approvals[]", v) for i, (_, v) in enumerate(recorded) if i not in used)
    return rows


def _acceptance_extras(data: Mapping[str, Any], ctx: dict[str, Any]) -> None:
    raw = data.get("acceptance") or {}
    view = ctx["acceptance"]
    attached = set((raw.get("application") or {}).get("attachments") or [])
    view["checklist"] = [
        Record(
            "acceptance.checklist[]",
            {"label": label(_ATTACHMENT_CODES, code), "present": code in attached},
        )
        for code in REQUIRED_ATTACHMENTS
    ]
    criteria = list(zip(raw.get("criteria") or [], view["criteria"]))
    criteria.sort(key=lambda pair: _CATEGORY_ORDER.index(pair[0].get("category", "other")))
    view["criteria"] = [v for _, v in criteria]
    summary = []
    for code in _CATEGORY_ORDER:
        rows = [r for r, _ in criteria if r.get("category", "other") == code]
        if rows:
            summary.append(
                Record(
                    "acceptance.summary[]",
                    {
                        "name": label(_CATEGORY_ORDER, code),
                        "total": len(rows),
                        "passed": sum(1 for r in rows if r.get("passed")),
                    },
                )
            )
    view["summary"] = summary
    view["verdict_options"] = [
        Record(
            "acceptance.verdict_options[]",
            {
                "label": label(("pass", "rectify", "fail"), code),
                "checked": raw.get("verdict") == code,
            },
        )
        for code in ("pass", "rectify", "fail")
    ]
    view["third_party_name"] = (raw.get("third_party") or {}).get("name") or next(
        (
            m.get("organization", "")
            for m in raw.get("team") or []
            if m.get("role") == "third_party"
        ),
        "",
    )


def doc_record(
    doc: PlannedDocument,
    data: Mapping[str, Any],
    ctx: Mapping[str, Any],
    *,
    formats: Mapping[str, str] | None = None,
) -> Record:
    kind = data["kind"]
    title = doc.type_name
    if doc.period:
        title = f"项目{doc.doc_type.name}"
    period_label = period_text = ""
    if doc.period:
        p = doc.period
        period_label = f"{cn_date(p.start)}至{cn_date(p.end)}"
        period_text = naming.period_token(p, formats={**naming.DATE_FORMATS, **(formats or {})})
    return Record(
        "doc",
        {
            "type": doc.doc_type.id,
            "name": doc.type_name,
            "title": title,
            "kind": kind,
            "kind_label": ctx["kind"],
            "date": cn_date(doc.date),
            "period": doc.period.key if doc.period else "",
            "period_label": period_label,
            "period_text": period_text,
            "affiliation": kind == "affiliation",
            "third_party_required": kind == "outsourcing",
            "generator": f"itdocs {__version__}",
        },
    )


def document_context(
    doc: PlannedDocument, data: Mapping[str, Any], base: Mapping[str, Any], *, policy: Policy
) -> dict[str, Any]:
    """The context of one document: a fresh copy of the dossier view plus its own entries."""
    ctx = _copy(base)
    ctx["doc"] = doc_record(doc, data, ctx, formats=policy.param("naming.date_formats"))
    ctx["signatures"] = BUILDERS[doc.doc_type.id](
        ctx, data, doc, policy.param("timezone", "Asia/Shanghai")
    )
    return ctx


def _copy(value: Any) -> Any:
    """Deep copy of the view (Records keep their paths) so one document's extras stay its own."""
    if isinstance(value, Record):
        return Record(value._path, {k: _copy(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
