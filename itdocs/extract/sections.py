"""Contract clauses and meeting resolutions, found by their headings and wording.

Clauses: a heading (a Word heading style, or a numbered line such as ``第五条 保密条款``, ``五、保密``,
``5.2 服务水平``) names the clause; failing that, wording only such a clause uses (``违约金``,
``知识产权归``) in the body. Resolutions: lines ``决议一：…``, numbered items under a ``会议决议`` heading,
or the rows of a table headed 决议/决定事项 with 负责人 and 完成时限 columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from itdocs.extract.dates import parse_date
from itdocs.extract.model import DateValue, Grid, Resolution, TextBlock

#: Clause key → (heading pattern, body-text pattern).
CLAUSES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    key: (re.compile(head, re.IGNORECASE), re.compile(body, re.IGNORECASE))
    for key, head, body in (
        (
            "sla",
            r"服务水平|服务等级|服务级别|SLA",
            r"服务水平协议|可用性不低于|可用率不低于|响应时间不超过|故障响应时间",
        ),
        ("confidentiality", r"保密", r"保密义务|保密信息|商业秘密|保密期限|负有保密"),
        ("breach_liability", r"违约", r"违约责任|违约金|承担违约"),
        ("ip", r"知识产权|著作权|版权", r"知识产权(?:归|属|由)|著作权(?:归|属|由)"),
        ("risk", r"风险", r"风险(?:分担|承担|共担)|风险由.{0,12}承担|承担.{0,6}风险"),
    )
}
# One search rules most lines out before the ten per-clause patterns run.
_ANY_CLAUSE = re.compile(
    "|".join(p.pattern for pair in CLAUSES.values() for p in pair), re.IGNORECASE
)
_NUMBERED_HEAD = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款部分]|[一二三四五六七八九十]+[、.．]|"
    r"\d+(?:\.\d+)*[、.．\s]|[（(][一二三四五六七八九十\d]+[）)])\s*"
)


def _heading_text(block: TextBlock, line: str) -> str | None:
    """The heading part of a line: the whole line for a heading block, else the first few words
    after a clause number (``第五条 保密条款：乙方应…`` → ``保密条款：乙方应…``[:16])."""
    if block.kind == "heading" and len(line) <= 60:
        return line
    m = _NUMBERED_HEAD.match(line)
    if m:
        return line[m.end() : m.end() + 16]
    return None


def find_clauses(blocks: Iterable[TextBlock]) -> dict[str, str]:
    """Clause key → location of its heading, or of the first wording only that clause uses."""
    by_heading: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for block in blocks:
        if block.kind in ("image", "cell") and not block.text:
            continue
        if not _ANY_CLAUSE.search(block.text):
            continue
        for line in block.text.splitlines():
            head = _heading_text(block, line.strip())
            for key, (head_pattern, body_pattern) in CLAUSES.items():
                if head is not None and key not in by_heading and head_pattern.search(head):
                    by_heading[key] = block.location
                elif key not in by_text and body_pattern.search(line):
                    by_text[key] = block.location
    return {
        key: by_heading.get(key) or by_text[key]
        for key in CLAUSES
        if key in by_heading or key in by_text
    }


_RESOLUTION_LINE = re.compile(
    r"^\s*(?:会议)?决议\s*[一二三四五六七八九十\d]*\s*[：:、.．]\s*(?P<text>.+)$"
)
_RESOLUTION_HEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:会议)?(?:决议|决定事项|议定事项|会议决定|决议事项)(?:如下)?\s*[：:]?\s*$"
)
_ITEM = re.compile(
    r"^\s*(?:[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]|\d{1,2}\s*[、.．)）]|\d{1,2}\s+)\s*"
)
_SECTION_END = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|第.{1,4}[部分章])|^\s*(?:参会人员|出席人员|记录人|主持人|附件)\s*[：:]"
)
_OWNER = re.compile(
    r"(?:负责人|责任人|执行人|牵头人|责任部门)\s*[：:]\s*(?P<a>[^\s，,；;。、（）()]{2,12})"
    r"|由\s*(?P<b>[^\s，,；;。、由]{2,8}?)\s*(?:负责|牵头|落实|跟进)"
)
_DUE = re.compile(
    r"(?:完成时限|完成时间|完成日期|截止日期|截止时间|时限|期限|截止)\s*[：:]?\s*(?P<v>[^，,；;。）)]+)"
)
_DUE_BEFORE = re.compile(
    r"(?:于|在)?\s*(?P<v>[^，,；;。]{6,24}?)\s*(?:前|之前|以前)(?:完成|提交|落实|反馈)?"
)


def parse_owner(text: str) -> str | None:
    m = _OWNER.search(text)
    return (m.group("a") or m.group("b")) if m else None


def parse_due(text: str) -> DateValue | None:
    m = _DUE.search(text)
    if m:
        due = parse_date(m.group("v"))
        if due is not None:
            return due
    m = _DUE_BEFORE.search(text)
    return parse_date(m.group("v")) if m else None


def _resolution(text: str, location: str) -> Resolution:
    return Resolution(
        text=text.strip(), owner=parse_owner(text), due=parse_due(text), location=location
    )


def resolutions_in_text(blocks: Iterable[TextBlock]) -> list[Resolution]:
    out: list[Resolution] = []
    in_section = False
    for block in blocks:
        if block.kind in ("image", "cell", "header"):
            continue
        for line in block.text.splitlines():
            if not line.strip():
                continue
            m = _RESOLUTION_LINE.match(line)
            if _RESOLUTION_HEAD.match(line):
                in_section = True
            elif m:
                out.append(_resolution(m.group("text"), block.location))
            elif in_section and _ITEM.match(line):
                out.append(_resolution(_ITEM.sub("", line, count=1), block.location))
            elif in_section and (block.kind == "heading" or _SECTION_END.match(line)):
                in_section = False
    return out


_RES_COL = re.compile(r"决议|决定|议定|事项|任务|内容")
_OWNER_COL = re.compile(r"负责人|责任人|执行人|牵头|责任部门")
_DUE_COL = re.compile(r"时限|完成时间|完成日期|截止|期限")


def resolutions_in_grid(grid: Grid, *, minutes: bool = False) -> list[Resolution]:
    """Rows of a table headed like ``决议事项 | 负责人 | 完成时限``; in minutes (``minutes=True``) a
    plain ``事项 | 负责人 | 完成时限`` table is read as resolutions too."""
    for h, header in enumerate(grid.rows[:3]):
        texts = [re.sub(r"\s", "", c.text) for c in header]
        text_col = next(
            (i for i, t in enumerate(texts) if t and len(t) <= 10 and _RES_COL.search(t)), None
        )
        owner_col = next(
            (i for i, t in enumerate(texts) if t and len(t) <= 10 and _OWNER_COL.search(t)), None
        )
        due_col = next(
            (i for i, t in enumerate(texts) if t and len(t) <= 10 and _DUE_COL.search(t)), None
        )
        if text_col is None or (owner_col is None and due_col is None):
            continue
        if not minutes and not any(re.search(r"决议|决定|议定", t) for t in texts):
            continue
        out = []
        for r in range(h + 1, len(grid.rows)):
            row = grid.rows[r]
            text = row[text_col].text.strip() if text_col < len(row) else ""
            if not text:
                continue
            owner = (
                row[owner_col].text.strip() or None
                if owner_col is not None and owner_col < len(row)
                else None
            )
            due_text = row[due_col].text if due_col is not None and due_col < len(row) else ""
            out.append(
                Resolution(
                    text, owner, parse_date(due_text) if due_text else None, grid.row_locations[r]
                )
            )
        return out
    return []
