"""Who signs each document, and the list entry a document is made from.

One function per document type: it adds the entry the document renders (``meeting``, ``report``,
``change``, ``trial_run``/``proposal``) with its derived fields, and returns the signature rows —
one per role that signs, filled with name and date where the dossier records them and blank (to
sign by hand) where it does not:

- requirement form: 申请人, 申请部门负责人, 信息技术部门初步评估;
- approval sheet: the policy's approval chain (部门负责人初审 → 财务部复审 → CEO终审);
- service scheme: 方案编制人 and every reviewer;
- contract: both parties' authorized representatives and 法务审核;
- minutes: 会议主持人 and 会议记录人 (dated when the minutes were filed);
- reports: 编写人 and 项目经理审核;
- change request: 变更申请人 and every approver (or 项目经理 / 部门负责人 to sign);
- acceptance report: every member of the acceptance team, third party included;
- trial-run report: 报告编写人 and the report's signatories (or the improvement committee).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from itdocs import amounts
from itdocs.context import Record, cn_date, cn_datetime, local_date, number_text, to_local
from itdocs.plan import PlannedDocument


def sign(role: str, name: Any = "", date: Any = "") -> Record:
    """A signature row: filled where the dossier knows name/date, blank to sign by hand where not."""
    return Record("signatures[]", {"role": role, "name": name or "", "date": date or ""})


def _requirement_form(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    req = ctx["requirement"]
    return [
        sign("申请人", req["requester"], req["date"]),
        sign("申请部门负责人"),
        sign("信息技术部门初步评估", req["assessment"]["by"], req["assessment"]["date"]),
    ]


def _approval_sheet(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    return [sign(a["title"], a["name"], a["date"]) for a in ctx["approvals"]]


def _service_scheme(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    scheme = ctx["scheme"]
    review = scheme["review"]
    rows = [sign("方案编制人", scheme["author"], scheme["date"])]
    rows += [sign("方案评审人", name, review["date"]) for name in review["reviewers"]] or [
        sign("方案评审人")
    ]
    return rows


def _contract(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    c, parties = ctx["contract"], ctx["parties"]
    return [
        sign(
            f"甲方授权代表（{parties['client']['name']}）",
            c["signatures"]["client"]["name"],
            c["signatures"]["client"]["date"],
        ),
        sign(
            f"乙方授权代表（{parties['supplier']['name'] or '乙方'}）",
            c["signatures"]["supplier"]["name"],
            c["signatures"]["supplier"]["date"],
        ),
        sign("法务审核", c["legal_review"]["name"], c["legal_review"]["date"]),
    ]


def _minutes(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    meeting = ctx["meetings"][doc.index]
    source = raw["meetings"][doc.index]
    start = to_local(source["start"], tz)
    meeting["time"] = meeting["start"]
    if source.get("end"):
        end = to_local(source["end"], tz)
        meeting["time"] += (
            f"—{end:%H:%M}"
            if end.date() == start.date()
            else f" 至 {cn_datetime(source['end'], tz)}"
        )
    meeting["attendee_list"] = "、".join(meeting["attendees"])
    ctx["meeting"] = meeting
    filed = cn_date(local_date(source["minutes_filed"], tz)) if source.get("minutes_filed") else ""
    return [sign("会议主持人", meeting["host"]), sign("会议记录人", meeting["recorder"], filed)]


def _report(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    report = ctx["reports"][doc.index]
    source = raw["reports"][doc.index]
    planned, actual = source.get("planned_percent"), source.get("progress_percent")
    report["deviation"] = ""
    if planned is not None and actual is not None:
        gap = round(actual - planned, 1)
        report["deviation"] = ("+" if gap > 0 else "") + number_text(gap)
    cost = source.get("cost")
    report["cost"]["variance"] = report["cost"]["rate"] = ""
    if cost:
        budget, spent = amounts.parse_money(cost["budget"]), amounts.parse_money(cost["actual"])
        report["cost"]["variance"] = amounts.figures(spent - budget, signed=True)
        report["cost"]["rate"] = f"{spent / budget * 100:.1f}%" if budget else ""
    ctx["report"] = report
    return [
        sign("编写人", report["author"], report["filed"]),
        sign("项目经理审核", ctx["project"]["manager"]),
    ]


def _change_request(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    change = ctx["changes"][doc.index]
    source = raw["changes"][doc.index]
    impact = source.get("impact") or {}
    change["cost_text"] = amounts.in_words(impact["cost"], signed=True) if "cost" in impact else ""
    days = impact.get("schedule_days")
    change["schedule_text"] = (
        ""
        if days is None
        else "无影响"
        if days == 0
        else f"延长 {days} 天"
        if days > 0
        else f"缩短 {-days} 天"
    )
    ctx["change"] = change
    rows = [sign("变更申请人", change["requester"], change["date"])]
    approvals = [sign(a["title"] or a["role"], a["name"], a["date"]) for a in change["approvals"]]
    return rows + (approvals or [sign("项目经理审核"), sign("部门负责人审批")])


def _acceptance_report(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    rows = []
    for member in ctx["acceptance"]["team"]:
        role = member["role"] + (f"（{member['organization']}）" if member["organization"] else "")
        rows.append(sign(role, member["name"], member["signed_date"]))
    return rows


def _trial_run_report(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    trial = ctx["improvement"]["trial_run"]
    ctx["trial_run"] = trial
    source = raw["improvement"]
    wanted = (source.get("trial_run") or {}).get("proposal")
    index = next((i for i, p in enumerate(source["proposals"]) if p["id"] == wanted), 0)
    ctx["proposal"] = ctx["improvement"]["proposals"][index]
    report = trial["report"]
    rows = [sign("报告编写人", report["author"], report["date"])]
    rows += [sign(s["title"] or "评估人", s["name"], s["date"]) for s in report["signatures"]]
    return rows if len(rows) > 1 else rows + [sign("流程改进委员会审核")]


def _no_signatures(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    return []


def _supplier_evaluation(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    sel = ctx["suppliers"]
    return [sign("评估人", name, sel["date"]) for name in sel["evaluators"]] or [sign("评估人")]


def _performance(
    ctx: dict[str, Any], raw: Mapping[str, Any], doc: PlannedDocument, tz: str
) -> list[Record]:
    perf = ctx["performance"]
    return [sign("评价人", perf["evaluator"], perf["date"]), sign("部门负责人审核")]


Builder = Callable[[dict[str, Any], Mapping[str, Any], PlannedDocument, str], list[Record]]
BUILDERS: dict[str, Builder] = {
    "requirement_form": _requirement_form,
    "approval_sheet": _approval_sheet,
    "service_scheme": _service_scheme,
    "contract": _contract,
    "kickoff_minutes": _minutes,
    "meeting_minutes": _minutes,
    "weekly_report": _report,
    "monthly_report": _report,
    "quarterly_report": _report,
    "change_request": _change_request,
    "acceptance_report": _acceptance_report,
    "trial_run_report": _trial_run_report,
    "supplier_evaluation": _supplier_evaluation,
    "performance_evaluation": _performance,
    "risk_register": _no_signatures,
}
