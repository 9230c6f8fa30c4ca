"""Safe intake of filed OOXML (.docx/.xlsx) before any parser looks at it.

A filed document may come from anyone, so nothing in it is trusted: not the extension (we sniff the
bytes), not the zip's declared sizes (we inflate ourselves, in bounded steps, stopping one byte past
the declared size), not the XML (a DOCTYPE or ENTITY declaration is refused outright — ECMA-376 forbids
them, and python-docx would silently drop the text after one). Every limit lives in :class:`Limits`, so
a policy can change them without touching code; every refusal is a :class:`Refused` carrying the
problem code the archive check reports.
"""

from __future__ import annotations

import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what reading one file may cost; a policy changes them with ``Limits(max_seconds=5)``.

    The defaults keep one worker under ~150 MB and ~2 s on anything, while every real office
    document we have seen stays far inside them (a 600-page Word file is ~500,000 XML elements).
    """

    max_file_bytes: int = 200 * MiB  # on disk
    max_members: int = 10_000  # zip entries (a .docx has ~15)
    max_total_uncompressed: int = 100 * MiB  # declared and actually inflated, all members
    max_member_uncompressed: int = 50 * MiB  # one member
    max_ratio: float = 200.0  # inflated / compressed, per member
    # Below this much output any ratio is harmless (a run of empty cells compresses 1000:1).
    ratio_grace_bytes: int = 1 * MiB
    max_xml_elements: int = 500_000  # per XML part; ~160 bytes of memory each once parsed
    max_seconds: float = 2.0  # wall time per file, reading and understanding
    max_pdf_pages: int = 1_000
    max_pdf_stream_bytes: int = 16 * MiB  # pypdf's decompression limits, set per call
    max_cells: int = 100_000  # spreadsheet cells with a value (~1.2 s to read)
    max_text_chars: int = 5_000_000


DEFAULT_LIMITS = Limits()


class Refused(Exception):
    """Reading stopped: a limit was hit or the file is broken. ``code`` is a Problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Budget:
    """The per-file wall-time budget, checked cooperatively between bounded steps."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Refused("timeout", f"读取超时 (time budget of {self.seconds:g} s exceeded)")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes) -> str:
    """The file type from its first bytes: ``zip``, ``ole``, ``pdf``, ``rtf``, ``empty``, ``unknown``."""
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header; so do we
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "unknown"


_ENCRYPTED_OLE_NAMES = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)


def ole_is_encrypted_ooxml(fh: BinaryIO, *, limits: Limits, budget: Budget) -> bool:
    """True when an OLE compound file wraps an encrypted OOXML package (a password-protected
    .docx/.xlsx as Office and WPS save it); False for a legacy .doc/.xls.

    The directory entries holding the stream names may sit anywhere, so scan in overlapping chunks.
    """
    fh.seek(0)
    tail = b""
    read = 0
    while read < limits.max_file_bytes:
        chunk = fh.read(1 * MiB)
        if not chunk:
            return False
        read += len(chunk)
        window = tail + chunk
        if any(name in window for name in _ENCRYPTED_OLE_NAMES):
            return True
        tail = window[-64:]
        budget.check()
    return False


def _end_record(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entry count, central directory size) from the end-of-central-directory record, zip64-aware;
    None when there is no such record (a truncated download)."""
    tail_len = min(size, 65536 + 22)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = tail.rfind(b"PK\x06\x07", 0, at)
        if loc >= 0 and len(tail) - loc >= 20:
            (z64_offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
            if z64_offset + 56 <= size:
                fh.seek(z64_offset)
                rec = fh.read(56)
                if rec[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack("<QQ", rec[32:48])
    return entries, cd_size


_CHUNK = 64 * 1024


class SafeZip:
    """A zip opened under :class:`Limits`: the central directory is checked before any member is
    read, and members are inflated by us with a hard output cap, CRC and size checks."""

    def __init__(self, fh: BinaryIO, size: int, *, limits: Limits, budget: Budget) -> None:
        self._fh = fh
        self._size = size
        self._limits = limits
        self._budget = budget
        self._inflated = 0
        end = _end_record(fh, size)
        if end is None:
            raise Refused("truncated", "压缩包不完整 (zip has no end record: truncated or corrupt)")
        if end[0] > limits.max_members:
            raise Refused(
                "too-many-members",
                f"压缩包成员过多 ({end[0]} members, limit {limits.max_members})",
            )
        try:
            fh.seek(0)
            self._zip = zipfile.ZipFile(fh)
            infos = self._zip.infolist()
        except Exception as exc:  # noqa: BLE001 (zipfile raises many types on hostile input)
            raise Refused("corrupt", f"压缩包损坏 (corrupt zip: {_short(exc)})") from None
        if len(infos) > limits.max_members:
            raise Refused(
                "too-many-members",
                f"压缩包成员过多 ({len(infos)} members, limit {limits.max_members})",
            )
        self._infos = {i.filename: i for i in infos}
        self._precheck(infos)

    def _precheck(self, infos: list[zipfile.ZipInfo]) -> None:
        lim = self._limits
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise Refused(
                    "password-protected", f"压缩包成员已加密 (encrypted member {info.filename!r})"
                )
            total += info.file_size
            if info.file_size > lim.max_member_uncompressed or total > lim.max_total_uncompressed:
                raise Refused(
                    "too-large",
                    f"解压后过大 (declared {info.file_size} bytes for {info.filename!r}, "
                    f"limit {lim.max_member_uncompressed} per member, {lim.max_total_uncompressed} total)",
                )
            if info.file_size > lim.ratio_grace_bytes and info.file_size > lim.max_ratio * max(
                info.compress_size, 1
            ):
                raise Refused(
                    "zip-bomb",
                    f"压缩比异常 ({info.filename!r}: {info.file_size} bytes from "
                    f"{info.compress_size}, ratio limit {lim.max_ratio:g})",
                )

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """The member's bytes, inflated by us: never more than its declared size (already bounded by
        the limits), never past the time budget, and CRC-checked."""
        info = self._infos[name]
        lim = self._limits
        data_start = self._data_offset(info)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(
                "corrupt", f"不支持的压缩方式 (compression method {info.compress_type} in {name!r})"
            )
        cap = info.file_size  # one byte more than this is proof the header lies
        remaining_total = lim.max_total_uncompressed - self._inflated
        if cap > remaining_total:
            raise Refused(
                "too-large",
                f"解压总量超限 (total inflated size above {lim.max_total_uncompressed})",
            )
        self._fh.seek(data_start)
        left = info.compress_size
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        out: list[bytes] = []
        produced = 0
        consumed = 0
        crc = 0
        pending = b""
        try:
            while True:
                self._budget.check()
                if not pending:
                    if left <= 0:
                        break
                    pending = self._fh.read(min(_CHUNK, left))
                    if not pending:
                        raise Refused("truncated", f"成员数据不完整 (member {name!r} is cut short)")
                    left -= len(pending)
                    consumed += len(pending)
                if inflater is None:
                    piece, pending = pending, b""
                else:
                    piece = inflater.decompress(pending, cap + 1 - produced)
                    pending = inflater.unconsumed_tail
                produced += len(piece)
                if produced > cap:
                    raise Refused(
                        "size-mismatch",
                        f"成员大小与声明不符 ({name!r} inflates past its declared {cap} bytes)",
                    )
                if produced > lim.ratio_grace_bytes and produced > lim.max_ratio * max(consumed, 1):
                    raise Refused(
                        "zip-bomb", f"压缩比异常 ({name!r}, ratio limit {lim.max_ratio:g})"
                    )
                crc = zlib.crc32(piece, crc)
                out.append(piece)
                if inflater is not None and inflater.eof:
                    break
        except zlib.error as exc:
            raise Refused(
                "corrupt", f"压缩数据损坏 (bad deflate data in {name!r}: {exc})"
            ) from None
        if inflater is not None and not inflater.eof:
            raise Refused("truncated", f"成员数据不完整 (deflate stream of {name!r} ends early)")
        if produced != cap:
            raise Refused(
                "size-mismatch", f"成员大小与声明不符 ({name!r}: {produced} bytes, declared {cap})"
            )
        if crc != info.CRC:
            raise Refused("crc-error", f"校验和错误 (CRC mismatch in {name!r})")
        self._inflated += produced
        return b"".join(out)

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        if not 0 <= info.header_offset < self._size:
            raise Refused("corrupt", f"成员头损坏 (bad local header offset for {info.filename!r})")
        self._fh.seek(info.header_offset)
        header = self._fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise Refused("corrupt", f"成员头损坏 (bad local header for {info.filename!r})")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_len + extra_len
        if start > self._size:
            raise Refused("truncated", f"成员数据不完整 (member {info.filename!r} is cut short)")
        return start


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:120]


_local = threading.local()


def _parser() -> etree.XMLParser:
    # One parser per thread: lxml parsers are not thread-safe, and building one costs ~20 µs.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            collect_ids=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


# libxml2 refuses these without XML_PARSE_HUGE: a tree built to exhaust a reader, not a damaged file.
_PARSER_LIMITS = ("Excessive depth", "Resource limit exceeded", "huge text node", "Huge input lookup")

_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


def _has_dtd_marks(data: bytes) -> bool:
    if any(mark in data for mark in _DTD_MARKS):
        return True
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        text = data.decode("utf-16", errors="replace").upper()
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    return False


def parse_xml(data: bytes, *, part: str, limits: Limits) -> etree._Element:
    """Parse one OOXML part safely: refuse DTDs/entities and oversized trees before parsing, and check
    again on the parsed tree (an exotic encoding could hide the declaration from the byte scan)."""
    if _has_dtd_marks(data):
        raise Refused(
            "xml-entity", f"XML 含 DOCTYPE/ENTITY 声明，已拒绝 (DTD/entity declaration in {part})"
        )
    if data.count(b"<") > limits.max_xml_elements:
        raise Refused(
            "xml-too-complex",
            f"XML 元素过多 ({part}: more than {limits.max_xml_elements} elements)",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if any(mark in str(exc) for mark in _PARSER_LIMITS):  # libxml2's own bounds, not damage
            raise Refused(
                "xml-too-complex", f"XML 嵌套过深或文本过大 ({part}: {_short(exc)})"
            ) from None
        raise Refused("corrupt", f"XML 损坏 ({part}: {_short(exc)})") from None
    if root is None:
        raise Refused("corrupt", f"XML 为空 ({part})")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise Refused(
            "xml-entity", f"XML 含 DOCTYPE/ENTITY 声明，已拒绝 (DTD/entity declaration in {part})"
        )
    return root


def namespace(root: etree._Element) -> str:
    """``{ns}`` of the root element, so Transitional and Strict OOXML both work."""
    tag = root.tag if isinstance(root.tag, str) else ""
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""
