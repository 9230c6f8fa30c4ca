"""Tables recovered from a PDF page's text.

A Word or Excel document printed to PDF (LibreOffice, as suppliers do) keeps no table structure:
pypdf's text gives a row as one line, its cells separated by spaces, and an empty cell is just no
text. The text pass sees where each piece is printed (:class:`Positions`), from which a layout
with the column positions kept is rebuilt (cells separated by runs of spaces, at a character
column proportional to where they are printed — what pypdf's layout mode gives, without reading
the page a second time); from it the rows are rebuilt as :class:`Grid`\\ s, so the grid readers
(signatures, fields, criteria, resolutions) read a PDF as they read the .docx.

Two shapes are recognised, nothing else (a paragraph never becomes a row):

* a **header line** whose cells are all column words (``姓名  单位  签字  日期``, ``验收项  验收标准
  验收结果  结论``, ``审批环节  审批意见  签字``, at most one unknown word among three or more, no
  digits), then the lines right below it, each cell put in the header column it is printed under
  (an empty cell is missing text, so position decides, and a date goes to a date column). Blank
  lines are skipped (a row holding a picture is tall); the table ends at a line with a colon or sentence punctuation, a line with more cells than
  columns, a line of one cell (unless it is a wrapped cell's end, right under that cell), or a new
  header;
* **label lines**: ``报告期  2026年9月  提交日期  2026年10月12日`` — the first cell a known form label
  (:data:`itdocs.extract.fields.LABELS`), then values, each known label starting a new pair; no
  colon on the line. Consecutive label lines form one table.

The page's text itself is unchanged; the recovered cells are added as ``cell`` blocks (``表N 行M
列K``, numbered across the document like a Word file's tables) and grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from itdocs.extract.dates import parse_date
from itdocs.extract.fields import canonical_label, clean_label, is_label_cell
from itdocs.extract.model import Cell, Grid, TextBlock
from itdocs.extract.signatures import DATE_LABEL, SIG_WORDS

#: Words a table's header cell is made of (the cell, spaces removed, may add up to 6 characters).
_COLUMN_WORD = re.compile(
    r"^.{0,6}?(?:姓名|名字|人员|成员|名单|单位|部门|角色|职务|职责|岗位|环节|流程|层级|级别|身份|分工"
    r"|意见|结论|结果|标准|指标|要求|验收项|检查项|测试项|评审项|评价项|考核项|项目|事项|决议|决定|任务"
    r"|负责人|责任人|执行人|时限|期限|完成时间|完成日期|截止|序号|编号|备注|说明|内容|名称|日期|时间"
    rf"|金额|数量|单价|得分|评分|分值|权重|状态|进度|类别|类型|{SIG_WORDS})$"
)
_SIG_LABEL = re.compile(rf"[（(]\s*(?:{SIG_WORDS})\s*[)）]")
_DATEISH = re.compile(r"日期|时间|时限|期限|截止|期")
_SENTENCE = re.compile(r"[：:。；;！!？?]")
_GAP = re.compile(r"[ \u3000]{2,}")
_PIECE = re.compile(r"\S(?:.*?\S)?(?=[ \u3000]{2,}|[ \u3000]*$)")
_MAX_CELL = 40


@dataclass
class _Piece:
    text: str
    start: int
    end: int


def _pieces(line: str) -> list[_Piece]:
    """The line cut at runs of two or more spaces, with character positions."""
    out = []
    for m in _PIECE.finditer(line):
        out.append(_Piece(m.group(0).strip(), m.start(), m.end()))
    return [p for p in out if p.text]


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


def _is_header(pieces: list[_Piece]) -> bool:
    if len(pieces) < 2 or len(pieces) > 12:
        return False
    texts = [_squeeze(p.text) for p in pieces]
    if any(len(t) > 10 or re.search(r"[\d，,、]", t) or _SENTENCE.search(t) for t in texts):
        return False
    known = sum(bool(_COLUMN_WORD.match(t)) for t in texts)
    if known == len(texts):
        return True
    return len(texts) >= 3 and known >= len(texts) - 1


def _is_known_label(text: str) -> bool:
    text = text.strip()
    return (
        not _SENTENCE.search(text)
        and is_label_cell(text)
        and canonical_label(text) is not None
        and len(clean_label(text)) >= 2
    )


def _label_row(pieces: list[_Piece]) -> list[_Piece] | None:
    """``报告期  2026年9月  提交日期  2026年10月12日`` → [label, value, label, value]; else None."""
    if len(pieces) < 2 or not _is_known_label(pieces[0].text):
        return None
    out: list[_Piece] = []
    for piece in pieces:
        if _is_known_label(piece.text):
            if out and _is_known_label(out[-1].text):
                return None  # two labels in a row: a header, not label and value
            out.append(_Piece(piece.text, piece.start, piece.end))
        elif out and not _is_known_label(out[-1].text):
            last = out[-1]  # a value printed with wide gaps: still one value
            out[-1] = _Piece(f"{last.text} {piece.text}", last.start, piece.end)
        else:
            out.append(_Piece(piece.text, piece.start, piece.end))
    if len(out) < 2 or any(len(p.text) > _MAX_CELL for p in out):
        return None
    return out


def _is_date(text: str) -> bool:
    return bool(re.search(r"\d", text)) and parse_date(text) is not None


def _column_of(piece: _Piece, starts: list[int]) -> int:
    """The header column a cell is printed under: the last column starting at or before the cell
    (with a little slack, as a header may be centred over its cells)."""
    col = 0
    for i, start in enumerate(starts):
        slack = min(3, (start - starts[i - 1]) // 4) if i else 0
        if piece.start >= start - slack:
            col = i
    return col


def _place(pieces: list[_Piece], header: list[str], starts: list[int]) -> list[str]:
    """The row's cells in header columns: by where each is printed, except that a date printed
    short of the (empty) date column, with nothing in between, is that column's."""
    n = len(header)
    cols = [_column_of(p, starts) for p in pieces]
    date_cols = [i for i, h in enumerate(header) if DATE_LABEL.fullmatch(_squeeze(h))]
    if len(date_cols) == 1 and date_cols[0] not in cols:
        dc = date_cols[0]
        for k, (piece, col) in enumerate(zip(pieces, cols)):
            if col == dc or _DATEISH.search(header[col]) or not _is_date(piece.text):
                continue
            others = [c for j, c in enumerate(cols) if j != k]
            if not any(min(col, dc) < c < max(col, dc) or c == dc for c in others) and (
                col in others or not any(c > col for c in others)
            ):
                cols[k] = dc
                break
    cells = [""] * n
    for piece, col in zip(pieces, cols):
        cells[col] = f"{cells[col]} {piece.text}".strip() if cells[col] else piece.text
    return cells


