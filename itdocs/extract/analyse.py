"""Turn what a format reader found (:class:`Content`) into facts (:class:`ExtractedDocument`).

Format-independent on purpose: a signature table reads the same from Word or Excel, a ``标签：值``
line the same from a paragraph, a cell or a PDF page. The per-file time budget holds here too: a
document of 60,000 paragraphs is read in time but could take seconds to understand, so every pass
over the blocks is paced, and a block's analysis stops at ``MAX_ANALYSED_CHARS`` (no form field or
signature line is longer).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from itdocs.extract.dates import dates_and_periods
from itdocs.extract.fields import fields_in_blocks, fields_in_grid
from itdocs.extract.model import (
    Content,
    DateMention,
    ExtractedDocument,
    Period,
    Problem,
    SignatureRow,
    TextBlock,
)
from itdocs.extract.safezip import Budget, Refused
from itdocs.extract.sections import find_clauses, resolutions_in_grid, resolutions_in_text
from itdocs.extract.signatures import canonical_role, signature_rows_in_grid
from itdocs.extract.sigtext import signature_rows_in_text

MAX_MENTIONS = 5_000
MAX_ANALYSED_CHARS = 20_000
_MAY_HOLD_DATE = re.compile(r"\d|〇|○|年")
_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d+)?")


def _paced(blocks: list[TextBlock], budget: Budget | None) -> Iterator[TextBlock]:
    for index, block in enumerate(blocks):
        if budget is not None and index % 64 == 63:
            budget.check()
        yield block


def _dates_and_periods(blocks: Iterable[TextBlock]) -> tuple[list[DateMention], list[Period]]:
    dates: list[DateMention] = []
    periods: list[Period] = []
    for block in blocks:
        if len(dates) >= MAX_MENTIONS:
            break
        text = block.text
        if not text or not _MAY_HOLD_DATE.search(text) or _PLAIN_NUMBER.fullmatch(text):
            continue
        found, block_periods = dates_and_periods(text)
        dates.extend(
            DateMention(value, text[start:end], block.location) for value, start, end in found
        )
        periods.extend(dataclasses.replace(p, location=block.location) for p in block_periods)
    return dates[:MAX_MENTIONS], periods[:MAX_MENTIONS]


def _title(content: Content) -> str | None:
    """The document's own title: core property, else the first heading, else a short first line."""
    title = content.core.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    body = [
        b
        for b in content.blocks[:20]
        if b.text and b.kind in ("heading", "paragraph", "page", "cell")
    ]
    for block in body[:10]:
        if block.kind == "heading":
            return block.text.splitlines()[0].strip()[:100]
    if body:
        first = body[0].text.strip().splitlines()[0].strip()
        if len(first) <= 40:
            return first
    return None


#: A PDF signature field's status → the row's basis. ``modified``/``invalid`` still count as
#: signed here (the signer did sign); they are a ``security/pdf-signature-invalid`` finding.
_PDF_BASIS = {
    "claimed": "pdf-claimed",
    "valid-trusted": "pdf-valid-trusted",
    "valid-untrusted": "pdf-valid-untrusted",
    "modified": "pdf-modified",
    "invalid": "pdf-invalid",
}


def _pdf_rows(content: Content) -> list[SignatureRow]:
    return [
        SignatureRow(
            role=field.name,
            name=field.signer,
            signed=field.status != "empty",
            date=field.date,
            location=field.location,
            has_image=False,
            role_key=canonical_role(field.name),
            basis=_PDF_BASIS.get(field.status, "pdf-claimed")
            if field.status != "empty"
            else "none",
        )
        for field in content.pdf_signatures
    ]


def _capped(blocks: list[TextBlock]) -> list[TextBlock]:
    return [
        dataclasses.replace(b, text=b.text[:MAX_ANALYSED_CHARS])
        if len(b.text) > MAX_ANALYSED_CHARS
        else b
        for b in blocks
    ]


def understand(
    content: Content,
    *,
    path: str,
    problems: list[Problem],
    budget: Budget | None = None,
    facts: bool = True,
) -> ExtractedDocument:
    """All facts of one read document; ``problems`` are those found before and while reading. When
    the budget runs out the text is kept, the facts are dropped (half a signature table would read
    as missing signatures), and a ``timeout`` problem says so."""
    base = ExtractedDocument(
        path=path,
        format=content.format,
        text_blocks=tuple(content.blocks),
        custom_properties=dict(content.custom),
        core_properties=dict(content.core),
        pdf_signatures=tuple(content.pdf_signatures),
        problems=(*problems, *content.problems),
        encrypted=content.encrypted,
        title=_title(content),
    )
    if not facts:
        return base
    blocks = _capped(content.blocks)
    try:
        found = _facts(content, blocks, budget)
    except Refused as exc:
        return dataclasses.replace(base, problems=(*base.problems, Problem(exc.code, exc.message)))
    return dataclasses.replace(base, **found)


def _facts(content: Content, blocks: list[TextBlock], budget: Budget | None) -> dict[str, object]:
    def paced() -> Iterator[TextBlock]:
        return _paced(blocks, budget)

    signature_rows: list[SignatureRow] = []
    grid_fields = []
    for grid in content.grids:
        if budget is not None:
            budget.check()
        rows, used = signature_rows_in_grid(grid)
        signature_rows.extend(rows)
        grid_fields.extend(fields_in_grid(grid, skip_rows=used))
    # A PDF's tables are rebuilt from its layout (pdftables): a label read there is whole where the
    # page's lines cut a wrapped cell (``OA系统运维外包项`` / ``目``), so its line is not read again.
    rebuilt = frozenset(f.label for f in grid_fields) if content.format == "pdf" else frozenset()
    fields = list(
        fields_in_blocks((b for b in paced() if b.kind != "image"), page_labels_read=rebuilt)
    )
    fields.extend(grid_fields)
    signature_rows.extend(signature_rows_in_text(paced(), content.image_blocks))
    signature_rows.extend(_pdf_rows(content))
    minutes = any("纪要" in b.text or "决议" in b.text for b in blocks[:200])
    resolutions = resolutions_in_text(paced()) if minutes else []
    for grid in content.grids:
        resolutions.extend(resolutions_in_grid(grid, minutes=minutes))
    dates, periods = _dates_and_periods(paced())
    return {
        "fields": tuple(fields),
        "dates": tuple(dates),
        "periods": tuple(periods),
        "signature_rows": tuple(signature_rows),
        "clauses": find_clauses(paced()),
        "resolutions": tuple(resolutions),
    }
