"""Completeness (阶段完整性): each stage has the documents of the stages before it.

No contract without an approved request; no kickoff, report or acceptance without a signed
contract, nor dated before its signing; no closed project without a passed acceptance; no trial run of an improvement the
committee has not approved (seed 004); an affiliation contract is filed (合同备案) and a closed
affiliation project has its closure filing (结案备案, seed 001).

Parameters: per rule ``kinds``; ``timezone`` (the local day of a meeting's start).

### completeness/request-approval
A contract needs an approved request: the approval chain complete, or the IT department's
assessment ``accepted``, or the scheme review ``approved`` (affiliation: "评审…作为后续合同签订的依据").

Compliant::

    requirement: {assessment: {by: 黄俊, date: "2026-07-08", conclusion: accepted}, …}
    contract: {signed_date: "2026-07-31", …}

Non-compliant: a contract, and no approval, no accepted assessment and no approved scheme review.

### completeness/signed-contract
A kickoff meeting, periodic reports or an acceptance need a signed contract (``signed_date``) in
kinds of ``kinds`` — every kind but ``improvement`` by default (DOMAIN: the contract is a document
of all kinds but improvement; "no acceptance report without a contract") — and in any dossier that
has a contract section. In an archive, a folder with an acceptance report (a kickoff's minutes,
reports) and no contract file at all is reported; a contract file that could not be read (an
encrypted or corrupt contract, its name without a date) is not taken for an unsigned one.

Compliant: ``contract: {signed_date: "2026-07-31", …}`` and ``acceptance: {…}``.
Non-compliant: ``acceptance: {…}`` and a contract without ``signed_date``, or no contract at all.

### completeness/contract-first
The contract is signed before the stages that rest on it: the kickoff meeting, each periodic report
(its filing date) and the acceptance are not dated before the contract's ``signed_date`` (seed 003:
the kickoff is held within N days *after* signing; DOMAIN: each stage needs the documents of the
stages before it). A report of a period that began before signing is fine; one filed before it is
not. Same-day is fine.

Compliant::

    contract: {signed_date: "2026-07-31", …}
    meetings: [{type: kickoff, start: "2026-08-04T14:00:00+08:00", …}]

Non-compliant::

    contract: {signed_date: "2026-06-05", …}
    meetings: [{type: kickoff, start: "2026-06-01T09:30:00+08:00", …}]    # kickoff before signing
    reports: [{type: weekly, period: 2026-W23, filed: "2026-06-05", …}]   # fine: filed that day
    acceptance: {date: "2026-06-03", …}                                  # accepted before signing

### completeness/closure-acceptance
A project marked closed (``status: closed`` or ``stage: closed``) of a kind in ``kinds`` has passed
acceptance (``acceptance.verdict: pass``).

Compliant: ``project: {status: closed}`` and ``acceptance: {verdict: pass, …}``.
Non-compliant: ``project: {status: closed}`` and no acceptance.

### completeness/committee-approval
An improvement's trial run is of a proposal the committee approved (a review with
``decision: approve``).

Compliant::

    improvement: {reviews: [{proposal: P-001, decision: approve, …}], trial_run: {proposal: P-001, …}}

Non-compliant: ``trial_run: {proposal: P-002}`` and P-002 deferred or never reviewed.

### completeness/filing
An affiliation contract, once signed, is filed (``filings: [{type: contract}]``); a closed
affiliation project has its closure filing (``type: closure``).

Compliant::

    filings: [{type: contract, date: "2026-05-20"}, {type: closure, date: "2026-12-10"}]

Non-compliant: a signed contract and no ``type: contract`` filing.

### completeness/document-missing
(Archives checked with ``--dossier``.) Every document the dossier calls for — its 需求申请表, 审批单,
合同, each meeting's minutes, each report, each change request, the acceptance report … — is in the
folder: a file of that type for that date or period (whatever its name). The finding names the
file expected and where the dossier records the document.

Compliant: ``reports: [{type: weekly, period: 2026-W45, …}]`` and a weekly report of 2026年第45周
in the folder. Non-compliant: the same dossier and no such file.

### completeness/document-unlisted
(Archives checked with ``--dossier``.) The other way round: a filed document of a type this kind of
project has, which is none of the documents the dossier records — a change request the dossier has
no ``changes`` entry for, a second contract, a report of a period the dossier does not list. Either
the dossier is behind (record it) or the file does not belong here. A .docx and its .pdf under one
name are one document; another project's files (``naming/project``), unreadable files and files of
types this kind does not have (``naming/type``) are not reported here.

Compliant: every file in the folder is a document the dossier records. Non-compliant: a
``变更申请单`` in the folder and no ``changes`` in the dossier.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import dig, items, key, mapping, pointer, text, to_date, zone
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.checks.dossier_match import matches, unlisted

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

KINDS = ["procurement", "affiliation", "informatization", "outsourcing", "improvement"]
KINDS_OPTION = {"kinds": {"type": "array", "items": {"enum": KINDS}}}


def _approved_request(data: dict[str, Any], chain: list[str]) -> list[str]:
    """How the request was approved (empty: it was not)."""
    how = []
    if dig(data, "requirement", "assessment", "conclusion") == "accepted":
        how.append("/requirement/assessment/conclusion")
    if dig(data, "scheme", "review", "conclusion") == "approved":
        how.append("/scheme/review/conclusion")
    last: dict[str, Any] = {}
    for _, approval in items(data, "approvals"):
        last[key(approval.get("role")) or ""] = approval.get("decision")
    if chain and all(role in last and last[role] not in ("rejected", "returned") for role in chain):
        how.append("/approvals")
    return how


@check("completeness/request-approval", reads=("approval_chain",), args=())
def request_approval(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(dig(data, "contract"), dict):
        return
    chain = [
        level.get("role")
        for level in ctx.params.get("approval_chain") or []
        if isinstance(level, dict)
    ]
    if not _approved_request(data, chain):
        yield Hit(
            "/contract",
            {},
            {
                "looked_for": [
                    "/approvals (every level of approval_chain approved)",
                    "/requirement/assessment/conclusion = accepted",
                    "/scheme/review/conclusion = approved",
                ]
            },
        )


SIGNED_CONTRACT_KINDS = ["procurement", "affiliation", "informatization", "outsourcing"]


def _contract_unread(data: dict[str, Any]) -> bool:
    """An archive's contract file that could not be read (encrypted, corrupt …): its signing
    date is unknown, not absent."""
    return any(
        isinstance(entry, dict)
        and entry.get("type") == "contract"
        and bool(entry.get("encrypted") or entry.get("problems"))
        for entry in dig(data, "x-archive", "files") or ()
    )


def _missing_contract(data: dict[str, Any]) -> tuple[str, str]:
    """What is wrong with the contract, in Chinese and English."""
    if isinstance(data.get("contract"), dict):
        return "合同尚未签订（无签订日期）", "the contract is not signed (no signed_date)"
    if "x-archive" in data:
        return "文件夹中没有合同（合同尚未签订？）", "there is no contract in the folder"
    return "档案中没有合同（合同尚未签订）", "the dossier has no contract (not signed)"


@check(
    "completeness/signed-contract",
    options=KINDS_OPTION,
    defaults={"kinds": SIGNED_CONTRACT_KINDS},
    args=("stage", "stage_en", "contract", "contract_en"),
)
def signed_contract(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(data, dict):
        return
    contract = data.get("contract")
    if data.get("kind") not in (ctx.params.get("kinds") or ()) and not isinstance(contract, dict):
        return
    if text(mapping(contract).get("signed_date")):
        return
    if isinstance(contract, dict) and _contract_unread(data):
        return  # not guessed: the file is there, its date could not be read
    stages = [
        ("/acceptance", "验收", "acceptance") if isinstance(data.get("acceptance"), dict) else None
    ]
    stages += [
        (pointer("meetings", i), "项目启动会", "the kickoff meeting")
        for i, m in items(data, "meetings")
        if m.get("type") == "kickoff"
    ][:1]
    stages += [("/reports", "定期报告", "periodic reports")] if list(items(data, "reports")) else []
    present = [s for s in stages if s]
    if present:
        at, zh, en = present[0]
        contract_zh, contract_en = _missing_contract(data)
        yield Hit(
            at,
            {"stage": zh, "stage_en": en, "contract": contract_zh, "contract_en": contract_en},
            {
                "contract": "present" if isinstance(contract, dict) else "absent",
                "contract_signed_date": None,
                "stages_present": [s[0] for s in present],
            },
        )


_REPORT_NAMES = {
    "weekly": ("周报", "weekly report"),
    "monthly": ("月报", "monthly report"),
    "quarterly": ("季报", "quarterly report"),
}


@check(
    "completeness/contract-first",
    reads=("timezone",),
    args=("stage", "stage_en", "date", "signed_date"),
)
def contract_first(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(data, dict):
        return
    tz = zone(ctx.params.get("timezone"))
    signed = to_date(dig(data, "contract", "signed_date"), tz)
    if signed is None:
        return
    found: list[tuple[str, str, str, Any]] = []
    for i, meeting in items(data, "meetings"):
        if meeting.get("type") == "kickoff":
            found.append(
                (
                    pointer("meetings", i, "start"),
                    "项目启动会",
                    "the kickoff meeting",
                    meeting.get("start"),
                )
            )
    for i, report in items(data, "reports"):
        zh, en = _REPORT_NAMES.get(str(report.get("type")), ("报告", "report"))
        period = text(report.get("period")) or ""
        found.append(
            (
                pointer("reports", i, "filed"),
                f"{zh} {period}".strip(),
                f"the {en} {period}".strip(),
                report.get("filed"),
            )
        )
    acceptance = data.get("acceptance")
    if isinstance(acceptance, dict):
        found.append(("/acceptance/date", "验收", "the acceptance", acceptance.get("date")))
    for at, zh, en, value in found:
        day = to_date(value, tz)
        if day is None or day >= signed:
            continue
        yield Hit(
            at,
            {
                "stage": zh,
                "stage_en": en,
                "date": day.isoformat(),
                "signed_date": signed.isoformat(),
            },
            {
                "read": {"/contract/signed_date": signed.isoformat(), at: day.isoformat()},
                "days_before_signing": (signed - day).days,
            },
        )


@check(
    "completeness/closure-acceptance",
    options=KINDS_OPTION,
    defaults={"kinds": ["procurement", "affiliation", "informatization", "outsourcing"]},
    args=("field",),
)
def closure_acceptance(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(data, dict) or data.get("kind") not in (ctx.params.get("kinds") or ()):
        return
    for field in ("status", "stage"):
        if dig(data, "project", field) == "closed":
            if dig(data, "acceptance", "verdict") != "pass":
                yield Hit(
                    f"/project/{field}",
                    {"field": field},
                    {
                        "project_" + field: "closed",
                        "acceptance_verdict": dig(data, "acceptance", "verdict"),
                    },
                )
            return


_REVIEW_ZH = {"approve": "批准", "reject": "否决", "defer": "暂缓", "unclear": "勾选不明确"}


@check(
    "completeness/committee-approval",
    args=("proposal", "decision", "proposal_zh", "decision_zh"),
)
def committee_approval(data: Any, ctx: Context) -> Iterator[Hit]:
    trial = dig(data, "improvement", "trial_run")
    if not isinstance(trial, dict):
        return
    proposal = text(trial.get("proposal"))
    decisions = [
        r.get("decision")
        for _, r in items(data, "improvement", "reviews")
        if proposal is None or r.get("proposal") == proposal
    ]
    if "approve" not in decisions:
        at = "/improvement/trial_run/proposal" if proposal else "/improvement/trial_run"
        last = decisions[-1] if decisions else None
        yield Hit(
            at,
            {
                "proposal": proposal or "(no number)",
                "proposal_zh": f"「{proposal}」" if proposal else "",
                "decision": last or "no review",
                "decision_zh": _REVIEW_ZH.get(str(last), str(last)) if last else "无委员会评审记录",
            },
            {"proposal": proposal, "review_decisions": decisions},
        )


@check(
    "completeness/filing",
    options=KINDS_OPTION,
    defaults={"kinds": ["affiliation"]},
    args=("filing", "filing_en"),
)
def filing(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(data, dict) or data.get("kind") not in (ctx.params.get("kinds") or ()):
        return
    filed = {f.get("type") for _, f in items(data, "filings")}
    at = "/filings"
    if text(dig(data, "contract", "signed_date")) and "contract" not in filed:
        yield Hit(
            at,
            {"filing": "合同备案", "filing_en": "contract filing"},
            {"filings": sorted(filter(None, filed))},
        )
    closed = "closed" in (dig(data, "project", "status"), dig(data, "project", "stage"))
    if closed and "closure" not in filed:
        yield Hit(
            at,
            {"filing": "结案备案", "filing_en": "closure filing"},
            {"filings": sorted(filter(None, filed))},
        )


@check(
    "completeness/document-missing",
    reads=("naming", "timezone"),
    args=("type", "date", "expected", "where"),
)
def document_missing(data: Any, ctx: Context) -> Iterator[Hit]:
    for number, (doc, found) in enumerate(matches(data, ctx.params)):
        if found:
            continue
        yield Hit(
            pointer("x-archive", "expected", number),
            {
                "type": doc.type_name,
                "date": doc.token or doc.date_value,
                "expected": doc.name,
                "where": doc.at,
            },
            {
                "expected_name": doc.name,
                "type": doc.type_id,
                "dossier": dig(data, "x-archive", "dossier_file"),
                "dossier_pointer": doc.at,
                "date_in_dossier": doc.date_value,
            },
        )


@check("completeness/document-unlisted", reads=("naming", "timezone"), args=("type", "name"))
def document_unlisted(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, file in unlisted(data, ctx.params):
        yield Hit(
            pointer("x-archive", "files", index),
            {"type": file.get("type_name") or file.get("type"), "name": file.get("name")},
            {
                "type": file.get("type"),
                "dossier": dig(data, "x-archive", "dossier_file"),
                "period": file.get("period"),
                "date": file.get("date"),
            },
        )
