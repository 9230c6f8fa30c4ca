"""Signature blocks (签字栏): who must sign, whether they did, and when.

Three table layouts are read, as forms are really drawn:

* a header row ``角色 | 姓名 | 签字 | 日期`` and one row per role — every row under a 签字/签名/签章
  header is someone who must sign: the role is read from a role column (角色, 职务, 岗位, 审批 …),
  else from a team column (``验收小组 | 姓名 | …``, ``序号 | 验收人员 | 签名 | 日期``,
  ``验收小组成员 | 单位 | 签字``, whose cells are a role such as 组长, or a member's name: then the
  team is the role, not the member's unit), else from a unit column (部门, 单位). Which rows of a
  table with no role column sign for what is the document's to say: ``signature_header`` lets the
  archive read an acceptance report's ``姓名 | 单位 | 签字 | 日期`` as its team;
* one row per role with inline labels: ``部门负责人 | 签字 | [图] | 日期 | 2026-09-01`` or
  ``部门负责人（签字）：[图] | 日期：2026年9月1日``;
* one column per party: ``甲方（盖章）：… | 乙方（盖章）：…`` with ``授权代表（签字）：`` and ``日期：`` below,
  or ``甲方代表（签字） | 乙方代表（签字）`` with the pictures, then the dates, unlabelled below;

(signature lines in running text are ``sigtext``'s). A picture in the signature cell counts as signed; so does a written name, but not a placeholder
(underscores, ``（签字）``, ``年 月 日``); a seal line (盖章) is signed only by a picture, since the company
name typed there is no seal.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from itdocs.extract.dates import find_dates, parse_date
from itdocs.extract.model import Cell, DateValue, Grid, SignatureRow

#: Canonical role → pattern, most specific first (``验收组长`` before ``组长``, ``第三方`` before parties).
ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern, re.IGNORECASE))
    for key, pattern in (
        ("third_party", r"第三方"),
        ("acceptance_lead", r"验收(?:小)?组长|验收负责人"),
        ("acceptance_member", r"验收(?:小)?组(?:员|成员)|验收成员|验收人员"),
        ("department_head", r"部门负责人|部门经理|部门主管|部门领导|部长|科室负责人"),
        ("finance", r"财务"),
        ("legal", r"法务|法律顾问|律师"),
        ("ceo", r"CEO|总经理|总裁|首席执行官|公司领导"),
        ("party_a", r"甲方"),
        ("party_b", r"乙方"),
        ("project_manager", r"项目经理|项目负责人"),
        ("it_department", r"信息技术部|信息部|IT部|信息中心|技术部"),
        ("requester", r"申请人|需求人|经办人|提出人|申请部门"),
        ("reviewer", r"审核人|复核人|审核"),
        ("approver", r"审批人|批准人|审批"),
        ("recorder", r"记录人|记录员"),
        ("chair", r"主持人"),
        ("author", r"编写人|编制人|填报人|报告人|撰写人|填表人"),
        ("evaluator", r"评估人|评分人|评委|评价人"),
        ("committee", r"委员会|评审组|评审委员|评审专家"),
        ("acceptance_lead", r"组长"),
        ("acceptance_member", r"组员|成员"),
    )
)

# Forms space characters out for alignment (``签  字``), so every pattern sees through that.
SIG_WORDS = "|".join(
    r"[ \u3000]*".join(w) for w in ("签字", "签名", "签章", "签署", "盖章", "签批", "签核")
)
_SIG_ANY = re.compile(SIG_WORDS)
_SIG_LABEL = re.compile(
    rf"[（(]?\s*({SIG_WORDS})\s*[)）]?(?:\s*[/／、]\s*(?:{SIG_WORDS}))*\s*[：:]?"
)
SIG_LABEL_COLON = re.compile(
    rf"[（(]?\s*({SIG_WORDS})\s*[)）]?(?:\s*[/／、]\s*(?:{SIG_WORDS}))*\s*[：:]"
)
_SIG_HEADER = re.compile(rf"^.{{0,6}}?({SIG_WORDS}).{{0,6}}$")
DATE_LABEL = re.compile(r"^(?:签字|签署|签名|审批|签订|审核)?\s*(?:日\s*期|时\s*间)\s*[：:]?")
_DATE_INLINE = re.compile(r"(?:签字|签署|签名|审批|签订|审核)?\s*日\s*期\s*[：:]")
_NAME_HEADER = re.compile(r"^(姓名|名字|人员|成员|审批人|审核人|签字人|代表|负责人姓名|人员姓名)$")
# ``审批 | 签字 | 日期``: a column headed by the act itself holds the levels (部门负责人, 财务部 …).
_ROLE_HEADER = re.compile(
    r"^.{0,4}(角色|职务|岗位|环节|部门|职责|身份|流程|层级|单位|级别|类别|分工)$|^(审批|审核|会签)$"
)
# Role columns proper come before a unit column (部门, 单位): in ``姓名 | 单位 | 职务 | 签字`` the role
# is 职务's 组长, not the member's department.
_UNIT_HEADER = re.compile(r"^.{0,4}(部门|单位)$")
# A column naming the team whose members sign (``验收小组``, ``验收人员``, ``验收组成员``): its cells
# are a role (组长, 组员) or a member's name, and then the team is the role.
_TEAM_HEADER = re.compile(
    r"^(?:验收|评审|工作|项目)?小?组(?:成员|人员)?(?:名单)?$"
    r"|^(?:验收|评审|参加|参与|参会|小组|组)(?:成员|人员|专家)(?:名单)?$"
)
_SKIP_HEADER = re.compile(r"^(序号|编号|No\.?|#)$", re.IGNORECASE)
_PLACEHOLDER = re.compile(rf"[\s\u3000_＿\-—–…·.。:：/／()（）\[\]【】]|{SIG_WORDS}|日期|年|月|日")
_PARTY_LINE = re.compile(r"^(甲方|乙方|第三方)[^：:]{0,12}[：:]")


def is_seal(match: re.Match[str]) -> bool:
    """A 盖章 (seal) label: typed text there is a company name, not a signature."""
    return match.group(1).replace(" ", "").replace("\u3000", "") == "盖章"


@functools.lru_cache(maxsize=8192)
def canonical_role(text: str) -> str | None:
    """``部门负责人初审`` → ``department_head``; ``CEO终审`` → ``ceo``; None when no role is named."""
    if not text or len(text) > 30:
        return None
    for key, pattern in ROLES:
        if pattern.search(text):
            return key
    return None


def is_placeholder(text: str) -> bool:
    """True for what a blank form shows where a signature goes: ``（签字）``, ``＿＿＿``, ``年 月 日``."""
    return not _PLACEHOLDER.sub("", text)


def _strip_dates(text: str) -> str:
    for _, start, end in reversed(find_dates(text)):
        text = text[:start] + text[end:]
    return text.strip()


def clean_role(text: str) -> str:
    text = _SIG_LABEL.sub("", text)
    return re.sub(r"[\s\u3000：:]+$", "", re.sub(r"^[\s\u3000]+", "", text))


@dataclass
class Draft:
    """A signature row being assembled (rows are frozen; layouts fill them in steps)."""

    role: str
    location: str
    sign_text: str = ""
    has_image: bool = False
    seal_only: bool = False
    saw_sig: bool = False
    name: str | None = None
    date: DateValue | None = None
    role_key: str | None = None  # when the role is known from the table, not from ``role``

    def build(self) -> SignatureRow:
        value = _strip_dates(self.sign_text)
        written = "" if is_placeholder(value) else value
        if self.has_image:
            signed, basis = True, "image"
        elif written and not self.seal_only:
            signed, basis = True, "text"
        else:
            signed, basis = False, "none"
        if self.date is None and self.sign_text:
            self.date = parse_date(self.sign_text)
        name = self.name if self.name and not is_placeholder(self.name) else (written or None)
        return SignatureRow(
            role=self.role,
            name=name,
            signed=signed,
            date=self.date,
            location=self.location,
            has_image=self.has_image,
            role_key=self.role_key or canonical_role(self.role),
            basis=basis,
        )


def _is_sig_header(cell: Cell) -> bool:
    return _is_sig_word(cell.text)


def _is_sig_word(text: str) -> bool:
    """A header cell saying where the signature goes: ``签字``, ``签  名``, ``本人签字``."""
    if not text or not _SIG_ANY.search(text):
        return False
    text = re.sub(r"\s", "", text)
    return (
        bool(text)
        and len(text) <= 12
        and bool(_SIG_HEADER.match(text))
        and not DATE_LABEL.fullmatch(text)
        and canonical_role(text) is None
    )


def _is_header_word(text: str) -> bool:
    text = re.sub(r"\s", "", text)
    return bool(
        _ROLE_HEADER.search(text)
        or _TEAM_HEADER.match(text)
        or _NAME_HEADER.match(text)
        or DATE_LABEL.fullmatch(text)
        or _SKIP_HEADER.match(text)
        or "意见" in text
    )


@functools.lru_cache(maxsize=8192)
def _party_head(text: str) -> str:
    return re.split(r"[（(：:]", text.strip(), maxsplit=1)[0].strip()


_BARE_SIG = re.compile(rf"^(?:{SIG_WORDS})[：:]?$")


def _team_role(header: str) -> str | None:
    """The role of a team column's members: ``验收小组``, ``验收人员`` → ``acceptance_member``."""
    return canonical_role(header) or ("acceptance_member" if "验收" in header else None)


