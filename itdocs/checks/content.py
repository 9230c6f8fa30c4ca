"""Content (内容): what the documents must say — contract clauses, attachments, quotes, costs.

A contract without an SLA clause, a confidentiality clause or breach liability is non-compliant
(seed 000); an affiliation contract also states IP ownership and risk allocation (seed 001). An
acceptance application carries the result report, test report, user manual and operation guide
(seed 002). Supplier selection by price comparison needs ``min_quotes`` quotes; the chosen supplier
is a candidate and the contract's 乙方. Actual cost above budget by more than
``cost_overrun_percent`` % is reported with the risk reserve. And nothing still says ``TODO`` from
``itdocs init``.

Parameters: ``min_quotes``, ``cost_overrun_percent``, ``acceptance_attachments``, ``supplier_weights``;
per rule ``kinds``.

### content/sla-clause
The contract's SLA states availability, service hours, response and resolution times per
priority, and the penalty for missing them.

Compliant::

    sla: {availability: 99.5, service_hours: 工作日8:00—20:00, penalty: 每低0.1%扣2%服务费,
          priorities: [{level: P1, response_minutes: 15, resolution_hours: 4}]}

Non-compliant (no penalty)::

    sla: {availability: 99.5, service_hours: 工作日8:00—20:00, priorities: […]}

### content/confidentiality-clause
The contract has a confidentiality clause (保密条款): its scope, how long it lasts after the
contract ends, and how data is returned or destroyed.

Compliant::

    confidentiality: {scope: 甲方一切非公开信息, duration_years: 3, data_disposal: 5个工作日内返还并删除}

Non-compliant: no ``confidentiality`` in the contract.

### content/breach-clause
The contract states breach liability (违约责任).

Compliant: ``breach_liability: 逾期每日按合同总额0.5‰支付违约金…``. Non-compliant: no ``breach_liability``.

### content/ip-ownership
An affiliation (挂靠) contract states who owns the intellectual property (知识产权归属).

Compliant: ``ip_ownership: 项目成果知识产权归甲方所有``. Non-compliant: none in a ``kind: affiliation`` contract.

### content/risk-allocation
An affiliation contract states how risks are shared (风险分担).

Compliant: ``risk_allocation: 技术风险由乙方承担…``. Non-compliant: none in a ``kind: affiliation`` contract.

### content/acceptance-attachments
The acceptance application lists every attachment in ``acceptance_attachments`` (result_report,
test_report, user_manual, operation_guide); kinds in ``kinds`` need an application at all.

Compliant::

    application: {date: "2026-11-02", attachments: [result_report, test_report, user_manual, operation_guide]}

Non-compliant (no operation guide)::

    application: {date: "2026-11-02", attachments: [result_report, test_report, user_manual]}

### content/min-quotes
Selection by price comparison (比价) needs at least ``min_quotes`` candidates with a quote.

Compliant: ``method: price_comparison`` and three candidates with ``quote``.
Non-compliant: ``method: price_comparison`` and two quotes.

### content/supplier-choice
The chosen supplier is one of the candidates, and it is the contract's 乙方 (``parties.supplier``).

Compliant::

    suppliers: {chosen: 苏州云启信息科技有限公司, candidates: [{name: 苏州云启信息科技有限公司, …}, …]}
    parties: {supplier: {name: 苏州云启信息科技有限公司, …}}

Non-compliant: ``chosen`` names a company that is not among the candidates, or another 乙方.

### content/supplier-weights
The evaluation weights (the dossier's, else the policy's ``supplier_weights``) add up to 100.

Compliant: ``weights: {history: 30, capability: 40, price: 30}``.
Non-compliant: ``weights: {history: 30, capability: 40, price: 40}``.

### content/acceptance-verdict
A ``pass`` verdict needs every acceptance criterion passed.

Compliant: ``verdict: pass`` and every criterion ``passed: true``.
Non-compliant: ``verdict: pass`` with a criterion ``passed: false``.

### content/cost-overrun
Actual cost above budget (``project.budget``, else the requirement's budget, else the contract
amount) by more than ``cost_overrun_percent`` %; the message shows the risk reserve.

Compliant: ``budget: 500000``, ``cost: {actual: 486000}``.
Non-compliant: ``budget: 500000``, ``cost: {actual: 560000, risk_reserve: 25000}`` (+12%).

### content/todo-marker
No value still starts with ``TODO`` (left by ``itdocs init``), and no credit code is the starter's
placeholder ``91310000000000000U``.

Compliant: ``name: ERP系统运维服务采购项目``. Non-compliant: ``name: "TODO: 项目名称"``.

### content/dossier-mismatch
(Archives checked with ``--dossier``.) A filed document's own date is the one the dossier records:
the contract's signing date, the meeting's day in its minutes, the acceptance date, the date a
report was filed — the dossier is the truth, so a file that says otherwise is a finding at the file.

Compliant: ``contract: {signed_date: "2026-07-31"}`` and the contract reads 签订日期：2026年7月31日.
Non-compliant: the same dossier and a contract signed 2026年8月3日.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from itdocs.access import dig, items, key, money, pointer, text
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.checks.dossier_match import matches
from itdocs.starter import PLACEHOLDER_USCC, TODO

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

KINDS = ["procurement", "affiliation", "informatization", "outsourcing", "improvement"]
KINDS_OPTION = {"kinds": {"type": "array", "items": {"enum": KINDS}}}
SLA_ELEMENTS = (
    ("availability", "可用性", "availability"),
    ("service_hours", "服务时间", "service hours"),
    ("priorities", "分级响应与解决时间", "response and resolution times"),
    ("penalty", "未达服务水平的违约处理", "penalty"),
)
CONFIDENTIALITY_ELEMENTS = (
    ("scope", "保密范围", "scope"),
    ("duration_years", "保密期限", "duration"),
    ("data_disposal", "数据返还与销毁", "return or destruction of data"),
)


def _present(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return False


def _clause(
    data: Any, key: str, elements: tuple[tuple[str, str, str], ...], label: tuple[str, str]
) -> Iterator[Hit]:
    contract = dig(data, "contract")
    if not isinstance(contract, dict):
        return
    clause = contract.get(key)
    if not isinstance(clause, dict):
        yield Hit(
            f"/contract/{key}",
            {"clause": label[0], "clause_en": label[1], "element": "", "element_en": ""},
            {"missing": key},
        )
        return
    for name, zh, en in elements:
        if not _present(clause.get(name)):
            yield Hit(
                f"/contract/{key}/{name}",
                {
                    "clause": label[0],
                    "clause_en": label[1],
                    "element": f"「{zh}」",
                    "element_en": en,
                },
                {"missing": f"{key}.{name}"},
            )


CLAUSE_ARGS = ("clause", "clause_en", "element", "element_en")


@check("content/sla-clause", args=CLAUSE_ARGS)
def sla_clause(data: Any, ctx: Context) -> Iterator[Hit]:
    yield from _clause(data, "sla", SLA_ELEMENTS, ("服务水平协议（SLA）条款", "SLA clause"))


@check("content/confidentiality-clause", args=CLAUSE_ARGS)
def confidentiality_clause(data: Any, ctx: Context) -> Iterator[Hit]:
    yield from _clause(
        data, "confidentiality", CONFIDENTIALITY_ELEMENTS, ("保密条款", "confidentiality clause")
    )


def _text_clause(data: Any, key: str, zh: str, en: str) -> Iterator[Hit]:
    contract = dig(data, "contract")
    if isinstance(contract, dict) and not text(contract.get(key)):
        yield Hit(
            f"/contract/{key}",
            {"clause": zh, "clause_en": en, "element": "", "element_en": ""},
            {"missing": key},
        )


@check("content/breach-clause", args=CLAUSE_ARGS)
def breach_clause(data: Any, ctx: Context) -> Iterator[Hit]:
    yield from _text_clause(data, "breach_liability", "违约责任条款", "breach liability clause")


@check(
    "content/ip-ownership",
    options=KINDS_OPTION,
    defaults={"kinds": ["affiliation"]},
    args=CLAUSE_ARGS,
)
def ip_ownership(data: Any, ctx: Context) -> Iterator[Hit]:
    if isinstance(data, dict) and data.get("kind") in (ctx.params.get("kinds") or ()):
        yield from _text_clause(data, "ip_ownership", "知识产权归属条款", "IP ownership clause")


@check(
    "content/risk-allocation",
    options=KINDS_OPTION,
    defaults={"kinds": ["affiliation"]},
    args=CLAUSE_ARGS,
)
def risk_allocation(data: Any, ctx: Context) -> Iterator[Hit]:
    if isinstance(data, dict) and data.get("kind") in (ctx.params.get("kinds") or ()):
        yield from _text_clause(data, "risk_allocation", "风险分担条款", "risk allocation clause")


_ATTACHMENT_ZH = {
    "result_report": "成果报告",
    "test_report": "测试报告",
    "user_manual": "用户手册",
    "operation_guide": "操作指南",
}


def _attachments(codes: list[str]) -> dict[str, str]:
    return {
        "missing": ", ".join(codes),
        "missing_zh": "、".join(_ATTACHMENT_ZH.get(c, c) for c in codes),
    }


@check(
    "content/acceptance-attachments",
    reads=("acceptance_attachments",),
    options=KINDS_OPTION,
    defaults={"kinds": ["informatization"]},
    args=("missing", "missing_zh"),
)
def acceptance_attachments(data: Any, ctx: Context) -> Iterator[Hit]:
    acceptance = dig(data, "acceptance")
    if not isinstance(acceptance, dict):
        return
    required = [a for a in ctx.params.get("acceptance_attachments") or [] if isinstance(a, str)]
    application = acceptance.get("application")
    if not isinstance(application, dict):
        if data.get("kind") in (ctx.params.get("kinds") or ()):
            yield Hit("/acceptance/application", _attachments(required), {"required": required})
        return
    listed = (
        application.get("attachments") if isinstance(application.get("attachments"), list) else []
    )
    missing = [a for a in required if a not in listed]
    if missing:
        yield Hit(
            "/acceptance/application/attachments",
            _attachments(missing),
            {"required": required, "listed": listed, "missing": missing},
        )


@check("content/min-quotes", reads=("min_quotes",), args=("count", "min_quotes"))
def min_quotes(data: Any, ctx: Context) -> Iterator[Hit]:
    if dig(data, "suppliers", "method") != "price_comparison":
        return
    quotes = {
        key(c.get("name")) or f"#{i + 1}": c.get("quote")
        for i, c in items(data, "suppliers", "candidates")
        if money(c.get("quote")) is not None
    }
    needed = ctx.params.get("min_quotes")
    needed = needed if isinstance(needed, int) and not isinstance(needed, bool) else 3
    if len(quotes) < needed:
        yield Hit(
            "/suppliers/candidates",
            {"count": len(quotes), "min_quotes": needed},
            {"quotes": quotes, "min_quotes": needed, "method": "price_comparison"},
        )


@check("content/supplier-choice", args=("chosen", "problem", "problem_en"))
def supplier_choice(data: Any, ctx: Context) -> Iterator[Hit]:
    chosen = text(dig(data, "suppliers", "chosen"))
    if chosen is None:
        return
    names = [text(c.get("name")) for _, c in items(data, "suppliers", "candidates")]
    if chosen not in names:
        yield Hit(
            "/suppliers/chosen",
            {
                "chosen": chosen,
                "problem": "不在候选供应商之列",
                "problem_en": "is not among the candidates",
            },
            {"candidates": names},
        )
    supplier = text(dig(data, "parties", "supplier", "name"))
    if supplier is not None and supplier != chosen:
        yield Hit(
            "/parties/supplier/name",
            {
                "chosen": chosen,
                "problem": f"与乙方「{supplier}」不一致",
                "problem_en": f"differs from the contract party {supplier}",
            },
            {"chosen": chosen, "supplier": supplier},
        )


@check("content/supplier-weights", reads=("supplier_weights",), args=("total",))
def supplier_weights(data: Any, ctx: Context) -> Iterator[Hit]:
    if not isinstance(dig(data, "suppliers"), dict):
        return
    weights, at = dig(data, "suppliers", "weights"), "/suppliers/weights"
    if not isinstance(weights, dict):
        weights, at = ctx.params.get("supplier_weights"), "/suppliers"
    if not isinstance(weights, dict):
        return
    values = [
        v for v in weights.values() if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]
    total = sum(values)
    if values and abs(total - 100) > 1e-9:
        yield Hit(
            at,
            {"total": total},
            {"weights": weights, "source": "dossier" if at.endswith("weights") else "policy"},
        )


@check("content/acceptance-verdict", args=("criterion",))
def acceptance_verdict(data: Any, ctx: Context) -> Iterator[Hit]:
    if dig(data, "acceptance", "verdict") != "pass":
        return
    for index, criterion in items(data, "acceptance", "criteria"):
        if criterion.get("passed") is False:
            yield Hit(
                pointer("acceptance", "criteria", index, "passed"),
                {"criterion": criterion.get("name")},
                {
                    "criterion": criterion.get("name"),
                    "result": criterion.get("result"),
                    "verdict": "pass",
                },
            )


def _budget(data: Any) -> tuple[Decimal | None, str]:
    for path in (("project", "budget"), ("requirement", "budget"), ("contract", "amount")):
        amount = money(dig(data, *path))
        if amount:
            return amount, pointer(*path)
    return None, ""


@check(
    "content/cost-overrun",
    reads=("cost_overrun_percent",),
    args=("actual", "budget", "percent", "limit", "risk_reserve"),
)
def cost_overrun(data: Any, ctx: Context) -> Iterator[Hit]:
    actual = money(dig(data, "cost", "actual"))
    budget, source = _budget(data)
    limit = ctx.params.get("cost_overrun_percent")
    limit = limit if isinstance(limit, (int, float)) and not isinstance(limit, bool) else 10
    if actual is None or budget is None:
        return
    percent = (actual - budget) / budget * 100
    if percent > Decimal(str(limit)):
        reserve = money(dig(data, "cost", "risk_reserve"))
        yield Hit(
            "/cost/actual",
            {
                "actual": f"{actual:,}",
                "budget": f"{budget:,}",
                "percent": f"{float(percent):.1f}",
                "limit": limit,
                "risk_reserve": f"{reserve:,}" if reserve is not None else "—",
            },
            {
                "actual": str(actual),
                "budget": str(budget),
                "budget_from": source,
                "overrun_percent": round(float(percent), 2),
                "limit_percent": limit,
                "risk_reserve": str(reserve) if reserve is not None else None,
                "reserve_covers_overrun": bool(reserve is not None and actual - budget <= reserve),
            },
        )


@check("content/todo-marker", args=("value",))
def todo_marker(data: Any, ctx: Context) -> Iterator[Hit]:
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{at}{pointer(k)}", v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((f"{at}/{i}", v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str) and (
            value.lstrip().startswith(TODO) or value == PLACEHOLDER_USCC
        ):
            yield Hit(
                at, {"value": value if len(value) <= 40 else value[:39] + "…"}, {"value": value}
            )


@check(
    "content/dossier-mismatch",
    reads=("naming", "timezone"),
    args=("name", "what", "in_file", "in_dossier"),
)
def dossier_mismatch(data: Any, ctx: Context) -> Iterator[Hit]:
    files = dig(data, "x-archive", "files") or []
    dossier = dig(data, "x-archive", "dossier") or {}
    for doc, found in matches(data, ctx.params):
        for index in found:
            file = files[index]
            pairs = []
            if "period" not in doc.date_at.rsplit("/", 1)[-1]:
                pairs.append(("日期", file.get("date"), doc.date_value, doc.date_at))
            else:
                filed_at = doc.at + "/filed"
                pairs.append(("提交日期", file.get("filed"), dig(dossier, *_steps(filed_at)), filed_at))
            for what, in_file, in_dossier, at in pairs:
                a, b = _day(in_file), _day(in_dossier)
                if a and b and a != b:
                    yield Hit(
                        pointer("x-archive", "files", index, "date"),
                        {"name": file.get("name"), "what": what, "in_file": a, "in_dossier": b},
                        {
                            "in_file": a,
                            "read_at": file.get("date_at") if what == "日期" else file.get("filed_at"),
                            "in_dossier": b,
                            "dossier": dig(data, "x-archive", "dossier_file"),
                            "dossier_pointer": at,
                        },
                    )


def _steps(at: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in at.split("/")[1:]]


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None
