"""The signed documents' part of the dossier view: the contract and the acceptance report.

A mixin of ``itdocs.archive.build``'s builder: the contract's dates, clauses, each party's
signature and the legal review (signed on the contract, or on another filed form); the acceptance
report's verdict, team signatures, criteria, third party and attachments. A document that must be
signed but shows no signature block at all is neither passed nor failed (``unsigned_unreadable``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from itdocs.archive.reading import FiledDocument

MEMBER_ROLES = {
    "acceptance_lead": "leader",
    "acceptance_member": "member",
    "third_party": "third_party",
}
_ATTACHMENT_WORDS = (
    ("成果报告", "result_report"),
    ("测试报告", "test_report"),
    ("用户手册", "user_manual"),
    ("操作指南", "operation_guide"),
)
# Who signs each document that must be signed.
SIGNERS = {
    "approval_sheet": frozenset({"department_head", "finance", "ceo"}),
    "change_request": frozenset({"department_head", "finance", "ceo"}),
    "contract": frozenset({"party_a", "party_b"}),
    "acceptance_report": frozenset(MEMBER_ROLES),
}


def unsigned_unreadable(doc: FiledDocument) -> bool:
    """A document that must be signed in which no signature line of any of its signers could be
    read (a scan, a PDF whose tables lost their lines, a layout no reader knows): its signatures
    can be judged neither way."""
    signers = SIGNERS.get(doc.type_id or "")
    if not doc.readable or signers is None:
        return False
    if doc.type_id == "acceptance_report":
        return not any(member_role(doc, row) for row in doc.facts.get("signatures", ()))
    return not any(row["role_key"] in signers for row in doc.facts.get("signatures", ()))


# A member's unit that is an outside institution checking the work: a third party.
_THIRD_PARTY_UNIT = re.compile(
    r"第三方|测评|检测|评测|测试中心|认证|实验室|监理|评估(?:中心|机构|公司)"
)


def member_role(doc: FiledDocument, row: Mapping[str, Any]) -> str | None:
    """The role in the acceptance team (leader, member, third_party) of a signature row of the
    acceptance report, None when the row is no member's: a row whose role says so (验收组长,
    组员, 第三方), or any row of a table whose header names no role (``姓名 | 单位 | 签字 | 日期``,
    ``验收小组成员 | 单位 | 签字 | 日期``) — the people signing an acceptance report are its team.
    A member whose unit is a testing or evaluation institution (测评, 检测 …), or the report's
    第三方机构, is the third party."""
    table = (doc.facts.get("team_rows") or {}).get(row["at"])
    role = MEMBER_ROLES.get(row["role_key"] or "")
    if role is None and table and table["roleless"]:
        role = "member"
    if role == "member" and table and table["unit"]:
        unit = re.sub(r"\s", "", table["unit"])
        third = doc.facts.get("third_party")
        institution = re.sub(r"\s", "", third[0]) if third else ""
        if _THIRD_PARTY_UNIT.search(unit) or (
            min(len(unit), len(institution)) >= 4 and same_company(unit, [institution])
        ):
            role = "third_party"
    return role


def table_of(doc: FiledDocument) -> str | None:
    rows = doc.facts.get("signatures") or ()
    return rows[0]["at"].split(" ")[0] if rows and rows[0]["at"] else None


class SignedSections:
    """Contract and acceptance sections of the builder, which provides ``at`` (record where a
    pointer's value came from), ``put`` (set a fact) and ``best`` (the one document of a type)."""

    docs: Sequence[FiledDocument]
    others: set[int]  # files named for another project: they fill nothing here
    data: dict[str, Any]
    unknown: set[str]
    unjudged: set[str]

    def contract(self) -> None:
        found = self.best("contract")
        if not found:
            return
        index, doc = found
        section: dict[str, Any] = {}
        self.data["contract"] = section
        self.at("/contract", index)
        for key in ("signed_date", "start_date", "end_date", "amount"):
            self.put(section, key, "/contract", index, doc.facts.get(key))
        if "signed_date" not in section and doc.name.precision == "day":
            section["signed_date"] = doc.name.first.isoformat()
            self.at("/contract/signed_date", index, "文件名")
        # An unread signature block may hold the legal review too: unknown unless read elsewhere in
        # the contract (a paragraph) or on another form. The signing date then still comes from
        # the file's name, which the naming convention dates with it (a name carrying a later
        # filing date can only hide a late review, never invent one).
        legal = doc.facts.get("legal_review") or self._legal_elsewhere()
        if unsigned_unreadable(doc):
            self.unknown.add("/contract/signatures")
            if not legal:
                self.unknown.add("/contract/legal_review")
        if not doc.readable or (doc.encrypted and not doc.format):
            self.unknown.update(
                f"/contract/{k}"
                for k in (
                    "sla",
                    "confidentiality",
                    "breach_liability",
                    "ip_ownership",
                    "risk_allocation",
                    "signatures",
                    "legal_review",
                )
            )
            return
        clauses = doc.facts.get("clauses") or {}
        self._clauses(section, clauses, index)
        self._parties(section, doc, index)
        if legal:
            section["legal_review"] = dict(legal[0])
            self.at("/contract/legal_review", index if not legal[2:] else legal[2], legal[1])

    def _clauses(self, section: dict[str, Any], clauses: Mapping[str, str], index: int) -> None:
        # A clause found stands for its elements: element by element a hand-written clause is not
        # read (availability, hours, … are for the dossier check), only whether it is there.
        elements = {
            "sla": ("availability", "service_hours", "priorities", "penalty"),
            "confidentiality": ("scope", "duration_years", "data_disposal"),
        }
        for key, names in elements.items():
            if key in clauses:
                section[key] = {name: f"见{clauses[key]}" for name in names}
                self.at(f"/contract/{key}", index, clauses[key])
        for clause, key in (
            ("breach_liability", "breach_liability"),
            ("ip", "ip_ownership"),
            ("risk", "risk_allocation"),
        ):
            if clause in clauses:
                section[key] = f"见{clauses[clause]}"
                self.at(f"/contract/{key}", index, clauses[clause])
            else:
                self.at(f"/contract/{key}", index, "全文")
        for key in ("sla", "confidentiality"):
            if key not in clauses:
                self.at(f"/contract/{key}", index, "全文")

    def _parties(self, section: dict[str, Any], doc: FiledDocument, index: int) -> None:
        signatures: dict[str, Any] = {}
        rows = doc.facts.get("signatures", ())
        for party, role in (("client", "party_a"), ("supplier", "party_b")):
            mine = [r for r in rows if r["role_key"] == role]
            row = next((r for r in mine if r["signed"]), mine[0] if mine else None)
            place = row["at"] if row else table_of(doc)
            self.at(f"/contract/signatures/{party}", index, place)
            if row and row["signed"]:
                entry = {"name": row["name"] or "（签章）"}
                # A party's lines (seal, representative, date) may be read as separate rows; a PDF
                # flattens the two-column block, so its date lines may not sit with their party.
                dates = [r["date"] for r in mine if r["date"]]
                if not dates and doc.format == "pdf" and section.get("signed_date"):
                    dates = [section["signed_date"]]
                if dates:
                    entry["date"] = dates[0][:10]
                signatures[party] = entry
        section["signatures"] = signatures
        parties = {}
        for party, key in (("client", "client"), ("supplier", "supplier")):
            fact = doc.facts.get(key)
            if fact and _company(fact[0]):
                parties[party] = {"name": _company(fact[0])}
                self.at(f"/parties/{party}/name", index, fact[1])
        if parties:
            self.data["parties"] = parties

    def _legal_elsewhere(self) -> tuple[Any, ...] | None:
        """A legal review signed elsewhere than the contract: the approval sheet, a contract
        review form (合同会签单, 合同审批表) the archive files beside it."""
        for index, doc in enumerate(self.docs):
            if doc.type_id == "contract" or index in self.others:
                continue
            for row in doc.facts.get("signatures", ()):
                if row["role_key"] == "legal" and row["signed"] and row["date"]:
                    return (
                        {"name": row["name"] or row["role"], "date": row["date"][:10]},
                        row["at"],
                        index,
                    )
        return None

    def acceptance(self) -> None:
        found = self.best("acceptance_report")
        if not found:
            return
        index, doc = found
        section: dict[str, Any] = {}
        self.data["acceptance"] = section
        self.at("/acceptance", index)
        self.put(section, "date", "/acceptance", index, doc.facts.get("date"))
        if "date" not in section and doc.name.precision == "day":
            section["date"] = doc.name.first.isoformat()
            self.at("/acceptance/date", index, "文件名")
        if not doc.readable:
            self.unknown.add("/acceptance")
            return
        if unsigned_unreadable(doc):
            self.unknown.add("/acceptance/team")
        self.put(section, "verdict", "/acceptance", index, doc.facts.get("verdict"))
        team = []
        units = doc.facts.get("team_rows") or {}
        for row in doc.facts.get("signatures", ()):
            role = member_role(doc, row)
            if role is None:
                continue
            member: dict[str, Any] = {"name": row["name"] or row["role"], "role": role}
            if units.get(row["at"], {}).get("unit"):
                member["organization"] = units[row["at"]]["unit"]
            if row["signed"]:
                member["signed_date"] = (row["date"] or section.get("date") or "")[:10] or None
            at = f"/acceptance/team/{len(team)}"
            self.at(at, index, row["at"])
            self.at(f"{at}/signed_date", index, row["at"])
            team.append({k: v for k, v in member.items() if v is not None})
        section["team"] = team
        self.at("/acceptance/team", index, table_of(doc))
        criteria = doc.facts.get("criteria") or []
        section["criteria"] = [{"name": c["name"], "passed": c["passed"]} for c in criteria]
        for number, criterion in enumerate(criteria):
            self.at(f"/acceptance/criteria/{number}/passed", index, criterion["at"])
        third = doc.facts.get("third_party")
        if third:
            section["third_party"] = {"name": third[0]}
            self.at("/acceptance/third_party", index, third[1])
        attachments = list(doc.facts.get("attachments") or [])
        for number, other in enumerate(self.docs):  # attachments filed as files of their own
            if number in self.others:
                continue
            for word, code in _ATTACHMENT_WORDS:
                if word in other.name.stem and code not in attachments:
                    attachments.append(code)
        if attachments:
            section["application"] = {"attachments": attachments}
        self.at("/acceptance/application", index, "全文")


_COMPANY_TAIL = re.compile(
    r"(?:有限公司|有限责任公司|股份有限公司|集团|公司|研究院|研究所|中心|事务所|大学)"
)


def _company(text: str) -> str | None:
    """A company name as written, without ``（以下简称乙方）`` and the like; None when not one."""
    cleaned = re.sub(r"[（(]以下简称[^）)]*[）)]|[（(][^）)]*[）)]$", "", text).strip(" ：:　")
    return cleaned if _COMPANY_TAIL.search(cleaned) and len(cleaned) >= 4 else None


def same_company(name: str, names: list[str]) -> str | None:
    for candidate in names:
        if candidate == name or candidate in name or name in candidate:
            return candidate
    return None


def supplier_party(data: dict[str, Any]) -> None:
    """Read 乙方 as the chosen supplier when one name contains the other (a short form)."""
    chosen = data.get("suppliers", {}).get("chosen")
    supplier = data.get("parties", {}).get("supplier", {}).get("name")
    if chosen and supplier and same_company(supplier, [chosen]):
        data["parties"]["supplier"]["name"] = chosen
