"""Read a PDF with pypdf under our limits: the text of each page, the document information, and the
AcroForm signature fields.

A signature field is reported as ``empty`` or ``claimed``: its ``/Name`` and ``/M`` are whatever the
writer typed, so pypdf alone calls no PDF "signed". With the ``pdfsig`` extra (pyHanko) a filled
field is validated instead (:mod:`itdocs.extract.pdfsig`): ``valid-trusted``, ``valid-untrusted``,
``modified`` or ``invalid``; the last two are also a ``pdf-signature-invalid`` problem.
pypdf's own decompression limits stay on and are set from :class:`Limits` for the call only; since
pypdf is pure Python and may loop long on a crafted file, a hard timer backs up the cooperative
budget when we run on the main thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import re
import signal
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pypdf
from pypdf.errors import LimitReachedError

from itdocs.extract import pdfsig, pdftables
from itdocs.extract.model import Content, Grid, PdfSignatureField, Problem, TextBlock
from itdocs.extract.safezip import Budget, Limits, Refused

# Without a handler pypdf's warnings on odd files reach stderr through logging.lastResort.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_CORE_KEYS = {
    "/Title": "title",
    "/Author": "creator",
    "/Subject": "subject",
    "/Keywords": "keywords",
    "/Creator": "application",
    "/Producer": "producer",
    "/CreationDate": "created",
    "/ModDate": "modified",
}
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")
_MAX_FIELDS = 10_000


class _HardTimeout(BaseException):
    """Raised from the timer; a BaseException so pypdf's broad ``except Exception`` cannot eat it."""


@contextlib.contextmanager
def _hard_timer(seconds: float) -> Iterator[None]:
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    def _fire(signum: int, frame: Any) -> None:
        raise _HardTimeout()

    previous = signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _pypdf_limits(limits: Limits) -> Iterator[None]:
    """Apply our stream limits to pypdf for this call only (pypdf ≥ 6 has a context-local
    Configuration; older versions keep their own module-level defaults, which stay on)."""
    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        yield
        return
    n = limits.max_pdf_stream_bytes
    with apply(
        zlib_maximum_output_length=n,
        lzw_maximum_output_length=n,
        run_length_maximum_output_length=n,
        maximum_declared_stream_length=n,
        array_based_stream_maximum_output_length=n,
    ):
        yield


def parse_pdf_date(value: Any) -> dt.datetime | dt.date | None:
    """``D:20261001143000+08'00'`` → datetime (local time as written; the offset is dropped)."""
    m = _PDF_DATE.match(str(value or "").strip())
    if not m or not m.group(2):
        return None
    parts = [int(g) if g else None for g in m.groups()]
    year, month, day, hour, minute, second = parts
    try:
        if hour is None:
            return dt.date(year, month or 1, day or 1)
        return dt.datetime(year, month or 1, day or 1, hour, minute or 0, second or 0)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text[:200] or None


def _has_image(page: Any) -> bool:
    """An image XObject on the page (a pasted signature or seal), seen without decoding it."""
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            return False
        return any(
            x.get_object().get("/Subtype") == "/Image"
            for x in list(xobjects.get_object().values())[:50]
        )
    except Exception:  # noqa: BLE001 (a broken resource dictionary is no reason to lose the page)
        return False


