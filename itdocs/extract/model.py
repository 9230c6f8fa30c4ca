"""The facts read from one filed document: plain frozen values, no behaviour.

The archive checks consume these and never open a file themselves, so everything a check could need
(where a fact was found, how sure we are, what went wrong while reading) is carried here. Sequences are
tuples and every value pickles, so a result can cross a process boundary (``--jobs N``) unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Union

DateValue = Union[dt.date, dt.datetime]  # noqa: UP007 (a runtime alias; `|` needs 3.10 at import)

#: Problem code → finding family. ``file``: the file cannot be read as what it claims to be;
#: ``security``: the file looks built to hurt a reader (bombs, entities, escapes), so it was refused.
PROBLEM_FAMILY: dict[str, str] = {
    "not-found": "file",
    "unreadable": "file",  # permissions, I/O error
    "not-a-file": "file",  # directory, FIFO, device
    "bad-filename": "file",  # name is not valid UTF-8 / has control characters
    "symlink": "file",  # a link inside the folder: read, but reported
    "symlink-outside": "security",  # a link leaving the folder: not followed
    "symlink-loop": "file",
    "empty": "file",
    "format-mismatch": "file",  # .docx that is really a PDF, and so on
    "unknown-format": "file",
    "legacy-format": "file",  # .doc/.xls binary files: not read
    "password-protected": "file",  # encrypted OOXML (OLE container) or PDF with a user password
    "corrupt": "file",  # not a valid zip / XML / PDF
    "truncated": "file",
    "crc-error": "file",
    "content-truncated": "file",  # read up to a limit (cells, pages, characters); the rest ignored
    "too-large": "security",  # file or inflated size above the limit
    "too-many-members": "security",
    "zip-bomb": "security",  # compression ratio above the limit
    "size-mismatch": "security",  # a member inflates past its declared size: a lying header
    "xml-entity": "security",  # DOCTYPE / ENTITY declaration in an OOXML part (ECMA-376 forbids them)
    "xml-too-complex": "security",  # more XML elements than the limit allows
    "pdf-bomb": "security",  # a PDF stream inflating past the limit
    "timeout": "security",  # the per-file time budget ran out
    # a PDF signature pyHanko finds broken or followed by changes (the file is still read)
    "pdf-signature-invalid": "security",
    # a template, frame, linked object or picture on another machine, fetched when Word/Excel opens
    # the file (the file is read; the opener's credentials could leak to that machine)
    "external-link": "security",
    "internal-error": "file",  # a bug in the reader; the file may be fine
}


@dataclass(frozen=True)
class Problem:
    """Why a document could not be read (fully). ``code`` is a key of :data:`PROBLEM_FAMILY`."""

    code: str
    message: str
    location: str | None = None

    @property
    def family(self) -> str:
        return PROBLEM_FAMILY.get(self.code, "file")


@dataclass(frozen=True)
class TextBlock:
    """One paragraph, table cell, sheet cell or PDF page, with where it was found.

    ``kind``: ``paragraph`` | ``heading`` | ``cell`` | ``header`` | ``page`` | ``image`` (a paragraph
    holding only a picture: empty text, kept because a signature often sits there).
    ``location``: ``第3段``, ``表2 行3 列1``, ``页眉1 第1段``, ``Sheet1!B4``, ``第2页``.
    """

    text: str
    location: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Field:
    """A labelled value: ``申请日期：2026年9月1日`` or a table cell next to its label.

    ``label`` is as written (``合同签订日期``); ``key`` the canonical label when known (``签订日期``);
    ``parsed`` the value understood by the key: a date/datetime, a :class:`Period`, a ``Decimal``
    amount, or ``None`` when the key has no type or the value did not parse.
    """

    label: str
    value: str
    location: str
    key: str | None = None
    parsed: Any = None


@dataclass(frozen=True)
class DateMention:
    """A date (or date and time) written anywhere in the text."""

    value: DateValue
    text: str
    location: str


@dataclass(frozen=True)
class Period:
    """A reporting period. ``kind``: ``week`` (ISO, Monday–Sunday) | ``month`` | ``quarter`` |
    ``half`` | ``year`` | ``range``. ``label`` is the canonical spelling (``2026年第42周``)."""

    kind: str
    start: dt.date
    end: dt.date
    text: str
    location: str = ""

    @property
    def label(self) -> str:
        y = self.start.year
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"{iso[0]}年第{iso[1]}周"
        if self.kind == "month":
            return f"{y}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{y}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == "half":
            return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "year":
            return f"{y}年"
        return f"{_cn_date(self.start)}至{_cn_date(self.end)}"


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class SignatureRow:
    """One role's line in a signature block (签字栏).

    ``signed`` is True when the signature cell holds a picture (``basis="image"``) or handwritten-
    style text that is not a placeholder such as ``（签字）`` or underscores (``basis="text"``);
    PDF signature fields give ``basis="pdf-claimed"`` (a ``/Name`` is a claim, not a proof), or,
    validated by pyHanko, ``pdf-valid-trusted``, ``pdf-valid-untrusted``, ``pdf-modified``,
    ``pdf-invalid``.
    ``role`` is the row's label as written; ``role_key`` a canonical role (``department_head``,
    ``finance``, ``ceo``, ``legal``, ``party_a``, ``party_b``, ``acceptance_lead``,
    ``acceptance_member``, ``third_party``, ...) or None.
    """

    role: str
    name: str | None
    signed: bool
    date: DateValue | None
    location: str
    has_image: bool = False
    role_key: str | None = None
    basis: str = "none"


@dataclass(frozen=True)
class Resolution:
    """A decision in minutes (决议), with its owner (负责人) and due date (完成时限) when written."""

    text: str
    owner: str | None
    due: DateValue | None
    location: str


@dataclass(frozen=True)
class PdfSignatureField:
    """An AcroForm ``/Sig`` field. ``status``: ``empty`` (no ``/V``) or ``claimed`` (a value with a
    ``/Name``/``/M``; pypdf verifies nothing). With the ``pdfsig`` extra (pyHanko) a filled field
    is validated instead: ``valid-trusted``, ``valid-untrusted`` (intact, signer not trusted),
    ``modified`` (changed after signing) or ``invalid`` (the signature does not verify)."""

    name: str
    status: str
    signer: str | None
    date: DateValue | None
    location: str


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything read from one file. A file that could not be read has ``problems`` and little else.

    ``format``: the sniffed type, ``docx`` | ``xlsx`` | ``pdf`` | ``ole`` | ``unknown`` | ``""`` (not read).
    ``clauses`` maps ``sla`` (服务水平), ``confidentiality`` (保密), ``breach_liability`` (违约责任),
    ``ip`` (知识产权), ``risk`` (风险分担) to where each was found. ``custom_properties`` are the
    document's own custom properties (docProps/custom.xml, or a PDF's non-standard /Info keys) —
    authoritative for files itdocs generated; ``core_properties`` the standard ones (title, creator,
    created, modified).
    """

    path: str
    format: str
    text_blocks: tuple[TextBlock, ...] = ()
    fields: tuple[Field, ...] = ()
    dates: tuple[DateMention, ...] = ()
    periods: tuple[Period, ...] = ()
    signature_rows: tuple[SignatureRow, ...] = ()
    clauses: dict[str, str] = field(default_factory=dict)
    resolutions: tuple[Resolution, ...] = ()
    custom_properties: dict[str, Any] = field(default_factory=dict)
    core_properties: dict[str, Any] = field(default_factory=dict)
    pdf_signatures: tuple[PdfSignatureField, ...] = ()
    problems: tuple[Problem, ...] = ()
    encrypted: bool = False
    title: str | None = None

    @property
    def ok(self) -> bool:
        """True when the file was read without any problem."""
        return not self.problems

    @property
    def problem_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.text_blocks)

    def field(self, key: str) -> Field | None:
        """The first field whose canonical key (or, failing that, label) is ``key``."""
        for f in self.fields:
            if f.key == key:
                return f
        for f in self.fields:
            if f.label == key:
                return f
        return None


@dataclass
class Cell:
    """A table or sheet cell as a reader found it (internal: input of the understanding step)."""

    text: str
    location: str
    has_image: bool = False


@dataclass
class Grid:
    """A Word table or an Excel sheet: rows of cells, merged cells repeated in every grid slot."""

    name: str
    rows: list[list[Cell]]
    row_locations: list[str]


@dataclass
class Content:
    """What a format reader found, before the Chinese text is understood (``analyse.understand``)."""

    format: str
    blocks: list[TextBlock] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    # Where pictures are: Word paragraphs holding a drawing; for a PDF, pages with an image XObject.
    image_blocks: set[str] = field(default_factory=set)
    custom: dict[str, Any] = field(default_factory=dict)
    core: dict[str, Any] = field(default_factory=dict)
    pdf_signatures: list[PdfSignatureField] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encrypted: bool = False
