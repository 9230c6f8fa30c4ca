"""Read a .docx straight from its zip with lxml: body paragraphs, tables (with merged cells laid out
on the grid), headers, pictures in cells, and the document properties.

Why not python-docx: it costs ~9 ms a file against ~0.3 ms here, and it parses with entity
resolution on. The walk keeps document order and follows content controls (w:sdt), so a form built
with fields in Word reads like its plain twin.
"""

from __future__ import annotations

import re

from lxml import etree

from itdocs.extract.model import Cell, Content, Grid, Problem, TextBlock
from itdocs.extract.ooxml import read_properties
from itdocs.extract.safezip import Budget, Limits, SafeZip, namespace, parse_xml

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_STYLE = re.compile(r"(?i)^(heading|title|subtitle|标题|[1-9]$)")
_MAX_COLUMNS = 256
_HEADER_PART = re.compile(r"^word/header\d*\.xml$")


class _Walker:
    """Walks a WordprocessingML tree in document order, collecting blocks and grids."""

    def __init__(self, ns: str, *, limits: Limits, budget: Budget) -> None:
        self.limits = limits
        self.budget = budget
        self.content = Content(format="docx")
        self.paragraphs = 0
        self.tables = 0
        self.chars = 0
        self.truncated = False
        w = ns
        self.P, self.TBL, self.TR, self.TC = w + "p", w + "tbl", w + "tr", w + "tc"
        self.R, self.T, self.TAB, self.BR, self.CR = w + "r", w + "t", w + "tab", w + "br", w + "cr"
        self.SDT, self.SDT_CONTENT, self.CUSTOM_XML = w + "sdt", w + "sdtContent", w + "customXml"
        self.PPR, self.PSTYLE, self.OUTLINE = w + "pPr", w + "pStyle", w + "outlineLvl"
        self.TCPR, self.GRID_SPAN, self.VMERGE, self.VAL = (
            w + "tcPr",
            w + "gridSpan",
            w + "vMerge",
            w + "val",
        )
        self.IMAGES = (w + "drawing", w + "pict", w + "object")
        self.WRAPPERS = (self.SDT_CONTENT, self.CUSTOM_XML, w + "sdt")

    def _children(self, elem: etree._Element, tag: str):
        """Children with ``tag``, looking through content controls and custom XML wrappers."""
        for child in elem:
            if child.tag == tag:
                yield child
            elif child.tag == self.SDT:
                inner = child.find(self.SDT_CONTENT)
                if inner is not None:
                    yield from self._children(inner, tag)
            elif child.tag == self.CUSTOM_XML:
                yield from self._children(child, tag)

    def _emit(self, text: str, location: str, kind: str) -> None:
        if self.truncated:
            return
        self.chars += len(text)
        if self.chars > self.limits.max_text_chars:
            self.truncated = True
            self.content.problems.append(
                Problem(
                    "content-truncated", f"文本过长，只读取了前 {self.limits.max_text_chars} 个字符"
                )
            )
            return
        self.content.blocks.append(TextBlock(text, location, kind))

    def paragraph_text(self, p: etree._Element) -> tuple[str, bool]:
        """(text, holds a picture). Runs inside hyperlinks, insertions and fields count; deleted text
        (w:delText) and tab-stop definitions in w:pPr do not."""
        parts: list[str] = []
        image = False
        for run in p.iter(self.R):
            for child in run:
                tag = child.tag
                if tag == self.T:
                    parts.append(child.text or "")
                elif tag == self.TAB:
                    parts.append("\t")
                elif tag == self.BR or tag == self.CR:
                    parts.append("\n")
                elif tag in self.IMAGES:
                    image = True
        return "".join(parts).strip(), image

    def body(self, elem: etree._Element) -> None:
        for child in elem:
            tag = child.tag
            if tag == self.P:
                self.paragraph(child)
            elif tag == self.TBL:
                self.table(child)
            elif tag in self.WRAPPERS:
                self.body(child)

    def paragraph(self, p: etree._Element) -> None:
        text, image = self.paragraph_text(p)
        if not text and not image:
            return
        self.paragraphs += 1
        if self.paragraphs % 256 == 0:
            self.budget.check()
        location = f"第{self.paragraphs}段"
        if image:
            self.content.image_blocks.add(location)
        if text:
            self._emit(text, location, "heading" if self._is_heading(p) else "paragraph")
        else:  # a picture on its own line: often the signature under "签字：" in a contract ending
            self.content.blocks.append(TextBlock("", location, "image"))

    def _is_heading(self, p: etree._Element) -> bool:
        ppr = p[0] if len(p) and p[0].tag == self.PPR else None  # w:pPr comes first when present
        if ppr is None:
            return False
        if ppr.find(self.OUTLINE) is not None:
            return True
        style = ppr.find(self.PSTYLE)
        return style is not None and bool(_HEADING_STYLE.match(style.get(self.VAL) or ""))

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        name = f"表{self.tables}"
        grid = Grid(name=name, rows=[], row_locations=[])
        self.content.grids.append(grid)
        above: dict[int, Cell] = {}
        for r_index, tr in enumerate(self._children(tbl, self.TR), 1):
            self.budget.check()
            row: list[Cell] = []
            col = 0
            for tc in self._children(tr, self.TC):
                span, vmerge = self._cell_props(tc)
                span = min(
                    span, max(1, _MAX_COLUMNS - col)
                )  # hostile spans must not blow up the grid
                if vmerge == "continue" and col in above:
                    cell = above[col]
                else:
                    cell = self.cell(tc, f"{name} 行{r_index} 列{col + 1}")
                for k in range(span):
                    row.append(cell)
                    above[col + k] = cell
                col += span
            grid.rows.append(row)
            grid.row_locations.append(f"{name} 行{r_index}")

    def _cell_props(self, tc: etree._Element) -> tuple[int, str | None]:
        # w:tcPr is the first child when present (ECMA-376 17.4.66): no search needed.
        tcpr = tc[0] if len(tc) and tc[0].tag == self.TCPR else None
        span, vmerge = 1, None
        for prop in () if tcpr is None else tcpr:
            if prop.tag == self.GRID_SPAN:
                try:
                    span = max(1, min(int(prop.get(self.VAL) or 1), 64))
                except ValueError:
                    span = 1
            elif prop.tag == self.VMERGE:
                vmerge = prop.get(self.VAL) or "continue"
        return span, vmerge

    def cell(self, tc: etree._Element, location: str) -> Cell:
        texts: list[str] = []
        image = False
        for child in tc:
            if child.tag == self.P or child.tag in self.WRAPPERS:
                paragraphs = [child] if child.tag == self.P else child.iter(self.P)
                for p in paragraphs:
                    text, pic = self.paragraph_text(p)
                    image = image or pic
                    if text:
                        texts.append(text)
            elif child.tag == self.TBL:
                image = image or any(True for _ in child.iter(*self.IMAGES))
                self.table(child)  # nested table: its own grid, numbered after its parent
        text = "\n".join(texts)
        if text:
            self._emit(text, location, "cell")
        return Cell(text=text, location=location, has_image=image)