@dataclass
class _Table:
    header: list[str] | None  # None for label lines
    starts: list[int]
    rows: list[list[str]]
    last: int = 0  # index of its last line


def _tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    prev_pieces: list[_Piece] = []
    for index, line in enumerate(lines):
        if current is not None:
            current.last = index - 1
        pieces = _pieces(line)
        if not pieces:
            continue  # a tall row (a signature picture) prints as blank lines: the next line decides
        if _is_header(pieces):
            current = _Table([p.text for p in pieces], [p.start for p in pieces], [])
            tables.append(current)
            prev_pieces = pieces
            continue
        labels = None if ("：" in line or ":" in line) else _label_row(pieces)
        if current is not None and current.header is not None:
            row = _row(current, pieces, prev_pieces, line)
            if row == "wrap":
                continue
            if row is not None:
                current.rows.append(row)
                prev_pieces = pieces
                continue
            current = None
        if labels is not None:
            if current is None or current.header is not None:
                current = _Table(None, [], [])
                tables.append(current)
            elif _wrap_into(current, pieces, prev_pieces):
                continue
            current.rows.append([p.text for p in labels])
            prev_pieces = labels
            continue
        if (
            current is not None
            and current.header is None
            and _wrap_into(current, pieces, prev_pieces)
        ):
            continue
        current = None
    if current is not None:
        current.last = len(lines) - 1
    return [t for t in tables if t.rows]


