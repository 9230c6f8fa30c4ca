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


def labelled(doc: ExtractedDocument, label: str) -> list[tuple[str, str]]:
    """Every value whose label matches ``label`` — labelled fields, then table cells holding just
    the label with the value in the next cell — as (value, place), in reading order."""
    rx = re.compile(label)
    out = [(f.value, f.location) for f in doc.fields if f.value and rx.search(f.label)]
    seen = {place for _, place in out}
    for place, cells in sorted(rows_of(doc.text_blocks).items(), key=lambda kv: row_number(kv[0])):
        cells = sorted(cells)
        for i, (_, text, _) in enumerate(cells[:-1]):
            cleaned = re.sub(r"[\s\u3000:：*＊]", "", text)
            if len(cleaned) <= 12 and rx.search(cleaned) and cells[i + 1][2] not in seen:
                out.append((cells[i + 1][1], cells[i + 1][2]))
    return out


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
    """Options ticked in ``☑ 通过　☐ 整改后复验`` (or ``通过（√） 整改后复验（ ）``, ``通过☑``); None
    when the text has no check boxes. See :func:`boxes`."""
    found = boxes(text)
    return None if found is None else [option for ticked, option in found if ticked and option]


# --- check boxes ---------------------------------------------------------------------------------
#
# Forms print their options with a box before (or after) each and the writer ticks one: ☑/☐ typed
# or inserted as symbols (Word's check box control shows ☒ for ticked), ■/□, √ written in front of
# or after an option, ``[√]``/``（√）``/``[x]`` against ``[ ]``/``（ ）``. A symbol inserted from
# Wingdings / Wingdings 2 (``w:sym`` in Word, WPS's 带勾的方框) may reach us as the font's
# private-use character: U+F0FE is Wingdings' ☑, U+F052 Wingdings 2's ☑, U+F0A3 its □ …

_CHECKED = "☑☒■√✓✔▣🗹🗸🗷"
_UNCHECKED = "☐□❑❒◻▢"
_BOXES = _CHECKED + _UNCHECKED
_SYMBOLS = str.maketrans(
    {
        "\uf0fe": "☑",  # Wingdings þ: box with check
        "\uf0fd": "☒",  # Wingdings ý: box with x
        "\uf078": "☒",  # Wingdings x
        "\uf0fc": "✓",  # Wingdings ü: check mark
        "\uf06e": "■",  # Wingdings n: black square
        "\uf0a8": "☐",  # Wingdings ¨: box
        "\uf06f": "□",  # Wingdings o: white square
        "\uf071": "❑",  # Wingdings q
        "\uf052": "☑",  # Wingdings 2 R: box with check
        "\uf053": "☒",  # Wingdings 2 S: box with x
        "\uf054": "☒",  # Wingdings 2 T: box with x
        "\uf050": "✓",  # Wingdings 2 P: check mark
        "\uf0a3": "□",  # Wingdings 2 £: box
        "\uf0a2": "□",  # Wingdings 2 ¢: box
    }
)
_TICK_IN_BRACKETS = re.compile(
    r"[\[【〔（(][ \u3000]*[√✓✔☑■][ \u3000]*[\]】〕）)]|\[[ \u3000]*[xX][ \u3000]*\]"
)
_EMPTY_BRACKETS = re.compile(
    r"\[[ \u3000]*\]|【[ \u3000]*】|〔[ \u3000]*〕|（[ \u3000]*）|\([ \u3000]*\)"
)
_SEPARATORS = " \t\n\r\u3000,，;；、。.:：/|｜"
_OPTION_AFTER = re.compile(rf"[ \t\u3000]*([^{_SEPARATORS}{_BOXES}]*)")
_OPTION_BEFORE = re.compile(rf"([^{_SEPARATORS}{_BOXES}]*)[ \t\u3000]*$")


def _with_boxes(text: str) -> str:
    """``text`` with every way of drawing a box as one of the glyphs above. Empty brackets are boxes
    only beside another box (alone they are blanks to fill in: ``共（ ）份``)."""
    text = text.translate(_SYMBOLS)
    text = _TICK_IN_BRACKETS.sub("☑", text)
    if any(mark in text for mark in _BOXES):
        text = _EMPTY_BRACKETS.sub("☐", text)
    return text


def boxes(text: str) -> list[tuple[bool, str]] | None:
    """Each check box of ``text`` with its option — ``(ticked, option)`` — in order; None when the
    text has no check boxes. The option is the word after the box (``☑同意 □不同意``) or, where
    the boxes follow their words (``同意☑ 不同意□``, ``同意（√）``), the word before it."""
    text = _with_boxes(text)
    at = [i for i, ch in enumerate(text) if ch in _BOXES]
    if not at:
        return None
    word = re.compile(rf"[^{_SEPARATORS}{_BOXES}]")
    before = sum(1 for i in at if i + 1 < len(text) and word.match(text[i + 1]))
    after = sum(1 for i in at if i > 0 and word.match(text[i - 1]))
    if before == after:  # spaced out: ``同意 ☑ 不同意 □`` — the last box has no word after it
        rest = text[at[-1] + 1 :].lstrip(" \t\u3000")
        boxes_first = bool(rest) and rest[0] not in _SEPARATORS
    else:
        boxes_first = before > after
    out = []
    for i in at:
        if boxes_first:
            option = _OPTION_AFTER.match(text, i + 1)[1]  # type: ignore[index]
        else:
            option = _OPTION_BEFORE.search(text[:i])[1]  # type: ignore[index]
        out.append((text[i] in _CHECKED, option))
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
                        "decision": decision(opinion),
                    }
                )
                role = None
    return out