def _strip_fallbacks(root: etree._Element) -> None:
    # mc:AlternateContent repeats a text box in Choice and Fallback; keep one copy.
    for fallback in list(root.iter(_MC_FALLBACK)):
        parent = fallback.getparent()
        if parent is not None:
            parent.remove(fallback)


def _parse_part(zf: SafeZip, part: str, limits: Limits) -> etree._Element:
    data = zf.read(part)
    root = parse_xml(data, part=part, limits=limits)
    if b"Fallback" in data:
        _strip_fallbacks(root)
    return root


def read_docx(zf: SafeZip, *, main_part: str, limits: Limits, budget: Budget) -> Content:
    """Blocks and grids of the body, header paragraphs, and the document properties."""
    root = _parse_part(zf, main_part, limits)
    ns = namespace(root)
    walker = _Walker(ns, limits=limits, budget=budget)
    body = root.find(ns + "body")
    if body is not None:
        walker.body(body)
    for number, part in enumerate(sorted(n for n in zf.names if _HEADER_PART.match(n)), 1):
        budget.check()
        header = _parse_part(zf, part, limits)
        count = 0
        for p in header.iter(namespace(header) + "p"):
            text, _ = walker.paragraph_text(p)
            if text:
                count += 1
                walker._emit(text, f"页眉{number} 第{count}段", "header")
    content = walker.content
    content.custom, content.core = read_properties(zf, limits=limits)
    return content