def _wrap_into(table: _Table, pieces: list[_Piece], prev: list[_Piece]) -> bool:
    """A single short piece right under a cell of the row above: that cell's text wrapped."""
    if len(pieces) != 1 or not table.rows or not prev:
        return False
    piece = pieces[0]
    if len(piece.text) > 8 or _SENTENCE.search(piece.text) or piece.start == 0:
        return False
    for i, above in enumerate(prev):
        if abs(piece.start - above.start) <= 1 and i > 0:
            row = table.rows[-1]
            if table.header is None:
                if i < len(row) and not _is_known_label(row[i]):
                    row[i] += piece.text
                    return True
                return False
            col = _column_of(above, table.starts)
            if row[col]:
                row[col] += piece.text
                return True
    return False


def _row(
    table: _Table, pieces: list[_Piece], prev: list[_Piece], line: str
) -> list[str] | str | None:
    assert table.header is not None
    if _SENTENCE.search(line):
        return None
    if len(pieces) == 1:
        return "wrap" if _wrap_into(table, pieces, prev) else None
    if any(len(p.text) > _MAX_CELL or _SIG_LABEL.search(p.text) for p in pieces):
        return None  # ``甲方（盖章）  乙方（盖章）`` below a table starts a signature block
    cells = _place(pieces, table.header, table.starts)
    if cells is None or sum(bool(c) for c in cells) < 2:
        return None
    if sum(bool(c) for c in cells) < len(pieces) and len(pieces) > len(table.header):
        return None
    return cells


def _columns_continued(lines: list[str], previous: Grid | None) -> tuple[int, list[TextBlock]]:
    """A sheet too wide for the paper is printed column block by column block: the page then
    starts with the right-hand columns of the last page's table (``日期`` / ``2026-08-20`` /
    ``2026-08-24``). They are added to that table, row by row from its header, when the page starts
    with column words only and holds no more value lines than the table has rows (a blank line
    ends them). Returns how many lines were used and the new cells."""
    if previous is None or not previous.rows:
        return 0, []
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return 0, []
    head = _pieces(lines[start])
    texts = [_squeeze(p.text) for p in head]
    if not head or not all(_COLUMN_WORD.match(t) and not re.search(r"\d", t) for t in texts):
        return 0, []
    starts = [p.start for p in head]
    values: list[list[str]] = []
    end = start + 1
    for line in lines[start + 1 :]:
        pieces = _pieces(line)
        if not pieces or _SENTENCE.search(line) or len(pieces) > len(head):
            break
        if any(len(p.text) > _MAX_CELL for p in pieces) or _is_header(pieces):
            break
        row = [""] * len(head)
        for piece in pieces:
            col = _column_of(piece, starts)
            row[col] = f"{row[col]} {piece.text}".strip()
        values.append(row)
        end += 1
    if not values or len(values) > len(previous.rows) - 1:
        return 0, []
    blocks = []
    width = len(previous.rows[0])
    for r, cells in enumerate(previous.rows):
        added = (
            [head[c].text for c in range(len(head))]
            if r == 0
            else (values[r - 1] if r - 1 < len(values) else [""] * len(head))
        )
        for c, text in enumerate(added):
            location = f"{previous.name} 行{r + 1} 列{width + c + 1}"
            cells.append(Cell(text=text, location=location))
            if text:
                blocks.append(TextBlock(text, location, "cell"))
    return end, blocks


def recover(
    layout_text: str, *, first_table: int, image: bool, previous: Grid | None = None
) -> tuple[list[Grid], list[TextBlock], Grid | None]:
    """Grids and their ``cell`` blocks from one page's layout-mode text, and the page's last
    table when nothing but a page number follows it (its columns may go on next page); tables are numbered from
    ``first_table``. ``image``: the page holds a picture, so an empty signature cell may hold it.
    ``previous``: the last page's last table, when it ended that page (its columns may go on)."""
    grids: list[Grid] = []
    lines = [line.rstrip() for line in layout_text.splitlines()]
    used, blocks = _columns_continued(lines, previous)
    lines = lines[used:]
    tables = _tables(lines)
    for number, table in enumerate(tables, first_table):
        name = f"表{number}"
        grid = Grid(name=name, rows=[], row_locations=[])
        rows = [table.header, *table.rows] if table.header is not None else table.rows
        width = max(len(r) for r in rows)
        for r, texts in enumerate(rows, 1):
            cells = []
            for c in range(width):
                text = texts[c] if c < len(texts) else ""
                location = f"{name} 行{r} 列{c + 1}"
                cells.append(Cell(text=text, location=location, has_image=image and not text))
                if text:
                    blocks.append(TextBlock(text, location, "cell"))
            grid.rows.append(cells)
            grid.row_locations.append(f"{name} 行{r}")
        grids.append(grid)
    open_end = None
    if tables and tables[-1].header is not None:
        after = [line for line in lines[tables[-1].last + 1 :] if line.strip()]
        if not any(not _FOOTER.fullmatch(_squeeze(line)) for line in after):
            open_end = grids[-1]
    return grids, blocks, open_end