def _role_and_name(text: str) -> tuple[str, str | None]:
    """A team cell: ``赵明（组长）`` → (组长, 赵明); ``组长 张伟`` → (组长, 张伟); ``验收组长`` → (验收组长, None)."""
    for _, pattern in ROLES:
        m = pattern.search(text)
        if m:
            bracket = re.search(r"[（(]([^（()）]*)[)）]", text)
            if bracket and bracket.start() < m.start() < bracket.end():  # 孙伟（第三方机构）
                m = bracket
                role = bracket.group(1).strip()
            else:
                role = m.group(0)
            rest = text[: m.start()] + " " + text[m.end() :]
            name = re.sub(r"[（()）\[\]【】:：,，、/／\s\u3000]+", " ", rest).strip()
            return role, name or None
    return clean_role(text), None


@dataclass
class Header:
    """A signature table's header row: its signature, date and name columns, and the columns that
    may hold a row's role, best first (``candidates``) — role columns (角色, 职务, 岗位, 审批 …),
    team columns (验收小组, 验收人员), unit columns (部门, 单位), else the first other column."""

    sig_cols: list[int]
    date_col: int | None
    name_col: int | None
    roles: list[int]
    teams: list[int]
    units: list[int]
    candidates: list[int]


def signature_header(texts: list[str]) -> Header | None:
    """The header of a ``角色 | 姓名 | 签字 | 日期`` table read from its cells' texts, else None.
    (The archive reads an acceptance report's team table through it: a table whose header names
    no role lists the members themselves.)"""
    texts = [re.sub(r"\s", "", t) for t in texts]
    sig_cols = [i for i, t in enumerate(texts) if _is_sig_word(t)]
    others = [t for i, t in enumerate(texts) if t and i not in sig_cols]
    if not sig_cols or not others or not all(_is_header_word(t) for t in others):
        return None
    date_col = next(
        (i for i, t in enumerate(texts) if i not in sig_cols and DATE_LABEL.fullmatch(t)), None
    )
    name_col = next((i for i, t in enumerate(texts) if _NAME_HEADER.match(t)), None)
    taken = {*sig_cols, date_col, name_col}
    free = [i for i in range(len(texts)) if i not in taken and texts[i]]
    roles = [i for i in free if _ROLE_HEADER.search(texts[i]) and not _UNIT_HEADER.match(texts[i])]
    teams = [i for i in free if _TEAM_HEADER.match(texts[i]) and i not in roles]
    units = [i for i in free if _UNIT_HEADER.match(texts[i])]
    candidates = roles + teams + units
    if not candidates:
        candidates = [
            i for i in free if not _SKIP_HEADER.match(texts[i]) and "意见" not in texts[i]
        ][:1]
    if not candidates and name_col is None:
        return None  # ``姓名 | 签字 | 日期`` names who signs, nothing else: no role, still a table
    return Header(sig_cols, date_col, name_col, roles, teams, units, candidates)


