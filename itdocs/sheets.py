"""Sheet layout for the Excel documents: Chinese fonts and widths, boxes, A4 printing, signatures.

Used by itdocs.workbooks. Widths are measured in Excel character units with a Chinese character
counting two; row heights are set from the wrapped text, because neither LibreOffice nor a printer
grows a row openpyxl wrote.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from itdocs import amounts

FONT = "宋体"
BODY = Font(name=FONT, size=11)
BOLD = Font(name=FONT, size=11, bold=True)
TITLE = Font(name="黑体", size=16)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONEY_FORMAT = "#,##0.00"


def new_workbook() -> Workbook:
    wb = Workbook()
    # The workbook's default font (empty cells, new rows a clerk adds) is 宋体 too, not Calibri.
    wb._fonts = IndexedList([BODY])  # type: ignore[attr-defined]
    wb.calculation.fullCalcOnLoad = True  # Excel/WPS compute every formula on opening
    return wb


def text_width(value: Any) -> int:
    """Display width in Excel character units: a Chinese character counts two."""
    text = (
        value
        if isinstance(value, str)
        else ("0000年00月00日" if isinstance(value, dt.date) else str(value))
    )
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )


def fit_columns(
    ws: Worksheet, first_row: int, last_row: int, *, minimum: int = 6, maximum: int = 40
) -> None:
    """Column widths from the table's own cells (not the merged info rows around it)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            value = "00000.00" if cell.data_type == "f" else cell.value
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(
            minimum, min(maximum, width + 2)
        )


def fit_rows(ws: Worksheet, first_row: int) -> None:
    """Row heights for wrapped text: LibreOffice and printing do not grow rows openpyxl wrote."""
    spans = {(r.min_row, r.min_col): (r.max_col, r.max_row) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if (
                not isinstance(cell.value, str)
                or cell.data_type == "f"
                or type(cell).__name__ == "MergedCell"
            ):
                continue
            last_col, last_row = spans.get((cell.row, cell.column), (cell.column, cell.row))
            if last_row != cell.row:
                continue
            width = (
                sum(
                    ws.column_dimensions[get_column_letter(c)].width or 8.43
                    for c in range(cell.column, last_col + 1)
                )
                - 1
            )
            needed = sum(
                max(1, math.ceil(text_width(part) / max(width, 1)))
                for part in cell.value.splitlines() or [""]
            )
            lines = max(lines, needed)
        current = ws.row_dimensions[row[0].row].height or 0
        ws.row_dimensions[row[0].row].height = max(current, 15 * lines + 5)


def page_setup(ws: Worksheet, *, header_row: int, landscape: bool) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def cell_text(value: Any, *, escape: bool = True) -> Any:
    """``value`` as a cell can hold it: control characters openpyxl refuses are written as
    visible ``\\x07`` escapes (a file named ``纪要\\x07.docx`` in a clerk's folder), or dropped
    (``escape=False``: a dossier's text, as the Word documents drop them)."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        if not escape:
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


class Formula(str):
    """A formula this code wrote (``Formula("=SUM(E5:G5)")``). Any other text starting with "="
    is a dossier's text and is stored as text: a risk described as ``=WEBSERVICE("http://…"&A1)``
    must not become a live formula in the register a clerk opens."""


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    font: Font = BODY,
    fill: PatternFill | None = None,
    align: Alignment = WRAP,
    fmt: str | None = None,
    box: bool = True,
) -> None:
    if not isinstance(value, Formula):
        value = cell_text(value, escape=False)
    cell = ws.cell(row=row, column=column, value=value)
    if cell.data_type == "f" and not isinstance(value, Formula):
        cell.data_type = "s"
    cell.font, cell.alignment = font, align
    if box:
        cell.border = BOX
    if fill is not None:
        cell.fill = fill
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def merge(ws: Worksheet, row: int, first: int, last: int) -> None:
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        for column in range(first + 1, last + 1):
            ws.cell(row=row, column=column).border = BOX


def title(ws: Worksheet, text: str, columns: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    put(
        ws,
        1,
        1,
        text,
        font=TITLE,
        align=Alignment(horizontal="center", vertical="center"),
        box=False,
    )
    ws.row_dimensions[1].height = 32


def _quarters(columns: int, parts: int) -> list[tuple[int, int]]:
    """Split ``columns`` into ``parts`` spans of (first, last) column, as even as possible."""
    bounds = [round(i * columns / parts) for i in range(parts + 1)]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(parts)]


def info(
    ws: Worksheet, row: int, pairs: Sequence[tuple[str, Any]], columns: int, *, wide: bool = False
) -> int:
    """Label/value pairs, two to a row (or one per row across the sheet with ``wide``); next free row."""
    half = columns // 2
    label_span = max(1, round(half / 3))
    spans = (
        [(1, label_span), (label_span + 1, columns)]
        if wide
        else [
            (1, label_span),
            (label_span + 1, half),
            (half + 1, half + label_span),
            (half + label_span + 1, columns),
        ]
    )
    per_row = len(spans) // 2
    for index, (name, value) in enumerate(pairs):
        r = row + index // per_row
        (l1, l2), (v1, v2) = spans[(index % per_row) * 2], spans[(index % per_row) * 2 + 1]
        put(ws, r, l1, name, font=BOLD, fill=HEAD_FILL, align=CENTER)
        merge(ws, r, l1, l2)
        put(ws, r, v1, value, align=LEFT)
        merge(ws, r, v1, v2)
    return row + (len(pairs) + per_row - 1) // per_row


def header(ws: Worksheet, row: int, names: Iterable[str]) -> None:
    for column, name in enumerate(names, start=1):
        put(ws, row, column, name, font=BOLD, fill=HEAD_FILL, align=CENTER)
    ws.row_dimensions[row].height = 30


def signatures(ws: Worksheet, row: int, rows: Sequence[Mapping[str, Any]], columns: int) -> int:
    """角色 | 姓名 | 签字 | 日期 below the table, as on the Word documents, across the sheet's width."""
    spans = _quarters(columns, 4)
    row += 1
    for (first, last), name in zip(spans, ("角色", "姓名", "签字", "日期")):
        put(ws, row, first, name, font=BOLD, fill=HEAD_FILL, align=CENTER)
        merge(ws, row, first, last)
    for entry in rows:
        row += 1
        values = (entry["role"], entry["name"], "", entry["date"] or "　　年　月　日")
        for (first, last), value in zip(spans, values):
            put(ws, row, first, value, align=CENTER)
            merge(ws, row, first, last)
        ws.row_dimensions[row].height = 30
    return row + 1


def as_date(value: Any) -> Any:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""


def as_number(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def as_money(value: Any) -> Any:
    return amounts.parse_money(value) if value not in (None, "") else None


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