def _signature_fields(reader: pypdf.PdfReader, budget: Budget) -> list[PdfSignatureField]:
    """Every /Sig field of the AcroForm tree (kids inherit /FT), without following cycles."""
    root = reader.trailer["/Root"].get_object()
    acro = root.get("/AcroForm")
    if acro is None:
        return []
    fields = acro.get_object().get("/Fields") or []
    page_of: dict[int, int] = {}
    for number, page in enumerate(reader.pages[:200], 1):
        for annot in page.get("/Annots") or []:
            if hasattr(annot, "idnum"):
                page_of[annot.idnum] = number
    found: list[PdfSignatureField] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str, str | None]] = [(f, "", None) for f in reversed(list(fields))]
    visited = 0
    while stack and visited < _MAX_FIELDS:
        ref, prefix, inherited_ft = stack.pop()
        visited += 1
        if visited % 256 == 0:
            budget.check()
        idnum = getattr(ref, "idnum", None)
        if idnum is not None:
            if idnum in seen:
                continue
            seen.add(idnum)
        node = ref.get_object()
        if not hasattr(node, "get"):
            continue
        name = _text(node.get("/T"))
        full = ".".join(p for p in (prefix, name) if p)
        ft = node.get("/FT", inherited_ft)
        kids = node.get("/Kids")
        if kids:
            stack.extend((k, full, ft) for k in reversed(list(kids)))
        if ft != "/Sig" or (kids and name is None):
            continue
        value = node.get("/V")
        value = value.get_object() if value is not None else None
        page = page_of.get(idnum) if idnum is not None else None
        location = f"第{page}页 {full}" if page else full
        if not hasattr(value, "get"):
            found.append(PdfSignatureField(full or "签名", "empty", None, None, location))
        else:
            found.append(
                PdfSignatureField(
                    full or "签名",
                    "claimed",
                    _text(value.get("/Name")),
                    parse_pdf_date(value.get("/M")),
                    location,
                )
            )
    return found


def _properties(reader: pypdf.PdfReader) -> tuple[dict[str, Any], dict[str, Any]]:
    info = reader.metadata or {}
    custom: dict[str, Any] = {}
    core: dict[str, Any] = {}
    for key, raw in list(info.items())[:200]:
        value = raw.get_object() if hasattr(raw, "get_object") else raw
        text = _text(value)
        if text is None:
            continue
        if key in _CORE_KEYS:
            name = _CORE_KEYS[key]
            core[name] = parse_pdf_date(text) or text if name in ("created", "modified") else text
        else:
            custom[str(key).lstrip("/")] = text
    return custom, core


def read_pdf(
    fh: BinaryIO, *, limits: Limits, budget: Budget, trust_roots: Sequence[Path] = ()
) -> Content:
    """Text per page (``第N页``), properties and signature fields; an encrypted PDF that opens with
    the empty user password is read (and marked ``encrypted``), any other is password-protected.
    ``trust_roots``: certificate files (PEM/DER) trusted for signatures when pyHanko is present."""
    remaining = max(budget.deadline - time.monotonic(), 0.01)
    fh.seek(0)
    with warnings.catch_warnings(), _pypdf_limits(limits):
        warnings.simplefilter("ignore")
        try:
            with _hard_timer(remaining + 0.5):
                return _read(fh, limits=limits, budget=budget, trust_roots=trust_roots)
        except _HardTimeout:
            raise Refused(
                "timeout", f"读取超时 (time budget of {budget.seconds:g} s exceeded)"
            ) from None
        except LimitReachedError as exc:
            # pypdf also says "limit" for reference loops and absurd declared lengths: corrupt, not bombs
            if "decompress" in str(exc).lower():
                raise Refused("pdf-bomb", f"PDF 数据流解压超限 ({str(exc)[:100]})") from None
            raise Refused("corrupt", f"PDF 损坏 (corrupt PDF: {str(exc)[:100]})") from None
        except Refused:
            raise
        except MemoryError:
            raise Refused("too-large", "PDF 过大，内存不足 (out of memory while reading)") from None
        except Exception as exc:  # noqa: BLE001 (pypdf raises many types on hostile input)
            raise Refused(
                "corrupt", f"PDF 损坏 (corrupt PDF: {type(exc).__name__}: {str(exc)[:100]})"
            ) from None