def _row_role(
    row: list[Cell], texts: list[str], head: Header
) -> tuple[str, str | None, str | None]:
    """(role as written, name from a team cell, role key known from the team) of one row.

    A role column's role comes first; then a team column's cell — a role (组长, 第三方), or a
    member's name, and then the team is the role (the member's department in a unit column is
    where they work, not their role, unless it is a third party); a unit column's department
    (财务部) only when no role or team column says more."""
    cells = [
        (i, row[i].text.strip()) for i in head.candidates if i < len(row) and row[i].text.strip()
    ]
    own = [(i, t) for i, t in cells if i not in head.units]
    for i, text in own:
        if canonical_role(text):
            if i in head.teams:
                role, name = _role_and_name(text)
                return role, name, None
            return clean_role(text), None, None
    for i, text in own:
        if i in head.teams:  # a member's name: the team is the role
            unit = next(
                (t for j, t in cells if j in head.units and canonical_role(t) == "third_party"),
                None,
            )
            if unit:
                return clean_role(unit), text, "third_party"
            return texts[i], text, _team_role(texts[i])
    for i, text in cells:
        if canonical_role(text):
            return clean_role(text), None, None
    return (clean_role(cells[0][1]) if cells else ""), None, None


def _header_layout(grid: Grid) -> tuple[list[SignatureRow], set[int]]:
    """``角色 | 姓名 | 签字 | 日期`` headers, one row per signer below."""
    rows: list[SignatureRow] = []
    used: set[int] = set()
    for h, header in enumerate(grid.rows):
        head = signature_header([c.text for c in header])
        if head is None:
            continue
        if any(c.has_image for c in header):
            continue  # a signed row (``验收人员 | 签字 | [图] | 日期 |``), not a header
        below = grid.rows[h + 1] if h + 1 < len(grid.rows) else []
        if any(
            i < len(below) and _BARE_SIG.match(re.sub(r"\s", "", below[i].text))
            for i in head.sig_cols
        ):
            continue  # rows labelled inline one under the other: no header
        texts = [re.sub(r"\s", "", c.text) for c in header]
        for r in range(h + 1, len(grid.rows)):
            row = grid.rows[r]
            if any(_is_sig_header(c) for c in row) and not any(canonical_role(c.text) for c in row):
                break
            role, name, key = _row_role(row, texts, head)
            sig_cells = [row[i] for i in head.sig_cols if i < len(row)]
            image = any(c.has_image for c in sig_cells)
            sign_text = " ".join(c.text for c in sig_cells if c.text)
            named = (
                row[head.name_col].text.strip()
                if head.name_col is not None and head.name_col < len(row)
                else ""
            )
            if not role and not image and not sign_text and not named:
                continue
            draft = Draft(
                role=role or named or grid.row_locations[r],
                location=grid.row_locations[r],
                sign_text=sign_text,
                has_image=image,
                name=name,
                role_key=key,
            )
            if head.name_col is not None and head.name_col < len(row):
                draft.name = row[head.name_col].text.strip() or draft.name
            if head.date_col is not None and head.date_col < len(row):
                draft.date = parse_date(row[head.date_col].text)
            rows.append(draft.build())
            used.add(r)
        if rows:
            used.add(h)
        break
    return rows, used


