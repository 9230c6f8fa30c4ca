"""Reading the two documents with parties and teams: the contract (signing date, term, amount,
parties, clauses, legal review) and the acceptance report (date, verdict, criteria, third party,
attachments). Facts as in ``itdocs.archive.content``: ``(value, place)``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from itdocs.archive.labels import (
    Fact,
    checked,
    date_field,
    day_of,
    field_by,
    row_number,
    rows_of,
    text_field,
)
from itdocs.extract.dates import find_dates
from itdocs.extract.model import ExtractedDocument


def contract_facts(doc: ExtractedDocument, sigs: list[dict[str, Any]]) -> dict[str, Any]:
    signed = date_field(doc, "签订日期")
    parties = [s for s in sigs if s["role_key"] in ("party_a", "party_b")]
    if signed is None:
        dated = [s for s in parties if s["signed"] and s["date"]]
        if dated:
            last = max(dated, key=lambda s: s["date"])
            signed = (last["date"][:10], last["at"])
    start, end = _term(doc)
    amount = field_by(doc, "合同金额")
    parties = _party_names(rows_of(doc.text_blocks))
    legal = next((s for s in sigs if s["role_key"] == "legal"), None)
    legal_review = None
    if legal and (legal["signed"] or legal["name"]) and legal["date"]:
        legal_review = (
            {"name": legal["name"] or legal["role"], "date": legal["date"]},
            legal["at"],
        )
    elif legal is None:
        who = field_by(doc, label=r"^法务(?:审核|审查|意见)?(?:人)?$")
        when = date_field(doc, label=r"^(?:法务)?审(?:核|查)日期$")
        if who is not None and when is not None:
            legal_review = ({"name": who.value[:40], "date": when[0]}, who.location)
    return {
        "signed_date": signed,
        "start_date": start,
        "end_date": end,
        "amount": (str(amount.parsed), amount.location)
        if amount is not None and isinstance(amount.parsed, Decimal)
        else None,
        "client": text_field(doc, "甲方") or parties.get("甲方"),
        "supplier": text_field(doc, "乙方") or parties.get("乙方"),
        "clauses": dict(doc.clauses),
        "legal_review": legal_review,
    }


def _term(doc: ExtractedDocument) -> tuple[Fact | None, Fact | None]:
    """The service term: a 服务期限 field, else a sentence such as 服务期限自…起至…止."""
    term = field_by(doc, "服务期限")
    if term is not None and term.parsed is not None:
        return (term.parsed.start.isoformat(), term.location), (
            term.parsed.end.isoformat(),
            term.location,
        )
    for block in doc.text_blocks:
        for line in block.text.splitlines() if "期" in block.text else ():
            if re.search(r"服务期限|合同期限|服务期|有效期", line):
                found = find_dates(line)
                if len(found) >= 2:
                    first, second = day_of(found[0][0]), day_of(found[1][0])
                    if first and second and second > first:
                        return (first.isoformat(), block.location), (
                            second.isoformat(),
                            block.location,
                        )
    return None, None


def _party_names(rows: dict[str, list[tuple[int, str, str]]]) -> dict[str, Fact]:
    """甲方/乙方 names from a parties table: a row 甲方（委托方） then a row 名称 | 某某公司."""
    out: dict[str, Fact] = {}
    party = None
    for place, cells in sorted(rows.items(), key=lambda kv: row_number(kv[0])):
        cells = sorted(cells)
        first = cells[0][1] if cells else ""
        if first[:2] in ("甲方", "乙方"):
            party = first[:2]
            if len(cells) > 1 and party not in out and len(cells[1][1]) >= 4:
                out[party] = (cells[1][1][:80], cells[1][2])
        elif (
            party
            and re.sub(r"\s", "", first) in ("名称", "单位名称", "公司名称")
            and len(cells) > 1
        ):
            out.setdefault(party, (cells[1][1][:80], cells[1][2]))
    return out


_RESULTS = ("通过", "合格", "不通过", "未通过", "不合格")


def acceptance_facts(
    doc: ExtractedDocument, rows: dict[str, list[tuple[int, str, str]]]
) -> dict[str, Any]:
    verdict = None
    f = field_by(doc, "验收结论")
    candidates = [(f.value, f.location)] if f is not None else []
    candidates += [(b.text, b.location) for b in doc.text_blocks if checked(b.text)]
    for text, place in candidates:
        ticks = checked(text)
        words = " ".join(ticks) if ticks is not None else text
        for code, rx in (("fail", r"不通过|不合格"), ("rectify", r"整改"), ("pass", r"通过|合格")):
            if re.search(rx, words):
                verdict = (code, place)
                break
        if verdict:
            break
    criteria = []
    for place, cells in rows.items():
        cells = [c for c in sorted(cells) if not c[1].isdigit()]
        last = cells[-1][1] if cells else ""
        if len(cells) >= 2 and last in _RESULTS and not re.search(r"结论|结果|意见", cells[0][1]):
            criteria.append(
                {"name": cells[0][1][:60], "passed": last in ("通过", "合格"), "at": cells[-1][2]}
            )
    third = text_field(doc, "第三方机构")
    if third and re.fullmatch(r"[无/—\-–－\s]*|无第三方.*", third[0]):
        third = None
    attachments = []
    for name, code in (
        ("成果报告", "result_report"),
        ("测试报告", "test_report"),
        ("用户手册", "user_manual"),
        ("操作指南", "operation_guide"),
    ):
        for block in doc.text_blocks:
            if name in block.text:
                ticks = checked(block.text)
                if ticks is None or any(name in t for t in ticks):
                    attachments.append(code)
                break
    return {
        "date": date_field(doc, "验收日期"),
        "verdict": verdict,
        "criteria": criteria,
        "third_party": third,
        "attachments": attachments,
    }
