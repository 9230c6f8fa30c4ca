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
from itdocs.extract.signatures import signature_header


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
        else:
            legal_review = _legal_line(doc)
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


# A legal review written as one line: ``法务审核意见：同意签订。　审核人：周敏　　日期：2026年4月3日``, or
# as a PDF flattens a table row, ``法务审核 周敏 审核日期 2026 年6 月2 日``.
_LEGAL_LINE = re.compile(
    r"^[\s\u3000]*(?:法务|法律顾问|律师)(?:部|部门)?(?:审核|审查|会签)?(?:意见)?(?:人)?"
    r"(?:[（(](?:签字|签名|签章)[)）])?[\s\u3000]*[：:]?[\s\u3000]*"
)
_REVIEWER = re.compile(
    r"(?:审核人|审查人|经办人|签字人|签字|签名)[\s\u3000]*[：:]?[\s\u3000]*"
    r"(?P<name>[\u4e00-\u9fff·]{2,5})"
)
_BARE_NAME = re.compile(r"(?P<name>[\u4e00-\u9fff·]{2,4})(?=[\s\u3000，,；;]|$)")
_NOT_A_NAME = re.compile(
    r"同意|意见|审核|审查|日期|签字|签名|签订|签署|通过|批准|无|合规|已|阅|待|年|月|日"
)


def _legal_line(doc: ExtractedDocument) -> tuple[dict[str, str], str] | None:
    """The legal review read from a line of running text (a paragraph, a PDF page): the reviewer
    after 审核人 (or the name right after the label) and the line's date."""
    for block in doc.text_blocks:
        if block.kind not in ("paragraph", "heading", "page") or not re.search(
            r"法务|法律顾问|律师", block.text
        ):
            continue
        for line in block.text.splitlines():
            label = _LEGAL_LINE.match(line)
            if label is None:
                continue
            rest = line[label.end() :]
            found = find_dates(rest)
            day = day_of(found[-1][0]) if found else None
            who = _REVIEWER.search(rest)
            name = who["name"] if who is not None else None
            if name is None:
                bare = _BARE_NAME.match(rest)
                name = bare["name"] if bare and not _NOT_A_NAME.search(bare["name"]) else None
            if name is None and found:
                name = _name_before(rest[: found[-1][1]])
            if name is not None and day is not None:
                return {"name": name, "date": day.isoformat()}, block.location
    return None


# ``（法务部 秦岚 2026年10月29日）``: the reviewer written just before the date, after their department.
_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]*?(?:部|处|室|科|中心)(?=[\u4e00-\u9fff]{2,4}$)")


def _name_before(text: str) -> str | None:
    """The name ending ``text`` (what precedes a date): ``同意签订（法务部 秦岚`` → 秦岚."""
    words = [w for w in re.split(r"[\s\u3000，,；;：:（()）、。/／]+", text) if w]
    if not words:
        return None
    word = _DEPARTMENT.sub("", words[-1])
    if (
        re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", word)
        and not _NOT_A_NAME.search(word)
        and not re.search(r"(?:部|处|室|科|中心|公司|法务)$", word)
    ):
        return word
    return None


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
# What a sentence says of the attachments it lists: the words right after the name and the other
# names of its list (``用户手册、操作指南尚未提交``), else just before it (``缺用户手册``, ``未附：操作指南``).
_ATTACHMENT_NAMES = ("成果报告", "测试报告", "用户手册", "操作指南")
_MISSING = r"尚未|未|缺少?|欠缺|待补|暂无|没有|不全|不齐"
_PRESENT = r"已|齐全|附后|见附件"
_LIST_GLUE = re.compile(r"(?:[、，,及和与\s\u3000]+|等|" + "|".join(_ATTACHMENT_NAMES) + r")+")
_SAID_AFTER = re.compile(rf"(?:[（(]|均|都|也|目前|现|仍|还)*(?:({_MISSING})|{_PRESENT})")
_MISSING_BEFORE = re.compile(rf"(?:{_MISSING})[^，,；;。！!？?\n]{{0,3}}$")


def _said_missing(text: str, name: str) -> bool:
    """True when the sentence naming an attachment says it is not there:
    ``用户手册、操作指南尚未提交，待补充`` (not ``成果报告、测试报告已提交``)."""
    for m in re.finditer(re.escape(name), text):
        start = max(text.rfind(c, 0, m.start()) for c in "；;。\n") + 1
        after = text[m.end() :]
        glue = _LIST_GLUE.match(after)
        said = _SAID_AFTER.match(after[glue.end() if glue else 0 :])
        if said is not None:
            if said.group(1):
                return True
            continue
        if _MISSING_BEFORE.search(text[start : m.start()]):
            return True
    return False


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
    for name, code in zip(
        _ATTACHMENT_NAMES, ("result_report", "test_report", "user_manual", "operation_guide")
    ):
        for block in doc.text_blocks:
            if name in block.text:
                # The line naming it: a PDF page holds the whole table (and the verdict's boxes)
                # in one block, whose boxes read together say nothing clear.
                line = next(line for line in block.text.splitlines() if name in line)
                ticks = checked(line)
                if ticks is not None:
                    if any(name in t for t in ticks):
                        attachments.append(code)
                elif not _said_missing(line, name):
                    attachments.append(code)
                break
    return {
        "date": date_field(doc, "验收日期"),
        "verdict": verdict,
        "criteria": criteria,
        "third_party": third,
        "attachments": attachments,
        "team_rows": team_rows(doc, rows),
    }


def team_rows(
    doc: ExtractedDocument, rows: dict[str, list[tuple[int, str, str]]]
) -> dict[str, dict[str, Any]]:
    """The signature rows of the report's tables with a header (``姓名 | 单位 | 签字 | 日期``), by
    row place: the member's ``unit`` (its 单位/部门 cell, or ``""``) and whether the header names
    no role at all (``roleless``: no 角色/职务 column — every row under its 签字 header is a
    member of the team signing the report, whatever department the unit column names)."""
    places = {r.location for r in doc.signature_rows}
    out: dict[str, dict[str, Any]] = {}
    tables: dict[str, list[tuple[int, str]]] = {}
    for place in rows:
        table, number = row_number(place)
        tables.setdefault(table, []).append((number, place))
    for numbered in tables.values():
        head = None
        for _, place in sorted(numbered):
            cells = rows[place]
            texts = [""] * (max(c[0] for c in cells) + 1)
            for col, text, _ in cells:
                texts[col] = text
            found = signature_header(texts)
            if found is not None:
                head = found
                continue
            if head is None or place not in places:
                continue
            unit = next((texts[i] for i in head.units if i < len(texts) and texts[i]), "")
            out[place] = {"unit": unit[:80], "roleless": not head.roles}
    return out