def _inline_row(cells: list[Cell], location: str) -> SignatureRow | None:
    """``部门负责人 | 签字 | [图] | 日期 | …`` or ``部门负责人（签字）：[图] | 日期：…`` in one row."""
    draft: Draft | None = None
    role = None
    for i, cell in enumerate(cells):
        text = cell.text.strip()
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        sig = None if DATE_LABEL.match(text) else _SIG_LABEL.search(text)
        if sig and sig.start() <= 20:
            before = clean_role(text[: sig.start()])
            after = text[sig.end() :].strip()
            role = role or (before if canonical_role(before) else None)
            draft = draft or Draft(role="", location=location)
            draft.seal_only = is_seal(sig)
            if after or cell.has_image or nxt is None or DATE_LABEL.match(nxt.text.strip()):
                date_at = _DATE_INLINE.search(after)
                draft.sign_text = after[: date_at.start()] if date_at else after
                draft.has_image = cell.has_image
                if date_at:
                    draft.date = parse_date(after[date_at.end() :])
            else:
                draft.sign_text, draft.has_image = nxt.text, nxt.has_image
        elif draft is not None and DATE_LABEL.match(text):
            rest = DATE_LABEL.sub("", text, count=1).strip()
            draft.date = parse_date(rest) or (parse_date(nxt.text) if nxt is not None else None)
        elif role is None and canonical_role(text) and len(text) <= 20:
            role = clean_role(text)
    if draft is None or not role:
        return None
    draft.role = role
    return draft.build()


