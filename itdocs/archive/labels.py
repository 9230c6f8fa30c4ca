"""Reading one document's labelled values, table rows, check boxes and signature rows.

The helpers the per-type readers (``itdocs.archive.content``) share: a value by its label — a
field the extractor recognised, or a table cell holding just the label with the value beside it
(forms label cells any way they like) — the rows of a table or sheet, the ticked options of
``☑ 通过　☐ 整改后复验``, and a signature row as the dossier view reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from itdocs.extract.dates import parse_date
from itdocs.extract.model import ExtractedDocument, Field, SignatureRow, TextBlock
from itdocs.extract.signatures import canonical_role

Fact = tuple[Any, str]
_CELL = re.compile(r"^(表\d+ 行\d+) 列(\d+)$")
_SHEET_CELL = re.compile(r"^(.+)!([A-Z]{1,3})(\d+)$")
_CHECKED = "☑☒■√✓✔▣"
_UNCHECKED = "☐□"


def iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def day_of(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# --- reading helpers -----------------------------------------------------------------------------


def field_by(doc: ExtractedDocument, *keys: str, label: str | None = None) -> Field | None:
    """The first field whose canonical key is one of ``keys``, or whose label matches ``label``
    (a labelled field, else a table cell holding just the label and the value in the next cell:
    forms label cells any way they like, ``评估日期`` as well as ``日期：``)."""
    for key in keys:
        for f in doc.fields:
            if f.key == key and f.value:
                return f
    if label:
        rx = re.compile(label)
        for f in doc.fields:
            if f.value and rx.search(f.label):
                return f
        for cells in rows_of(doc.text_blocks).values():
            cells = sorted(cells)
            for i, (_, text, _) in enumerate(cells[:-1]):
                cleaned = re.sub(r"[\s\u3000:：*＊]", "", text)
                if len(cleaned) <= 12 and rx.search(cleaned):
                    value, place = cells[i + 1][1], cells[i + 1][2]
                    return Field(cleaned, value, place, None, parse_date(value))
    return None


def date_field(doc: ExtractedDocument, *keys: str, label: str | None = None) -> Fact | None:
    for key in keys:
        for f in doc.fields:
            if f.key == key and isinstance(f.parsed, (dt.date, dt.datetime)):
                return iso(f.parsed), f.location
    if label:
        f = field_by(doc, label=label)
        value = parse_date(f.value) if f is not None else None
        if value is not None:
            return iso(value), f.location
    return None


def text_field(doc: ExtractedDocument, *keys: str, label: str | None = None) -> Fact | None:
    f = field_by(doc, *keys, label=label)
    return (f.value.strip()[:200], f.location) if f is not None else None


def rows_of(blocks: tuple[TextBlock, ...]) -> dict[str, list[tuple[int, str, str]]]:
    """Table and sheet rows: row place (``表2 行3``, ``Sheet 行7``) → [(column, text, cell place)]."""
    cached = _ROWS.get(id(blocks))
    if cached is not None and cached[0] is blocks:
        return cached[1]
    rows = _rows(blocks)
    _ROWS.clear()  # one document at a time
    _ROWS[id(blocks)] = (blocks, rows)
    return rows


_ROWS: dict[int, tuple[Any, dict[str, list[tuple[int, str, str]]]]] = {}


def _rows(blocks: Iterable[TextBlock]) -> dict[str, list[tuple[int, str, str]]]:
    rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for block in blocks:
        if block.kind != "cell" or not block.text:
            continue
        m = _CELL.match(block.location)
        if m:
            rows[m[1]].append((int(m[2]), block.text.strip(), block.location))
            continue
        m = _SHEET_CELL.match(block.location)
        if m:
            col = 0
            for ch in m[2]:
                col = col * 26 + ord(ch) - 64
            rows[f"{m[1]} 行{m[3]}"].append((col, block.text.strip(), block.location))
    return rows


def checked(text: str) -> list[str] | None:
    """Options ticked in ``☑ 通过　☐ 整改后复验``; None when the text has no check boxes."""
    if not any(mark in text for mark in _CHECKED + _UNCHECKED):
        return None
    out = []
    for m in re.finditer(rf"([{_CHECKED}{_UNCHECKED}])\s*([^\s{_CHECKED}{_UNCHECKED}]+)", text):
        if m[1] in _CHECKED:
            out.append(m[2])
    return out


def signature(row: SignatureRow, *, generated: bool) -> dict[str, Any]:
    """A signature row as the dossier view reads it. ``signed``: a picture, handwriting, or a
    claimed PDF signature — or, in a document itdocs generated, the name and date it printed from
    the dossier (its 签字 column is left for the wet signature on paper)."""
    recorded = bool(row.name and row.date)
    return {
        "role": row.role,
        "role_key": row.role_key,
        "name": row.name,
        "date": iso(row.date),
        "signed": bool(row.signed or (generated and recorded)),
        "basis": row.basis
        if row.signed
        else ("itdocs-record" if generated and recorded else "none"),
        "at": row.location,
    }


def is_header_row(row: SignatureRow) -> bool:
    """The first row of a table read as a role with nothing signed (``验收人员 | 签名 | 日期``):
    the table's header, not a member who has not signed."""
    return (
        row.location.endswith(" 行1") and not row.signed and row.date is None and row.name is None
    )


