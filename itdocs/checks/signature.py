"""Signatures (签字与审批): who signed, in which order, and on which dates.

Purchase approval has three levels in order — 部门负责人初审, 财务部复审, CEO终审 (seed 003;
``approval_chain`` in the policy) — each signed and dated, dates never going backwards, all before
the contract is signed (budget approval by finance first, seed 000). The contract is reviewed by
legal before signing (seed 002) and signed by both parties; every member of the acceptance team
signs, and outsourcing acceptance has a third party among them (seed 003). Nobody approves their
own request (segregation of duties).

Parameters: ``approval_chain`` (roles and titles, in order); per rule ``kinds`` (which dossier
kinds need the approval chain; which need a third party at acceptance).

### signature/approval-chain
Every level of ``approval_chain`` is present in ``approvals`` and approved (a level whose last
decision is ``rejected`` or ``returned`` is not complete).

Compliant::

    approvals:
      - {role: department_head, name: 王志强, date: "2026-07-09", decision: approved}
      - {role: finance, name: 陈丽华, date: "2026-07-13", decision: approved}
      - {role: ceo, name: 周建国, date: "2026-07-15", decision: approved}

Non-compliant (no 财务部复审)::

    approvals:
      - {role: department_head, name: 王志强, date: "2026-07-09"}
      - {role: ceo, name: 周建国, date: "2026-07-15"}

### signature/approval-undated
Each approval of a chain level — of the request and of each change — carries its date.

Compliant::

    - {role: finance, name: 陈丽华, date: "2026-07-13"}

Non-compliant::

    - {role: finance, name: 陈丽华}

### signature/approval-order
Levels sign in chain order: a level's date is not earlier than the date of the level before it.

Compliant::

    - {role: finance, name: 陈丽华, date: "2026-07-13"}
    - {role: ceo, name: 周建国, date: "2026-07-15"}

Non-compliant (CEO终审 before 财务部复审)::

    - {role: finance, name: 陈丽华, date: "2026-07-13"}
    - {role: ceo, name: 周建国, date: "2026-07-12"}

### signature/approval-before-contract
The request is approved — finance's budget approval included — on or before the day the contract
is signed.

Compliant::

    approvals: [{role: finance, name: 陈丽华, date: "2026-07-13"}, …]
    contract: {signed_date: "2026-07-31", …}

Non-compliant::

    approvals: [{role: finance, name: 陈丽华, date: "2026-08-03"}, …]
    contract: {signed_date: "2026-07-31", …}

### signature/self-approval
Nobody approves their own request: no approver of ``approvals`` is the requirement's requester,
and no approver of a change is the change's requester.

Compliant::

    requirement: {requester: 刘洋, …}
    approvals: [{role: department_head, name: 王志强, …}, …]

Non-compliant::

    requirement: {requester: 王志强, …}
    approvals: [{role: department_head, name: 王志强, …}, …]

### signature/legal-review-missing
A signed contract has a legal review (法务审核) with reviewer and date.

Compliant::

    contract: {signed_date: "2026-07-31", legal_review: {name: 赵敏, date: "2026-07-29"}, …}

Non-compliant::

    contract: {signed_date: "2026-07-31", …}

### signature/legal-review-after-signing
The legal review is dated on or before the signing date.

Compliant::

    contract: {signed_date: "2026-07-31", legal_review: {name: 赵敏, date: "2026-07-29"}, …}

Non-compliant::

    contract: {signed_date: "2026-07-31", legal_review: {name: 赵敏, date: "2026-08-02"}, …}

### signature/contract-parties
A signed contract is signed and dated by both parties (甲方 client and 乙方 supplier).

Compliant::

    contract:
      signed_date: "2026-07-31"
      signatures: {client: {name: 周建国, date: "2026-07-31"}, supplier: {name: 蒋文涛, date: "2026-07-31"}}

Non-compliant (乙方 has not signed)::

    contract:
      signed_date: "2026-07-31"
      signatures: {client: {name: 周建国, date: "2026-07-31"}}

### signature/acceptance-team
Every member of the acceptance team has signed (``signed_date``).

Compliant::

    acceptance: {team: [{name: 王志强, role: leader, signed_date: "2026-11-05"}], …}

Non-compliant::

    acceptance: {team: [{name: 王志强, role: leader}], …}

### signature/third-party-acceptance
Outsourcing acceptance has a third-party institution among the team (a member with role
``third_party``), as seed 003 requires for final acceptance.

Compliant::

    kind: outsourcing
    acceptance: {team: [{name: 王志强, role: leader}, {name: 孙伟, role: third_party, organization: 赛宝实验室}], …}

Non-compliant::

    kind: outsourcing
    acceptance: {team: [{name: 王志强, role: leader}, {name: 刘洋, role: member}], …}

### signature/unreadable
(Archives.) A document that must be signed — approval sheet, change request, contract, acceptance
report — in which no signature block could be read at all: a scanned page, or a PDF whose table
lines were lost. Its signatures are then neither passed nor failed: check them by eye.

Compliant: ``…-采购审批单.docx`` with its 审批环节 | 签字 | 日期 table.
Non-compliant (reported for a look, as info): ``…-采购审批单.pdf`` scanned from paper.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from itdocs.access import absent, dig, items, key, mapping, pointer, text, to_date, zone
from itdocs.checks.base import Check, Context, Hit, registrar

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

KINDS_OPTION = {
    "kinds": {
        "type": "array",
        "items": {
            "enum": ["procurement", "affiliation", "informatization", "outsourcing", "improvement"]
        },
    }
}
CHAIN_KINDS = {"kinds": ["procurement", "outsourcing"]}


def _chain(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    chain = params.get("approval_chain")
    out = []
    for level in chain if isinstance(chain, list) else []:
        if isinstance(level, dict) and isinstance(level.get("role"), str):
            out.append((level["role"], str(level.get("title") or level["role"])))
    return out


def _applies(data: Any, ctx: Context) -> bool:
    return isinstance(data, dict) and data.get("kind") in (ctx.params.get("kinds") or ())


def _lists(data: Any) -> Iterator[tuple[tuple[str | int, ...], str | None]]:
    """Each approval list (the request's, each change's) and its requester."""
    yield ("approvals",), text(dig(data, "requirement", "requester"))
    for index, change in items(data, "changes"):
        yield ("changes", index, "approvals"), text(change.get("requester"))


_DECISION_ZH = {"rejected": "未同意", "returned": "被退回"}


@check(
    "signature/approval-chain",
    reads=("approval_chain",),
    options=KINDS_OPTION,
    defaults=CHAIN_KINDS,
    args=("title", "role", "decision", "decision_zh"),
)
def approval_chain(data: Any, ctx: Context) -> Iterator[Hit]:
    if not _applies(data, ctx):
        return
    approvals = list(items(data, "approvals"))
    roles = [a.get("role") for _, a in approvals]
    for role, title in _chain(ctx.params):
        mine = [(i, a) for i, a in approvals if a.get("role") == role]
        evidence = {"approval_chain": [r for r, _ in _chain(ctx.params)], "roles_found": roles}
        if not mine:
            yield Hit(
                "/approvals",
                {"title": title, "role": role, "decision": "missing", "decision_zh": "缺失"},
                evidence,
            )
            continue
        index, last = mine[-1]
        decision = last.get("decision")
        if decision in ("rejected", "returned"):
            yield Hit(
                pointer("approvals", index, "decision"),
                {
                    "title": title,
                    "role": role,
                    "decision": decision,
                    "decision_zh": _DECISION_ZH[decision],
                },
                {**evidence, "decision": decision, "approver": last.get("name")},
            )


@check("signature/approval-undated", reads=("approval_chain",), args=("title", "name"))
def approval_undated(data: Any, ctx: Context) -> Iterator[Hit]:
    titles = dict(_chain(ctx.params))
    for path, _ in _lists(data):
        for index, approval in items(data, *path):
            if key(approval.get("role")) in titles and absent(approval.get("date")):
                yield Hit(
                    pointer(*path, index, "date"),
                    {"title": titles[approval["role"]], "name": approval.get("name")},
                    {"role": approval.get("role"), "approver": approval.get("name")},
                )


@check(
    "signature/approval-order",
    reads=("approval_chain", "timezone"),
    args=("title", "date", "previous_title", "previous_date"),
)
def approval_order(data: Any, ctx: Context) -> Iterator[Hit]:
    chain = _chain(ctx.params)
    tz = zone(ctx.params.get("timezone"))
    for path, _ in _lists(data):
        dated: dict[str, tuple[int, Any]] = {}
        for index, approval in items(data, *path):
            day = to_date(approval.get("date"), tz)
            if key(approval.get("role")) in dict(chain) and day is not None:
                dated[approval["role"]] = (index, day)  # the last one counts (resubmissions)
        previous = None
        for role, title in chain:
            if role not in dated:
                continue
            index, day = dated[role]
            if previous and day < previous[2]:
                yield Hit(
                    pointer(*path, index, "date"),
                    {
                        "title": title,
                        "date": day.isoformat(),
                        "previous_title": previous[0],
                        "previous_date": previous[2].isoformat(),
                    },
                    {
                        "read": {
                            pointer(*path, previous[1], "date"): previous[2].isoformat(),
                            pointer(*path, index, "date"): day.isoformat(),
                        },
                        "approval_chain": [r for r, _ in chain],
                    },
                )
            previous = (title, index, day)


@check(
    "signature/approval-before-contract",
    reads=("approval_chain", "timezone"),
    options=KINDS_OPTION,
    defaults=CHAIN_KINDS,
    args=("title", "date", "signed_date"),
)
def approval_before_contract(data: Any, ctx: Context) -> Iterator[Hit]:
    if not _applies(data, ctx):
        return
    tz = zone(ctx.params.get("timezone"))
    signed = to_date(dig(data, "contract", "signed_date"), tz)
    if signed is None:
        return
    titles = dict(_chain(ctx.params))
    for index, approval in items(data, "approvals"):
        day = to_date(approval.get("date"), tz)
        if key(approval.get("role")) in titles and day is not None and day > signed:
            yield Hit(
                pointer("approvals", index, "date"),
                {
                    "title": titles[approval["role"]],
                    "date": day.isoformat(),
                    "signed_date": signed.isoformat(),
                },
                {
                    "read": {
                        pointer("approvals", index, "date"): day.isoformat(),
                        "/contract/signed_date": signed.isoformat(),
                    },
                    "days_after_signing": (day - signed).days,
                },
            )


@check("signature/self-approval", args=("name", "what"))
def self_approval(data: Any, ctx: Context) -> Iterator[Hit]:
    for path, requester in _lists(data):
        if requester is None:
            continue
        for index, approval in items(data, *path):
            if text(approval.get("name")) == requester:
                what = (
                    "需求申请"
                    if path == ("approvals",)
                    else f"变更 {dig(data, *path[:2], 'id') or ''}".strip()
                )
                yield Hit(
                    pointer(*path, index, "name"),
                    {"name": requester, "what": what},
                    {"requester": requester, "approver_role": approval.get("role")},
                )


@check("signature/legal-review-missing", reads=("timezone",), args=("signed_date",))
def legal_review_missing(data: Any, ctx: Context) -> Iterator[Hit]:
    contract = mapping(dig(data, "contract"))
    signed = to_date(contract.get("signed_date"), zone(ctx.params.get("timezone")))
    if signed is None:
        return
    review = mapping(contract.get("legal_review"))
    if absent(review.get("name")) or absent(review.get("date")):
        yield Hit(
            "/contract/legal_review",
            {"signed_date": signed.isoformat()},
            {"legal_review": review or None, "/contract/signed_date": signed.isoformat()},
        )


@check(
    "signature/legal-review-after-signing", reads=("timezone",), args=("review_date", "signed_date")
)
def legal_review_after_signing(data: Any, ctx: Context) -> Iterator[Hit]:
    tz = zone(ctx.params.get("timezone"))
    signed = to_date(dig(data, "contract", "signed_date"), tz)
    reviewed = to_date(dig(data, "contract", "legal_review", "date"), tz)
    if signed and reviewed and reviewed > signed:
        yield Hit(
            "/contract/legal_review/date",
            {"review_date": reviewed.isoformat(), "signed_date": signed.isoformat()},
            {
                "read": {
                    "/contract/legal_review/date": reviewed.isoformat(),
                    "/contract/signed_date": signed.isoformat(),
                }
            },
        )


@check("signature/contract-parties", reads=("timezone",), args=("party", "signed_date"))
def contract_parties(data: Any, ctx: Context) -> Iterator[Hit]:
    tz = zone(ctx.params.get("timezone"))
    signed = to_date(dig(data, "contract", "signed_date"), tz)
    if signed is None:
        return
    for party, label in (("client", "甲方"), ("supplier", "乙方")):
        signature = mapping(dig(data, "contract", "signatures", party))
        if absent(signature.get("name")) or absent(signature.get("date")):
            yield Hit(
                f"/contract/signatures/{party}",
                {"party": label, "signed_date": signed.isoformat()},
                {"party": party, "signature": signature or None},
            )


@check("signature/acceptance-team", args=("name",))
def acceptance_team(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, member in items(data, "acceptance", "team"):
        if absent(member.get("signed_date")):
            yield Hit(
                pointer("acceptance", "team", index, "signed_date"),
                {"name": member.get("name")},
                {"member": member.get("name"), "role": member.get("role")},
            )


@check(
    "signature/third-party-acceptance",
    options=KINDS_OPTION,
    defaults={"kinds": ["outsourcing"]},
    args=("kind",),
)
def third_party_acceptance(data: Any, ctx: Context) -> Iterator[Hit]:
    if not _applies(data, ctx) or not isinstance(dig(data, "acceptance"), dict):
        return
    team = [m for _, m in items(data, "acceptance", "team")]
    if not any(m.get("role") == "third_party" for m in team):
        yield Hit(
            "/acceptance/team",
            {"kind": data.get("kind")},
            {
                "team_roles": [m.get("role") for m in team],
                "third_party_organization": dig(data, "acceptance", "third_party", "name"),
            },
        )


@check("signature/unreadable", args=("name", "type"))
def unreadable(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, file in items(data, "x-archive", "files"):
        if file.get("signatures_unread"):
            yield Hit(
                pointer("x-archive", "files", index),
                {"name": file.get("name"), "type": file.get("type_name")},
                {"type": file.get("type"), "format": file.get("format")},
            )
