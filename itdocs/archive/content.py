"""The facts of one filed document that the dossier-shaped view needs, by document type.

Runs in the reading worker, next to ``extract``, so only these few facts (not the whole text) travel
back to the main process: a 10,000-file archive stays small in memory. Every fact carries the place
it was read (``表1 行4 列2``, ``第3段``, ``Sheet!B4``, ``第2页``) so a finding can point there.

A fact is ``(value, place)``; dates are ISO text (a date-time without a zone is local time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from itdocs import naming
from itdocs.archive.contracts import acceptance_facts, contract_facts
from itdocs.archive.identify import period_key_of
from itdocs.archive.labels import (
    Fact,
    date_field,
    day_of,
    decision,
    decisions,
    field_by,
    is_header_row,
    iso,
    labelled,
    opinion_signatures,
    row_number,
    rows_of,
    signature,
    text_field,
)
from itdocs.extract.dates import find_dates, parse_date
from itdocs.extract.fields import parse_amount
from itdocs.extract.model import ExtractedDocument

_END_TIME = re.compile(r"[—–\-~～至到]\s*(\d{1,2})[:：](\d{2})")
KEYWORDS = (
    "挂靠",
    "两化",
    "工业化",
    "外包",
    "采购",
    "流程改进",
    "改进",
    "ITSM",
    "试运行",
    "委员会",
)
# Type names hold kind words (采购审批单, 两化服务需求申请表): they say nothing about the kind.
_TYPE_NAMES = re.compile(
    "|".join(
        sorted(
            {w for t in naming.DOC_TYPES.values() for w in (t.name, *t.aliases)},
            key=len,
            reverse=True,
        )
    )
)


def _meeting_time(doc: ExtractedDocument) -> tuple[Fact | None, Fact | None]:
    f = field_by(doc, "会议时间", label=r"^(?:会议|开会)?(?:时间|日期)$")
    if f is not None and parse_date(f.value) is None:
        f = None
    if f is None:
        when = date_field(doc, "日期")
        return when, None
    start = parse_date(f.value)
    if start is None:
        return None, None
    end = None
    m = _END_TIME.search(f.value)
    if m and isinstance(start, dt.datetime):
        try:
            end = start.replace(hour=int(m[1]), minute=int(m[2]))
        except ValueError:
            end = None
        if end is not None and end < start:
            end = None
    return (iso(start), f.location), ((iso(end), f.location) if end else None)


_MEETING_TYPES = (
    ("kickoff", re.compile(r"启动会|开工会|启动大会")),
    ("mid_term_review", re.compile(r"中期评审|中期检查|季度评审|中期考核")),
    ("committee", re.compile(r"委员会")),
    ("scheme_review", re.compile(r"方案评审")),
    ("acceptance", re.compile(r"验收会|验收评审")),
    ("emergency", re.compile(r"紧急|应急")),
)


def meeting_type(doc: ExtractedDocument, type_id: str) -> str:
    if type_id == "kickoff_minutes":
        return "kickoff"
    words = " ".join(
        filter(
            None,
            [
                (text_field(doc, label=r"会议类型|会议性质") or ("", ""))[0],
                (text_field(doc, "会议主题", label=r"会议名称") or ("", ""))[0],
                doc.title or "",
                *(b.text[:60] for b in doc.text_blocks[:3]),
            ],
        )
    )
    for kind, rx in _MEETING_TYPES:
        if rx.search(words):
            return kind
    return "regular"


_APPROVES = re.compile(r"批准|同意立项|审议通过|同意实施|予以通过")
# Where minutes record what the meeting decided: 审议结果：□批准 □否决 ☑暂缓, 评审结论：通过 …
_VERDICT_LABEL = (
    r"^(?:审议|评审|审查|审批|会议|论证)(?:结果|结论|意见|决定|决议)$"
    r"|^委员会(?:决定|意见|结论|决议)$|^(?:结论|决定)$"
)
# A sentence of running text that says it: 经评审，专家组一致同意该方案通过。
_VERDICT_CONTEXT = re.compile(r"评审|审议|审查|论证|专家|委员会|决定|结论")
_SENTENCE = re.compile(r"[。！!\n]")


def meeting_verdict(doc: ExtractedDocument) -> Fact | None:
    """What a review meeting decided — ``approved`` / ``rejected`` / ``returned`` / ``deferred`` /
    ``unclear`` — from its labelled verdict (check boxes read as ticked), else from the sentences
    that state one (any approval among several proposals counts); None when the minutes say none."""
    for value, place in labelled(doc, _VERDICT_LABEL):
        code = decision(value)
        if code:
            return code, place
    found: list[Fact] = []
    for block in doc.text_blocks[:400]:
        if block.kind == "header":
            continue
        for sentence in _SENTENCE.split(block.text):
            if _VERDICT_CONTEXT.search(sentence) or _APPROVES.search(sentence):
                code = decision(sentence)
                if code in ("approved", "rejected", "returned", "deferred"):
                    found.append((code, block.location))
    approved = [f for f in found if f[0] == "approved"]
    return (approved or found or [None])[0]


_SCHEME_SUBJECT = re.compile(r"方案")
_REVIEWING = re.compile(r"评审|审议|审查|论证")


def reviews_scheme(doc: ExtractedDocument, kind: str) -> bool:
    """Minutes of a review of the (挂靠/服务) scheme: a 方案评审会, or a meeting whose name, subject
    or agenda is reviewing a scheme (seed 001: 评审环节应形成正式会议纪要)."""
    if kind == "scheme_review":
        return True
    if kind in ("kickoff", "mid_term_review", "acceptance", "emergency"):
        return False
    reviewed = " ".join(v for v, _ in labelled(doc, r"^(?:审议|评审|审查|论证)(?:事项|内容|对象)$"))
    if _SCHEME_SUBJECT.search(reviewed):
        return True
    subject = " ".join(
        [
            doc.title or "",
            *(v for v, _ in labelled(doc, r"会议名称|会议主题|会议议题|^议题$")),
            *(f.value for f in doc.fields if f.key == "会议主题"),
        ]
    )
    return bool(_SCHEME_SUBJECT.search(subject) and _REVIEWING.search(subject))


def _minutes(doc: ExtractedDocument, type_id: str, sigs: list[dict[str, Any]]) -> dict[str, Any]:
    start, end = _meeting_time(doc)
    filed = date_field(doc, "纪要日期")
    if filed is None:
        recorder = [s for s in sigs if s["role_key"] == "recorder" and s["signed"] and s["date"]]
        if recorder:
            filed = (recorder[0]["date"], recorder[0]["at"])
    kind = meeting_type(doc, type_id)
    scheme = reviews_scheme(doc, kind)
    verdict = meeting_verdict(doc) if kind == "committee" or scheme else None
    return {
        "approves": kind == "committee" and verdict is not None and verdict[0] == "approved",
        "verdict": verdict,
        "scheme_review": scheme,
        "start": start,
        "end": end,
        "minutes_filed": filed,
        "meeting_type": (kind, ""),
        "title": text_field(doc, "会议主题", label=r"会议名称"),
        "resolutions": [
            {"content": r.text[:200], "owner": r.owner, "due": iso(r.due), "at": r.location}
            for r in doc.resolutions
        ],
    }


def report_period(doc: ExtractedDocument, kind: str | None) -> Fact | None:
    """The period a report covers, read from its 报告周期 field, else the first period of its kind."""
    f = field_by(doc, "报告周期", "报告期间")
    if f is not None and f.parsed is not None:
        key = period_key_of(f.parsed)
        if key is None:
            for period in doc.periods:
                if period.location == f.location and period_key_of(period):
                    key = period_key_of(period)
                    break
        if key:
            return key, f.location
    wanted = {"weekly": "W", "quarterly": "Q"}.get(kind or "")
    for period in doc.periods[:20]:
        key = period_key_of(period)
        if key and (
            (wanted and wanted in key) or (kind == "monthly" and "W" not in key and "Q" not in key)
        ):
            return key, period.location
    return None


def _report(doc: ExtractedDocument, sigs: list[dict[str, Any]]) -> dict[str, Any]:
    filed = date_field(doc, "报告日期", "日期")
    if filed is None:
        authors = [s for s in sigs if s["role_key"] == "author" and s["signed"] and s["date"]]
        if authors:
            filed = (authors[0]["date"], authors[0]["at"])
    return {"filed": filed}


def _quotes(rows: dict[str, list[tuple[int, str, str]]]) -> tuple[list[dict[str, Any]], str | None]:
    """Candidates with a quote, from a table headed 供应商/名称 … 报价."""
    ordered = sorted(rows.items(), key=lambda kv: row_number(kv[0]))
    for i, (place, cells) in enumerate(ordered):
        quote_col = next((c for c, t, _ in cells if "报价" in t and len(t) <= 12), None)
        name_col = next(
            (c for c, t, _ in cells if re.search(r"供应商|单位名称|名称|公司", t) and len(t) <= 12),
            None,
        )
        if quote_col is None or name_col is None:
            continue
        out = []
        for _, below in ordered[i + 1 :]:
            by_col = {c: (t, p) for c, t, p in below}
            name, quote = by_col.get(name_col), by_col.get(quote_col)
            if name is None or quote is None:
                continue
            amount = parse_amount(quote[0])
            if amount is not None and amount > 0:
                out.append({"name": name[0][:80], "quote": str(amount), "at": quote[1]})
        return out, place
    return [], None


_METHODS = (
    ("price_comparison", r"比价"),
    ("inquiry", r"询价"),
    ("single_source", r"单一来源"),
    ("open_call", r"公开征集|公开招标|招标|公开选聘"),
)


def _suppliers(
    doc: ExtractedDocument, rows: dict[str, list[tuple[int, str, str]]]
) -> dict[str, Any]:
    method = None
    f = field_by(doc, label=r"选择方式|采购方式|评选方式|比选方式")
    sources = [(f.value, f.location)] if f is not None else []
    sources += [(b.text, b.location) for b in doc.text_blocks[:40]]
    for text, place in sources:
        for code, rx in _METHODS:
            if re.search(rx, text):
                method = (code, place)
                break
        if method:
            break
    quotes, place = _quotes(rows)
    return {
        "date": date_field(doc, label=r"评估日期|评价日期|评审日期|^日期$"),
        "method": method,
        "candidates": (quotes, place) if quotes else None,
        "chosen": text_field(doc, label=r"^(?:选定|中选|拟选|推荐)供应商$"),
    }


# A review's decision as the dossier's scheme review says it (approved / revise / rejected).
SCHEME_CONCLUSIONS = {
    "approved": "approved",
    "returned": "revise",
    "deferred": "revise",
    "rejected": "rejected",
}


def _scheme(doc: ExtractedDocument) -> dict[str, Any]:
    conclusion = None
    said = [
        (decision(value), place)
        for label in (r"评审结论|评审结果", r"评审意见")  # the conclusion before the opinion
        for value, place in labelled(doc, label)
    ]
    code, place = next(((c, p) for c, p in said if c), (None, None))
    if code in SCHEME_CONCLUSIONS:  # unclear: no conclusion
        conclusion = (SCHEME_CONCLUSIONS[code], place)
    return {
        "date": date_field(doc, label=r"编制日期|方案日期|^日期$"),
        "review": conclusion,
        "review_date": date_field(doc, label=r"评审日期"),
    }


# The IT department's preliminary assessment (seed 000: 需求确认需经过IT部门初步评估，确认需求的合理性、
# 紧迫性和预算情况), as the dossier says it.
ASSESSMENT_CONCLUSIONS = {
    "approved": "accepted",
    "rejected": "rejected",
    "deferred": "deferred",
    "returned": "deferred",
}
_ASSESSMENT_LABEL = (
    r"初步评估|^评估(?:意见|结论)$"
    r"|^(?:信息技术部门?|信息中心|IT部门?|信息部|技术部门?)(?:评估|意见|审核意见)"
)
_ASSESSOR = re.compile(r"评估人[\s\u3000]*[：:]?[\s\u3000]*([^\s\u3000\d,，;；。:：（(]{2,5})")


def _assessment(doc: ExtractedDocument, sigs: list[dict[str, Any]]) -> Fact | None:
    """The preliminary assessment: the IT department's signed row (its conclusion from 评估结论,
    else taken as accepted), or a labelled cell with the verdict, who and when — ``信息技术部初步评估
    | ☑合理 □不合理；☑预算可行。评估人：黄涛 2026年6月3日``."""
    said = [(decision(v), v, p) for v, p in labelled(doc, _ASSESSMENT_LABEL)]
    said = [(code, v, p) for code, v, p in said if code]
    for s in sigs:
        if s["role_key"] == "it_department" or "评估" in s["role"]:
            if s["signed"]:
                code = said[0][0] if said else "approved"
                return {
                    "by": s["name"] or s["role"],
                    "date": s["date"],
                    "conclusion": ASSESSMENT_CONCLUSIONS.get(code),
                }, s["at"]
            break
    for code, value, place in said:
        who = _ASSESSOR.search(value)
        found = find_dates(value)
        if who is None and not found:
            continue  # no one assessed it yet: a form's printed options
        return {
            "by": who[1] if who else None,
            "date": iso(day_of(found[0][0])) if found else None,
            "conclusion": ASSESSMENT_CONCLUSIONS.get(code),
        }, place
    return None


def _requirement(doc: ExtractedDocument, sigs: list[dict[str, Any]]) -> dict[str, Any]:
    budget = field_by(doc, "预算")
    return {
        "date": date_field(doc, "申请日期", "日期"),
        "requester": text_field(doc, "申请人"),
        "department": text_field(doc, "申请部门"),
        "budget": (str(budget.parsed), budget.location)
        if budget is not None and isinstance(budget.parsed, Decimal)
        else None,
        "assessment": _assessment(doc, sigs),
    }


def _latest_date(sigs: list[dict[str, Any]], roles: Iterable[str | None]) -> Fact | None:
    wanted = set(roles)
    dated = [s for s in sigs if s["role_key"] in wanted and s["date"]]
    if not dated:
        return None
    last = max(dated, key=lambda s: s["date"])
    return last["date"][:10], last["at"]


CHAIN_ROLES = frozenset({"department_head", "finance", "ceo"})


def type_facts(doc: ExtractedDocument, type_id: str | None, generated: bool) -> dict[str, Any]:
    """Facts of ``doc`` read as a ``type_id`` document, plus those every document has."""
    sigs = [signature(r, generated=generated) for r in doc.signature_rows if not is_header_row(r)]
    if type_id in ("approval_sheet", "change_request") and not any(
        s["role_key"] in CHAIN_ROLES for s in sigs
    ):
        sigs += opinion_signatures(doc)
    facts: dict[str, Any] = {
        "signatures": sigs,
        "project_name": text_field(doc, "项目名称"),
        "project_id": text_field(doc, "项目编号"),
    }
    head = " ".join([doc.title or "", *(b.text[:80] for b in doc.text_blocks[:12])])
    head = _TYPE_NAMES.sub(" ", head)
    facts["keywords"] = [k for k in KEYWORDS if k in head]
    if type_id is None:
        return facts
    rows = rows_of(doc.text_blocks) if type_id in ROW_TYPES else {}
    if type_id == "requirement_form":
        facts.update(_requirement(doc, sigs))
    elif type_id in ("approval_sheet", "change_request"):
        facts["decisions"] = decisions(rows)
        facts["requester"] = text_field(doc, "申请人")
        facts["date"] = (
            _latest_date(sigs, ("department_head", "finance", "ceo"))
            if type_id == "approval_sheet"
            else date_field(doc, "申请日期", "日期", label=r"变更日期")
        )
        facts["change_id"] = text_field(doc, label=r"变更编号")
    elif type_id == "supplier_evaluation":
        facts.update(_suppliers(doc, rows))
    elif type_id == "service_scheme":
        facts.update(_scheme(doc))
    elif type_id == "contract":
        facts.update(contract_facts(doc, sigs))
        facts["date"] = facts["signed_date"]
    elif type_id in ("kickoff_minutes", "meeting_minutes"):
        facts.update(_minutes(doc, type_id, sigs))
        facts["date"] = (facts["start"][0][:10], facts["start"][1]) if facts["start"] else None
    elif type_id in ("weekly_report", "monthly_report", "quarterly_report"):
        facts.update(_report(doc, sigs))
    elif type_id == "acceptance_report":
        facts.update(acceptance_facts(doc, rows))
    elif type_id == "performance_evaluation":
        facts["date"] = date_field(doc, label=r"评价日期|评估日期|考核日期|^日期$")
        consequence = text_field(doc, label=r"评价结论|考核结论|处理意见|后续措施|结论")
        facts["consequence"] = consequence
    elif type_id == "trial_run_report":
        facts["date"] = date_field(doc, "报告日期", "日期")
        span = field_by(doc, label=r"试运行(?:期间|时间|周期)")
        if span is not None:
            found = find_dates(span.value)
            if len(found) >= 2:
                facts["trial_start"] = (iso(day_of(found[0][0])), span.location)
                facts["trial_end"] = (iso(day_of(found[1][0])), span.location)
    return facts


ROW_TYPES = frozenset(
    {"approval_sheet", "change_request", "acceptance_report", "supplier_evaluation"}
)
__all__ = ["ROW_TYPES", "iso", "report_period", "type_facts"]
