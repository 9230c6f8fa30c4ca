"""Tables for the Word templates: label/value forms, list tables with docxtpl row loops, signatures.

Every table has a fixed layout whose column widths add up to the 16 cm text width, label cells
shaded, rows that never split across pages; list tables repeat their heading row on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from itdocs.templates.docxkit import TEXT_WIDTH_CM, para

LABEL_FILL = "F2F2F2"
FORM = [2.8, 5.2, 2.8, 5.2]  # label | value | label | value


@dataclass(frozen=True)
class Cell:
    """One cell of a form row: a label (shaded) or a value, spanning ``span`` grid columns."""

    text: str
    span: int = 1
    label: bool = False
    center: bool = False


def L(text: str, span: int = 1) -> Cell:
    return Cell(text, span, label=True)


def V(text: str, span: int = 1, *, center: bool = False) -> Cell:
    return Cell(text, span, center=center)


def H(text: str, span: int = 1) -> Cell:
    return Cell(text, span, label=True, center=True)


def _dxa(cm: float) -> int:
    return round(cm * 567)


def new_table(doc: DocumentObject, widths: Sequence[float]) -> Table:
    assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.01, (
        f"table is {sum(widths)} cm, text width {TEXT_WIDTH_CM}"
    )
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(_dxa(w) for w in widths)))
    tbl_pr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        )
    )
    for col, cm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(_dxa(cm)))
    table._widths = list(widths)  # type: ignore[attr-defined]
    return table


def add_row(
    table: Table,
    cells: Sequence[Cell],
    *,
    height: float = 0.75,
    header: bool = False,
    keep: bool = False,
) -> None:
    widths: list[float] = table._widths  # type: ignore[attr-defined]
    assert sum(c.span for c in cells) == len(widths), [c.text for c in cells]
    row = table.add_row()
    row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    column = 0
    for spec in cells:
        cell = row.cells[column]
        if spec.span > 1:
            cell = cell.merge(row.cells[column + spec.span - 1])
        cell.width = Cm(sum(widths[column : column + spec.span]))
        _fill(cell, spec, keep=keep)
        column += spec.span


def _fill(cell: _Cell, spec: Cell, *, keep: bool) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Heading" if spec.label else "Table Text"
    if spec.text:
        paragraph.add_run(spec.text)
    if spec.label or spec.center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if spec.label:
        cell._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{LABEL_FILL}"/>')
        )


def form(
    doc: DocumentObject,
    widths: Sequence[float],
    rows: Sequence[Sequence[Cell] | tuple[float, Sequence[Cell]]],
) -> Table:
    """A form table; a row given as ``(height_cm, cells)`` gets room to write in."""
    table = new_table(doc, widths)
    for row in rows:
        height, cells = row if isinstance(row, tuple) else (0.75, row)
        add_row(table, cells, height=height)
    spacer(doc)
    return table


def grid(
    doc: DocumentObject,
    columns: Sequence[tuple[str, float]],
    *,
    loop: str,
    cells: Sequence[str],
    empty: str = "无",
    center: Sequence[int] = (),
    before: Sequence[Sequence[Cell]] = (),
    after: Sequence[Sequence[Cell]] = (),
) -> Table:
    """A list table: heading row, then one row per item of ``loop`` (``x in list``), or ``empty``."""
    widths = [w for _, w in columns]
    table = new_table(doc, widths)
    for row in before:
        add_row(table, row)
    add_row(table, [H(name) for name, _ in columns], header=True)
    span = len(columns)
    add_row(table, [V(f"{{%tr for {loop} %}}", span)])
    add_row(table, [V(text, center=i in center) for i, text in enumerate(cells)])
    add_row(table, [V("{%tr else %}", span)])
    add_row(table, [V(empty, span, center=True)])
    add_row(table, [V("{%tr endfor %}", span)])
    for row in after:
        add_row(table, row)
    spacer(doc)
    return table


def spacer(doc: DocumentObject) -> None:
    doc.add_paragraph("", style="Normal").paragraph_format.space_after = Pt(3)


def signature_block(doc: DocumentObject, heading: str = "签字确认") -> None:
    """The last thing on the page: 角色 | 姓名 | 签字 | 日期, one row per ``signatures`` entry.

    A name or date the dossier does not record stays blank (the date as 年 月 日) to be written
    by hand; every row is tall enough for a handwritten signature and none splits across pages.
    """
    title = para(doc, heading, style="Table Heading", align=WD_ALIGN_PARAGRAPH.LEFT, keep=True)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(6)
    title.paragraph_format.keep_with_next = True
    widths = [5.6, 3.4, 3.6, 3.4]
    table = new_table(doc, widths)
    add_row(table, [H("角色"), H("姓名"), H("签字"), H("日期")], header=True, keep=True)
    add_row(table, [V("{%tr for s in signatures %}", 4)])
    add_row(
        table,
        [
            V("{{ s.role }}"),
            V("{{ s.name }}", center=True),
            V(""),
            V("{{ s.date or '　　年　月　日' }}", center=True),
        ],
        height=1.3,
        keep=True,
    )
    add_row(table, [V("{%tr endfor %}", 4)])
    doc.add_paragraph("", style="Normal")  # Word wants a paragraph after a final table