_OPINION = re.compile(r"^\s*(?P<role>[^：:\s]{2,14}?)(?:审批|审核|审查|签批)?意见\s*[：:]")
_SIGN_LINE = re.compile(
    r"(?:签\s*字|签\s*名)\s*[：:]\s*(?P<name>[^\s　日]*)(?:[\s　]*(?:日\s*期|时\s*间)\s*[：:]\s*(?P<date>.*))?"
)


def opinion_signatures(doc: ExtractedDocument) -> list[dict[str, Any]]:
    """Approvals written as paragraphs — ``部门经理意见：同意。`` then ``签字：张伟　日期：2026年3月4日``
    — which the table and line readers do not pair: each 签字 line belongs to the opinion above."""
    out: list[dict[str, Any]] = []
    role, opinion = None, ""
    for block in doc.text_blocks:
        if block.kind not in ("paragraph", "heading", "page"):
            continue
        for line in block.text.splitlines():
            m = _OPINION.match(line)
            if m and canonical_role(m["role"]):
                role, opinion = m["role"], line[m.end() :]
                continue
            sign = _SIGN_LINE.search(line)
            if sign and role:
                date = parse_date(sign["date"] or "")
                if date is None:
                    date = parse_date(line)
                name = sign["name"].strip("_＿ ") or None
                picture = block.location in _pictures(doc)
                out.append(
                    {
                        "role": role,
                        "role_key": canonical_role(role),
                        "name": name,
                        "date": iso(date),
                        "signed": bool(name) or picture,
                        "basis": "image" if picture else ("text" if name else "none"),
                        "at": block.location,
                        "decision": _decision(opinion),
                    }
                )
                role = None
    return out


def _pictures(doc: ExtractedDocument) -> set[str]:
    return {b.location for b in doc.text_blocks if b.kind == "image"}


_REJECT = re.compile(r"不同意|不予(?:批准|同意|通过)|驳回|否决|不批准")
_RETURN = re.compile(r"退回|修改后再(?:议|报)|补充材料后")


def _decision(text: str) -> str | None:
    if _REJECT.search(text):
        return "rejected"
    return "returned" if _RETURN.search(text) else None


def decisions(rows: dict[str, list[tuple[int, str, str]]]) -> dict[str, str]:
    """role key → rejected / returned, from table rows naming a role with an opinion."""
    out: dict[str, str] = {}
    for cells in rows.values():
        cells = sorted(cells)
        role = canonical_role(cells[0][1]) if cells else None
        if role is None:
            continue
        text = " ".join(t for _, t, _ in cells[1:])
        if _REJECT.search(text):
            out[role] = "rejected"
        elif _RETURN.search(text):
            out.setdefault(role, "returned")
    return out


# --- facts per type ------------------------------------------------------------------------------


def row_number(place: str) -> tuple[str, int]:
    """``表2 行13`` → (``表2``, 13): rows in reading order, not text order."""
    m = re.match(r"^(.*?)\s*行(\d+)$", place)
    return (m[1], int(m[2])) if m else (place, 0)
