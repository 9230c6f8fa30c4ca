"""Building blocks for test documents: a PNG, a zip written member by member (so tests can lie in
its headers), and a small PDF writer with real Chinese text (a ToUnicode map, as Word and WPS
exports carry) and AcroForm signature fields. Nothing here is committed as a binary."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG (python-docx parses the header itself; no Pillow needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class RawMember:
    """One zip member as written: ``data`` already compressed when ``method`` is 8 (deflate)."""

    name: str
    data: bytes
    crc: int
    size: int  # the uncompressed size the headers declare
    method: int = 8
    flags: int = 0


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str, data: bytes, **overrides: int) -> RawMember:
    """An honest deflated member; ``overrides`` (crc, size, flags) make it lie."""
    m = RawMember(name, deflate(data), zlib.crc32(data), len(data))
    for key, value in overrides.items():
        setattr(m, key, value)
    return m


def repeated_deflate(
    prefix: bytes, unit: bytes, count: int, suffix: bytes
) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC, size) of ``prefix + unit*count + suffix`` without ever holding or
    compressing the whole: each unit is compressed once after a full flush (which resets the
    compressor), so its bytes can simply be repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(suffix) + c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * count + tail, crc, len(prefix) + len(unit) * count + len(suffix)


def raw_zip(members: list[RawMember]) -> bytes:
    """A zip written by hand, so the declared sizes and CRCs are exactly what the test says."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        offset = len(out)
        fields = (20, m.flags | 0x800, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + m.data
        central += (
            b"PK\x01\x02"
            + struct.pack(
                "<HHHHHHIIIHHHHHII",
                20,
                20,
                m.flags | 0x800,
                m.method,
                0,
                0x21,
                m.crc,
                len(m.data),
                m.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


# PDF -----------------------------------------------------------------------------------------------


def _pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16BE with a BOM, hex-encoded (works for Chinese)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


@dataclass
class SigField:
    name: str
    signer: str | None = None  # None: an empty field; else a /V claiming this /Name
    when: str = "D:20260901103000+08'00'"
    page: int = 0


def build_pdf(
    pages: list[list[str]],
    *,
    sig_fields: list[SigField] = (),  # type: ignore[assignment]
    info: dict[str, str] | None = None,
    raw_content: dict[int, bytes] | None = None,
) -> bytes:
    """A PDF whose pages show ``pages`` (lines of Chinese/ASCII text) in a Type0 font with a
    ToUnicode map; ``raw_content`` replaces a page's content stream with a FlateDecode stream that
    inflates to the given bytes (for bombs)."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    bfchars = []
    for start in range(0, len(chars), 100):
        group = chars[start : start + 100]
        lines = b"".join(
            b"<%04X> <%s>\n" % (code[ch], ch.encode("utf-16-be").hex().upper().encode())
            for ch in group
        )
        bfchars.append(b"%d beginbfchar\n" % len(group) + lines + b"endbfchar\n")
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + b"".join(bfchars)
        + b"endcmap CMapName currentdict /CIDInit defineresource pop end end"
    )
    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    to_unicode = add(stream(cmap))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, to_unicode)
    )
    page_ids: list[int] = []
    annots: dict[int, list[int]] = {}
    for number, page in enumerate(pages):
        if raw_content and number in raw_content:
            content = add(stream(zlib.compress(raw_content[number], 9), b"/Filter /FlateDecode"))
        else:
            ops = [b"BT /F1 12 Tf 50 800 Td 16 TL"]
            for line in page:
                ops.append(b"<" + b"".join(b"%04X" % code[ch] for ch in line) + b"> Tj T*")
            ops.append(b"ET")
            content = add(stream(b"\n".join(ops)))
        page_ids.append(add(b"%d" % content))  # placeholder, rewritten once annots are known
    field_ids = []
    for f in sig_fields:
        value = b""
        if f.signer is not None:
            sig = add(
                b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name "
                + _pdf_text(f.signer)
                + b" /M ("
                + f.when.encode()
                + b") /ByteRange [0 0 0 0] /Contents <"
                + b"00" * 64
                + b"> >>"
            )
            value = b" /V %d 0 R" % sig
        widget = add(
            b"<< /Type /Annot /Subtype /Widget /FT /Sig /F 4 /Rect [50 50 200 100] /T "
            + _pdf_text(f.name)
            + b" /P %d 0 R" % page_ids[f.page]
            + value
            + b" >>"
        )
        field_ids.append(widget)
        annots.setdefault(page_ids[f.page], []).append(widget)
    for pid in page_ids:
        content = int(objects[pid - 1])
        annot = (
            b" /Annots [%s]" % b" ".join(b"%d 0 R" % a for a in annots[pid])
            if pid in annots
            else b""
        )
        objects[pid - 1] = (
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >>%s >>" % (pages_obj, content, font, annot)
        )
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    acro = b""
    if field_ids:
        acro = b" /AcroForm << /Fields [%s] /SigFlags 3 >>" % b" ".join(
            b"%d 0 R" % i for i in field_ids
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_obj, acro)
    info_id = None
    if info:
        info_id = add(
            b"<< "
            + b" ".join(b"/" + k.encode() + b" " + _pdf_text(v) for k, v in info.items())
            + b" >>"
        )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_id:
        trailer += b" /Info %d 0 R" % info_id
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