def _date_only(text: str) -> bool:
    """A cell holding a date and nothing else (``2026年6月26日``)."""
    return bool(find_dates(text)) and is_placeholder(_strip_dates(text))


def _column_layout(grid: Grid) -> list[SignatureRow]:
    """One column per party (or approver): a cell naming the role, then signature and date cells
    below it, labelled in the cell itself (``授权代表（签字）：``) or in the row's first column —
    or, under a head that says where to sign (``甲方代表（签字） | 乙方代表（签字）``), unlabelled:
    the picture (or written name) below it, then the date alone in its cell."""
    out: list[Draft] = []
    width = max((len(r) for r in grid.rows), default=0)
    for c in range(width):
        draft: Draft | None = None
        head_signs = False  # the head cell says 签字/盖章: what sits below it unlabelled is that
        for r, row in enumerate(grid.rows):
            if c >= len(row) or (c > 0 and row[c] is row[c - 1]):
                continue
            cell, text = row[c], row[c].text.strip()
            label = row[0].text.strip() if c > 0 else ""
            head = _party_head(text)
            if canonical_role(head) and len(head) <= 10 and not _SIG_LABEL.match(text):
                if draft:
                    out.append(draft)
                draft = Draft(role=clean_role(head), location=f"{grid.row_locations[r]} 列{c + 1}")
                sig = SIG_LABEL_COLON.search(text) or _SIG_LABEL.search(text)
                head_signs = sig is not None and bool(sig.group(1))
                if head_signs:
                    draft.saw_sig, draft.seal_only = True, is_seal(sig)
                    after = text[sig.end() :].strip()
                    if draft.seal_only:  # 甲方（盖章）：某某公司 — the company is no signature
                        draft.name = after or None
                    else:  # 甲方代表（签字）：张三
                        draft.sign_text = after
                    draft.has_image = cell.has_image
                continue
            if draft is None:
                continue
            if head_signs and not (label and (_SIG_LABEL.search(label) or DATE_LABEL.match(label))):
                if text and _date_only(text):
                    draft.date = draft.date or parse_date(text)
                    continue
                if not re.search(r"[：:]", text):
                    draft.has_image = draft.has_image or cell.has_image
                    if text and len(text) <= 12 and not _strip_dates(draft.sign_text):
                        draft.sign_text = text
                    if cell.has_image or text:
                        continue
            own = None if DATE_LABEL.match(text) else SIG_LABEL_COLON.search(text)
            by_label = (
                _SIG_LABEL.search(label)
                if label and not own and not DATE_LABEL.match(label)
                else None
            )
            if own or by_label:
                draft.saw_sig = True
                draft.seal_only = is_seal(own or by_label)
                draft.sign_text = text[own.end() :] if own else text
                draft.has_image = draft.has_image or cell.has_image
            elif DATE_LABEL.match(text) or (label and DATE_LABEL.match(label)):
                draft.date = parse_date(text)
        if draft:
            out.append(draft)
    return [d.build() for d in out if d.saw_sig]


def _has_party_columns(grid: Grid) -> bool:
    """Some row names two or more roles side by side (``甲方（盖章）： | 乙方（盖章）：``)."""
    for row in grid.rows:
        heads = [_party_head(c.text) for i, c in enumerate(row) if i == 0 or c is not row[i - 1]]
        if sum(1 for h in heads if len(h) <= 10 and canonical_role(h)) >= 2:
            return True
    return False


def signature_rows_in_grid(grid: Grid) -> tuple[list[SignatureRow], set[int]]:
    """Signature rows of one table and the indexes of the rows they used (not fields)."""
    if not any(_SIG_ANY.search(c.text) for row in grid.rows for c in row if c.text):
        return [], set()
    rows, used = _header_layout(grid)
    if not rows and _has_party_columns(grid):
        columns = _column_layout(grid)
        if columns:
            return columns, set(range(len(grid.rows)))
    for r, row in enumerate(grid.rows):
        if r in used:
            continue
        cells = [c for i, c in enumerate(row) if i == 0 or c is not row[i - 1]]
        if not any(_SIG_LABEL.search(c.text) for c in cells):
            continue
        found = _inline_row(cells, grid.row_locations[r])
        if found:
            rows.append(found)
            used.add(r)
    return rows, used