def _pictures(doc: ExtractedDocument) -> set[str]:
    return {b.location for b in doc.text_blocks if b.kind == "image"}


# --- decisions -----------------------------------------------------------------------------------
#
# One reading of a decision — an approver's opinion, a scheme review, a committee's verdict, the IT
# department's assessment — used wherever one is read: ``approved``, ``rejected``, ``returned``
# (send back, revise and resubmit), ``deferred``, ``unclear`` (check boxes with none or opposite
# options ticked, or a printed option list whose marks could not be read) or None (nothing said).
# With check boxes only the ticked options count: ``☑同意 □不同意`` is an approval.

# Words that decide wherever they stand in an opinion (``同意。但预算不足，退回补充材料后再报``) …
_REJECT = re.compile(r"不同意|不予(?:批准|同意|通过|立项|采纳)|驳回|否决|不批准")
_RETURN = re.compile(
    r"退回|修改后(?:再|重)(?:议|报|审|新提交)|补充(?:材料|完善)后|重新(?:提交|报批|评审)"
)
# … and words that decide only as the first said (``同意。对不合格的供应商予以淘汰`` approves;
# ``同意，部分功能暂缓实施`` too).
_FIRST = re.compile(
    r"(?P<rejected>不通过|不合格|不合理|不可行|拒绝)"
    r"|(?P<deferred>暂缓|缓议|缓办|搁置|暂不(?:立项|实施|批准|同意|通过)|延期审议|择期再议|下次再议)"
    r"|(?P<approved>同意|批准|通过|合格|合理|可行|准予|认可)"
)
# Option words a form prints side by side: two of different meaning, with no mark, are a list of
# options whose marks were lost (a symbol the reader could not give), not a decision.
_OPTION_WORDS = {
    **dict.fromkeys(("同意", "批准", "通过", "合格", "合理", "可行", "同意立项"), "approved"),
    **dict.fromkeys(
        ("不同意", "不批准", "否决", "驳回", "不通过", "不合格", "不合理", "不可行", "不予立项"),
        "rejected",
    ),
    **dict.fromkeys(("退回", "退回修改", "修改后重审", "修改后再议"), "returned"),
    **dict.fromkeys(("暂缓", "暂缓立项"), "deferred"),
}
_TOKENS = re.compile(rf"[{_SEPARATORS}{_BOXES}()（）\[\]【】〔〕]+")


def _said(text: str) -> str | None:
    """The decision plain words say (no check boxes)."""
    offered = {_OPTION_WORDS[t] for t in _TOKENS.split(text) if t in _OPTION_WORDS}
    if len(offered) > 1:
        return "unclear"
    if _REJECT.search(text):
        return "rejected"
    if _RETURN.search(text):
        return "returned"
    first = _FIRST.search(text)
    return first.lastgroup if first else None


def decision(text: str) -> str | None:
    """The decision ``text`` records: ``approved`` / ``rejected`` / ``returned`` / ``deferred`` /
    ``unclear`` / None. Where it holds check boxes offering decisions, only the ticked options count
    (``☑同意 □不同意`` approves, ``□批准 □否决 ☑暂缓`` defers); none ticked, or opposite ones, is
    ``unclear`` — never an approval. Text without such boxes is read by its words."""
    found = boxes(text)
    if found is not None:
        offered = [(ticked, _said(option)) for ticked, option in found if option]
        if any(code for _, code in offered):
            ticked = {code for is_ticked, code in offered if is_ticked and code}
            return ticked.pop() if len(ticked) == 1 else "unclear"
    return _said(text)


_DECISION_RANK = {"approved": 1, "returned": 2, "deferred": 3, "unclear": 3, "rejected": 4}


def decisions(rows: dict[str, list[tuple[int, str, str]]]) -> dict[str, str]:
    """role key → decision, from table rows naming a role with an opinion: ``部门负责人 | ☑同意
    □不同意 | 王强``, or a tick under an option column (``审批环节 | 同意 | 不同意 | 签字``).
    Of several rows of one role the gravest decision is kept."""
    out: dict[str, str] = {}
    headers: dict[str, dict[int, str]] = {}
    for place, cells in sorted(rows.items(), key=lambda kv: row_number(kv[0])):
        table, _ = row_number(place)
        cells = sorted(cells)
        options = {c: t for c, t, _ in cells if t in _OPTION_WORDS}
        if len({_OPTION_WORDS[t] for t in options.values()}) >= 2:  # 审批环节 | 同意 | 不同意
            headers[table] = options
            continue
        role = canonical_role(cells[0][1]) if cells else None
        if role is None:
            continue
        texts = []
        for col, text, _ in cells[1:]:
            option = headers.get(table, {}).get(col)
            mark = _with_boxes(text).strip()
            if option and mark and all(ch in _BOXES for ch in mark):
                texts.append(("☑" if mark[0] in _CHECKED else "☐") + option)
            else:
                texts.append(text)
        code = decision(" ".join(texts))
        if code and _DECISION_RANK[code] > _DECISION_RANK.get(out.get(role, ""), 0):
            out[role] = code
    return out


# --- facts per type ------------------------------------------------------------------------------


def row_number(place: str) -> tuple[str, int]:
    """``表2 行13`` → (``表2``, 13): rows in reading order, not text order."""
    m = re.match(r"^(.*?)\s*行(\d+)$", place)
    return (m[1], int(m[2])) if m else (place, 0)
