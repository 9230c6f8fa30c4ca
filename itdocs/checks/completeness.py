"""Completeness (阶段完整性): each stage has the documents of the stages before it.

No contract without an approved request; no kickoff, report or acceptance without a signed
contract; no closed project without a passed acceptance; no trial run of an improvement the
committee has not approved (seed 004); an affiliation contract is filed (合同备案) and a closed
affiliation project has its closure filing (结案备案, seed 001).

Parameters: per rule ``kinds``.

### completeness/request-approval
A contract needs an approved request: the approval chain complete, or the IT department's
assessment ``accepted``, or the scheme review ``approved`` (affiliation: "评审…作为后续合同签订的依据").

Compliant::

    requirement: {assessment: {by: 黄俊, date: "2026-07-08", conclusion: accepted}, …}
    contract: {signed_date: "2026-07-31", …}

Non-compliant: a contract, and no approval, no accepted assessment and no approved scheme review.

### completeness/signed-contract
A kickoff meeting, periodic reports or an acceptance need a signed contract (``signed_date``) in
kinds of ``kinds`` — and in any dossier that has a contract section.

Compliant: ``contract: {signed_date: "2026-07-31", …}`` and ``acceptance: {…}``.
Non-compliant: ``acceptance: {…}`` and a contract without ``signed_date``.

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
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import dig, items, key, mapping, pointer, text
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.checks.dossier_match import matches

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


@check(
    "completeness/signed-contract",
    options=KINDS_OPTION,
    defaults={"kinds": ["procurement", "affiliation", "outsourcing"]},
    args=("stage", "stage_en"),
)
def signed_contract(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(data, dict):
        return
    contract = data.get("contract")
    if data.get("kind") not in (ctx.params.get("kinds") or ()) and not isinstance(contract, dict):
        return
    if text(mapping(contract).get("signed_date")):
        return
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
        yield Hit(
            at,
            {"stage": zh, "stage_en": en},
            {"contract_signed_date": None, "stages_present": [s[0] for s in present]},
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


@check("completeness/committee-approval", args=("proposal", "decision"))
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
        yield Hit(
            at,
            {"proposal": proposal or "?", "decision": decisions[-1] if decisions else "—"},
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