_FOOTER = re.compile(r"第?\d+页(?:共\d+页)?|[Pp]age\d+(?:of\d+)?|\d+(?:/\d+)?|-\d+-")


def worth_a_layout(text: str) -> bool:
    """Cheap test on the plain text: could the page hold a table or a label line without colon?
    (A column word or a known label as a word of its own.)"""
    for line in text.splitlines():
        if "：" in line or ":" in line:
            continue
        words = line.split()
        if len(words) >= 2 and sum(bool(_COLUMN_WORD.match(w)) for w in words) >= 2:
            return True
        if any(_is_known_label(w) for w in words[:1]) or (
            len(words) == 1 and _is_known_label(words[0])
        ):
            return True
    return False


# -- positioned text: the layout from the one text pass ----------------------------------------
#
# pypdf's layout mode reads the page a second time (as dear as the plain text again); the plain
# pass's visitor already sees every piece of text with its position, so the layout is rebuilt
# from those: pieces on one baseline form a line, pieces closer than about half a character join
# (``2026`` ``年`` ``11`` ``月``), farther ones are cells, placed at a column proportional to their
# x so that a header and the rows under it line up as they do in layout mode.

_COLUMN_PT = 5.0  # points per character column of the rebuilt layout


class Positions:
    """Collects ``(x, y, font size, text)`` from ``page.extract_text(visitor_text=…)``."""

    def __init__(self, limit: int = 50_000) -> None:
        self.pieces: list[tuple[float, float, float, str]] = []
        self.limit = limit

    def __call__(self, text: str, cm: list, tm: list, font: object, size: float) -> None:
        if not text or not text.strip() or len(self.pieces) >= self.limit:
            return
        try:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or 1.0
            self.pieces.append((float(x), float(y), float(size) * scale or 10.0, text))
        except (TypeError, IndexError, ValueError):
            return

    def layout(self) -> str:
        """The page as layout-mode-like text: a line per baseline, top to bottom."""
        if not self.pieces:
            return ""
        lines: list[list[tuple[float, float, float, str]]] = []
        for piece in sorted(self.pieces, key=lambda p: (-p[1], p[0])):
            if lines and abs(lines[-1][0][1] - piece[1]) <= 0.4 * piece[2]:
                lines[-1].append(piece)
            else:
                lines.append([piece])
        return "\n".join(_line(sorted(line)) for line in lines)


def _width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else size * 0.7 for ch in text)


def _line(pieces: list[tuple[float, float, float, str]]) -> str:
    cells: list[tuple[float, str]] = []  # (x of the cell, its text)
    end = None
    for x, _, size, text in pieces:
        text = text.replace("\n", " ")
        if end is not None and x - end < 0.6 * size:
            glue = " " if x - end > 0.5 * size and not cells[-1][1].endswith(" ") else ""
            cells[-1] = (cells[-1][0], cells[-1][1] + glue + text)
        else:
            cells.append((x, text))
        end = max(end or x, x + _width(text, size))
    out = ""
    for x, text in cells:
        text = text.strip()
        if not text:
            continue
        column = round(x / _COLUMN_PT)
        out += " " * max(column - len(out), 2 if out else 0) + text
    if _FOOTER.fullmatch(_squeeze(out)):  # a page number printed in pieces is still one line
        return " " * (len(out) - len(out.lstrip())) + _squeeze(out)
    return out
