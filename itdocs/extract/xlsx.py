"""Read an .xlsx straight from its zip with lxml: every sheet's cells (shared strings, inline strings,
numbers, dates by number format), merged ranges, and pictures anchored to cells.

Why not openpyxl: it re-opens the zip trusting the declared sizes and costs ~3.4 ms a file; here the
parts were already inflated under the limits. Dates matter (a signing date is a number with a date
format), so the number formats are read from styles.xml.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re

from lxml import etree

from itdocs.extract.model import Cell, Content, Grid, Problem, TextBlock
from itdocs.extract.ooxml import external_links, read_properties
from itdocs.extract.safezip import Budget, Limits, SafeZip, namespace, parse_xml

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R_ID_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
# Built-in number formats that show a date or time (ECMA-376 18.8.30, plus the zh-CN ones 27–36, 50–58).
_DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_MAX_GRID_COLUMNS = 64


@functools.lru_cache(maxsize=1024)
def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=1024)
def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels(zf: SafeZip, part: str, limits: Limits) -> dict[str, str]:
    """Relationship id → resolved part name for ``part``."""
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if not zf.has(rels_part):
        return {}
    root = parse_xml(zf.read(rels_part), part=rels_part, limits=limits)
    return {
        rel.get("Id", ""): _resolve(part, rel.get("Target", ""))
        for rel in root
        if rel.get("TargetMode") != "External"
    }


def _text_of(si: etree._Element, ns: str) -> str:
    # Rich text runs hold the text in r/t; phonetic guides (rPh) are not part of the value.
    if len(si) == 1 and si[0].tag == ns + "t":
        return si[0].text or ""
    return "".join(t.text or "" for t in si.iter(ns + "t") if t.getparent().tag != ns + "rPh")


def _date_styles(zf: SafeZip, limits: Limits) -> set[int]:
    """Indexes of cell styles (cellXfs) whose number format shows a date."""
    if not zf.has("xl/styles.xml"):
        return set()
    root = parse_xml(zf.read("xl/styles.xml"), part="xl/styles.xml", limits=limits)
    ns = namespace(root)
    date_ids = set(_DATE_FORMAT_IDS)
    for fmt in root.iter(ns + "numFmt"):
        code = _QUOTED.sub("", (fmt.get("formatCode") or "").lower())
        if any(c in code for c in "ymd") or "h" in code and "s" in code:
            try:
                date_ids.add(int(fmt.get("numFmtId", "-1")))
            except ValueError:
                pass
    styles: set[int] = set()
    xfs = root.find(ns + "cellXfs")
    if xfs is not None:
        for index, xf in enumerate(xfs.iterchildren(ns + "xf")):
            try:
                if int(xf.get("numFmtId", "0")) in date_ids:
                    styles.add(index)
            except ValueError:
                pass
    return styles


def _serial_to_text(value: float, date1904: bool) -> str:
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    try:
        moment = epoch + dt.timedelta(days=value)
    except OverflowError:
        return repr(value)
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat(sep=" ", timespec="minutes")


def _number_text(raw: str) -> str:
    try:
        number = float(raw)
    except ValueError:
        return raw
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return raw


def _picture_cells(zf: SafeZip, sheet_part: str, limits: Limits) -> set[tuple[int, int]]:
    """(row, column), 1-based, of cells a picture is anchored to (a scanned signature or seal)."""
    cells: set[tuple[int, int]] = set()
    for target in _rels(zf, sheet_part, limits).values():
        if "drawings/" not in target or not target.endswith(".xml") or not zf.has(target):
            continue
        root = parse_xml(zf.read(target), part=target, limits=limits)
        for anchor in root:
            start = anchor.find(_XDR + "from")
            if start is None or anchor.find(".//" + _XDR + "pic") is None:
                continue
            try:
                row = int(start.findtext(_XDR + "row", "0")) + 1
                col = int(start.findtext(_XDR + "col", "0")) + 1
            except ValueError:
                continue
            cells.add((row, col))
    return cells


class _SheetReader:
    def __init__(self, zf: SafeZip, *, limits: Limits, budget: Budget) -> None:
        self.zf, self.limits, self.budget = zf, limits, budget
        self.content = Content(format="xlsx")
        self.cells = 0
        self.chars = 0
        self.truncated = False
        self.shared: list[str] = []
        self.date_styles: set[int] = set()
        self.date1904 = False

    def _limit(self, what: str) -> None:
        if not self.truncated:
            self.truncated = True
            self.content.problems.append(
                Problem("content-truncated", f"内容过多，只读取了一部分 ({what})")
            )

    def sheet(self, name: str, part: str) -> None:
        root = parse_xml(self.zf.read(part), part=part, limits=self.limits)
        ns = namespace(root)
        pictures = _picture_cells(self.zf, part, self.limits)
        merged = self._merged(root, ns)
        found: dict[int, dict[int, Cell]] = {}
        for r_pos, row in enumerate(root.iter(ns + "row"), 1):
            if self.truncated:
                break
            if r_pos % 128 == 0:
                self.budget.check()
            row_no = _int(row.get("r"), r_pos)
            col_no = 0
            for c in row.iterchildren(ns + "c"):
                ref = _CELL_REF.match(c.get("r") or "")
                col_no = column_index(ref.group(1)) if ref else col_no + 1
                # A cell with no child holds no value: only a style (most of a formatted sheet).
                text = self._value(c, ns) if len(c) else ""
                has_image = (row_no, col_no) in pictures if pictures else False
                if not text and not has_image:
                    continue
                self.cells += 1
                if self.cells > self.limits.max_cells:
                    self._limit(f"{self.limits.max_cells} cells")
                    break
                location = f"{name}!{column_letters(col_no)}{row_no}"
                cell = Cell(text=text, location=location, has_image=has_image)
                found.setdefault(row_no, {})[col_no] = cell
                if text:
                    self.chars += len(text)
                    if self.chars > self.limits.max_text_chars:
                        self._limit(f"{self.limits.max_text_chars} characters")
                        break
                    self.content.blocks.append(TextBlock(text, location, "cell"))
        for row_no, col_no in pictures:  # a picture over an empty cell still signs it
            if (row_no, col_no) not in found.get(row_no, {}) and col_no <= _MAX_GRID_COLUMNS:
                loc = f"{name}!{column_letters(col_no)}{row_no}"
                found.setdefault(row_no, {})[col_no] = Cell(text="", location=loc, has_image=True)
        self.content.grids.append(self._grid(name, found, merged))

    def _merged(self, root: etree._Element, ns: str) -> dict[tuple[int, int], tuple[int, int]]:
        """Cell → top-left cell of its merged range (only ranges of a sane size)."""
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for mc in root.iter(ns + "mergeCell"):
            parts = (mc.get("ref") or "").split(":")
            refs = [_CELL_REF.match(p) for p in parts]
            if len(refs) != 2 or not all(refs):
                continue
            (c1, r1), (c2, r2) = ((column_index(m.group(1)), int(m.group(2))) for m in refs)
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 256:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, min(c2, _MAX_GRID_COLUMNS) + 1):
                    if (r, c) != (r1, c1):
                        spans[(r, c)] = (r1, c1)
        return spans

    def _grid(self, name: str, found: dict[int, dict[int, Cell]], merged: dict) -> Grid:
        grid = Grid(name=name, rows=[], row_locations=[])
        rows = set(found) | {r for (r, _c) in merged if merged[(r, _c)][0] in found}
        for row_no in sorted(rows):
            cols = found.get(row_no, {})
            width = min(
                max([*cols, *(c for (r, c) in merged if r == row_no), 0]), _MAX_GRID_COLUMNS
            )
            row: list[Cell] = []
            for col_no in range(1, width + 1):
                cell = cols.get(col_no)
                if cell is None and (row_no, col_no) in merged:
                    top = merged[(row_no, col_no)]
                    cell = found.get(top[0], {}).get(top[1])
                row.append(cell or Cell("", f"{name}!{column_letters(col_no)}{row_no}"))
            grid.rows.append(row)
            grid.row_locations.append(f"{name} 行{row_no}")
        return grid

    def _value(self, c: etree._Element, ns: str) -> str:
        kind = c.get("t", "n")
        if kind == "inlineStr":
            inline = c.find(ns + "is")
            return "" if inline is None else _text_of(inline, ns).strip()
        raw = c.findtext(ns + "v")
        if raw is None:
            return ""
        if kind == "s":
            index = _int(raw, -1)
            return self.shared[index] if 0 <= index < len(self.shared) else ""
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind in ("str", "e", "d"):
            return raw.strip()
        if _int(c.get("s"), 0) in self.date_styles:
            try:
                return _serial_to_text(float(raw), self.date1904)
            except ValueError:
                return raw
        return _number_text(raw.strip())


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def read_xlsx(zf: SafeZip, *, main_part: str, limits: Limits, budget: Budget) -> Content:
    """Cells of every sheet (in workbook order) as blocks and grids, plus the document properties."""
    reader = _SheetReader(zf, limits=limits, budget=budget)
    workbook = parse_xml(zf.read(main_part), part=main_part, limits=limits)
    ns = namespace(workbook)
    pr = workbook.find(ns + "workbookPr")
    reader.date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
    rels = _rels(zf, main_part, limits)
    shared_part = next((t for t in rels.values() if t.endswith("sharedStrings.xml")), None)
    if shared_part and zf.has(shared_part):
        sst = parse_xml(zf.read(shared_part), part=shared_part, limits=limits)
        sns = namespace(sst)
        reader.shared = [_text_of(si, sns).strip() for si in sst.iterchildren(sns + "si")]
    reader.date_styles = _date_styles(zf, limits)
    sheets = workbook.find(ns + "sheets")
    for sheet in [] if sheets is None else sheets.iterchildren(ns + "sheet"):
        budget.check()
        part = rels.get(sheet.get(_R_ID) or sheet.get(_R_ID_STRICT) or "")
        if part and zf.has(part) and not reader.truncated:
            reader.sheet(sheet.get("name") or part, part)
    content = reader.content
    content.custom, content.core = read_properties(zf, limits=limits)
    content.problems.extend(external_links(zf, limits=limits))
    return content