def _read(
    fh: BinaryIO, *, limits: Limits, budget: Budget, trust_roots: Sequence[Path] = ()
) -> Content:
    content = Content(format="pdf")
    reader = pypdf.PdfReader(fh, strict=False)
    if reader.is_encrypted:
        content.encrypted = True
        try:
            opened = reader.decrypt("")
        except Exception:  # noqa: BLE001 (missing crypto backend, unknown handler: not opened)
            opened = 0
        if not opened:
            raise Refused("password-protected", "PDF 设有打开密码 (password-protected PDF)")
    content.custom, content.core = _properties(reader)
    chars = 0
    tables: list[TextBlock] = []  # recovered table cells, after the pages' text
    open_table = None  # the last page's table if it ended the page
    for number, page in enumerate(reader.pages, 1):
        budget.check()
        if number > limits.max_pdf_pages:
            content.problems.append(
                Problem("content-truncated", f"页数过多，只读取了前 {limits.max_pdf_pages} 页")
            )
            break
        try:
            # Decode the page's content under the limits first: pypdf skips the stream of a page
            # without fonts, so a bomb there would pass as an empty page (the stream is cached).
            stream = page.get_contents()
            if stream is not None:
                stream.get_data()
            positions = pdftables.Positions()  # where each piece of text is, for the tables
            text = page.extract_text(visitor_text=positions) or ""
        except LimitReachedError:
            raise
        except Exception as exc:  # noqa: BLE001 (one bad page must not cost the others)
            content.problems.append(
                Problem("corrupt", f"第{number}页无法读取 ({type(exc).__name__})", f"第{number}页")
            )
            continue
        text = text.strip()
        chars += len(text)
        if chars > limits.max_text_chars:
            content.problems.append(
                Problem("content-truncated", f"文本过长，只读取了前 {limits.max_text_chars} 个字符")
            )
            break
        if text:
            content.blocks.append(TextBlock(text, f"第{number}页", "page"))
            image = _has_image(page)
            if image:
                content.image_blocks.add(f"第{number}页")
            found, open_table = _tables(
                positions, text, len(content.grids) + 1, image, content, open_table
            )
            tables.extend(found)
        else:
            open_table = None
    content.blocks.extend(tables)
    content.pdf_signatures = _signature_fields(reader, budget)
    if not content.encrypted and any(f.status == "claimed" for f in content.pdf_signatures):
        _validate(fh, content, budget, trust_roots)
    return content


def _tables(
    positions: pdftables.Positions,
    text: str,
    first: int,
    image: bool,
    content: Content,
    previous: Grid | None,
) -> tuple[list[TextBlock], Grid | None]:
    """Tables of a page that may hold one (:mod:`itdocs.extract.pdftables`), rebuilt from where
    the text pass saw each piece (a layout with the columns kept, without reading the page
    again); their grids go to ``content``, their cells are returned with the table ending the
    page, if any."""
    if previous is None and not pdftables.worth_a_layout(text):
        return [], None
    grids, cells, open_end = pdftables.recover(
        positions.layout(), first_table=first, image=image, previous=previous
    )
    content.grids.extend(grids)
    return cells, open_end


_BAD_MESSAGE = {
    "modified": "PDF 签名「{name}」签署后文档被修改 (the document changed after this signature)",
    "invalid": "PDF 签名「{name}」无效 (broken signature: it does not verify)",
}


def _validate(fh: BinaryIO, content: Content, budget: Budget, trust_roots: Sequence[Path]) -> None:
    """Replace ``claimed`` by pyHanko's verdict where it has one (nothing changes without it)."""
    if not pdfsig.available():
        return
    budget.check()
    fh.seek(0)
    statuses = pdfsig.validate_signatures(fh, trust_roots=list(trust_roots), budget=budget)
    if not statuses:
        return
    fields = []
    for f in content.pdf_signatures:
        status = statuses.get(f.name) if f.status == "claimed" else None
        if status is None:
            fields.append(f)
            continue
        fields.append(dataclasses.replace(f, status=status))
        if status in pdfsig.BAD_STATUSES:
            content.problems.append(
                Problem(
                    "pdf-signature-invalid", _BAD_MESSAGE[status].format(name=f.name), f.location
                )
            )
    content.pdf_signatures = fields
